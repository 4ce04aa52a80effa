"""Strategies for the schedule layer.

Repayment methods, accrual conventions, loan terms, schedules and
installments.
"""

from __future__ import annotations

import decimal
import functools
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import EllipsisType
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from loanrules.conventions import (
    ROUNDING_MODES,
    BusinessDay,
    Calendar,
    Currency,
    DayCount,
    DecimalInput,
    Frequency,
    Rate,
)
from loanrules.schedule import Accrual, Installment, LoanTerms, RepaymentMethod, Schedule, build_schedule
from loanrules.strategies._conventions import (
    business_days,
    calendars,
    currencies,
    day_counts,
    frequencies,
    money,
    rates,
)
from loanrules.strategies._validation import _arg, _decimal, _fail, _int, _is_date, described

# Half-up (the LoanTerms default) first, so that examples shrink towards it.
_ROUNDINGS: Final = (decimal.ROUND_HALF_UP, *sorted(ROUNDING_MODES - {decimal.ROUND_HALF_UP}))
_FIRST_START: Final = date(2000, 1, 1)
_LAST_START: Final = date(2040, 12, 31)
_MAX_YEARS: Final = 30
_MIN_PRINCIPAL: Final = Decimal(1)
_MAX_PRINCIPAL: Final = Decimal(10_000_000)


@described
def repayment_methods() -> SearchStrategy[RepaymentMethod]:
    """A strategy for repayment methods.

    Returns:
        A strategy of :class:`~loanrules.RepaymentMethod` members. Examples
        shrink towards ``ANNUITY`` (the default).

    >>> repayment_methods().validate()
    """
    return st.sampled_from(RepaymentMethod)


@described
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


@functools.cache
def _principals(currency: Currency) -> SearchStrategy[Decimal]:
    """Principals that look like a lender's loans, mostly, and the edges now and then."""
    typical = money(currency=currency, min_value=1000, max_value=500_000)
    edges = st.sampled_from([Decimal(1), Decimal(_MAX_PRINCIPAL)]).map(currency.quantize)
    wide = money(currency=currency, min_value=_MIN_PRINCIPAL, max_value=_MAX_PRINCIPAL)
    # Edges first, so that examples still shrink towards the plainest loan of 1.00.
    return st.integers(0, 19).flatmap(lambda n: edges if n == 0 else wide if n == 1 else typical)


@described
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
    min_principal: DecimalInput | None = None,
    max_principal: DecimalInput | None = None,
) -> SearchStrategy[LoanTerms]:
    """A strategy for valid loan terms.

    Every argument takes a plain value (always used), a strategy (drawn
    from), or ``...`` (the default: draw a value that fits the others).
    The defaults keep loans moderate so that tests stay fast.

    Args:
        principal: ``...`` draws what a lender's loans look like: mostly
            1,000 to 500,000, now and then the edges (exactly
            1 and 10,000,000, and anything between), in the drawn
            currency's minor unit. A value or strategy given must fit the
            currency; to bound the drawn principal for any currency, use
            ``min_principal`` and ``max_principal`` instead.
        min_principal: The least principal drawn (rounded up to each drawn
            currency's minor unit); not with ``principal``.
        max_principal: The greatest principal drawn (rounded down likewise).
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

    >>> from loanrules import Frequency
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
    bounded = min_principal is not None or max_principal is not None
    if bounded and not isinstance(principal, EllipsisType):
        raise _fail(func, "min_principal and max_principal bound the drawn principal: not with principal")
    low = _MIN_PRINCIPAL if min_principal is None else _decimal(func, "min_principal", min_principal)
    high = _MAX_PRINCIPAL if max_principal is None else _decimal(func, "max_principal", max_principal)
    if bounded:
        if low <= 0:
            raise _fail(func, f"min_principal={low!r} must be > 0")
        if low > high:
            raise _fail(func, f"min_principal={low!r} must be <= max_principal={high!r}")
        if isinstance(currency, Currency):
            money(currency=currency, min_value=low, max_value=high)  # raises if no amount fits
        else:
            money(currency=currencies(), min_value=low, max_value=high)  # a whole amount fits every currency
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
            (money(currency=drawn_currency, min_value=low, max_value=high) if bounded
             else _principals(drawn_currency))
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


@described
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


@described
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
