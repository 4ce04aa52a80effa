"""The annualised rate of a loan by the IRR method (年化利率, IRR法).

Since PBOC Announcement [2021] No. 3, lenders in China must show the
annualised rate of a loan with every fee included, computed by the
internal-rate-of-return method: the periodic rate that makes what the
borrower receives equal to the present value of what they pay, times the
number of periods in a year.

>>> from datetime import date
>>> from loanrules import LoanTerms, Rate, build_schedule
>>> from loanrules import apr
>>> schedule = build_schedule(LoanTerms(principal="1200", rate=Rate.annual(0), term=12,
...                                     start=date(2026, 1, 15)))
>>> apr(schedule)                      # interest-free ...
Decimal('0E-12')
>>> apr(schedule, upfront_fees="60")   # ... until a 5 % handling fee is taken off the top
Decimal('0.095770491330')

The root is found in :mod:`decimal` arithmetic by a bracketing solver, so
the result is the same on every machine; it is rounded once, to 12
decimal places, at the very end.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from typing import Final, Protocol

from loanrules._checks import decimal_context
from loanrules.conventions._money import DecimalInput, to_decimal
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.schedule._schedule import RepaymentMethod, Schedule

__all__ = ["apr"]


class _HasSchedule(Protocol):
    """Anything that carries a schedule, such as the ledger's ``Loan`` (its contract schedule is used).

    Declared here so that this module need not import the ledger.
    """

    @property
    def schedule(self) -> Schedule: ...


_CONTEXT: Final = decimal_context(40)
"""The context the solver runs under: 40 significant digits, local, never the global one."""

_TOLERANCE: Final = Decimal("1e-20")
"""The solver stops once the root is bracketed this tightly (relative above 1 per period)."""

_PLACES: Final = Decimal("1e-12")
"""The one point of quantization: the returned rate has 12 decimal places."""


def apr(
    schedule_or_loan: Schedule | _HasSchedule,
    *,
    effective: bool = False,
    upfront_fees: DecimalInput = 0,
    periodic_fees: DecimalInput = 0,
) -> Decimal:
    """The annualised rate of a schedule or loan by the IRR method, all fees included.

    The cash flows are counted in periods of the schedule's frequency: at
    period 0 the borrower receives ``principal - upfront_fees``; installment
    ``k`` is paid at period ``k`` (its ``number``), as its ``payment`` plus
    ``periodic_fees``. A ``BULLET`` loan's single installment is paid at
    period ``terms.term``. Periods are counted, not days: an irregular first
    period and business-day moves of due dates do not change the figure.

    The periodic IRR ``i`` solves ``principal - upfront_fees = sum of
    flow_k / (1 + i)**k``. That net present value is strictly monotone in
    ``i`` for a loan (one sign change in the flows), so ``i`` is bracketed
    and then narrowed by the Illinois method safeguarded by bisection, in
    :mod:`decimal` arithmetic with 40 significant digits under a local
    context, until the bracket is no wider than ``1e-20`` (relative, for a
    periodic rate above 1). A schedule whose payments and fees add up to
    exactly what the borrower received has a rate of exactly 0.

    Args:
        schedule_or_loan: A :class:`~loanrules.Schedule`, or an object with a
            ``schedule`` attribute holding one. For a ledger ``Loan`` the
            contract's schedule (``original_schedule``) is used: the APR is what
            the contract discloses, not what later prepayments or plans make of it.
        effective: ``False`` (default) for the nominal rate ``i x n``;
            ``True`` for the effective annual rate ``(1 + i)**n - 1``, where
            ``n`` is ``terms.frequency.periods_per_year``.
        upfront_fees: Fees taken when the loan is paid out (手续费 deducted at
            disbursement): ``>= 0`` and below the principal.
        periodic_fees: A fee paid with every installment (服务费, 账户管理费):
            ``>= 0`` and below the principal.

    Returns:
        The nominal (or effective) annual rate as a fraction, rounded to 12
        decimal places (``ROUND_HALF_EVEN``): the only point of quantization.

    Raises:
        InvalidTypeError: ``schedule_or_loan`` is neither a schedule nor
            carries one; a fee is a ``float``, a ``bool`` or another wrong type;
            ``effective`` is not a ``bool``.
        InvalidValueError: A fee is NaN, infinite, negative, or not below the
            principal; the error's ``field`` names it.

    The 1,000,000 annuity at 4.9 % over 360 months pays 5307.27 a month
    (5307.267... rounded half up to the fen), so its IRR lies a hair above
    the contract rate; compounded monthly, the effective rate is about 5.01 %:

    >>> from datetime import date
    >>> from loanrules import LoanTerms, Rate, build_schedule
    >>> mortgage = build_schedule(LoanTerms(principal="1000000", rate=Rate.annual("0.049"),
    ...                                     term=360, start=date(2026, 1, 15)))
    >>> apr(mortgage)
    Decimal('0.049000004080')
    >>> apr(mortgage, effective=True)
    Decimal('0.050115579579')

    A fee of 1 % taken at disbursement raises it:

    >>> apr(mortgage, upfront_fees="10000")
    Decimal('0.049879861198')

    An interest-free loan with no fees costs nothing; a fee no smaller than
    the principal is refused:

    >>> apr(build_schedule(LoanTerms(principal="100", rate=Rate.annual(0), term=3,
    ...                              start=date(2026, 1, 15))))
    Decimal('0E-12')
    >>> apr(mortgage, upfront_fees="1000000")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'upfront_fees' must be < principal (1000000.00), got Decimal('1000000')
    """
    schedule = _schedule_of(schedule_or_loan)
    if type(effective) is not bool:
        raise InvalidTypeError("effective", "must be a bool", effective)
    terms = schedule.terms
    principal = terms.principal
    upfront = _fee(upfront_fees, "upfront_fees", principal)
    periodic = _fee(periodic_fees, "periodic_fees", principal)
    with decimal.localcontext(_CONTEXT):
        flows = _flows(schedule, principal - upfront, periodic)
        rate = _irr(flows)
        per_year = terms.frequency.periods_per_year
        annual = (1 + rate) ** per_year - 1 if effective else rate * per_year
        return annual.quantize(_PLACES, rounding=decimal.ROUND_HALF_EVEN)


def _schedule_of(value: object) -> Schedule:
    """The schedule itself, or a loan's contract schedule (else its schedule in force)."""
    if isinstance(value, Schedule):
        return value
    for name in ("original_schedule", "schedule"):
        schedule = getattr(value, name, None)
        if isinstance(schedule, Schedule):
            return schedule
    raise InvalidTypeError(
        "schedule_or_loan", "must be a Schedule or have a .schedule that is one (a Loan)", value
    )


