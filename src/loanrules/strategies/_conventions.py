"""Strategies for the conventions layer.

Currencies, money, rates, day counts, frequencies, business-day conventions
and calendars.
"""

from __future__ import annotations

import decimal
import string
from datetime import date
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from loanrules.conventions import (
    ALL_DAYS,
    CHINA,
    CNY,
    CONTEXT,
    EUR,
    JPY,
    USD,
    WEEKENDS,
    BusinessDay,
    Calendar,
    Currency,
    DayCount,
    DecimalInput,
    Frequency,
    Outside,
    Rate,
)
from loanrules.conventions._dates import is_leap
from loanrules.strategies._validation import _arg, _bool, _decimal, _fail, _int, described

_BUILTIN_CURRENCIES: Final = (CNY, USD, EUR, JPY)
_CHINA: Final = {outside: CHINA.with_outside(outside) for outside in Outside}


@described
def currencies(
    *, min_minor_units: int = 0, max_minor_units: int = 3, builtin_only: bool = False
) -> SearchStrategy[Currency]:
    """A strategy for currencies: the built-in ones, mostly, and made-up ISO-style codes (one draw in ten).

    Args:
        min_minor_units: The fewest decimal places of the minor unit (0 to 8).
        max_minor_units: The most decimal places of the minor unit (0 to 8).
        builtin_only: Only ``CNY``, ``USD``, ``EUR`` and ``JPY`` (those within the bounds).

    Returns:
        A strategy of :class:`~loanrules.Currency`. Examples shrink towards
        ``CNY``, then the other built-in currencies.

    >>> currencies(min_minor_units=1, max_minor_units=1, builtin_only=True)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: currencies(): no built-in currency has 1 to 1 minor units
    """
    func = "currencies"
    low = _int(func, "min_minor_units", min_minor_units, 0, 8)
    high = _int(func, "max_minor_units", max_minor_units, 0, 8)
    if low > high:
        raise _fail(func, f"min_minor_units={low} must be <= max_minor_units={high}")
    builtin = [c for c in _BUILTIN_CURRENCIES if low <= c.minor_units <= high]
    if _bool(func, "builtin_only", builtin_only):
        if not builtin:
            raise _fail(func, f"no built-in currency has {low} to {high} minor units")
        return st.sampled_from(builtin)
    made_up = st.builds(
        Currency,
        st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3),
        st.integers(low, high),
    )
    if not builtin:
        return made_up
    # Mostly the built-in currencies (what a lender's loans are in); a made-up one one time in ten.
    return st.integers(0, 9).flatmap(lambda n: made_up if n == 9 else st.sampled_from(builtin))


def _amounts(currency: Currency, low: Decimal, high: Decimal) -> SearchStrategy[Decimal]:
    """Amounts of ``currency`` in ``[low, high]``, drawn as whole numbers of the minor unit."""
    places = currency.minor_units
    first = int(low.scaleb(places, CONTEXT).to_integral_value(decimal.ROUND_CEILING, CONTEXT))
    last = int(high.scaleb(places, CONTEXT).to_integral_value(decimal.ROUND_FLOOR, CONTEXT))
    return st.integers(first, last).map(lambda n: Decimal(n).scaleb(-places, CONTEXT))


@described
def money(
    *,
    currency: Currency | SearchStrategy[Currency] = CNY,
    min_value: DecimalInput = 0,
    max_value: DecimalInput = 10_000_000,
) -> SearchStrategy[Decimal]:
    """A strategy for amounts of money: Decimals with exactly the currency's minor-unit places.

    Args:
        currency: The currency, or a strategy of currencies (the amount is
            then drawn for the currency drawn). ``CNY`` by default.
        min_value: The least amount (a Decimal, an int or a decimal string).
        max_value: The greatest amount.

    Returns:
        A strategy of :class:`~decimal.Decimal` quantized to the minor unit
        (``Decimal('12.30')`` for CNY, ``Decimal('12')`` for JPY). Examples
        shrink towards the amount in range nearest zero.

    >>> from hypothesis import find, settings
    >>> find(money(), lambda m: m >= 100, settings=settings(database=None))
    Decimal('100.00')
    >>> money(min_value=10, max_value=1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: money(): min_value=Decimal('10') must be <= max_value=Decimal('1')
    """
    func = "money"
    low = _decimal(func, "min_value", min_value)
    high = _decimal(func, "max_value", max_value)
    if low > high:
        raise _fail(func, f"min_value={low!r} must be <= max_value={high!r}")
    if isinstance(currency, Currency):
        if currency.quantize(low, decimal.ROUND_CEILING) > high:
            raise _fail(func, f"no amount of {currency.code} lies in [{low}, {high}]")
        return _amounts(currency, low, high)
    if not isinstance(currency, SearchStrategy):
        raise _fail(func, f"currency={currency!r} must be a Currency or a strategy of them")
    if JPY.quantize(low, decimal.ROUND_CEILING) > high:
        raise _fail(func, f"[{low}, {high}] must contain a whole amount when the currency is drawn")
    return currency.flatmap(lambda c: _amounts(c, low, high))


