"""Hypothesis strategies for every public type of the conventions and schedule layers.

Each factory returns a :class:`~hypothesis.strategies.SearchStrategy` of
*valid* values only, takes keyword-only arguments that accept a strategy
or a plain value, and checks its arguments when it is called rather than
when the first example is drawn:

>>> from hypothesis import find, settings, strategies as st
>>> from loanrules import JPY, LoanTerms, RepaymentMethod
>>> from loanrules.strategies import loan_terms, money
>>> money(currency=JPY, min_value="0.1", max_value="0.9")
Traceback (most recent call last):
...
hypothesis.errors.InvalidArgument: money(): no amount of JPY lies in [0.1, 0.9]

Importing this module, or merely having loanrules installed (through its
``hypothesis`` entry point), registers the strategies for
:func:`~hypothesis.strategies.from_type`: ``st.from_type(LoanTerms)``, and
``st.builds`` of a function whose parameters are annotated with these types,
draw valid values. Examples shrink towards the plainest loan: a one-period
1.00 CNY monthly annuity at 0 % starting 2000-01-01.

>>> terms = find(st.from_type(LoanTerms), lambda t: t.term >= 12, settings=settings(database=None))
>>> terms.term, terms.principal, terms.method is RepaymentMethod.ANNUITY
(12, Decimal('1.00'), True)

Needs the ``hypothesis`` extra: ``pip install "loanrules[hypothesis]"``.
"""

from __future__ import annotations

import decimal
import string
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import EllipsisType
from typing import Final, TypeVar

from ._dates import is_leap
from .calendars import ALL_DAYS, CHINA, WEEKENDS, BusinessDay, Calendar, Outside
from .daycount import DayCount
from .errors import LoanRulesError
from .frequency import Frequency
from .money import CNY, CONTEXT, EUR, JPY, ROUNDING_MODES, USD, Currency, DecimalInput, to_decimal
from .rates import Rate
from .schedule import Accrual, Installment, LoanTerms, RepaymentMethod, Schedule, build_schedule

_ready = False
"""Set at the end of this module, once every strategy is defined."""


def _hypothesis_setup_hook() -> None:
    """Register the strategies with ``st.register_type_strategy`` (idempotent).

    Hypothesis calls it through the ``hypothesis`` entry point; importing
    this module calls it too. It is defined before Hypothesis is imported:
    when this module is imported first, its own ``import hypothesis`` runs
    the entry point while the module is half-built, and the hook then
    leaves the work to the call at the end of the module.

    >>> from hypothesis import strategies as st
    >>> from loanrules import Frequency
    >>> _hypothesis_setup_hook()
    >>> st.from_type(Frequency).validate()
    """
    if not _ready:  # pragma: no cover - only when this module imports Hypothesis (a subprocess test)
        return
    for kind, factory in _REGISTRY:
        st.register_type_strategy(kind, _lazy(factory))


# Imported after the hook is defined: see its docstring.
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import InvalidArgument  # noqa: E402
from hypothesis.strategies import SearchStrategy  # noqa: E402

__all__ = [
    "accruals",
    "business_days",
    "calendars",
    "currencies",
    "day_counts",
    "frequencies",
    "installments",
    "loan_terms",
    "money",
    "outsides",
    "rates",
    "repayment_methods",
    "schedules",
]

_T = TypeVar("_T")

_BUILTIN_CURRENCIES: Final = (CNY, USD, EUR, JPY)
# Half-up (the LoanTerms default) first, so that examples shrink towards it.
_ROUNDINGS: Final = (decimal.ROUND_HALF_UP, *sorted(ROUNDING_MODES - {decimal.ROUND_HALF_UP}))
_CHINA: Final = {outside: CHINA.with_outside(outside) for outside in Outside}
_FIRST_START: Final = date(2000, 1, 1)
_LAST_START: Final = date(2040, 12, 31)
_MAX_YEARS: Final = 30
_MIN_PRINCIPAL: Final = Decimal(1)
_MAX_PRINCIPAL: Final = Decimal(10_000_000)


# --- argument checks (eager: at call time, not at the first draw) -----------------------------


def _fail(func: str, message: str) -> InvalidArgument:
    return InvalidArgument(f"{func}(): {message}")


def _decimal(func: str, name: str, value: object) -> Decimal:
    try:
        return to_decimal(value, name)
    except LoanRulesError as error:
        raise _fail(func, str(error)) from None


def _int(func: str, name: str, value: object, low: int, high: int) -> int:
    if type(value) is not int:
        raise _fail(func, f"{name}={value!r} must be an int")
    if not low <= value <= high:
        raise _fail(func, f"{name}={value!r} must lie in [{low}, {high}]")
    return value


