"""Building schedules: the general path of :func:`build_schedule` (private).

>>> from datetime import date
>>> from loanrules import LoanTerms, Rate, RepaymentMethod, build_schedule
>>> terms = LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360,
...                   method=RepaymentMethod.ANNUITY, start=date(2026, 1, 15))
>>> schedule = build_schedule(terms)
>>> schedule[0].payment, schedule[0].interest, schedule[0].principal
(Decimal('5307.27'), Decimal('4083.33'), Decimal('1223.94'))
>>> schedule.total_principal
Decimal('1000000.00')
>>> schedule[-1].due_date, schedule[-1].balance
(datetime.date(2056, 1, 15), Decimal('0.00'))

How the numbers are made (see ``docs/explanation/conventions.md``):

- due dates are anchored on the start (start + k periods, day of month =
  ``payment_day`` clipped to the month's end), then moved onto the
  calendar by the business-day convention;
- each installment's interest is rounded to the minor unit once; an
  annuity's level payment is rounded once; principal = payment - interest;
- the last installment takes what is left of the balance, so principal
  sums to the loan amount exactly and every balance is >= 0.
"""


from __future__ import annotations

import decimal
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import count, repeat
from typing import Final

from loanrules._checks import (
    decimal_context,
)
from loanrules.conventions._calendars import BusinessDay
from loanrules.conventions._money import CONTEXT
from loanrules.errors import InvalidTypeError

from ._fast import _uniform_annuity, _uniform_level
from ._rows import Installment, Schedule, _new_row
from ._terms import Accrual, LoanTerms, RepaymentMethod

__all__ = ["build_schedule", "level_payment", "period_rates", "round_product"]


def _due_dates(terms: LoanTerms) -> tuple[list[date], list[date], list[bool]]:
    unadjusted = terms.unadjusted_dates()
    convention, calendar = terms.business_day, terms.calendar
    if convention is BusinessDay.UNADJUSTED:
        return unadjusted, unadjusted, [False] * len(unadjusted)
    adjusted: list[date] = []
    provisional: list[bool] = []
    previous = terms.start
    one_day = timedelta(days=1)
    for day in unadjusted:
        moved = calendar.adjust(day, convention)
        if moved <= previous:
            # A collision: never two installments on one day. Take the first
            # business day after the previous due date.
            moved = calendar.adjust(previous + one_day, BusinessDay.FOLLOWING)
        adjusted.append(moved)
        provisional.append(calendar.is_provisional(moved))
        previous = moved
    return unadjusted, adjusted, provisional


def period_rates(terms: LoanTerms, starts: Sequence[date], ends: Sequence[date]) -> list[Fraction]:
    """The exact interest rate each period earns (private to the package).

    ``PERIODIC``: annual / periods-per-year, except an irregular first period,
    which earns annual x ``day_count.fraction(start, first due)``: the same
    ``Fraction`` object for every regular period. ``DAILY``: annual x
    ``day_count.fraction`` of each period's own dates.
    """
    numerator, denominator = terms.rate.annual.as_integer_ratio()
    if terms.accrual is Accrual.PERIODIC and terms.first_period_regular:
        return [Fraction(numerator, denominator * terms.frequency.periods_per_year)] * len(starts)
    annual = Fraction(numerator, denominator)
    if terms.accrual is Accrual.DAILY:
        fraction = terms.day_count.fraction
        return [annual * fraction(a, b) for a, b in zip(starts, ends, strict=True)]
    rates = [annual / terms.frequency.periods_per_year] * len(starts)
    if not terms.first_period_regular:
        rates[0] = annual * terms.day_count.fraction(starts[0], ends[0])
    return rates


def _is_uniform(rates: Sequence[Fraction]) -> bool:
    """Whether every period earns the same rate (one object repeated, or equal values)."""
    first = rates[0]
    return rates.count(first) == len(rates) if rates[-1] is first else False


