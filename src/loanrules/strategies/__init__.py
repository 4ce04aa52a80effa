"""Hypothesis strategies for every public type of the conventions, schedule, ledger and policy layers.

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

Loans (:func:`loans`) come with histories of payments, waivers,
prepayments, settlements and restructures, recorded through the
:class:`~loanrules.Loan` methods on days the loan accepts them, so each
event was valid when it was recorded and none is filtered away.

>>> terms = find(st.from_type(LoanTerms), lambda t: t.term >= 12, settings=settings(database=None))
>>> terms.term, terms.principal, terms.method is RepaymentMethod.ANNUITY
(12, Decimal('1.00'), True)

Collections have their strategies too: :func:`records` and
:func:`histories` of collection steps at timezone-aware moments
(:func:`aware_datetimes`, which now and then fall right by a daylight-saving
transition), :func:`cases` to decide on, and :func:`collection_policies`: the
two presets and small random policies that pass validation.

Needs the ``hypothesis`` extra: ``pip install "loanrules[hypothesis]"``.
"""

from __future__ import annotations

import decimal
import functools
import string
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import EllipsisType
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from loanrules.collection._policy import (
    KNOWN_FLAGS,
    REACHING,
    TRUE,
    Action,
    All,
    Cap,
    Case,
    CollectionPolicy,
    Compare,
    Condition,
    Constraint,
    ContactWindow,
    Cooldown,
    Counting,
    Fact,
    FactName,
    Hold,
    Not,
    Op,
    Outcome,
    Period,
    Prerequisite,
    Record,
    Stage,
    Step,
)
from loanrules.collection._policy import Any as AnyOf
from loanrules.collection._presets import standard, us_reg_f
from loanrules.conventions._calendars import ALL_DAYS, CHINA, WEEKENDS, BusinessDay, Calendar, Outside
from loanrules.conventions._dates import is_leap
from loanrules.conventions._daycount import DayCount
from loanrules.conventions._frequency import Frequency
from loanrules.conventions._money import (
    CNY,
    CONTEXT,
    EUR,
    JPY,
    ROUNDING_MODES,
    USD,
    Currency,
    DecimalInput,
    to_decimal,
)
from loanrules.conventions._rates import Rate
from loanrules.errors import LoanRulesError
from loanrules.ledger._ledger import (
    Allocation,
    Component,
    Event,
    Grace,
    Loan,
    LoanState,
    Payment,
    PenaltyBase,
    PenaltyTerms,
    Prepayment,
    PrepaymentTerms,
    Recast,
    Restructure,
    Settlement,
    Status,
    Waiver,
)
from loanrules.schedule._schedule import (
    Accrual,
    Installment,
    LoanTerms,
    RepaymentMethod,
    Schedule,
    build_schedule,
)

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
from hypothesis import reject  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import InvalidArgument  # noqa: E402
from hypothesis.strategies import SearchStrategy  # noqa: E402

__all__ = [
    "accruals",
    "actions",
    "allocations",
    "aware_datetimes",
    "business_days",
    "calendars",
    "cases",
    "collection_policies",
    "components",
    "currencies",
    "day_counts",
    "events",
    "frequencies",
    "graces",
    "histories",
    "installments",
    "loan_states",
    "loan_terms",
    "loans",
    "money",
    "outcomes",
    "outsides",
    "payments",
    "penalty_bases",
    "penalty_terms",
    "prepayment_terms",
    "rates",
    "recasts",
    "records",
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


# --- the ledger ---------------------------------------------------------------------------------

_EVENT_KINDS: Final[tuple[type[Event], ...]] = (Payment, Waiver, Prepayment, Settlement, Restructure)
_MAX_TERM: Final = 60
"""The longest term :func:`loans` draws by default, and the longest restructure plan it records."""
_EARLY_DAYS: Final = 20
"""Event days are drawn from this many days before a due date ..."""
_LATE_DAYS: Final = 45
"""... to this many days after it."""
_CAP_PAYMENTS: Final = 3
"""Payments and waivers are drawn up to this many times the largest scheduled payment."""
_LAST_DAY: Final = date(2075, 12, 31)
_MAX_PAYMENT: Final = Decimal(1_000_000)


def components() -> SearchStrategy[Component]:
    """A strategy for the components of what an installment owes.

    Returns:
        A strategy of :class:`~loanrules.Component` members. Examples shrink
        towards ``PENALTY`` (the first one the default allocation pays).

    >>> components().validate()
    """
    return st.sampled_from(Component)


def graces() -> SearchStrategy[Grace]:
    """A strategy for how a grace period treats penalty interest.

    Returns:
        A strategy of :class:`~loanrules.Grace` members. Examples shrink
        towards ``BACKDATE`` (the default).

    >>> graces().validate()
    """
    return st.sampled_from(Grace)


def penalty_bases() -> SearchStrategy[PenaltyBase]:
    """A strategy for what penalty interest is charged on.

    Returns:
        A strategy of :class:`~loanrules.PenaltyBase` members. Examples
        shrink towards ``PRINCIPAL`` (the default).

    >>> penalty_bases().validate()
    """
    return st.sampled_from(PenaltyBase)


def recasts() -> SearchStrategy[Recast]:
    """A strategy for how a schedule is rebuilt after a prepayment.

    Returns:
        A strategy of :class:`~loanrules.Recast` members. Examples shrink
        towards ``REDUCE_TERM`` (the default).

    >>> recasts().validate()
    """
    return st.sampled_from(Recast)


def _field(
    func: str, kind: Callable[..., object], name: str, value: object, default: Callable[[], SearchStrategy[Any]]
) -> SearchStrategy[Any]:
    """Field ``name`` of ``kind`` as a strategy: the default for ``...``, a strategy as is, or
    a plain value, checked and converted by ``kind`` itself (its error becomes InvalidArgument)."""
    if isinstance(value, EllipsisType):
        return default()
    if isinstance(value, SearchStrategy):
        return value
    try:
        made = kind(**{name: value})
    except (TypeError, ValueError) as error:  # LoanRulesError, or a converter's own error
        raise _fail(func, str(error)) from None
    return st.just(getattr(made, name))


def _hundredths(low: int, high: int) -> SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2, CONTEXT))


def _whole(high: int) -> SearchStrategy[Decimal]:
    """0, or a whole amount up to ``high``: it fits the minor unit of every currency."""
    return st.just(Decimal(0)) | st.integers(1, high).map(Decimal)