def _bool(func: str, name: str, value: object) -> bool:
    if type(value) is not bool:
        raise _fail(func, f"{name}={value!r} must be a bool")
    return value


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _arg(
    func: str,
    name: str,
    value: _T | SearchStrategy[_T] | EllipsisType,
    kind: type[_T],
    default: Callable[[], SearchStrategy[_T]],
) -> SearchStrategy[_T]:
    """``value`` as a strategy: the default for ``...``, a strategy as is, a plain ``kind`` as ``just``."""
    if isinstance(value, EllipsisType):
        return default()
    if isinstance(value, SearchStrategy):
        return value
    plain_ok = (
        _is_date(value) if kind is date
        else type(value) is kind if kind in (int, bool, str)
        else isinstance(value, kind)
    )
    if not plain_ok:
        article = "an" if kind.__name__[0] in "AEIOUaeiou" else "a"
        raise _fail(func, f"{name}={value!r} must be {article} {kind.__name__} or a strategy of them")
    return st.just(value)


# --- conventions --------------------------------------------------------------------------------


def currencies(
    *, min_minor_units: int = 0, max_minor_units: int = 3, builtin_only: bool = False
) -> SearchStrategy[Currency]:
    """A strategy for currencies: the built-in ones and made-up ISO-style codes.

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
    return st.sampled_from(builtin) | made_up if builtin else made_up


def _amounts(currency: Currency, low: Decimal, high: Decimal) -> SearchStrategy[Decimal]:
    """Amounts of ``currency`` in ``[low, high]``, drawn as whole numbers of the minor unit."""
    places = currency.minor_units
    first = int(low.scaleb(places, CONTEXT).to_integral_value(decimal.ROUND_CEILING, CONTEXT))
    last = int(high.scaleb(places, CONTEXT).to_integral_value(decimal.ROUND_FLOOR, CONTEXT))
    return st.integers(first, last).map(lambda n: Decimal(n).scaleb(-places, CONTEXT))


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


def day_counts() -> SearchStrategy[DayCount]:
    """A strategy for day-count conventions.

    Returns:
        A strategy of :class:`~loanrules.DayCount` members. Examples shrink
        towards ``ACT_360`` (the schedule default).

    >>> day_counts().validate()
    """
    return st.sampled_from(DayCount)


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


def business_days() -> SearchStrategy[BusinessDay]:
    """A strategy for business-day conventions.

    Returns:
        A strategy of :class:`~loanrules.BusinessDay` members. Examples
        shrink towards ``UNADJUSTED`` (the schedule default).

    >>> business_days().validate()
    """
    return st.sampled_from(BusinessDay)


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


# --- schedules ----------------------------------------------------------------------------------


def repayment_methods() -> SearchStrategy[RepaymentMethod]:
    """A strategy for repayment methods.

    Returns:
        A strategy of :class:`~loanrules.RepaymentMethod` members. Examples
        shrink towards ``ANNUITY`` (the default).

    >>> repayment_methods().validate()
    """
    return st.sampled_from(RepaymentMethod)


def accruals() -> SearchStrategy[Accrual]:
    """A strategy for interest accrual conventions.

    Returns:
        A strategy of :class:`~loanrules.Accrual` members. Examples shrink
        towards ``PERIODIC`` (the default).

    >>> accruals().validate()
    """
    return st.sampled_from(Accrual)


def _first_dues(start: date, frequency: Frequency, payment_day: int | None) -> SearchStrategy[date | None]:
    """``None`` (a regular first period) or a first due date that ``LoanTerms`` accepts."""
    latest = Frequency.ANNUAL.nth(start, 1)
    if frequency.months and payment_day is not None:
        candidates = [Frequency.MONTHLY.nth(start, m, payment_day) for m in range(13)]
        return st.none() | st.sampled_from([d for d in candidates if start < d <= latest])
    return st.none() | st.dates(start + timedelta(days=1), latest)


def loan_terms(
    *,
    principal: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    rate: Rate | SearchStrategy[Rate] | EllipsisType = ...,
    term: int | SearchStrategy[int] | EllipsisType = ...,
    method: RepaymentMethod | SearchStrategy[RepaymentMethod] | EllipsisType = ...,
    start: date | SearchStrategy[date] | EllipsisType = ...,
    frequency: Frequency | SearchStrategy[Frequency] | EllipsisType = ...,
    payment_day: int | SearchStrategy[int | None] | EllipsisType | None = ...,
    first_due: date | SearchStrategy[date | None] | EllipsisType | None = ...,
    accrual: Accrual | SearchStrategy[Accrual] | EllipsisType = ...,
    day_count: DayCount | SearchStrategy[DayCount] | EllipsisType = ...,
    calendar: Calendar | SearchStrategy[Calendar] | EllipsisType = ...,
    business_day: BusinessDay | SearchStrategy[BusinessDay] | EllipsisType = ...,
    adjusted_accrual: bool | SearchStrategy[bool] | EllipsisType = ...,
    currency: Currency | SearchStrategy[Currency] | EllipsisType = ...,
    rounding: str | SearchStrategy[str] | EllipsisType = ...,
) -> SearchStrategy[LoanTerms]:
    """A strategy for valid loan terms.

    Every argument takes a plain value (always used), a strategy (drawn
    from), or ``...`` (the default: draw a value that fits the others).
    The defaults keep loans moderate so that tests stay fast.

    Args:
        principal: ``...`` draws 1.00 to 10,000,000 in the drawn currency's
            minor unit. A value or strategy given must fit the currency.
        rate: ``...`` draws :func:`rates` (0 to 36 %).
        term: ``...`` draws 1 period to 30 years of periods (1 to 360 monthly,
            1 to 1560 weekly).
        method: ``...`` draws :func:`repayment_methods`.
        start: ``...`` draws a date in 2000 to 2040.
        frequency: ``...`` draws :func:`frequencies` (month-based only when a
            plain ``payment_day`` is given).
        payment_day: ``...`` draws ``None`` or 1 to 31. Whatever is given, a
            week-based frequency gets ``None``: the field is month-based only.
        first_due: ``...`` draws ``None`` (a regular first period) or a date
            in ``(start, start + 12 months]``, on the payment day if there is
            one. A date or strategy given must fit the drawn start.
        accrual: ``...`` draws :func:`accruals`.
        day_count: ``...`` draws :func:`day_counts`.
        calendar: ``...`` draws :func:`calendars` (only calendars that never
            raise: ``CHINA`` treats dates outside 2004-2026 as weekends-only).
        business_day: ``...`` draws :func:`business_days`.
        adjusted_accrual: ``...`` draws a bool.
        currency: ``...`` draws :func:`currencies`.
        rounding: ``...`` draws a :mod:`decimal` rounding mode.

    Returns:
        A strategy of :class:`~loanrules.LoanTerms`. Examples shrink towards
        a one-period 1.00 CNY monthly annuity at 0 % starting 2000-01-01,
        with every other field at its ``LoanTerms`` default.

    >>> loan_terms(term=0)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loan_terms(): term=0 must lie in [1, 1000000]
    >>> loan_terms(payment_day=15, frequency=Frequency.WEEKLY)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loan_terms(): payment_day=15 applies to month-based frequencies only, not WEEKLY
    """
    func = "loan_terms"
    if isinstance(term, int):
        _int(func, "term", term, 1, 1_000_000)
    if not isinstance(principal, (EllipsisType, SearchStrategy)):
        amount = _decimal(func, "principal", principal)
        if amount <= 0:
            raise _fail(func, f"principal={amount!r} must be > 0")
        if isinstance(currency, Currency) and currency.quantize(amount) != amount:
            raise _fail(func, f"principal={amount!r} has more places than {currency.code} allows")
    if payment_day is not None and not isinstance(payment_day, (SearchStrategy, EllipsisType)):
        _int(func, "payment_day", payment_day, 1, 31)
        if isinstance(frequency, Frequency) and not frequency.months:
            raise _fail(func, f"payment_day={payment_day} applies to month-based frequencies only, "
                              f"not {frequency.name}")
        if isinstance(frequency, EllipsisType):
            frequency = frequencies(month_based=True)
    if first_due is not None and not isinstance(first_due, (SearchStrategy, EllipsisType)):
        if not _is_date(first_due):
            raise _fail(func, f"first_due={first_due!r} must be a date, None or a strategy of them")
        if (isinstance(start, date) and not isinstance(start, datetime)
                and not start < first_due <= Frequency.ANNUAL.nth(start, 1)):
            raise _fail(func, f"first_due={first_due} must lie in (start, start + 12 months] for start={start}")
    if isinstance(rounding, str) and rounding not in ROUNDING_MODES:
        raise _fail(func, f"rounding={rounding!r} must be a decimal rounding mode (decimal.ROUND_*)")

    currency_st = _arg(func, "currency", currency, Currency, currencies)
    rate_st = _arg(func, "rate", rate, Rate, rates)
    method_st = _arg(func, "method", method, RepaymentMethod, repayment_methods)
    frequency_st = _arg(func, "frequency", frequency, Frequency, frequencies)
    term_st = None if isinstance(term, EllipsisType) else _arg(func, "term", term, int, st.nothing)
    start_st = _arg(func, "start", start, date, lambda: st.dates(_FIRST_START, _LAST_START))
    accrual_st = _arg(func, "accrual", accrual, Accrual, accruals)
    day_count_st = _arg(func, "day_count", day_count, DayCount, day_counts)
    calendar_st = _arg(func, "calendar", calendar, Calendar, calendars)
    business_day_st = _arg(func, "business_day", business_day, BusinessDay, business_days)
    adjusted_st = _arg(func, "adjusted_accrual", adjusted_accrual, bool, st.booleans)
    rounding_st = _arg(func, "rounding", rounding, str, lambda: st.sampled_from(_ROUNDINGS))
    principal_st = principal if isinstance(principal, (EllipsisType, SearchStrategy)) else st.just(principal)
    payment_day_st: SearchStrategy[int | None] | None = (
        None if isinstance(payment_day, EllipsisType)
        else payment_day if isinstance(payment_day, SearchStrategy)
        else st.just(payment_day)
    )
    first_due_st: SearchStrategy[date | None] | None = (
        None if isinstance(first_due, EllipsisType)
        else first_due if isinstance(first_due, SearchStrategy)
        else st.just(first_due)
    )

    @st.composite
    def _loan_terms(draw: st.DrawFn) -> LoanTerms:
        drawn_currency = draw(currency_st)
        drawn_principal = draw(
            money(currency=drawn_currency, min_value=_MIN_PRINCIPAL, max_value=_MAX_PRINCIPAL)
            if isinstance(principal_st, EllipsisType) else principal_st
        )
        drawn_rate = draw(rate_st)
        drawn_method = draw(method_st)
        drawn_frequency = draw(frequency_st)
        drawn_term = draw(
            st.integers(1, _MAX_YEARS * drawn_frequency.periods_per_year) if term_st is None else term_st
        )
        drawn_start = draw(start_st)
        # Drawn for every frequency and dropped for week-based ones, so that examples keep
        # one shape and shrink towards MONTHLY (the shrinker prefers fewer choices).
        drawn_payment_day = draw(st.none() | st.integers(1, 31) if payment_day_st is None
                                 else payment_day_st)
        if not drawn_frequency.months:
            drawn_payment_day = None
        drawn_first_due = draw(_first_dues(drawn_start, drawn_frequency, drawn_payment_day)
                               if first_due_st is None else first_due_st)
        return LoanTerms(
            principal=drawn_principal,
            rate=drawn_rate,
            term=drawn_term,
            method=drawn_method,
            start=drawn_start,
            frequency=drawn_frequency,
            payment_day=drawn_payment_day,
            first_due=drawn_first_due,
            accrual=draw(accrual_st),
            day_count=draw(day_count_st),
            calendar=draw(calendar_st),
            business_day=draw(business_day_st),
            adjusted_accrual=draw(adjusted_st),
            currency=drawn_currency,
            rounding=draw(rounding_st),
        )

    return _loan_terms()


def schedules(*, terms: LoanTerms | SearchStrategy[LoanTerms] | EllipsisType = ...) -> SearchStrategy[Schedule]:
    """A strategy for repayment schedules: ``build_schedule`` of drawn terms.

    Args:
        terms: Loan terms or a strategy of them; ``...`` draws :func:`loan_terms`.
            Terms whose calendar raises outside its data may fail to build.

    Returns:
        A strategy of :class:`~loanrules.Schedule`. Examples shrink as the
        terms do: towards a single installment of a 1.00 CNY loan at 0 %.

    >>> schedules(terms="monthly")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: schedules(): terms='monthly' must be a LoanTerms or a strategy of them
    """
    return _arg("schedules", "terms", terms, LoanTerms, loan_terms).map(build_schedule)


def installments(
    *, schedule: Schedule | SearchStrategy[Schedule] | EllipsisType = ...
) -> SearchStrategy[Installment]:
    """A strategy for single installments (rows) of drawn schedules.

    Args:
        schedule: A schedule or a strategy of them; ``...`` draws :func:`schedules`.

    Returns:
        A strategy of :class:`~loanrules.Installment`. Examples shrink
        towards the first installment of a simple schedule.

    >>> installments(schedule=[])
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: installments(): schedule=[] must be a Schedule or a strategy of them
    """
    schedule_st = _arg("installments", "schedule", schedule, Schedule, schedules)
    return schedule_st.flatmap(lambda s: st.sampled_from(s.installments))


# --- registration for st.from_type ------------------------------------------------------------

_REGISTRY: Final[tuple[tuple[type, Callable[[], SearchStrategy[object]]], ...]] = (
    (Currency, currencies),
    (Rate, rates),
    (DayCount, day_counts),
    (Frequency, frequencies),
    (BusinessDay, business_days),
    (Outside, outsides),
    (Calendar, calendars),
    (RepaymentMethod, repayment_methods),
    (Accrual, accruals),
    (LoanTerms, loan_terms),
    (Schedule, schedules),
    (Installment, installments),
)


def _lazy(factory: Callable[[], SearchStrategy[object]]) -> Callable[[type], SearchStrategy[object]]:
    # A function, not a strategy, so that nothing is built while Hypothesis is being imported.
    return lambda _type: factory()


_ready = True
_hypothesis_setup_hook()
