"""The ledger's conventions and servicing terms: penalty, prepayment, allocation (private)."""

from __future__ import annotations

import decimal
import enum
import typing
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Final

import attrs

from loanrules.conventions._money import CONTEXT, to_decimal
from loanrules.conventions._rates import Rate
from loanrules.errors import InvalidTypeError, InvalidValueError

_ZERO: Final = Decimal(0)
_ONE_DAY: Final = timedelta(days=1)
# Penalty interest accrues unrounded. Each row keeps the exact sum of
# base x annual penalty rate x days (finite decimals: _EXACT traps any
# rounding); the division by the day basis happens once, when the sum is
# posted or shown, so a sum that is exactly on a half cent rounds as exactly.
_EXACT: Final = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999,
                                traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow,
                                       decimal.Inexact])
_ACCRUAL: Final = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999,
                                  traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])


# ---------------------------------------------------------------------------
# Conventions of the ledger


class PenaltyBase(enum.Enum):
    """What penalty interest (罚息) is charged on, per overdue installment."""

    PRINCIPAL = "principal"
    """The overdue principal; plus the overdue interest when ``compound`` (复利)."""
    INSTALLMENT = "installment"
    """The whole overdue installment (principal and interest), whatever ``compound`` says."""


class Grace(enum.Enum):
    """How a grace period (宽限期) treats penalty interest."""

    BACKDATE = "backdate"
    """Within the grace days the penalty is 0, and paid within them it stays
    0; once they pass unpaid, penalty runs from the due date."""
    AFTER_GRACE = "after_grace"
    """Penalty runs only for the days after the grace days."""


class Recast(enum.Enum):
    """How the rest of the schedule is rebuilt after a prepayment (提前还款)."""

    REDUCE_TERM = "reduce_term"
    """Keep the payment (or the principal part, for equal principal); end sooner."""
    REDUCE_PAYMENT = "reduce_payment"
    """Keep the maturity; lower the payments."""


class Component(enum.Enum):
    """A part of what an installment owes."""

    PENALTY = "penalty"
    """Penalty interest (罚息)."""
    FEE = "fee"
    """Late fees (滞纳金 / 违约金)."""
    INTEREST = "interest"
    """Contract interest."""
    PRINCIPAL = "principal"
    """Principal."""


class Status(enum.Enum):
    """Where a loan stands on a day."""

    CURRENT = "current"
    """Nothing is past due."""
    GRACE = "grace"
    """Past due, but within the penalty terms' grace days (0 < DPD <= grace days)."""
    OVERDUE = "overdue"
    """Past due beyond the grace days."""
    SETTLED = "settled"
    """Nothing is owed and no principal is outstanding (结清)."""


def _dec_markup(value: object) -> Decimal:
    return to_decimal(value, "markup")


def _dec_late_fee(value: object) -> Decimal:
    return to_decimal(value, "late_fee")


def _dec_minimum(value: object) -> Decimal:
    return to_decimal(value, "minimum")


def _dec_fee_rate(value: object) -> Decimal:
    return to_decimal(value, "fee_rate")


def _dec_tolerance(value: object) -> Decimal:
    return to_decimal(value, "tolerance")


def _check_int(field: str, value: object, low: int) -> None:
    if type(value) is not int:
        raise InvalidTypeError(field, "must be an int", value)
    if value < low:
        raise InvalidValueError(field, f"must be >= {low}", value)