def penalty_terms(
    *,
    rate: Rate | SearchStrategy[Rate | None] | EllipsisType | None = ...,
    markup: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    base: PenaltyBase | SearchStrategy[PenaltyBase] | EllipsisType = ...,
    compound: bool | SearchStrategy[bool] | EllipsisType = ...,
    grace_days: int | SearchStrategy[int] | EllipsisType = ...,
    grace: Grace | SearchStrategy[Grace] | EllipsisType = ...,
    late_fee: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    day_basis: int | SearchStrategy[int] | EllipsisType = ...,
    rate_cap: Rate | SearchStrategy[Rate | None] | EllipsisType | None = ...,
) -> SearchStrategy[PenaltyTerms]:
    """A strategy for penalty terms: penalty interest (罚息), grace and late fees.

    Every argument takes a plain value (always used, checked now as
    :class:`~loanrules.PenaltyTerms` checks it), a strategy (drawn from),
    or ``...`` (the default, below).

    Args:
        rate: ``...`` draws ``None`` (the contract rate marked up) or :func:`rates`.
        markup: ``...`` draws 0.5, or 0.00 to 1.00.
        base: ``...`` draws :func:`penalty_bases`.
        compound: ``...`` draws a bool.
        grace_days: ``...`` draws 0 to 15.
        grace: ``...`` draws :func:`graces`.
        late_fee: ``...`` draws 0 or a whole amount up to 50, which fits every
            currency's minor unit. A late fee given must fit the loan's currency.
        day_basis: ``...`` draws 360, 365 or 366.
        rate_cap: ``...`` draws ``None`` or :func:`rates`.

    Returns:
        A strategy of :class:`~loanrules.PenaltyTerms`. Examples shrink
        towards ``PenaltyTerms()``: the contract rate + 50 % on overdue
        principal and interest, no grace, no late fee, 360-day basis, no cap.

    >>> penalty_terms(grace_days=-1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: penalty_terms(): 'grace_days' must be >= 0, got -1
    """
    func = "penalty_terms"
    return st.builds(
        PenaltyTerms,
        rate=_field(func, PenaltyTerms, "rate", rate, lambda: st.none() | rates()),
        markup=_field(func, PenaltyTerms, "markup", markup, lambda: st.just(Decimal("0.5")) | _hundredths(0, 100)),
        base=_field(func, PenaltyTerms, "base", base, penalty_bases),
        compound=_field(func, PenaltyTerms, "compound", compound, lambda: st.sampled_from([True, False])),
        grace_days=_field(func, PenaltyTerms, "grace_days", grace_days, lambda: st.integers(0, 15)),
        grace=_field(func, PenaltyTerms, "grace", grace, graces),
        late_fee=_field(func, PenaltyTerms, "late_fee", late_fee, lambda: _whole(50)),
        day_basis=_field(func, PenaltyTerms, "day_basis", day_basis, lambda: st.sampled_from([360, 365, 366])),
        rate_cap=_field(func, PenaltyTerms, "rate_cap", rate_cap, lambda: st.none() | rates()),
    )


def prepayment_terms(
    *,
    allowed: bool | SearchStrategy[bool] | EllipsisType = ...,
    minimum: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    max_per_day: int | SearchStrategy[int | None] | EllipsisType | None = ...,
    lockout_periods: int | SearchStrategy[int] | EllipsisType = ...,
    fee_rate: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    recast: Recast | SearchStrategy[Recast] | EllipsisType = ...,
) -> SearchStrategy[PrepaymentTerms]:
    """A strategy for the rules of active repayment (主动还款).

    Every argument takes a plain value (always used, checked now as
    :class:`~loanrules.PrepaymentTerms` checks it), a strategy, or ``...``.

    Args:
        allowed: ``...`` draws a bool.
        minimum: ``...`` draws 0 or a whole amount up to 1,000 (fits every currency).
        max_per_day: ``...`` draws ``None`` or 1 to 3.
        lockout_periods: ``...`` draws 0 to 6.
        fee_rate: ``...`` draws 0 or 0.1 % to 5 %.
        recast: ``...`` draws :func:`recasts`.

    Returns:
        A strategy of :class:`~loanrules.PrepaymentTerms`. Examples shrink
        towards ``PrepaymentTerms()``: allowed, no minimum, no limit a day,
        no lockout, no fee, ``REDUCE_TERM``.

    >>> prepayment_terms(fee_rate=1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: prepayment_terms(): 'fee_rate' must lie in [0, 1), got Decimal('1')
    """
    func = "prepayment_terms"
    fee_rates = st.just(Decimal(0)) | st.integers(1, 50).map(lambda n: Decimal(n).scaleb(-3, CONTEXT))
    return st.builds(
        PrepaymentTerms,
        allowed=_field(func, PrepaymentTerms, "allowed", allowed, lambda: st.sampled_from([True, False])),
        minimum=_field(func, PrepaymentTerms, "minimum", minimum, lambda: _whole(1000)),
        max_per_day=_field(func, PrepaymentTerms, "max_per_day", max_per_day, lambda: st.none() | st.integers(1, 3)),
        lockout_periods=_field(func, PrepaymentTerms, "lockout_periods", lockout_periods,
                               lambda: st.just(0) | st.integers(1, 6)),
        fee_rate=_field(func, PrepaymentTerms, "fee_rate", fee_rate, lambda: fee_rates),
        recast=_field(func, PrepaymentTerms, "recast", recast, recasts),
    )


def allocations(
    *,
    order: Iterable[Component] | SearchStrategy[Iterable[Component]] | EllipsisType = ...,
    installment_first: bool | SearchStrategy[bool] | EllipsisType = ...,
) -> SearchStrategy[Allocation]:
    """A strategy for how payments are split over what is owed.

    Args:
        order: The order components are paid in: a sequence naming each
            :class:`~loanrules.Component` once, or a strategy of them;
            ``...`` draws every permutation.
        installment_first: ``...`` draws a bool.

    Returns:
        A strategy of :class:`~loanrules.Allocation`. Examples shrink
        towards ``Allocation()``: penalty, fee, interest, principal, oldest
        installment first.

    >>> allocations(order=[Component.PRINCIPAL])
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: allocations(): 'order' must name each Component exactly once, got (<Component.PRINCIPAL: 'principal'>,)
    """
    func = "allocations"
    if not isinstance(order, (EllipsisType, SearchStrategy, Iterable)):
        raise _fail(func, f"order={order!r} must be a sequence of Components or a strategy of them")
    return st.builds(
        Allocation,
        order=_field(func, Allocation, "order", order, lambda: st.permutations(Allocation().order)),
        installment_first=_field(func, Allocation, "installment_first", installment_first,
                                 lambda: st.sampled_from([True, False])),
    )


def _days_around(dues: Iterable[date], start: date) -> SearchStrategy[date]:
    """Days from ``_EARLY_DAYS`` before to ``_LATE_DAYS`` after one of ``dues``, none before ``start``.

    They shrink towards the first due date: the day the ledger's rules start to matter.
    """
    days = sorted(set(dues))
    return st.tuples(st.integers(0, len(days) - 1), st.integers(-_EARLY_DAYS, _LATE_DAYS)).map(
        lambda pick: max(start, days[pick[0]] + timedelta(days=pick[1])))