# Rounding the product balance x rate to the minor unit must give the same
# cent as rounding the exact product, ties included: 60.00 at 4.9 % for a
# month earns exactly 0.245, which rounds half up to 0.25, yet 0.049 / 12
# recurs, and 60 x 0.0040833...3 (the rate cut to any number of digits)
# rounds to 0.24. So the rate is carried to enough digits and rounded in the
# one direction that cannot push a tie or an exact cent to the wrong side
# under the chosen mode (up for HALF_UP, DOWN and FLOOR; down for HALF_DOWN,
# UP and CEILING). Enough digits: with the rate r = n/D exact, the product in
# minor units B*n/D is either on a boundary or at least 1/(2D) away from the
# nearest one, and a rate rounded to p significant digits moves the product
# by less than B*r*10^(1-p); p = digits(B) + digits(ceil r) + digits(D) + 3
# keeps that below 1/(2D). HALF_EVEN and 05UP need the exact quotient and
# take it: (B x n) / D, carried as far. _uniform_annuity, the path of the
# common annuity, applies the same bound to its one rate, held as the
# integers n and D of the lowest-terms Fraction instead of the Fraction.
_DIRECTED: Final = {
    decimal.ROUND_HALF_UP: decimal.ROUND_CEILING,
    decimal.ROUND_DOWN: decimal.ROUND_CEILING,
    decimal.ROUND_FLOOR: decimal.ROUND_CEILING,
    decimal.ROUND_HALF_DOWN: decimal.ROUND_FLOOR,
    decimal.ROUND_UP: decimal.ROUND_FLOOR,
    decimal.ROUND_CEILING: decimal.ROUND_FLOOR,
}


def _digits(value: int) -> int:
    """An upper bound on the decimal digits of ``value`` (exact or one more)."""
    return (abs(value).bit_length() * 1233 >> 12) + 1


# Contexts are made once at import for the precisions schedules need and
# are never changed afterwards (treat them as constants).
_CONTEXTS: Final = {
    (prec, rounding): decimal_context(prec, rounding)
    for prec in range(12, 121)
    for rounding in (decimal.ROUND_HALF_EVEN, decimal.ROUND_CEILING, decimal.ROUND_FLOOR)
}


def _context(prec: int, rounding: str = decimal.ROUND_HALF_EVEN) -> decimal.Context:
    prec = max(prec, 12)
    found = _CONTEXTS.get((prec, rounding))
    return found if found is not None else decimal_context(prec, rounding)