@typing.final
@attrs.frozen(kw_only=True)
class PenaltyTerms:
    """How overdue installments are charged: penalty interest, grace, late fee.

    Args:
        rate: An explicit annual penalty rate; ``None`` uses the contract rate x (1 + ``markup``).
        markup: The markup on the contract rate (0.5: +50 %, the PBOC ceiling).
        base: What the penalty is charged on.
        compound: With ``PRINCIPAL`` base, also charge overdue interest (复利).
        grace_days: Days after the due date that count as on time (宽限期).
        grace: ``BACKDATE`` or ``AFTER_GRACE``.
        late_fee: Charged once per installment when its grace ends unpaid.
        day_basis: The penalty for a day is base x annual penalty rate / ``day_basis``.
        rate_cap: The annual penalty rate never exceeds this.

    >>> PenaltyTerms().annual_rate(Rate.annual("0.06"))
    Decimal('0.090')
    >>> PenaltyTerms(rate=Rate.annual("0.3"), rate_cap=Rate.annual("0.24")).annual_rate(Rate.annual("0.06"))
    Decimal('0.24')
    """

    rate: Rate | None = None
    markup: Decimal = attrs.field(default=Decimal("0.5"), converter=_dec_markup)
    base: PenaltyBase = PenaltyBase.PRINCIPAL
    compound: bool = True
    grace_days: int = 0
    grace: Grace = Grace.BACKDATE
    late_fee: Decimal = attrs.field(default=_ZERO, converter=_dec_late_fee)
    day_basis: int = 360
    rate_cap: Rate | None = attrs.field(default=None)

    @rate_cap.validator
    def _check(self, _attribute: object, rate_cap: Rate | None) -> None:
        for field, value in (("rate", self.rate), ("rate_cap", rate_cap)):
            if value is not None and not isinstance(value, Rate):
                raise InvalidTypeError(field, "must be a Rate or None", value)
        if self.markup < 0:
            raise InvalidValueError("markup", "must be >= 0", self.markup)
        if not isinstance(self.base, PenaltyBase):
            raise InvalidTypeError("base", "must be a PenaltyBase", self.base)
        if not isinstance(self.grace, Grace):
            raise InvalidTypeError("grace", "must be a Grace", self.grace)
        if type(self.compound) is not bool:
            raise InvalidTypeError("compound", "must be a bool", self.compound)
        _check_int("grace_days", self.grace_days, 0)
        if self.late_fee < 0:
            raise InvalidValueError("late_fee", "must be >= 0", self.late_fee)
        if type(self.day_basis) is not int:
            raise InvalidTypeError("day_basis", "must be an int", self.day_basis)
        if self.day_basis not in (360, 365, 366):
            raise InvalidValueError("day_basis", "must be 360, 365 or 366", self.day_basis)

    def annual_rate(self, contract: Rate) -> Decimal:
        """The annual penalty rate for a loan at ``contract``: explicit or marked up, then capped.

        >>> PenaltyTerms(markup="0.3").annual_rate(Rate.percent("4.9"))
        Decimal('0.0637')
        """
        annual = self.rate.annual if self.rate is not None else CONTEXT.multiply(
            contract.annual, CONTEXT.add(Decimal(1), self.markup))
        if self.rate_cap is not None and annual > self.rate_cap.annual:
            return self.rate_cap.annual
        return annual


@typing.final
@attrs.frozen(kw_only=True)
class PrepaymentTerms:
    """The rules of active repayment (主动还款) before the due dates.

    Args:
        allowed: Whether early repayment is allowed at all.
        minimum: The least principal one prepayment may repay.
        max_per_day: How many prepayments one day may hold (``None``: no limit).
        lockout_periods: Prepayment is refused until this many installments have fallen due.
        fee_rate: The fee (违约金) on the principal prepaid, as a fraction.
        recast: How the schedule is rebuilt by default.

    >>> PrepaymentTerms(fee_rate="0.01").fee_rate
    Decimal('0.01')
    """

    allowed: bool = True
    minimum: Decimal = attrs.field(default=_ZERO, converter=_dec_minimum)
    max_per_day: int | None = None
    lockout_periods: int = 0
    fee_rate: Decimal = attrs.field(default=_ZERO, converter=_dec_fee_rate)
    recast: Recast = attrs.field(default=Recast.REDUCE_TERM)

    @recast.validator
    def _check(self, _attribute: object, recast: Recast) -> None:
        if type(self.allowed) is not bool:
            raise InvalidTypeError("allowed", "must be a bool", self.allowed)
        if self.minimum < 0:
            raise InvalidValueError("minimum", "must be >= 0", self.minimum)
        if self.max_per_day is not None:
            _check_int("max_per_day", self.max_per_day, 1)
        _check_int("lockout_periods", self.lockout_periods, 0)
        if not 0 <= self.fee_rate < 1:
            raise InvalidValueError("fee_rate", "must lie in [0, 1)", self.fee_rate)
        if not isinstance(recast, Recast):
            raise InvalidTypeError("recast", "must be a Recast", recast)


_DEFAULT_ORDER: Final = (Component.PENALTY, Component.FEE, Component.INTEREST, Component.PRINCIPAL)


def _to_order(value: Sequence[Component]) -> tuple[Component, ...]:
    return tuple(value)


@typing.final
@attrs.frozen(kw_only=True)
class Allocation:
    """How a payment is split over what is owed.

    Args:
        order: The components in the order they are paid; penalty, fee,
            interest, principal by default. Must name each component once.
        installment_first: ``True`` settles the oldest installment entirely
            (in ``order``) before the next; ``False`` pays one component
            across all due installments, oldest first, before the next component.

    >>> Allocation(order=(Component.PRINCIPAL, Component.INTEREST, Component.PENALTY, Component.FEE)).order[0]
    <Component.PRINCIPAL: 'principal'>
    """

    order: tuple[Component, ...] = attrs.field(default=_DEFAULT_ORDER, converter=_to_order)
    installment_first: bool = attrs.field(default=True)

    @installment_first.validator
    def _check(self, _attribute: object, value: bool) -> None:
        if sorted(self.order, key=lambda c: c.value) != sorted(Component, key=lambda c: c.value):
            raise InvalidValueError("order", "must name each Component exactly once", self.order)
        if type(value) is not bool:
            raise InvalidTypeError("installment_first", "must be a bool", value)