def _fee(value: object, field: str, principal: Decimal) -> Decimal:
    """Read a fee: an exact decimal in ``[0, principal)``."""
    fee = to_decimal(value, field)
    if fee < 0:
        raise InvalidValueError(field, "must be >= 0", fee)
    if fee >= principal:
        raise InvalidValueError(field, f"must be < principal ({principal})", fee)
    return fee


def _flows(schedule: Schedule, received: Decimal, periodic: Decimal) -> list[Decimal]:
    """The lender's cash flow by period: ``-received`` at 0, then what each period pays."""
    terms = schedule.terms
    bullet = terms.method is RepaymentMethod.BULLET
    rows = schedule.installments
    last = terms.term if bullet else max(row.number for row in rows)
    flows = [Decimal(0)] * (last + 1)
    flows[0] = -received
    for row in rows:
        period = terms.term if bullet else row.number
        flows[period] += row.payment + periodic
    return flows


def _npv(flows: Sequence[Decimal], rate: Decimal) -> Decimal:
    """The lender's net present value at a periodic ``rate``, by Horner's rule in 1 / (1 + rate)."""
    discount = 1 / (1 + rate)
    total = Decimal(0)
    for flow in reversed(flows):
        total = total * discount + flow
    return total


def _irr(flows: Sequence[Decimal]) -> Decimal:
    """The periodic rate at which the lender's NPV is 0 (under the caller's local context).

    The lender lends at period 0 and is repaid after, so the NPV falls
    strictly as the rate rises: positive below the root, negative above.
    """
    at_zero = sum(flows, Decimal(0))
    if at_zero == 0:
        return Decimal(0)
    # Bracket the root: lo has NPV > 0, hi has NPV < 0.
    if at_zero > 0:
        lo, f_lo = Decimal(0), at_zero
        hi = Decimal(1)
        f_hi = _npv(flows, hi)
        while f_hi > 0:
            lo, f_lo = hi, f_hi
            hi *= 2
            f_hi = _npv(flows, hi)
    else:  # paid back less than received: a negative rate, in (-1, 0)
        hi, f_hi = Decimal(0), at_zero
        lo = Decimal("-0.5")
        f_lo = _npv(flows, lo)
        while f_lo < 0:
            hi, f_hi = lo, f_lo
            lo = (lo - 1) / 2
            f_lo = _npv(flows, lo)
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    # Illinois (regula falsi that halves a stale end's value), falling back
    # to bisection whenever a step fails to halve the bracket twice running.
    side = 0
    slow = 0
    while True:
        width = hi - lo
        if width <= _TOLERANCE * max(Decimal(1), abs(lo), abs(hi)):
            break
        if slow >= 2:
            guess = (lo + hi) / 2
            slow = 0
        else:
            guess = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
            if not lo < guess < hi:  # rounding pushed it onto an end
                guess = (lo + hi) / 2
        # With 40 digits and a stop at a relative width of 1e-20, the midpoint
        # always lies strictly inside the bracket, so every step narrows it.
        f_guess = _npv(flows, guess)
        if f_guess == 0:
            return guess
        if f_guess > 0:
            lo, f_lo = guess, f_guess
            if side == 1:
                f_hi /= 2
            side = 1
        else:
            hi, f_hi = guess, f_guess
            if side == -1:
                f_lo /= 2
            side = -1
        slow = slow + 1 if hi - lo > width / 2 else 0
    return (lo + hi) / 2