def _due_dates(loan: Loan, *, in_force: bool = False) -> list[date]:
    """The due dates of the original schedule (and of the schedule in force if ``in_force``),
    then as many more periods of the same average length (12 at most) after the last: a
    restructure plan may run that long, and a loan may be paid long after it matured."""
    dues = [row.due_date for row in loan.original_schedule]
    if in_force:
        dues += [row.due_date for row in loan.schedule]
    last, count = max(dues), len(loan.original_schedule)
    span = (loan.original_schedule[-1].due_date - loan.terms.start).days
    return dues + [last + timedelta(days=j * span // count) for j in range(1, min(count, 12) + 1)]


def _cap(loan: Loan) -> Decimal:
    """The largest payment and waiver drawn for ``loan``: a few times its largest scheduled payment."""
    return _CAP_PAYMENTS * max(row.payment for row in loan.original_schedule)


def _date_arg(func: str, name: str, value: object) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise _fail(func, f"{name}={value!r} must be a date or None")


def payments(
    *,
    terms: LoanTerms | SearchStrategy[LoanTerms] | None = None,
    min_date: date | None = None,
    max_date: date | None = None,
    amounts: DecimalInput | SearchStrategy[Decimal] | EllipsisType = ...,
) -> SearchStrategy[Payment]:
    """A strategy for payments, either for a loan's terms or between two dates.

    Args:
        terms: Loan terms or a strategy of them: each payment is then one that
            ``Loan(terms).pay`` accepts, dated from 20 days before to 45 days
            after one of the schedule's due dates, or of as many more periods
            (12 at most) after the last one, never before the start; in the
            terms' currency. Not with ``min_date`` / ``max_date``.
        min_date: Without ``terms``: the earliest day (2000-01-01 by default).
        max_date: Without ``terms``: the latest day (2075-12-31 by default).
        amounts: An amount or a strategy of them (each must fit the currency);
            ``...`` draws a minor unit to three times the largest scheduled
            payment with ``terms``, 0.01 to 1,000,000.00 without.

    Returns:
        A strategy of :class:`~loanrules.Payment`. Examples shrink towards
        the smallest amount on the first due date (on ``min_date`` without terms).

    >>> payments(terms=loan_terms(), min_date=date(2026, 1, 1))
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: payments(): give terms or min_date / max_date, not both
    """
    func = "payments"
    low = _date_arg(func, "min_date", min_date)
    high = _date_arg(func, "max_date", max_date)
    if terms is not None and (low is not None or high is not None):
        raise _fail(func, "give terms or min_date / max_date, not both")
    low = _FIRST_START if low is None else low
    high = _LAST_DAY if high is None else high
    if low > high:
        raise _fail(func, f"min_date={low} must be <= max_date={high}")
    amount_st: SearchStrategy[Decimal] | None = None
    if isinstance(amounts, SearchStrategy):
        amount_st = amounts
    elif not isinstance(amounts, EllipsisType):
        amount = _decimal(func, "amounts", amounts)
        if amount <= 0:
            raise _fail(func, f"amounts={amount!r} must be > 0")
        if isinstance(terms, LoanTerms) and terms.currency.quantize(amount) != amount:
            raise _fail(func, f"amounts={amount!r} has more places than {terms.currency.code} allows")
        amount_st = st.just(amount)
    if terms is None:
        return st.builds(Payment, st.dates(low, high),
                         money(min_value="0.01", max_value=_MAX_PAYMENT) if amount_st is None else amount_st)
    terms_st = _arg(func, "terms", terms, LoanTerms, loan_terms)

    @st.composite
    def _payments(draw: st.DrawFn) -> Payment:
        loan = Loan(draw(terms_st))
        currency = loan.terms.currency
        day = draw(_days_around(_due_dates(loan), loan.terms.start))
        amount = draw(money(currency=currency, min_value=currency.quantum, max_value=_cap(loan))
                      if amount_st is None else amount_st)
        event = loan.pay(on=day, amount=amount).events[0]
        assert isinstance(event, Payment)
        return event

    return _payments()


def _kinds(func: str, kinds: object) -> tuple[type[Event], ...]:
    """``kinds`` checked: a non-empty collection of event classes, in ``_EVENT_KINDS`` order."""
    if not isinstance(kinds, Iterable):
        raise _fail(func, f"kinds={kinds!r} must be a collection of event classes")
    given = list(kinds)
    for kind in given:
        if kind not in _EVENT_KINDS:
            names = ", ".join(k.__name__ for k in _EVENT_KINDS)
            raise _fail(func, f"kinds: {kind!r} is not an event class ({names})")
    if not given:
        raise _fail(func, "kinds must name at least one event class")
    return tuple(k for k in _EVENT_KINDS if k in given)


def _prepayable(loan: Loan, day: date, state: LoanState) -> bool:
    """Whether the prepayment rules let ``Loan.prepay`` and ``Loan.settle`` record on ``day``.

    Mirrors ``Loan._check_prepayment``: never on a settled loan; with no
    principal left that is not yet due, a prepayment is a payment in all but
    name and no other rule applies.
    """
    if state.status is Status.SETTLED:
        return False
    if state.principal_outstanding <= state.due_now.principal:
        return True
    rules = loan.prepayment
    if not rules.allowed:
        return False
    if rules.lockout_periods:
        schedule = loan.original_schedule
        if day < schedule[min(rules.lockout_periods, len(schedule)) - 1].due_date:
            return False
    if rules.max_per_day is None:
        return True
    count = sum(1 for e in loan.events if e.on == day and isinstance(e, (Prepayment, Settlement)))
    return count < rules.max_per_day


# Built once: strategies that do not depend on the loan (each new one is validated when first drawn).
_FLAGS: Final = st.booleans()
_NEAR: Final = st.integers(-100, 100)
"""How many minor units off a notable amount (what is due, the payoff) a drawn amount is."""
_PLAN_TERMS: Final = st.integers(1, _MAX_TERM)
_PLAN_RATES: Final = st.none() | rates()
_PLAN_METHODS: Final = st.none() | repayment_methods()
_RECASTS: Final = st.none() | recasts()
_COMPONENTS: Final = components()


def _near(notable: list[Decimal], least: Decimal, quantum: Decimal) -> SearchStrategy[Decimal]:
    """One of ``notable`` exactly or a few minor units off, never below ``least``."""
    return st.tuples(st.sampled_from(notable), _NEAR).map(lambda pick: max(least, pick[0] + pick[1] * quantum))


def _record_one(draw: st.DrawFn, loan: Loan, day: date, kinds: tuple[type[Event], ...]) -> Loan | None:
    """``loan`` with one event of a kind in ``kinds`` recorded on ``day``, through the Loan methods.

    Only kinds the loan accepts on that day are drawn, so no method refuses;
    ``None`` when there is none (a settlement on a settled loan, say).
    """
    state = loan.state(as_of=day)
    live = state.status is not Status.SETTLED
    prepayable = _prepayable(loan, day, state)
    feasible = [
        kind for kind in kinds
        if kind in (Payment, Waiver)
        or (kind is Prepayment and prepayable)
        or (kind is Settlement and prepayable)
        or (kind is Restructure and live)
    ]
    if not feasible:
        return None
    kind = draw(st.sampled_from(feasible))
    currency = loan.terms.currency
    quantum, cap = currency.quantum, _cap(loan)
    amounts = money(currency=currency, min_value=quantum, max_value=cap)
    if kind is Payment:
        # Now and then what is due, what the next installment owes, the payoff, or all that the
        # installments still owe as scheduled, exactly or a few minor units off either way.
        scheduled = sum((row.outstanding.total for row in state.installments), quantum * 0)
        notable = sorted({a for a in (state.due_now.total, state.next_due_amount, state.payoff, scheduled) if a > 0})
        return loan.pay(on=day, amount=draw(amounts | _near(notable, quantum, quantum) if notable else amounts))
    if kind is Waiver:
        return loan.waive(on=day, component=draw(_COMPONENTS), amount=draw(st.none() | amounts))
    if kind is Prepayment:
        # The least amount ``prepay`` accepts: what is due and accrued, plus enough that the
        # principal it buys after the fee, rounded down, is at least one minor unit and reaches
        # the minimum (or all the principal not yet due, if that is less).
        rules = loan.prepayment
        remaining = state.principal_outstanding - state.due_now.principal
        principal = min(max(currency.quantize(rules.minimum, decimal.ROUND_CEILING), quantum), remaining)
        with_fee = currency.quantize(CONTEXT.multiply(principal, CONTEXT.add(1, rules.fee_rate)),
                                     decimal.ROUND_CEILING)
        least = state.due_now.total + state.accrued_interest + max(quantum, with_fee)
        most = max(least, state.payoff) + cap
        amount = draw(money(currency=currency, min_value=least, max_value=most)
                      | _near([max(least, state.payoff)], least, quantum))
        return loan.prepay(on=day, amount=amount, recast=draw(_RECASTS))
    if kind is Settlement:
        return loan.settle(on=day)
    return loan.restructure(on=day, term=draw(_PLAN_TERMS), rate=draw(_PLAN_RATES), method=draw(_PLAN_METHODS),
                            waive_penalty=draw(_FLAGS), waive_fee=draw(_FLAGS))


def _horizon(loan: Loan) -> date:
    """A day after every due date and every event of ``loan``: all its principal is due by then."""
    last = max(loan.original_schedule[-1].due_date, loan.schedule[-1].due_date,
               *(event.on for event in loan.events))
    return last + timedelta(days=1)


def loans(
    *,
    terms: LoanTerms | SearchStrategy[LoanTerms] | EllipsisType = ...,
    penalty: PenaltyTerms | SearchStrategy[PenaltyTerms] | EllipsisType = ...,
    prepayment: PrepaymentTerms | SearchStrategy[PrepaymentTerms] | EllipsisType = ...,
    allocation: Allocation | SearchStrategy[Allocation] | EllipsisType = ...,
    tolerance: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    histories: bool = True,
    max_events: int = 6,
    kinds: Iterable[type[Event]] = _EVENT_KINDS,
) -> SearchStrategy[Loan]:
    """A strategy for loans with histories of events that were valid when recorded.

    The history is recorded in date order through the Loan methods
    (``pay``, ``waive``, ``prepay``, ``settle``, ``restructure``), so every
    event passes their validation; each event is drawn among the kinds the
    loan accepts on its day (a prepayment within the rules, no settlement
    of a settled loan), so none is refused and no example is filtered away.

    Args:
        terms: ``...`` draws :func:`loan_terms` with at most 60 periods, so
            that a state is quick to compute.
        penalty: ``...`` draws :func:`penalty_terms`.
        prepayment: ``...`` draws :func:`prepayment_terms`.
        allocation: ``...`` draws :func:`allocations`.
        tolerance: ``...`` draws 0 or a whole amount up to 5.
        histories: ``False`` gives loans without events.
        max_events: The most events in a history (0 to 100); 6 by default.
        kinds: The kinds of event recorded (classes among ``Payment``,
            ``Waiver``, ``Prepayment``, ``Settlement``, ``Restructure``); all
            by default. A day on which the loan accepts none of them is skipped.

    Each event falls between 20 days before and 45 days after a due date of
    the original schedule, or of as many more periods (12 at most) after
    its last one, when a restructure plan may run. Payments are up to three
    times the largest scheduled payment, or what is due, what the next
    installment owes, the payoff, or all the installments still owe, exactly
    or a few minor units off; waivers are of all of a component or of up to
    three payments; prepayments are at least what ``prepay`` accepts, up to
    beyond the payoff; restructure plans have 1 to 60 periods.

    Returns:
        A strategy of :class:`~loanrules.Loan`. Examples shrink towards a
        loan of the plainest terms (see :func:`loan_terms`) with the default
        penalty, prepayment and allocation, and no events.

    >>> loans(kinds=[Status.SETTLED])
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loans(): kinds: <Status.SETTLED: 'settled'> is not an event class (Payment, Waiver, Prepayment, Settlement, Restructure)
    """
    func = "loans"
    with_history = _bool(func, "histories", histories)
    most = _int(func, "max_events", max_events, 0, 100)
    chosen = _kinds(func, kinds)
    terms_st = _arg(func, "terms", terms, LoanTerms, lambda: loan_terms(term=st.integers(1, _MAX_TERM)))
    penalty_st = _arg(func, "penalty", penalty, PenaltyTerms, penalty_terms)
    prepayment_st = _arg(func, "prepayment", prepayment, PrepaymentTerms, prepayment_terms)
    allocation_st = _arg(func, "allocation", allocation, Allocation, allocations)
    tolerance_st: SearchStrategy[DecimalInput] = (
        _whole(5) if isinstance(tolerance, EllipsisType)
        else tolerance if isinstance(tolerance, SearchStrategy)
        else st.just(_tolerance(func, tolerance))
    )

    @st.composite
    def _loans(draw: st.DrawFn) -> Loan:
        loan = Loan(draw(terms_st), penalty=draw(penalty_st), prepayment=draw(prepayment_st),
                    allocation=draw(allocation_st), tolerance=draw(tolerance_st))
        if not with_history:
            return loan
        days = draw(st.lists(_days_around(_due_dates(loan), loan.terms.start), max_size=most))
        for day in sorted(days):
            recorded = _record_one(draw, loan, day, chosen)
            if recorded is not None:
                loan = recorded
        return loan

    return _loans()


def _tolerance(func: str, value: object) -> Decimal:
    tolerance = _decimal(func, "tolerance", value)
    if tolerance < 0:
        raise _fail(func, f"tolerance={tolerance!r} must be >= 0")
    return tolerance


def events(
    *,
    loan: Loan | SearchStrategy[Loan] | EllipsisType = ...,
    kinds: Iterable[type[Event]] = _EVENT_KINDS,
) -> SearchStrategy[Event]:
    """A strategy for events that a loan accepts: recorded through its methods, then taken out.

    Args:
        loan: A loan or a strategy of them; ``...`` draws :func:`loans`.
        kinds: The kinds of event drawn (classes among ``Payment``,
            ``Waiver``, ``Prepayment``, ``Settlement``, ``Restructure``); all
            by default.

    The day is drawn as for :func:`loans`, around the due dates of the
    original schedule and the schedule in force; the kind among those of
    ``kinds`` the loan accepts that day. If it accepts none, the day moves to
    the day after the last due date and event, where a payment or a waiver
    is always accepted, and a prepayment, settlement or restructure unless
    the loan is settled (the prepayment rules no longer apply: all principal
    is due). Only a loan settled by then, asked for none of payments and
    waivers, has no such event: those examples are rejected.

    Returns:
        A strategy of events (:class:`~loanrules.Payment`, ``Waiver``,
        ``Prepayment``, ``Settlement``, ``Restructure``): ``loan.pay(...)``
        and the other methods accept each one on its day. Examples shrink
        towards a payment of one minor unit on the first due date.

    >>> events(kinds=())
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: events(): kinds must name at least one event class
    """
    func = "events"
    chosen = _kinds(func, kinds)
    loan_st = _arg(func, "loan", loan, Loan, loans)

    @st.composite
    def _events(draw: st.DrawFn) -> Event:
        drawn = draw(loan_st)
        day = draw(_days_around(_due_dates(drawn, in_force=True), drawn.terms.start))
        recorded = _record_one(draw, drawn, day, chosen)
        if recorded is None:
            day = _horizon(drawn)
            recorded = _record_one(draw, drawn, day, chosen)
        if recorded is None:
            reject()
        return recorded.events[bisect_right([event.on for event in drawn.events], day)]

    return _events()


def _events_of(kind: type[Event]) -> Callable[[], SearchStrategy[object]]:
    """The strategy ``st.from_type(kind)`` uses: events of that kind on loans without history."""
    return lambda: events(loan=loans(histories=False), kinds=(kind,))


def loan_states(
    *,
    loan: Loan | SearchStrategy[Loan] | EllipsisType = ...,
    as_of: date | SearchStrategy[date] | EllipsisType = ...,
) -> SearchStrategy[LoanState]:
    """A strategy for loan states: ``loan.state(as_of)`` of drawn loans and days.

    Args:
        loan: A loan or a strategy of them; ``...`` draws :func:`loans`.
        as_of: A day or a strategy of them; ``...`` draws a day from 20 days
            before to 45 days after a due date of the loan.

    Returns:
        A strategy of :class:`~loanrules.LoanState`. Examples shrink
        towards the state of a plain loan without events on its first due date.

    >>> loan_states(as_of="2026-01-01")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loan_states(): as_of='2026-01-01' must be a date or a strategy of them
    """
    func = "loan_states"
    loan_st = _arg(func, "loan", loan, Loan, loans)
    as_of_st = None if isinstance(as_of, EllipsisType) else _arg(func, "as_of", as_of, date, st.nothing)

    @st.composite
    def _loan_states(draw: st.DrawFn) -> LoanState:
        drawn = draw(loan_st)
        day = draw(_days_around(_due_dates(drawn, in_force=True), drawn.terms.start)
                   if as_of_st is None else as_of_st)
        return drawn.state(as_of=day)

    return _loan_states()


# --- collections --------------------------------------------------------------------------------

_TIMEZONES: Final = ("Asia/Shanghai", "America/New_York", "UTC", "Europe/London", "Asia/Kolkata",
                     "Australia/Lord_Howe", "America/Santiago")
"""The debtors' zones drawn by default. Shanghai first (the ``Case`` default, no daylight saving);
New York and London (daylight saving in spring and autumn); UTC; Kolkata (+05:30); Lord Howe
(a half-hour daylight-saving shift); Santiago (southern daylight saving, switched at midnight, so
that some local days start at 01:00 and others repeat their last hour)."""
_EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST: Final = datetime(2075, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
_SCAN: Final = timedelta(days=7)
"""The step of the search for offset changes (an offset changed and changed back within a week is missed)."""
_NEAR_SECONDS: Final = 7200
"""Moments drawn near an offset change fall within this many seconds of it."""
_STEP_ACTIONS: Final = (Action.CALL, Action.SMS, Action.EMAIL, Action.REMIND, Action.LETTER, Action.OFFER_PLAN,
                        Action.LEGAL_REVIEW, Action.REFER_AGENCY, Action.LITIGATE)
"""Every action but ``NONE``: the steps a record or a ladder holds, the commonest (a call) first."""
_SENT: Final = (Outcome.SENT,)
_FITTING: Final[dict[Action, tuple[Outcome, ...]]] = {
    Action.NONE: tuple(Outcome),
    Action.REMIND: _SENT,
    Action.CALL: (Outcome.NO_ANSWER, Outcome.REACHED, Outcome.PROMISED, Outcome.HARDSHIP, Outcome.DISPUTED,
                  Outcome.REFUSED, Outcome.WRONG_PARTY),
    Action.SMS: _SENT,
    Action.EMAIL: _SENT,
    Action.LETTER: _SENT,
    Action.OFFER_PLAN: (Outcome.SENT, Outcome.APPROVED, Outcome.REJECTED),
    Action.LEGAL_REVIEW: (Outcome.APPROVED, Outcome.REJECTED),
    Action.REFER_AGENCY: _SENT,
    Action.LITIGATE: _SENT,
}
"""The outcomes each step usually ends with (a call that was not answered, a letter sent)."""
_PROMISE_DAYS: Final = 30
"""A promise drawn falls due from the day of the call to this many days later."""


def _aware(func: str, name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise _fail(func, f"{name}={value!r} must be a timezone-aware datetime")
    return value


def _zone(func: str, name: str, value: object) -> str:
    if type(value) is not str:
        raise _fail(func, f"{name}={value!r} must be an IANA time zone name or a strategy of them")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(func, f"{name}={value!r} is not an IANA time zone name") from None
    return value


def _zones(func: str, name: str, value: str | SearchStrategy[str] | EllipsisType) -> SearchStrategy[str]:
    if isinstance(value, EllipsisType):
        return st.sampled_from(_TIMEZONES)
    if isinstance(value, SearchStrategy):
        return value
    return st.just(_zone(func, name, value))


def _utc(moment: datetime) -> datetime:
    """``moment`` as a naive UTC datetime: the instant, free of wall-clock comparisons."""
    return moment.astimezone(UTC).replace(tzinfo=None)


@functools.lru_cache(maxsize=512)
def _transitions(zone: str, low: datetime, high: datetime) -> tuple[datetime, ...]:
    """The instants (naive UTC, to the second) in ``[low, high]`` at which ``zone`` changes its UTC offset."""
    tz = ZoneInfo(zone)

    def offset(instant: datetime) -> timedelta | None:
        return instant.replace(tzinfo=UTC).astimezone(tz).utcoffset()

    found: list[datetime] = []
    here, before = low, offset(low)
    while here < high:
        there = min(here + _SCAN, high)
        after = offset(there)
        if after != before:
            a, b = here, there
            while b - a > timedelta(seconds=1):
                middle = a + (b - a) / 2
                a, b = (middle, b) if offset(middle) == before else (a, middle)
            found.append(b.replace(microsecond=0))
            before = after
        here = there
    return tuple(found)


_NEAR_CHANGE: Final = st.integers(0, 7).map(lambda n: n == 7)
"""Whether a moment is drawn near an offset change: one time in eight or so; shrinks to no."""


def aware_datetimes(
    *,
    min_value: datetime = _EARLIEST,
    max_value: datetime = _LATEST,
    timezone: str | SearchStrategy[str] | EllipsisType = ...,
) -> SearchStrategy[datetime]:
    """A strategy for timezone-aware moments, in IANA zones.

    Each value is a real instant in ``[min_value, max_value]``, expressed in
    the drawn zone (a ``ZoneInfo``), with ``fold`` set right: never a wall
    time that does not exist. Now and then the moment falls within two hours
    of a change of the zone's UTC offset (a daylight-saving transition), the
    change itself included, where wall-clock arithmetic and comparisons go
    wrong.

    Args:
        min_value: The earliest instant (aware); 2000-01-01 00:00 UTC by default.
        max_value: The latest instant (aware); the end of 2075 UTC by default.
        timezone: An IANA zone name or a strategy of them; ``...`` draws from
            Asia/Shanghai, America/New_York, UTC, Europe/London, Asia/Kolkata,
            Australia/Lord_Howe and America/Santiago.

    Returns:
        A strategy of aware :class:`~datetime.datetime`. Examples shrink
        towards ``min_value``, in Asia/Shanghai.

    >>> aware_datetimes(min_value=datetime(2026, 1, 1))
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: aware_datetimes(): min_value=datetime.datetime(2026, 1, 1, 0, 0) must be a timezone-aware datetime
    """
    func = "aware_datetimes"
    low = _utc(_aware(func, "min_value", min_value))
    high = _utc(_aware(func, "max_value", max_value))
    if low > high:
        raise _fail(func, f"min_value={min_value.isoformat()} must not be after max_value={max_value.isoformat()}")
    zone_st = _zones(func, "timezone", timezone)
    instants = st.datetimes(low, high)
    nudges = st.integers(-_NEAR_SECONDS, _NEAR_SECONDS).map(lambda n: timedelta(seconds=n))

    @st.composite
    def _aware_datetimes(draw: st.DrawFn) -> datetime:
        zone = draw(zone_st)
        changes = _transitions(zone, low, high)
        near: bool = draw(_NEAR_CHANGE) if changes else False
        if near:
            instant = min(high, max(low, draw(st.sampled_from(changes)) + draw(nudges)))
        else:
            instant = draw(instants)
        return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))

    return _aware_datetimes()


def actions() -> SearchStrategy[Action]:
    """A strategy for collection steps.

    Returns:
        A strategy of :class:`~loanrules.Action` members, ``NONE`` included.
        Examples shrink towards ``NONE``.

    >>> actions().validate()
    """
    return st.sampled_from(Action)


def outcomes() -> SearchStrategy[Outcome]:
    """A strategy for how a recorded step ended.

    Returns:
        A strategy of :class:`~loanrules.Outcome` members. Examples shrink
        towards ``NO_ANSWER``.

    >>> outcomes().validate()
    """
    return st.sampled_from(Outcome)


_PROMISE_AMOUNTS: Final = st.none() | money(min_value="0.01", max_value=100_000)
_PROMISE_DELAYS: Final = st.integers(0, _PROMISE_DAYS)
_ANY_OUTCOME: Final = outcomes()
_FITTING_ST: Final = {action: st.sampled_from(fitting) for action, fitting in _FITTING.items()}
_UNUSUAL: Final = st.integers(0, 3).map(lambda n: n == 3)
"""Whether a record's outcome is drawn among all outcomes (one time in four or so), not the usual ones."""


def _record_at(draw: st.DrawFn, at: datetime, action_st: SearchStrategy[Action],
               outcome_st: SearchStrategy[Outcome] | None) -> Record:
    """A record at ``at``: a promise (PROMISED) falls due on the day of ``at`` (its own zone) or up to 30 days later."""
    action = draw(action_st)
    if outcome_st is None:
        outcome_st = _ANY_OUTCOME if draw(_UNUSUAL) else _FITTING_ST[action]
    outcome = draw(outcome_st)
    if outcome is not Outcome.PROMISED:
        return Record(at=at, action=action, outcome=outcome)
    return Record(at=at, action=action, outcome=outcome, promise_amount=draw(_PROMISE_AMOUNTS),
                  promise_date=at.date() + timedelta(days=draw(_PROMISE_DELAYS)))


def _step_args(
    func: str,
    action: Action | SearchStrategy[Action] | EllipsisType,
    outcome: Outcome | SearchStrategy[Outcome] | EllipsisType,
) -> tuple[SearchStrategy[Action], SearchStrategy[Outcome] | None]:
    action_st = _arg(func, "action", action, Action, lambda: st.sampled_from(_STEP_ACTIONS))
    outcome_st = None if isinstance(outcome, EllipsisType) else _arg(func, "outcome", outcome, Outcome, st.nothing)
    return action_st, outcome_st


def records(
    *,
    at: datetime | SearchStrategy[datetime] | EllipsisType = ...,
    action: Action | SearchStrategy[Action] | EllipsisType = ...,
    outcome: Outcome | SearchStrategy[Outcome] | EllipsisType = ...,
) -> SearchStrategy[Record]:
    """A strategy for records of collection steps taken.

    Args:
        at: An aware datetime or a strategy of them; ``...`` draws
            :func:`aware_datetimes`.
        action: An action or a strategy of them; ``...`` draws any action but
            ``NONE`` (a record is of a step taken).
        outcome: An outcome or a strategy of them; ``...`` draws an outcome
            the step usually ends with (``SENT`` for a letter, ``APPROVED`` or
            ``REJECTED`` for a legal review, any call outcome for a call), and
            now and then any outcome at all (a letter disputed, an SMS promised).

    A ``PROMISED`` record carries a ``promise_date`` from the day of ``at``
    (in its own zone) to 30 days later, and sometimes a ``promise_amount``;
    other records carry neither.

    Returns:
        A strategy of :class:`~loanrules.Record`. Examples shrink towards an
        unanswered call at the earliest moment.

    >>> records(at=datetime(2026, 3, 1, 9))
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: records(): at=datetime.datetime(2026, 3, 1, 9, 0) must be a timezone-aware datetime
    """
    func = "records"
    if isinstance(at, (EllipsisType, SearchStrategy)):
        at_st = aware_datetimes() if isinstance(at, EllipsisType) else at
    else:
        at_st = st.just(_aware(func, "at", at))
    action_st, outcome_st = _step_args(func, action, outcome)

    @st.composite
    def _records(draw: st.DrawFn) -> Record:
        return _record_at(draw, draw(at_st), action_st, outcome_st)

    return _records()


def histories(
    *,
    start: datetime = _EARLIEST,
    end: datetime = _LATEST,
    min_size: int = 0,
    max_size: int = 20,
    action: Action | SearchStrategy[Action] | EllipsisType = ...,
    outcome: Outcome | SearchStrategy[Outcome] | EllipsisType = ...,
    timezone: str | SearchStrategy[str] | EllipsisType = ...,
) -> SearchStrategy[tuple[Record, ...]]:
    """A strategy for histories of a case: records in time order.

    Args:
        start: The earliest moment of a record (aware).
        end: The latest moment of a record (aware).
        min_size: The fewest records (0 to 1000).
        max_size: The most records (0 to 1000); 20 by default.
        action: As for :func:`records`, for every record.
        outcome: As for :func:`records`, for every record.
        timezone: The zones the records' moments are expressed in, as for
            :func:`aware_datetimes`; each record draws its own.

    The records are in the order of their instants (the time line, not the
    wall clock: around a daylight-saving change a later record may show an
    earlier local time); several may share an instant.

    Returns:
        A strategy of tuples of :class:`~loanrules.Record`. Examples shrink
        towards the empty history.

    >>> histories(min_size=3, max_size=2)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: histories(): min_size=3 must be <= max_size=2
    """
    func = "histories"
    low = _aware(func, "start", start)
    high = _aware(func, "end", end)
    fewest = _int(func, "min_size", min_size, 0, 1000)
    most = _int(func, "max_size", max_size, 0, 1000)
    if fewest > most:
        raise _fail(func, f"min_size={fewest} must be <= max_size={most}")
    if low > high:
        raise _fail(func, f"start={low.isoformat()} must not be after end={high.isoformat()}")
    moments = st.lists(aware_datetimes(min_value=low, max_value=high, timezone=_zones(func, "timezone", timezone)),
                       min_size=fewest, max_size=most)
    action_st, outcome_st = _step_args(func, action, outcome)

    @st.composite
    def _histories(draw: st.DrawFn) -> tuple[Record, ...]:
        return tuple(_record_at(draw, at, action_st, outcome_st) for at in sorted(draw(moments), key=_utc))

    return _histories()


def _flags(func: str, value: object) -> frozenset[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _fail(func, f"flags={value!r} must be a collection of flags or a strategy of them")
    flags = frozenset(value)
    unknown = sorted(str(flag) for flag in flags - KNOWN_FLAGS)
    if unknown:
        raise _fail(func, f"flags: unknown flag {unknown[0]!r}; known: {', '.join(sorted(KNOWN_FLAGS))}")
    return flags


def _history(func: str, value: object) -> tuple[Record, ...]:
    if not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        raise _fail(func, f"history={value!r} must be a sequence of Records or a strategy of them")
    history = tuple(value)
    for index, record in enumerate(history):
        if not isinstance(record, Record):
            raise _fail(func, f"history[{index}]={record!r} must be a Record")
    return history


_HISTORY_DAYS: Final = 180
"""A default case history reaches back this many days before the state's day."""


def cases(
    *,
    state: LoanState | SearchStrategy[LoanState] | EllipsisType = ...,
    history: Iterable[Record] | SearchStrategy[tuple[Record, ...]] | EllipsisType = ...,
    flags: Iterable[str] | SearchStrategy[frozenset[str]] | EllipsisType = ...,
    timezone: str | SearchStrategy[str] | EllipsisType = ...,
) -> SearchStrategy[Case]:
    """A strategy for collection cases: what ``next_step`` decides on.

    Args:
        state: A loan state or a strategy of them; ``...`` draws :func:`loan_states`.
        history: Records or a strategy of tuples of them; ``...`` draws
            :func:`histories` from 180 days before the state's day to the end
            of that day in the case's zone, each record in that zone, UTC or
            another zone.
        flags: Flags (from :data:`~loanrules.policy.KNOWN_FLAGS`) or a
            strategy of frozensets of them; ``...`` draws none, mostly, or
            some of the known flags.
        timezone: The debtor's zone, as for :func:`aware_datetimes`.

    Returns:
        A strategy of :class:`~loanrules.Case`. Examples shrink towards the
        plainest loan's state on its first due date, an empty history, no
        flags, in Asia/Shanghai.

    >>> cases(flags={"cease_requested"})
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: cases(): flags: unknown flag 'cease_requested'; known: cease_request, dispute_resolved
    """
    func = "cases"
    state_st = _arg(func, "state", state, LoanState, loan_states)
    history_st: SearchStrategy[tuple[Record, ...]] | None = (
        None if isinstance(history, EllipsisType)
        else history if isinstance(history, SearchStrategy)
        else st.just(_history(func, history))
    )
    flags_st: SearchStrategy[frozenset[str]] = (
        st.just(frozenset[str]()) | st.frozensets(st.sampled_from(sorted(KNOWN_FLAGS)))
        if isinstance(flags, EllipsisType)
        else flags if isinstance(flags, SearchStrategy)
        else st.just(_flags(func, flags))
    )
    zone_st = _zones(func, "timezone", timezone)

    @st.composite
    def _cases(draw: st.DrawFn) -> Case:
        zone = draw(zone_st)
        drawn_state = draw(state_st)
        if history_st is None:
            # The day's last instant, found on the time line: on a day whose last hour repeats, a wall-clock
            # 23:59:59.999999 would be the first of the two.
            tz = ZoneInfo(zone)
            end = datetime.combine(drawn_state.as_of + timedelta(days=1), time(0), tzinfo=tz).astimezone(
                UTC) - timedelta(microseconds=1)
            start = datetime.combine(drawn_state.as_of - timedelta(days=_HISTORY_DAYS), time(0), tzinfo=tz)
            drawn_history = draw(histories(start=start, end=end, timezone=st.just(zone) | st.sampled_from(_TIMEZONES)))
        else:
            drawn_history = draw(history_st)
        return Case(state=drawn_state, history=drawn_history, flags=draw(flags_st), timezone=zone)

    return _cases()


# Parts of random policies. Conditions without a ``dpd`` comparison may hold at any DPD and never
# must, so that stage entries built on increasing DPD thresholds stay reachable.
_OPS: Final = st.sampled_from(Op)
_BOOLEAN_FACTS: Final = (FactName.HARDSHIP, FactName.OPEN_PROMISE, FactName.BROKEN_PROMISE, FactName.DISPUTE_OPEN,
                         FactName.CEASE_REQUESTED, FactName.PLAN_ACTIVE, FactName.SETTLED)
_STAGE_NAMES: Final = ("early", "formal", "enforcement", "pre_due", "late", "severe", "final", "legal")
"""Names for the (at most 8) stages of a random policy, drawn as a permutation: distinct, never filtered."""
_NAMES: Final = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10)
_LABELS: Final = st.text(alphabet=string.ascii_lowercase + " ", min_size=1, max_size=20)
_SOME_ACTIONS: Final = st.frozensets(st.sampled_from(_STEP_ACTIONS), min_size=1, max_size=3)
_WITHIN: Final = st.none() | st.integers(1, 30)


def _parametric(name: FactName) -> SearchStrategy[Fact]:
    return st.builds(Fact, name=st.just(name), action=st.none() | actions(),
                     outcomes=st.frozensets(outcomes(), max_size=3), within_days=_WITHIN)


def _compare(fact: SearchStrategy[Fact], values: SearchStrategy[Any]) -> SearchStrategy[Condition]:
    return st.builds(Compare, fact, _OPS, values)


def _fact(name: FactName) -> SearchStrategy[Fact]:
    return st.just(Fact(name=name))


def _tree(leaves: SearchStrategy[Condition]) -> SearchStrategy[Condition]:
    def branches(children: SearchStrategy[Condition]) -> SearchStrategy[Condition]:
        parts = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(parts.map(All), parts.map(AnyOf), children.map(Not))

    return st.recursive(leaves, branches, max_leaves=4)


_FREE_LEAVES: Final = st.one_of(
    st.builds(Compare, st.sampled_from(_BOOLEAN_FACTS).map(lambda name: Fact(name=name)),
              st.sampled_from((Op.EQ, Op.NE)), st.booleans()),
    _compare(_fact(FactName.CONTACT_ATTEMPTS), st.integers(0, 10)),
    _compare(_fact(FactName.DAYS_TO_DUE), st.integers(-5, 30)),
    _compare(_fact(FactName.OVERDUE_AMOUNT), st.integers(0, 10_000) | money(max_value=10_000)),
    _compare(_parametric(FactName.COUNT), st.integers(0, 5)),
    _compare(_parametric(FactName.DAYS_SINCE), st.integers(0, 60)),
)
_FREE: Final = _tree(_FREE_LEAVES)
"""Conditions that do not compare the DPD."""
_ANY_CONDITION: Final = _tree(_FREE_LEAVES | _compare(_fact(FactName.DPD), st.integers(0, 200)))
_STEPS: Final = st.builds(Step, action=st.sampled_from(_STEP_ACTIONS), when=st.just(TRUE) | _ANY_CONDITION,
                          max_times=st.none() | st.integers(1, 3), within_days=_WITHIN)
_HOLDS: Final = st.builds(Hold, name=_LABELS, condition=_ANY_CONDITION)


def _window(minutes: list[int], actions: frozenset[Action] | None) -> ContactWindow:
    start, end = sorted(minutes)
    return ContactWindow(start=time(start // 60, start % 60), end=time(end // 60, end % 60),
                         actions=REACHING if actions is None else actions)


_CONSTRAINTS: Final = st.one_of(
    st.builds(_window, st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2, unique=True),
              st.none() | _SOME_ACTIONS),
    st.builds(Cap, actions=_SOME_ACTIONS, limit=st.integers(0, 6), counting=st.sampled_from(Counting),
              period=st.sampled_from(Period), days=st.integers(1, 10)),
    st.builds(Cooldown, actions=_SOME_ACTIONS, after=_SOME_ACTIONS, days=st.integers(1, 10)),
)


def _entry(draw: st.DrawFn, threshold: int) -> Condition:
    """A stage entry that holds from DPD ``threshold`` on (up to a bound, or given more conditions)."""
    dpd = Compare(Fact(name=FactName.DPD), Op.GE, threshold)
    shape = draw(st.sampled_from(("plain", "all", "any")))
    if shape == "plain":
        return dpd
    extra = draw(st.lists(_FREE, max_size=2))
    if shape == "any":  # an upper bound in an ``any`` would make the later stages' entries hold here too
        return AnyOf((dpd, *extra))
    upper = draw(st.none() | st.integers(threshold, threshold + 60))
    bound = [] if upper is None else [Compare(Fact(name=FactName.DPD), Op.LE, upper)]
    return All((dpd, *bound, *extra))


def _custom_policies(most: int) -> SearchStrategy[CollectionPolicy]:
    @st.composite
    def custom(draw: st.DrawFn) -> CollectionPolicy:
        count = draw(st.integers(1, most))
        thresholds = sorted(draw(st.sets(st.integers(0, 150), min_size=count, max_size=count)))
        names = draw(st.permutations(_STAGE_NAMES))[:count]
        ladders = [tuple(draw(st.lists(_STEPS, min_size=1, max_size=3))) for _ in range(count)]
        supplies = st.sampled_from([Action.NONE, *sorted({step.action for ladder in ladders for step in ladder},
                                                         key=_STEP_ACTIONS.index)])
        prerequisites = st.lists(st.builds(Prerequisite, name=_LABELS, condition=_ANY_CONDITION, supply=supplies),
                                 max_size=2)
        stages = tuple(
            Stage(name=name, entry=_entry(draw, threshold), ladder=ladder,
                  prerequisites=tuple(draw(prerequisites)))
            for name, threshold, ladder in zip(names, thresholds, ladders, strict=True)
        )
        holds: list[Hold] = draw(st.just([]) | st.lists(_HOLDS, min_size=1, max_size=2))
        constraints: list[Constraint] = draw(st.lists(_CONSTRAINTS, max_size=4))
        return CollectionPolicy(name=draw(_NAMES), stages=stages, holds=tuple(holds), constraints=tuple(constraints))

    return custom()


def collection_policies(*, presets: bool = True, custom: bool = True, max_stages: int = 4) -> SearchStrategy[
        CollectionPolicy]:
    """A strategy for collection policies: the two presets and small random ones.

    Args:
        presets: Draw :func:`loanrules.policies.standard` and
            :func:`~loanrules.policies.us_reg_f`.
        custom: Draw random policies built from the policy data classes:
            1 to ``max_stages`` stages entered from increasing DPD thresholds
            (alone, with an upper bound, or with other conditions), so that
            every stage is reachable; ladders of 1 to 3 steps (any action
            but ``NONE``, when a condition holds, some at most 1 to 3 times);
            up to 2 prerequisites a stage, supplied by a step some ladder
            takes or by none; no holds half the time, else 1 or 2; up to
            4 constraints (contact
            windows in whole minutes, caps of 0 to 6 per day or per 1 to 10
            days, cool-downs of 1 to 10 days). Conditions are trees of up
            to 4 comparisons of every fact. Each passes validation.
        max_stages: The most stages of a random policy (1 to 8).

    Returns:
        A strategy of :class:`~loanrules.CollectionPolicy`. Examples shrink
        towards the standard policy, then the Regulation F preset, then
        random policies of one stage entered at DPD 0 with a single step.

    >>> collection_policies(presets=False, custom=False)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: collection_policies(): presets and custom cannot both be False
    """
    func = "collection_policies"
    draw_presets = _bool(func, "presets", presets)
    draw_custom = _bool(func, "custom", custom)
    if not (draw_presets or draw_custom):
        raise _fail(func, "presets and custom cannot both be False")
    most = _int(func, "max_stages", max_stages, 1, 8)
    options: list[SearchStrategy[CollectionPolicy]] = []
    if draw_presets:
        options += [st.just(standard()), st.just(us_reg_f())]
    if draw_custom:
        options.append(_custom_policies(most))
    return st.one_of(options)


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
    (Component, components),
    (Grace, graces),
    (PenaltyBase, penalty_bases),
    (Recast, recasts),
    (PenaltyTerms, penalty_terms),
    (PrepaymentTerms, prepayment_terms),
    (Allocation, allocations),
    (Loan, loans),
    (LoanState, loan_states),
    (Payment, payments),
    (Waiver, _events_of(Waiver)),
    (Prepayment, _events_of(Prepayment)),
    (Settlement, _events_of(Settlement)),
    (Restructure, _events_of(Restructure)),
    (Action, actions),
    (Outcome, outcomes),
    (Record, records),
    (Case, cases),
    (CollectionPolicy, collection_policies),
)


def _lazy(factory: Callable[[], SearchStrategy[object]]) -> Callable[[type], SearchStrategy[object]]:
    # A function, not a strategy, so that nothing is built while Hypothesis is being imported.
    return lambda _type: factory()


_ready = True
_hypothesis_setup_hook()