def _interest_plan(
    principal: Decimal, quantum: Decimal, rates: Sequence[Fraction], uniform: bool, rounding: str
) -> tuple[list[Decimal], list[Decimal] | None, decimal.Context]:
    """How to compute each period's rounded interest exactly.

    Returns the per-period multipliers, the per-period divisors (``None`` on
    the directed-rate path) and the context the products run under.
    """
    balance_digits = principal.adjusted() - quantum.adjusted() + 1
    if uniform:
        first = rates[0]
        numerator_digits, denominator_digits = _digits(first.numerator), _digits(first.denominator)
        rate_digits = _digits(first.numerator // first.denominator + 1)
    else:
        pairs = [(r.numerator, r.denominator) for r in rates]
        numerator_digits = max(_digits(n) for n, _ in pairs)
        denominator_digits = max(_digits(d) for _, d in pairs)
        rate_digits = max(_digits(n // d + 1) for n, d in pairs)
    prec = balance_digits + rate_digits + denominator_digits + 3
    direction = _DIRECTED.get(rounding)
    if direction is None:
        wide = _context(balance_digits + numerator_digits + prec)
        return [Decimal(r.numerator) for r in rates], [Decimal(r.denominator) for r in rates], wide
    rounded = _context(prec, direction)
    multipliers = [_as_decimal(rates[0], rounded)] * len(rates) if uniform else _decimals(rates, rounded)
    return multipliers, None, _context(balance_digits + prec + 2)


def round_product(amount: Decimal, rate: Fraction, quantum: Decimal, rounding: str) -> Decimal:
    """``amount x rate`` rounded to ``quantum`` exactly as the exact product would be.

    >>> round_product(Decimal("60.00"), Fraction(49, 12000), Decimal("0.01"), decimal.ROUND_HALF_UP)
    Decimal('0.25')
    """
    digits = _digits(int(amount / quantum)) + _digits(rate.numerator) + _digits(rate.denominator) + 4
    wide = _context(digits)
    exact = wide.divide(wide.multiply(amount, Decimal(rate.numerator)), Decimal(rate.denominator))
    return exact.quantize(quantum, rounding, wide)


def _as_decimal(rate: Fraction, context: decimal.Context) -> Decimal:
    return context.divide(Decimal(rate.numerator), Decimal(rate.denominator))


def _decimals(rates: Sequence[Fraction], context: decimal.Context) -> list[Decimal]:
    """Each rate as a ``Decimal`` under ``context``; equal rates convert once."""
    cache: dict[tuple[int, int], Decimal] = {}
    out: list[Decimal] = []
    previous: Fraction | None = None
    value = Decimal(0)
    for rate in rates:
        if rate is not previous:
            key = (rate.numerator, rate.denominator)
            found = cache.get(key)
            if found is None:
                found = cache[key] = _as_decimal(rate, context)
            value, previous = found, rate
        out.append(value)
    return out


def level_payment(principal: Decimal, rates: Sequence[Fraction], uniform: bool) -> Decimal:
    """The unrounded annuity payment that amortizes ``principal`` exactly.

    ``P / sum_k prod_{j<=k} 1/(1+r_j)``; the closed form when every rate is equal.
    """
    with decimal.localcontext(CONTEXT):
        if uniform:
            first = rates[0]
            return _uniform_level(principal, Decimal(first.numerator), Decimal(first.denominator), len(rates))
        discount = Decimal(1)
        total = Decimal(0)
        for r in _decimals(rates, CONTEXT):
            discount /= 1 + r
            total += discount
        return principal / total


def build_schedule(terms: LoanTerms) -> Schedule:
    """Build the repayment schedule of ``terms``.

    Args:
        terms: The loan's terms.

    Returns:
        A :class:`Schedule` whose principal parts sum to ``terms.principal``
        exactly, with balances that never rise and end at zero, and due
        dates that strictly increase.

    Raises:
        CalendarCoverageError: A due date falls outside the calendar's data
            and the calendar says to raise there.

    >>> from loanrules import Rate
    >>> s = build_schedule(LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360,
    ...     method=RepaymentMethod.EQUAL_PRINCIPAL, start=date(2026, 1, 15)))
    >>> s[0].payment, s[1].payment
    (Decimal('6861.11'), Decimal('6849.77'))
    """
    if not isinstance(terms, LoanTerms):
        raise InvalidTypeError("terms", "must be a LoanTerms", terms)
    # Every step runs under the library's contexts, never the caller's.
    with decimal.localcontext(CONTEXT):
        return _build(terms)


def _build(terms: LoanTerms) -> Schedule:
    """:func:`build_schedule`'s body, under a copy of ``CONTEXT``."""
    if (terms.method is RepaymentMethod.ANNUITY and terms.accrual is Accrual.PERIODIC
            and terms.business_day is BusinessDay.UNADJUSTED and terms.first_due is None
            and (terms.payment_day is None or terms.payment_day == terms.start.day)):
        direction = _DIRECTED.get(terms.rounding)
        if direction is not None:
            schedule = _uniform_annuity(terms, direction)
            if schedule is not None:
                return schedule
    unadjusted, adjusted, provisional = _due_dates(terms)
    ends = adjusted if terms.adjusted_accrual else unadjusted
    starts = [terms.start, *ends[:-1]]
    rates = period_rates(terms, starts, ends)
    currency, rounding, method = terms.currency, terms.rounding, terms.method
    quantum = currency.quantum
    principal = terms.principal
    n = len(rates)
    zero = quantum * 0
    if method is RepaymentMethod.BULLET:
        interest = round_product(principal, sum(rates, Fraction(0)), quantum, rounding)
        row = (1, adjusted[-1], principal, interest, principal + interest, zero,
               unadjusted[-1], terms.start, provisional[-1])
        return Schedule(terms, (_new_row(Installment, row),))
    uniform = _is_uniform(rates)
    if method is RepaymentMethod.ANNUITY:
        level = level_payment(principal, rates, uniform).quantize(quantum, rounding, CONTEXT)
        if n > 1 and Fraction(principal) * rates[0] > Fraction(level):
            # A first period so long that its interest exceeds the level payment: that installment
            # pays its interest only, and the level payment amortizes the principal over the others
            # (leveling over every period would assume the unpaid interest added to the balance).
            rest = rates[1:]
            level = level_payment(principal, rest, _is_uniform(rest)).quantize(quantum, rounding, CONTEXT)
    elif method is RepaymentMethod.EQUAL_PRINCIPAL:
        level = CONTEXT.divide(principal, Decimal(n)).quantize(quantum, rounding, CONTEXT)
    else:
        level = zero
    multipliers, divisors, wide = _interest_plan(principal, quantum, rates, uniform, rounding)
    with decimal.localcontext(wide):
        columns = None
        if method is RepaymentMethod.ANNUITY and uniform and divisors is None:
            columns = _level_columns(principal, level, multipliers[0], count=n - 1, quantum=quantum,
                                     rounding=rounding)
        if columns is None:
            columns = _general_columns(principal, level, multipliers=multipliers, divisors=divisors,
                                       method=method, uniform=uniform, quantum=quantum, rounding=rounding)
        parts, interests, payments, balances = columns
        balance = balances[-1] if balances else principal
        if divisors is None:
            interest = (balance * multipliers[-1]).quantize(quantum, rounding)
        else:
            interest = (balance * multipliers[-1] / divisors[-1]).quantize(quantum, rounding)
        parts.append(balance)
        interests.append(interest)
        payments.append(balance + interest)
        balances.append(zero)
    rows = map(_new_row, repeat(Installment), zip(
        count(1), adjusted, parts, interests, payments, balances, unadjusted, starts, provisional))
    return Schedule(terms, tuple(rows))


_Columns = tuple[list[Decimal], list[Decimal], list[Decimal], list[Decimal]]


def _level_columns(
    balance: Decimal, level: Decimal, rate: Decimal, *, count: int, quantum: Decimal, rounding: str
) -> _Columns | None:
    """The first ``count`` rows of a level-payment loan whose periods all earn ``rate``.

    No per-row checks (the general path's loop for a uniform rate; the common
    annuity takes _uniform_annuity). The interest never exceeds the level
    payment (the balance only falls), so the parts are >= 0 and the balances
    fall; only the last balance can show that a part overshot (a tiny loan
    over a long term), and then ``None`` sends the caller to the general path.
    """
    parts: list[Decimal] = []
    interests: list[Decimal] = []
    balances: list[Decimal] = []
    add_part, add_interest, add_balance = parts.append, interests.append, balances.append
    quantize = Decimal.quantize
    for _ in range(count):
        interest = quantize(balance * rate, quantum, rounding)
        part = level - interest
        balance -= part
        add_interest(interest)
        add_part(part)
        add_balance(balance)
    if balance < 0:
        return None
    return parts, interests, [level] * count, balances


def _general_columns(
    balance: Decimal,
    level: Decimal,
    *,
    multipliers: Sequence[Decimal],
    divisors: Sequence[Decimal] | None,
    method: RepaymentMethod,
    uniform: bool,
    quantum: Decimal,
    rounding: str,
) -> _Columns:
    """All rows but the last, for any method, rate pattern and rounding mode."""
    parts: list[Decimal] = []
    interests: list[Decimal] = []
    payments: list[Decimal] = []
    balances: list[Decimal] = []
    annuity = method is RepaymentMethod.ANNUITY
    zero = quantum * 0
    for k in range(len(multipliers) - 1):
        if divisors is None:
            interest = (balance * multipliers[k]).quantize(quantum, rounding)
        else:
            interest = (balance * multipliers[k] / divisors[k]).quantize(quantum, rounding)
        if annuity:
            part = level - interest
            # A long period (uneven rates) can earn more than the level
            # payment: that installment is then interest-only.
            if part < 0:
                part = zero
        else:
            part = level
        part = min(part, balance)
        balance -= part
        parts.append(part)
        interests.append(interest)
        payments.append(part + interest)
        balances.append(balance)
    return parts, interests, payments, balances