@described
def rates(
    *, min_value: DecimalInput = Decimal("0"), max_value: DecimalInput = Decimal("0.36"), places: int = 6
) -> SearchStrategy[Rate]:
    """A strategy for nominal annual rates (fractions: ``0.049`` is 4.9 %).

    Args:
        min_value: The least annual rate (>= 0).
        max_value: The greatest annual rate; 36 % by default (the Chinese
            judicial ceiling on private lending is lower than that).
        places: Decimal places of the annual rate (0 to 12); 6 by default.

    Returns:
        A strategy of :class:`~loanrules.Rate`. Examples shrink towards
        ``min_value``, so towards a zero rate by default.

    >>> from decimal import Decimal
    >>> from hypothesis import find, settings
    >>> find(rates(), lambda r: r.annual >= Decimal("0.049"), settings=settings(database=None))
    Rate.annual('0.049000')
    >>> rates(min_value="-0.01")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: rates(): min_value=Decimal('-0.01') must be >= 0
    """
    func = "rates"
    low = _decimal(func, "min_value", min_value)
    high = _decimal(func, "max_value", max_value)
    digits = _int(func, "places", places, 0, 12)
    if low < 0:
        raise _fail(func, f"min_value={low!r} must be >= 0")
    if low > high:
        raise _fail(func, f"min_value={low!r} must be <= max_value={high!r}")
    first = int(low.scaleb(digits, CONTEXT).to_integral_value(decimal.ROUND_CEILING, CONTEXT))
    last = int(high.scaleb(digits, CONTEXT).to_integral_value(decimal.ROUND_FLOOR, CONTEXT))
    if first > last:
        raise _fail(func, f"no rate with {digits} places lies in [{low}, {high}]")
    return st.integers(first, last).map(lambda n: Rate(annual=Decimal(n).scaleb(-digits, CONTEXT)))


@described
def day_counts() -> SearchStrategy[DayCount]:
    """A strategy for day-count conventions.

    Returns:
        A strategy of :class:`~loanrules.DayCount` members. Examples shrink
        towards ``ACT_360`` (the schedule default).

    >>> day_counts().validate()
    """
    return st.sampled_from(DayCount)


@described
def frequencies(*, month_based: bool | None = None) -> SearchStrategy[Frequency]:
    """A strategy for payment frequencies.

    Args:
        month_based: ``True`` for month-based frequencies only (monthly,
            quarterly, semiannual, annual), ``False`` for week-based ones
            only (weekly, biweekly), ``None`` (default) for all.

    Returns:
        A strategy of :class:`~loanrules.Frequency` members. Examples shrink
        towards ``MONTHLY`` (``WEEKLY`` when only week-based ones are drawn).

    >>> frequencies(month_based="yes")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: frequencies(): month_based='yes' must be a bool or None
    """
    if month_based is None:
        return st.sampled_from(Frequency)
    if type(month_based) is not bool:
        raise _fail("frequencies", f"month_based={month_based!r} must be a bool or None")
    return st.sampled_from([f for f in Frequency if bool(f.months) is month_based])


@described
def business_days() -> SearchStrategy[BusinessDay]:
    """A strategy for business-day conventions.

    Returns:
        A strategy of :class:`~loanrules.BusinessDay` members. Examples
        shrink towards ``UNADJUSTED`` (the schedule default).

    >>> business_days().validate()
    """
    return st.sampled_from(BusinessDay)


@described
def outsides() -> SearchStrategy[Outside]:
    """A strategy for what a calendar does outside its holiday data.

    Returns:
        A strategy of :class:`~loanrules.Outside` members. Examples shrink
        towards ``RAISE`` (the calendar default).

    >>> outsides().validate()
    """
    return st.sampled_from(Outside)


def _user_calendars(min_year: int, max_year: int, outside: SearchStrategy[Outside]) -> SearchStrategy[Calendar]:
    first, last = date(min_year, 1, 1), date(max_year, 12, 31)
    days = st.dates(first, last)

    @st.composite
    def user_calendars(draw: st.DrawFn) -> Calendar:
        name = draw(st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=6).filter(
            lambda text: text not in {"ALL_DAYS", "WEEKENDS", "CHINA"}))  # never pose as a built-in
        weekend = draw(st.just(frozenset({5, 6})) | st.frozensets(st.integers(0, 6), max_size=6))
        # Holidays on a fixed day every year (so they hit anchored due dates), plus one-off ones.
        yearly = draw(st.frozensets(st.dates(date(2000, 1, 1), date(2000, 12, 31)), max_size=6))
        holidays = set(draw(st.frozensets(days, max_size=10)))
        for year in range(min_year, max_year + 1):
            holidays.update(
                date(year, d.month, d.day) for d in yearly if not (d.month == 2 and d.day == 29) or is_leap(year)
            )
        working_days = draw(st.frozensets(days, max_size=5)) - holidays
        covered = draw(st.booleans())
        return Calendar.from_dates(
            name, holidays, working_days, weekend=weekend,
            years=(min_year, max_year) if covered else None,
            outside=draw(outside) if covered else Outside.RAISE,
        )

    return user_calendars()


@described
def calendars(
    *,
    builtin: bool = True,
    user: bool = True,
    outside: Outside | SearchStrategy[Outside] = Outside.WEEKENDS_ONLY,
    min_year: int = 2000,
    max_year: int = 2040,
) -> SearchStrategy[Calendar]:
    """A strategy for business-day calendars, built-in and user-made.

    Args:
        builtin: Draw ``ALL_DAYS``, ``WEEKENDS`` and ``CHINA`` (with ``outside``).
        user: Draw calendars made from random sets of dates: some weekend
            days (never all seven), holidays on fixed days each year and on
            single dates, make-up working days, and sometimes covered years.
        outside: What ``CHINA`` and user calendars with covered years do
            outside their data: ``WEEKENDS_ONLY`` by default, so that no
            date raises; pass ``Outside.RAISE`` or ``outsides()`` to get
            calendars that raise :class:`~loanrules.CalendarCoverageError`.
        min_year: The first year of user calendars' holidays (and covered years).
        max_year: The last year of them.

    Returns:
        A strategy of :class:`~loanrules.Calendar`. Examples shrink towards
        ``ALL_DAYS`` (the schedule default), then ``WEEKENDS``, ``CHINA``,
        and user calendars with fewer dates.

    >>> calendars(builtin=False, user=False)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: calendars(): builtin and user cannot both be False
    """
    func = "calendars"
    draw_builtin = _bool(func, "builtin", builtin)
    draw_user = _bool(func, "user", user)
    if not (draw_builtin or draw_user):
        raise _fail(func, "builtin and user cannot both be False")
    first = _int(func, "min_year", min_year, 1, 9998)
    last = _int(func, "max_year", max_year, 1, 9998)
    if first > last:
        raise _fail(func, f"min_year={first} must be <= max_year={last}")
    outside_st = _arg(func, "outside", outside, Outside, outsides)
    options: list[SearchStrategy[Calendar]] = []
    if draw_builtin:
        # Separate branches, not one sampled_from: a branch without choices of its own is
        # simpler to the shrinker than an element of a sampled_from.
        options += [st.just(ALL_DAYS), st.just(WEEKENDS), outside_st.map(_CHINA.__getitem__)]
    if draw_user:
        options.append(_user_calendars(first, last, outside_st))
    return st.one_of(options)
