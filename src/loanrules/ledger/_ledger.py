"""The loan ledger: terms plus events, folded into a state as of any day.

A :class:`Loan` is its :class:`~loanrules.LoanTerms` plus an immutable,
date-ordered tuple of events (payments, prepayments, settlements, waivers,
restructures). :meth:`Loan.state` folds the events up to and including a
day into a :class:`LoanState`: what is due, what is overdue and for how
long, the penalty interest (罚息) accrued, and what settles the loan today.
A backdated payment simply re-computes history.

>>> from datetime import date
>>> from loanrules import Loan, LoanTerms, PenaltyTerms, Rate
>>> terms = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
>>> loan = Loan(terms, penalty=PenaltyTerms(grace_days=3))
>>> state = loan.state(as_of=date(2026, 2, 20))      # the first installment was missed
>>> state.days_past_due, state.status.name, state.overdue.principal, state.overdue.penalty
(5, 'OVERDUE', Decimal('946.19'), Decimal('2.67'))
>>> loan = loan.pay(on=date(2026, 2, 20), amount=state.due_now.total)
>>> loan.state(as_of=date(2026, 2, 20)).status.name
'CURRENT'

Every amount is a ``Decimal`` in the currency's minor unit; penalty
interest accrues unrounded and is rounded half-up when a payment posts it.
"""

from __future__ import annotations

import bisect
import decimal
import enum
import typing
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final, NamedTuple

import attrs

from loanrules._checks import (
    EXACT_BOOL,
    PLAIN_DATE,
    IntIn,
    MemberOf,
    member_repr,
    pretty_repr,
    to_tuple,
    value_repr,
)
from loanrules.conventions._dates import check_date
from loanrules.conventions._money import CONTEXT, to_decimal
from loanrules.conventions._rates import Rate
from loanrules.errors import InvalidTypeError, InvalidValueError, LoanRulesError, RefusedEventError
from loanrules.schedule._schedule import MAX_TERM, LoanTerms, RepaymentMethod, Schedule, build_schedule

from ._book import _ACCRUAL, StateRows, _Columns, _schedule_columns, _Servicing, prepayment_split
from ._fold import _Book

__all__ = [
    "Allocation",
    "Amounts",
    "Component",
    "Event",
    "Grace",
    "InstallmentState",
    "Loan",
    "LoanState",
    "Payment",
    "PenaltyBase",
    "PenaltyTerms",
    "Phase",
    "Prepayment",
    "PrepaymentTerms",
    "Recast",
    "Restructure",
    "Settlement",
    "Status",
    "Waiver",
]

_ZERO: Final = Decimal(0)


# ---------------------------------------------------------------------------
# Conventions of the ledger


class PenaltyBase(enum.Enum):
    """What penalty interest (罚息) is charged on, per overdue installment."""

    __repr__ = member_repr

    PRINCIPAL = "principal"
    """The overdue principal; plus the overdue interest when ``compound`` (复利)."""
    INSTALLMENT = "installment"
    """The whole overdue installment (principal and interest), whatever ``compound`` says."""


class Grace(enum.Enum):
    """How a grace period (宽限期) treats penalty interest."""

    __repr__ = member_repr

    BACKDATE = "backdate"
    """Within the grace days the penalty is 0, and paid within them it stays
    0; once they pass unpaid, penalty runs from the due date."""
    AFTER_GRACE = "after_grace"
    """Penalty runs only for the days after the grace days."""


class Recast(enum.Enum):
    """How the rest of the schedule is rebuilt after a prepayment (提前还款)."""

    __repr__ = member_repr

    REDUCE_TERM = "reduce_term"
    """End sooner: re-level the principal left over the fewest whole periods whose level payment
    (for equal principal: principal part) does not exceed the old one. The new payment is that
    level payment, so it may drop a little; interest-only and bullet loans keep their maturity."""
    REDUCE_PAYMENT = "reduce_payment"
    """Keep the maturity; lower the payments."""


class Component(enum.Enum):
    """A part of what an installment owes."""

    __repr__ = member_repr

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

    __repr__ = member_repr

    CURRENT = "current"
    """Nothing is past due."""
    GRACE = "grace"
    """Past due, but within the penalty terms' grace days (0 < DPD <= grace days)."""
    OVERDUE = "overdue"
    """Past due beyond the grace days."""
    SETTLED = "settled"
    """Nothing is due and nothing is left to settle: the payoff is 0 (结清). A payment of at least
    the payoff settles the loan; interest not yet earned is not charged, and later installments
    are dropped."""


def _dec_markup(value: object) -> Decimal:
    return to_decimal(value, "markup")


def _dec_late_fee(value: object) -> Decimal:
    return to_decimal(value, "late_fee")


def _dec_minimum(value: object) -> Decimal:
    return to_decimal(value, "minimum")


def _dec_fee_minimum(value: object) -> Decimal:
    return to_decimal(value, "fee_minimum")


def _dec_fee_rate(value: object) -> Decimal:
    return to_decimal(value, "fee_rate")


def _dec_tolerance(value: object) -> Decimal:
    return to_decimal(value, "tolerance")


MAX_MARKUP: Final = Decimal(100)
"""The highest penalty markup: a penalty rate of at most 101 times the contract rate."""

MAX_GRACE_DAYS: Final = 36_500
"""The most grace days a penalty allows (about 100 years: every date derived from them stays in range)."""


@typing.final
@attrs.frozen(kw_only=True, repr=False)
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

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

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
        IntIn(0, MAX_GRACE_DAYS).check(self.grace_days, "grace_days")
        if self.markup > MAX_MARKUP:
            raise InvalidValueError("markup", f"must be <= {MAX_MARKUP} (a penalty rate of at most "
                                              f"{MAX_MARKUP + 1} times the contract rate)", self.markup)
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
@attrs.frozen(kw_only=True, repr=False)
class PrepaymentTerms:
    """The rules of active repayment (主动还款) before the due dates.

    Args:
        allowed: Whether early repayment is allowed at all.
        minimum: The least principal one prepayment may repay.
        max_per_day: How many prepayments one day may hold (``None``: no limit).
        lockout_periods: Prepayment is refused until this many installments have fallen due.
        fee_rate: The fee (违约金) on the principal prepaid, as a fraction.
        recast: How the schedule is rebuilt by default.
        fee_minimum: The least fee of a prepayment that repays principal: the fee is
            ``max(fee_rate x principal, fee_minimum)`` (say, 3 % of the principal but at least
            one installment's fee).

    >>> PrepaymentTerms(fee_rate="0.01").fee_rate
    Decimal('0.01')
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    allowed: bool = True
    minimum: Decimal = attrs.field(default=_ZERO, converter=_dec_minimum)
    max_per_day: int | None = None
    lockout_periods: int = 0
    fee_rate: Decimal = attrs.field(default=_ZERO, converter=_dec_fee_rate)
    recast: Recast = attrs.field(default=Recast.REDUCE_TERM)
    fee_minimum: Decimal = attrs.field(default=_ZERO, converter=_dec_fee_minimum)

    @fee_minimum.validator
    def _check(self, _attribute: object, fee_minimum: Decimal) -> None:
        recast = self.recast
        if type(self.allowed) is not bool:
            raise InvalidTypeError("allowed", "must be a bool", self.allowed)
        if self.minimum < 0:
            raise InvalidValueError("minimum", "must be >= 0", self.minimum)
        if self.max_per_day is not None:
            IntIn(1, MAX_TERM).check(self.max_per_day, "max_per_day")
        IntIn(0, MAX_TERM).check(self.lockout_periods, "lockout_periods")
        if not 0 <= self.fee_rate < 1:
            raise InvalidValueError("fee_rate", "must lie in [0, 1)", self.fee_rate)
        if not isinstance(recast, Recast):
            raise InvalidTypeError("recast", "must be a Recast", recast)
        if fee_minimum < 0:
            raise InvalidValueError("fee_minimum", "must be >= 0", fee_minimum)


_DEFAULT_ORDER: Final = (Component.PENALTY, Component.FEE, Component.INTEREST, Component.PRINCIPAL)


def _to_order(value: Sequence[Component | str]) -> tuple[Component, ...]:
    """Components, or their values as plain data gives them (``"penalty"``), become a tuple of Components."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidTypeError("order", "must be a sequence of Components", value)
    order: list[Component] = []
    for index, item in enumerate(value):
        if isinstance(item, Component):
            order.append(item)
        elif isinstance(item, str) and item in _COMPONENT_VALUES:
            order.append(Component(item))
        else:
            raise InvalidValueError(f"order[{index}]", "must be a Component or one of "
                                    f"{', '.join(sorted(_COMPONENT_VALUES))}", item)
    return tuple(order)


_COMPONENT_VALUES: Final = frozenset(component.value for component in Component)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Allocation:
    """How a payment is split over what is owed.

    Args:
        order: The components in the order they are paid; penalty, fee,
            interest, principal by default. Must name each component once.
        installment_first: ``True`` settles the oldest installment entirely
            (in ``order``) before the next; ``False`` pays one component
            across all due installments, oldest first, before the next component.

    >>> Allocation(order=(Component.PRINCIPAL, Component.INTEREST, Component.PENALTY, Component.FEE)).order[0]
    Component.PRINCIPAL
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    order: tuple[Component, ...] = attrs.field(default=_DEFAULT_ORDER, converter=_to_order)
    installment_first: bool = attrs.field(default=True)

    @installment_first.validator
    def _check(self, _attribute: object, value: bool) -> None:
        if sorted(self.order, key=lambda c: c.value) != sorted(Component, key=lambda c: c.value):
            raise InvalidValueError("order", "must name each Component exactly once", self.order)
        if type(value) is not bool:
            raise InvalidTypeError("installment_first", "must be a bool", value)


# ---------------------------------------------------------------------------
# Values reported


class Amounts(NamedTuple):
    """Amounts by component; ``total`` adds them.

    >>> Amounts(Decimal("1"), Decimal("2"), Decimal("3"), Decimal("4")).total
    Decimal('10')
    """

    principal: Decimal
    interest: Decimal
    penalty: Decimal
    fee: Decimal

    def __add__(self, other: object) -> Amounts:
        """Component by component: ``Amounts + Amounts`` is the Amounts of the sums (not a longer tuple).

        >>> Amounts(Decimal(1), Decimal(2), Decimal(3), Decimal(4)) + Amounts(Decimal(1), Decimal(1), Decimal(0), Decimal(0))
        Amounts(principal=Decimal('2'), interest=Decimal('3'), penalty=Decimal('3'), fee=Decimal('4'))
        """
        if not isinstance(other, Amounts):
            return NotImplemented
        add = CONTEXT.add
        return Amounts(add(self.principal, other.principal), add(self.interest, other.interest),
                       add(self.penalty, other.penalty), add(self.fee, other.fee))

    def __sub__(self, other: object) -> Amounts:
        """Component by component, like ``+``."""
        if not isinstance(other, Amounts):
            return NotImplemented
        sub = CONTEXT.subtract
        return Amounts(sub(self.principal, other.principal), sub(self.interest, other.interest),
                       sub(self.penalty, other.penalty), sub(self.fee, other.fee))

    @property
    def total(self) -> Decimal:
        """principal + interest + penalty + fee."""
        add = CONTEXT.add  # the library's context, whatever the caller's
        return add(add(self.principal, self.interest), add(self.penalty, self.fee))


class InstallmentState(NamedTuple):
    """One installment as of a day: what it asked for, what was paid, what is left."""

    number: int
    """1-based position among all installments (prepayment closings and later plans included)."""
    due_date: date
    """When it fell or falls due."""
    due: Amounts
    """What it asks for: scheduled principal and interest, penalty charged, fees charged."""
    paid: Amounts
    """What payments have settled of it."""
    waived: Amounts
    """What was waived, or capitalised into a restructure plan."""
    outstanding: Amounts
    """due - paid - waived."""
    days_late: int
    """Days from the due date to settlement, or to the day asked about while unsettled; 0 before due."""
    settled_on: date | None
    """The day it was fully paid, or ``None``."""
    phase: int
    """Index into :attr:`Loan.phases`: which schedule it belongs to."""


@typing.final
@attrs.frozen(repr=False)
class Phase:
    """A schedule in force from a date: the original, or one made by a prepayment or restructure."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    start: date
    """The day it took effect."""
    schedule: Schedule
    """The schedule (its terms say how it was built)."""
    cause: str
    """``"origination"``, ``"prepayment"`` or ``"restructure"``."""


_Raw = tuple[int, date, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal,
             Decimal, Decimal, Decimal, Decimal, date | None, int]


def _installment(raw: _Raw, as_of: date) -> InstallmentState:
    (number, due, p_due, i_due, pen_due, fee_due, p_paid, i_paid, pen_paid, fee_paid,
     p_w, i_w, pen_w, fee_w, settled, phase) = raw
    outstanding = Amounts(p_due - p_paid - p_w, i_due - i_paid - i_w, pen_due - pen_paid - pen_w,
                          fee_due - fee_paid - fee_w)
    end = settled if settled is not None else as_of
    return InstallmentState(number, due, Amounts(p_due, i_due, pen_due, fee_due),
                            Amounts(p_paid, i_paid, pen_paid, fee_paid), Amounts(p_w, i_w, pen_w, fee_w),
                            outstanding, max(0, (end - due).days), settled, phase)


def _state_rows(value: typing.Iterable[_Raw] | StateRows) -> StateRows:
    # The fold's own rows are kept as they are; rows given by hand (tuples) are kept column by column.
    # A frozen value keeps no container of the caller's: a list passed in is copied.
    if isinstance(value, StateRows):
        return value
    return StateRows.from_raw(to_tuple("rows", value))


_MAX_DAYS: Final = 366_000
"""The most days :meth:`Loan.states` and :meth:`Loan.timeline` read at once (about a thousand years)."""


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class LoanState:
    """A loan's position at the end of a day: the pure fold of its events up to that day.

    >>> from loanrules import LoanTerms
    >>> t = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
    >>> s = Loan(t).state(as_of=date(2026, 2, 3))
    >>> s.days_past_due, s.status, s.overdue.total
    (2, Status.OVERDUE, Decimal('106.73'))
    """

    as_of: date
    """The day: every event on or before it is counted, with that day's penalty."""
    days_past_due: int
    """as_of - the due date of the oldest installment owing more than the tolerance; 0 if none."""
    status: Status
    """CURRENT, GRACE, OVERDUE or SETTLED."""
    overdue: Amounts
    """What installments due before ``as_of`` still owe."""
    due_now: Amounts
    """What installments due on or before ``as_of`` still owe: what a payment today must cover."""
    payoff: Decimal
    """The amount that settles the loan today (结清金额): due now, the principal not yet
    due, interest accrued in the current period and any prepayment fee."""
    principal_outstanding: Decimal
    """All principal not yet repaid, due or not."""
    accrued_interest: Decimal
    """Contract interest accrued in the current period up to ``as_of`` (not yet due)."""
    next_due_date: date | None
    """The earliest installment due on or after ``as_of`` that still owes anything."""
    next_due_amount: Decimal
    """What that installment owes (0 if none)."""
    credit: Decimal
    """Paid beyond everything owed, held for the borrower."""
    prepayment_fees: Decimal
    """Prepayment fees (违约金) charged so far."""
    restructured_on: date | None
    """The day of the latest restructure (协商还款), or ``None``."""
    _rows: StateRows = attrs.field(repr=False, alias="rows", converter=_state_rows)
    _loan: Loan | None = attrs.field(default=None, alias="loan", eq=False, repr=False)
    """The loan this state was read from (for the repr), or ``None``."""

    def __repr__(self) -> str:
        """``Loan(...).state(datetime.date(...))``: the loan and the day it came from, which evaluate back.

        A state built by hand, not read from a loan, shows its fields and its rows.
        """
        if self._loan is not None:
            return f"{self._loan!r}.state({self.as_of!r})"
        fields = [f"{field.alias}={getattr(self, field.name)!r}" for field in attrs.fields(LoanState)
                  if field.name != "_loan"]  # the rows show as their tuples (StateRows' repr)
        return f"LoanState({', '.join(fields)})"

    def to_records(self) -> list[dict[str, object]]:
        """The installments as flat, JSON-safe dicts: dates ISO 8601, amounts decimal strings.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
        >>> record = Loan(t).state(as_of=date(2026, 2, 5)).to_records()[0]
        >>> record["due_date"], record["due_principal"], record["outstanding_total"], record["days_late"]
        ('2026-02-01', '100.00', '100.00', 4)
        """
        records = []
        for row in self.installments:
            record: dict[str, object] = {"number": row.number, "due_date": row.due_date.isoformat()}
            for part, amounts in (("due", row.due), ("paid", row.paid), ("waived", row.waived),
                                  ("outstanding", row.outstanding)):
                for name, value in zip(Amounts._fields, amounts, strict=True):
                    record[f"{part}_{name}"] = str(value)
                record[f"{part}_total"] = str(amounts.total)
            record.update(days_late=row.days_late,
                          settled_on=None if row.settled_on is None else row.settled_on.isoformat(),
                          phase=row.phase)
            records.append(record)
        return records

    def _repr_html_(self) -> str:
        """The state as HTML for notebooks: its figures, then every installment; overdue rows marked."""
        from loanrules import _html  # noqa: PLC0415 - only notebooks ask for it

        summary = _html.facts((
            ("as of", self.as_of), ("status", self.status.value), ("days past due", self.days_past_due),
            ("overdue", self.overdue.total), ("due now", self.due_now.total), ("payoff", self.payoff),
            ("principal outstanding", self.principal_outstanding), ("accrued interest", self.accrued_interest),
            ("next due", None if self.next_due_date is None else f"{self.next_due_date} ({self.next_due_amount})"),
            ("credit", self.credit)))
        rows: list[tuple[tuple[object, ...], str]] = []
        zero = Amounts(_ZERO, _ZERO, _ZERO, _ZERO)
        totals = [zero, zero, zero, zero]
        for row in self.installments:
            overdue = row.due_date < self.as_of and row.outstanding.total > 0
            rows.append(((row.number, row.due_date, row.due.principal, row.due.interest, row.due.penalty,
                          row.due.fee, row.paid.total, row.waived.total, row.outstanding.total, row.days_late,
                          row.settled_on), "loanrules-overdue" if overdue else ""))
            totals = [Amounts(*(a + b for a, b in zip(total, part, strict=True)))
                      for total, part in zip(totals, (row.due, row.paid, row.waived, row.outstanding), strict=True)]
        due, paid, waived, outstanding = totals
        rows.append((("total", "", due.principal, due.interest, due.penalty, due.fee, paid.total, waived.total,
                      outstanding.total, None, None), "loanrules-total"))
        headers = ("#", "due date", "principal", "interest", "penalty", "fee", "paid", "waived", "outstanding",
                   "days late", "settled on")
        return _html.page(summary, _html.table(headers, rows, caption=f"installments as of {self.as_of}"))

    @property
    def installments(self) -> tuple[InstallmentState, ...]:
        """Every installment as of ``as_of`` (built on access from the fold's record).

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
        >>> Loan(t).state(as_of=date(2026, 2, 5)).installments[0].days_late
        4
        """
        as_of = self.as_of
        with decimal.localcontext(CONTEXT):
            return tuple(_installment(raw, as_of) for raw in self._rows.raw())


# ---------------------------------------------------------------------------
# Events


def _positive(_instance: object, attribute: typing.Any, value: Decimal) -> None:
    if value <= 0:
        raise InvalidValueError(attribute.name, "must be > 0", value)


def _not_negative(_instance: object, attribute: typing.Any, value: Decimal) -> None:
    if value < 0:
        raise InvalidValueError(attribute.name, "must be >= 0", value)


def _optional_amount(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "amount")


def _optional_positive(_instance: object, attribute: typing.Any, value: Decimal | None) -> None:
    if value is not None and value <= 0:
        raise InvalidValueError(attribute.name, "must be > 0 or None (all of it)", value)


def _optional_rate(_instance: object, _attribute: object, value: Rate | None) -> None:
    if value is not None and not isinstance(value, Rate):
        raise InvalidTypeError("rate", "must be a Rate or None", value)


def _optional_method(_instance: object, _attribute: object, value: RepaymentMethod | None) -> None:
    if value is not None and not isinstance(value, RepaymentMethod):
        raise InvalidTypeError("method", "must be a RepaymentMethod or None", value)


def _amount(value: object) -> Decimal:
    return to_decimal(value, "amount")


def _on(instance: object, _attribute: object, value: date) -> None:
    day = PLAIN_DATE.check(value, "on")
    if day is not value:  # a date subclass keeps only its day
        object.__setattr__(instance, "on", day)


def _recast(_instance: object, _attribute: object, value: Recast) -> None:
    MemberOf(Recast).check(value, "recast")


def _component(_instance: object, _attribute: object, value: Component) -> None:
    MemberOf(Component).check(value, "component")


def _term(_instance: object, _attribute: object, value: int) -> None:
    IntIn(1, MAX_TERM).check(value, "term")


def _flag(_instance: object, attribute: typing.Any, value: bool) -> None:
    EXACT_BOOL.check(value, attribute.name)


@typing.final
@attrs.frozen(repr=False)
class Payment:
    """A payment of ``amount`` on ``on``, allocated by the loan's :class:`Allocation`.

    Each event checks its own fields; the :class:`Loan` that records it checks
    the rest (the currency's minor unit, the day against the loan's start, and
    the rules its terms set).

    >>> Payment(date(2026, 2, 1), "106.62")
    Payment(on=datetime.date(2026, 2, 1), amount=Decimal('106.62'))
    >>> Payment(date(2026, 2, 1), "-5")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'amount' must be > 0, got Decimal('-5')
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    amount: Decimal = attrs.field(converter=_amount, validator=_positive)


@typing.final
@attrs.frozen(repr=False)
class Prepayment:
    """An active prepayment (提前还款): settles what is due and accrued, then reduces principal."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    amount: Decimal = attrs.field(converter=_amount, validator=_positive)
    recast: Recast = attrs.field(validator=_recast)


@typing.final
@attrs.frozen(repr=False)
class Settlement:
    """A payoff (结清) of ``amount``, the payoff the loan showed when it was recorded."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    amount: Decimal = attrs.field(converter=_amount, validator=_not_negative)


@typing.final
@attrs.frozen(repr=False)
class Waiver:
    """A waiver (减免) of ``amount`` of ``component`` (``None``: all of it outstanding that day)."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    component: Component = attrs.field(validator=_component)
    amount: Decimal | None = attrs.field(converter=_optional_amount, validator=_optional_positive)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Restructure:
    """A negotiated plan (协商还款 / 个性化分期) that re-amortizes what is owed from ``on``.

    >>> Restructure(on=date(2026, 4, 1), term=0)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'term' must lie in [1, 12000], got 0
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    term: int = attrs.field(validator=_term)
    rate: Rate | None = attrs.field(default=None, validator=_optional_rate)
    method: RepaymentMethod | None = attrs.field(default=None, validator=_optional_method)
    waive_penalty: bool = attrs.field(default=False, validator=_flag)
    waive_fee: bool = attrs.field(default=False, validator=_flag)


Event = Payment | Prepayment | Settlement | Waiver | Restructure
"""Any event a loan records."""


_COMPONENTS: Final = (Component.PRINCIPAL, Component.INTEREST, Component.PENALTY, Component.FEE)
_COMPONENT_INDEX: Final = {component: index for index, component in enumerate(_COMPONENTS)}


# ---------------------------------------------------------------------------
# The loan


_EVENT_TYPES: Final = (Payment, Prepayment, Settlement, Waiver, Restructure)


def _checked_count(loan: Loan) -> int:
    """How many of ``loan``'s first events were checked already (a loan recording one more event)."""
    events, checked = loan.events, loan._checked
    return len(checked) if checked and (checked is events or events[:len(checked)] == checked) else 0


def _check_events(loan: Loan, _attribute: object, events: tuple[Event, ...]) -> None:
    """What every event must be, whatever came before it: its type, its day, its amounts.

    A loan that records one event more than another checks only the events
    after the other's (``_checked``), so that a chain of payments costs a
    tuple copy each, not a check of every event each.
    """
    done = _checked_count(loan)
    previous: date | None = events[done - 1].on if done else None
    start, currency = loan.terms.start, loan.terms.currency
    for index in range(done, len(events)):
        event = events[index]
        if type(event) not in _EVENT_TYPES:
            raise InvalidTypeError(f"events[{index}]", "must be a loanrules event", event)
        if previous is not None and event.on < previous:
            raise InvalidValueError(f"events[{index}].on", "must not be earlier than the event before it",
                                    event.on)
        if event.on < start:
            raise InvalidValueError(f"events[{index}].on", f"must not be before the loan's start ({start})",
                                    event.on)
        amount = getattr(event, "amount", None)
        if amount is not None:
            currency.amount(amount, f"events[{index}].amount")
        previous = event.on


def _event_day(event: Event) -> date:
    return event.on


def _to_events(value: Sequence[Event]) -> tuple[Event, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidTypeError("events", "must be a sequence of events", value)
    return tuple(value)


def prepaid_principal(loan: Loan, state: LoanState, amount: Decimal) -> Decimal:
    """The principal a prepayment of ``amount`` on ``state.as_of`` repays: the one home of the rule.

    What is due is paid first, then the interest accrued in the period; of
    the rest, principal = rest / (1 + fee rate) rounded down to the minor
    unit, and the fee is the remainder. The fold applies this rule; the
    checks of :meth:`Loan.prepay` and the Hypothesis strategies read it here.
    """
    rest = amount - state.due_now.total - state.accrued_interest
    if rest <= 0:
        return loan.terms.currency.quantum * 0
    rules = loan.prepayment
    return prepayment_split(rest, rules.fee_rate, rules.fee_minimum, loan.terms.currency.quantum)[0]


def least_prepayment(loan: Loan, state: LoanState) -> Decimal:
    """The least amount :meth:`Loan.prepay` accepts on ``state.as_of`` (the rules of :func:`prepaid_principal`).

    What is due and accrued, plus at least one minor unit, and enough that
    the principal it repays after the fee, rounded down, is at least one
    minor unit and reaches the minimum (or all the principal not yet due, if
    that is less).
    """
    quantum = loan.terms.currency.quantum
    remaining = state.principal_outstanding - state.due_now.principal
    minimum = loan.prepayment.minimum.quantize(quantum, decimal.ROUND_CEILING, _ACCRUAL)
    principal = min(max(quantum, minimum), remaining)
    with_fee = max(_ACCRUAL.multiply(principal, 1 + loan.prepayment.fee_rate).quantize(
        quantum, decimal.ROUND_CEILING, _ACCRUAL), principal + loan.prepayment.fee_minimum)
    return state.due_now.total + state.accrued_interest + max(quantum, with_fee)


@typing.final
@attrs.frozen(repr=False)
class Loan:
    """A loan: its terms, how it is serviced, and the events recorded so far.

    Every method that records an event returns a new ``Loan``; the events
    stay ordered by date (events of one day in the order they were added).
    A loan rebuilt from stored events (``Loan(terms, events=...)``) is
    checked exactly as the methods check each event when it is recorded:
    an event the methods would refuse is refused, with its path
    (``events[3].amount``).

    Args:
        terms: The contract's terms.
        penalty: Penalty interest, grace and late fees.
        prepayment: The rules of active repayment.
        allocation: How payments are split.
        tolerance: An installment owing no more than this does not count as past due.
        events: The recorded events, in date order.

    >>> from loanrules import LoanTerms
    >>> loan = Loan(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1)))
    >>> loan.pay(on=date(2026, 2, 1), amount="340.02").state(as_of=date(2026, 2, 1)).next_due_date
    datetime.date(2026, 3, 1)
    >>> Loan(loan.terms, events=[Payment(date(2026, 2, 1), "340.025")])
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'events[0].amount' must have at most 2 decimal places for CNY, got Decimal('340.025')
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    terms: LoanTerms = attrs.field()
    penalty: PenaltyTerms = attrs.field(default=PenaltyTerms(), kw_only=True)
    prepayment: PrepaymentTerms = attrs.field(default=PrepaymentTerms(), kw_only=True)
    allocation: Allocation = attrs.field(default=Allocation(), kw_only=True)
    tolerance: Decimal = attrs.field(default=_ZERO, converter=_dec_tolerance, kw_only=True)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_to_events, validator=_check_events,
                                            kw_only=True)
    _original: Schedule | None = attrs.field(default=None, alias="original_schedule", kw_only=True,
                                             repr=False, eq=False)
    # A prefix of ``events`` already checked against the state before each of its events (set by
    # the methods that record one event); only the events after it are checked again.
    _checked: tuple[Event, ...] = attrs.field(default=(), alias="_checked", kw_only=True, repr=False, eq=False)
    # What the fold needs of the original schedule, for these terms, carried from loan to loan as
    # events are recorded. The schedule itself is not kept (rebuilt when asked for): half the memory.
    _columns: tuple[LoanTerms, _Columns] | None = attrs.field(default=None, alias="_columns", kw_only=True,
                                                             repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # Read the original schedule into columns once; a schedule handed in is
        # reused only if it is the schedule of these very terms. It is not kept.
        carried = self._columns
        if carried is None or (carried[0] is not self.terms and carried[0] != self.terms):
            schedule = self._original
            if schedule is None or schedule.terms != self.terms:
                schedule = build_schedule(self.terms)
            object.__setattr__(self, "_columns", (self.terms, _schedule_columns(schedule)))
        object.__setattr__(self, "_original", None)
        events = self.events
        for index in range(_checked_count(self), len(events)):
            event = events[index]
            if type(event) in (Prepayment, Settlement, Restructure):
                self._prefix(index)._check_event(event, f"events[{index}]")

    @property
    def original_schedule(self) -> Schedule:
        """The schedule the terms build, before any event (built again on each access: a loan keeps
        only the columns its fold reads)."""
        return build_schedule(self.terms)

    @terms.validator
    def _check_terms(self, _attribute: object, terms: LoanTerms) -> None:
        if not isinstance(terms, LoanTerms):
            raise InvalidTypeError("terms", "must be a LoanTerms", terms)

    @tolerance.validator
    def _check_parts(self, _attribute: object, tolerance: Decimal) -> None:
        for field, kind in (("penalty", PenaltyTerms), ("prepayment", PrepaymentTerms),
                            ("allocation", Allocation)):
            if not isinstance(getattr(self, field), kind):
                raise InvalidTypeError(field, f"must be a {kind.__name__}", getattr(self, field))
        if tolerance < 0:
            raise InvalidValueError("tolerance", "must be >= 0", tolerance)
        currency = self.terms.currency
        currency.amount(tolerance, "tolerance")
        currency.amount(self.penalty.late_fee, "late_fee")
        currency.amount(self.prepayment.minimum, "prepayment.minimum")

    # -- recording events ---------------------------------------------------

    def _prefix(self, count: int) -> Loan:
        """This loan with only its first ``count`` events (already checked)."""
        events = self.events[:count]
        return attrs.evolve(self, events=events, _checked=events)

    def _check_on(self, on: object) -> date:
        day = check_date(on, "on")
        if day < self.terms.start:
            raise InvalidValueError("on", f"must not be before the loan's start ({self.terms.start})", day)
        return day

    def _check_event(self, event: Event, path: str = "") -> None:
        """Refuse ``event`` if the rules refuse it on this loan (whose events all come before it)."""
        if isinstance(event, Prepayment):
            self._check_prepay(event.on, event.amount, path)
        elif isinstance(event, Settlement):
            self._check_prepayment(event.on, path)
        elif isinstance(event, Restructure):
            if self.state(as_of=event.on).status is Status.SETTLED:
                raise RefusedEventError("settled", f"the loan is already settled on {event.on}", path=path)
            try:
                self._with(event).phases  # noqa: B018 - building the plan is the check
            except LoanRulesError as error:
                raise RefusedEventError("buildable", f"the plan cannot be built: {error}", path=path) from None

    def _with(self, event: Event) -> Loan:
        """This loan with ``event`` recorded after the events of its day, unchecked beyond them."""
        index = bisect.bisect_right(self.events, event.on, key=_event_day)
        if index == len(self.events):
            # Appended after every event: the fields are this loan's, every event is checked
            # (this one by the method recording it, the others by this loan), so copy them.
            events = self.events + (event,)  # noqa: RUF005 - one copy, not a list built and copied
            loan: Loan = object.__new__(Loan)
            for name in _LOAN_FIELDS:
                object.__setattr__(loan, name, getattr(self, name))
            object.__setattr__(loan, "events", events)
            object.__setattr__(loan, "_checked", events)
            return loan
        events = (*self.events[:index], event, *self.events[index:])
        return attrs.evolve(self, events=events, _checked=events[:index + 1])

    def _record(self, event: Event) -> Loan:
        self._check_event(event)
        return self._with(event)

    def _amount(self, amount: object, field: str = "amount") -> Decimal:
        value = self.terms.currency.amount(amount, field)
        if value <= 0:
            raise InvalidValueError(field, "must be > 0", value)
        return value

    def pay(self, on: date, amount: object) -> Loan:
        """Record a payment; returns the new loan.

        Args:
            on: The day the money arrived (it counts at the end of that day).
            amount: The amount, in the currency's minor unit at most.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> Loan(t).pay(on=date(2026, 2, 1), amount="100").events
        (Payment(on=datetime.date(2026, 2, 1), amount=Decimal('100.00')),)
        """
        payment: Payment = object.__new__(Payment)  # both fields checked here, as Payment() would
        object.__setattr__(payment, "on", self._check_on(on))
        object.__setattr__(payment, "amount", self._amount(amount))
        return self._with(payment)

    def prepay(self, on: date, amount: object, recast: Recast | None = None) -> Loan:
        """Record an active prepayment (提前还款): due first, then accrued interest, then principal.

        Raises:
            RefusedEventError: The prepayment terms refuse it; ``rule`` names the rule:
                ``settled``, ``allowed``, ``lockout_periods``, ``max_per_day``, ``covers_due``,
                ``repays_principal`` (after the fee, rounded down, it repays no principal) or
                ``minimum``.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
        >>> Loan(t, prepayment=PrepaymentTerms(lockout_periods=3)).prepay(on=date(2026, 2, 10), amount="500")
        Traceback (most recent call last):
        ...
        loanrules.errors.RefusedEventError: refused by rule 'lockout_periods': prepayment is locked out until installment 3 has fallen due (2026-04-01)
        """
        day, value = self._check_on(on), self._amount(amount)
        if recast is not None and not isinstance(recast, Recast):
            raise InvalidTypeError("recast", "must be a Recast or None", recast)
        return self._record(Prepayment(day, value, recast or self.prepayment.recast))

    def _check_prepay(self, on: date, value: Decimal, path: str) -> None:
        state = self._check_prepayment(on, path)
        owed = state.due_now.total + state.accrued_interest
        if value <= owed:
            raise RefusedEventError("covers_due", f"{value} does not exceed what is due and accrued ({owed})",
                                    path=path)
        principal = prepaid_principal(self, state, value)
        remaining = state.principal_outstanding - state.due_now.principal
        if principal <= 0 < remaining:
            floor = f", at least {self.prepayment.fee_minimum}" if self.prepayment.fee_minimum else ""
            raise RefusedEventError("repays_principal", f"{value} repays no principal once the fee is paid "
                                                        f"(fee rate {self.prepayment.fee_rate}{floor})", path=path)
        minimum = self.prepayment.minimum
        if principal < minimum and principal < remaining:
            raise RefusedEventError("minimum", f"the principal prepaid ({principal}) is below the minimum "
                                               f"{minimum}", path=path)

    def _check_prepayment(self, on: date, path: str = "") -> LoanState:
        state = self.state(as_of=on)
        if state.status is Status.SETTLED:
            raise RefusedEventError("settled", f"the loan is already settled on {on}", path=path)
        if state.principal_outstanding <= state.due_now.principal:
            return state  # nothing left to prepay: a payment in all but name
        rules = self.prepayment
        if not rules.allowed:
            raise RefusedEventError("allowed", "these terms do not allow prepayment", path=path)
        if rules.lockout_periods:
            due = self._fold_columns().due
            unlock = date.fromordinal(due[min(rules.lockout_periods, len(due)) - 1])
            if on < unlock:
                raise RefusedEventError("lockout_periods", f"prepayment is locked out until installment "
                                                           f"{rules.lockout_periods} has fallen due ({unlock})",
                                        path=path)
        if rules.max_per_day is not None:
            count = sum(1 for e in self.events if e.on == on and isinstance(e, (Prepayment, Settlement)))
            if count >= rules.max_per_day:
                raise RefusedEventError("max_per_day", f"{count} prepayment(s) already recorded on {on}; "
                                                       f"at most {rules.max_per_day} a day", path=path)
        return state

    def settle(self, on: date) -> Loan:
        """Record the payoff (结清): pays exactly ``state(on).payoff``; the loan is then SETTLED.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> Loan(t).settle(on=date(2026, 1, 16)).state(as_of=date(2026, 1, 16)).status.name
        'SETTLED'
        """
        day = self._check_on(on)
        state = self._check_prepayment(day)
        return self._with(Settlement(day, state.payoff))

    def waive(self, on: date, component: Component = Component.PENALTY, amount: object | None = None) -> Loan:
        """Record a waiver (减免) of ``amount`` of ``component`` owed on ``on`` (all of it if ``None``).

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> late = Loan(t).waive(on=date(2026, 3, 1))
        >>> late.state(as_of=date(2026, 3, 1)).overdue.penalty
        Decimal('0.00')
        """
        day = self._check_on(on)
        if not isinstance(component, Component):
            raise InvalidTypeError("component", "must be a Component", component)
        value = None if amount is None else self._amount(amount)
        return self._record(Waiver(day, component, value))

    def restructure(self, on: date, term: int, rate: Rate | None = None, method: RepaymentMethod | None = None,
                    *, waive_penalty: bool = False, waive_fee: bool = False) -> Loan:
        """Record a negotiated plan (协商还款): re-amortize what is owed over ``term`` periods from ``on``.

        What is capitalised into the plan's principal: all principal outstanding,
        overdue interest and interest accrued in the current period, and the
        penalty and fees owed unless ``waive_penalty`` / ``waive_fee`` waive them.
        The old installments stay in the history; :attr:`phases` shows the plan.
        A plan that cannot be built (its dates run past the calendar's data, or
        past the year 9999) is refused when it is recorded.

        Raises:
            RefusedEventError: The loan is already settled on ``on`` (rule ``settled``).
            InvalidValueError: The plan cannot be built (``field`` is ``term``), e.g. its due
                dates run past the calendar's holiday data.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
        >>> plan = Loan(t).restructure(on=date(2026, 4, 1), term=24, waive_penalty=True)
        >>> plan.phases[-1].cause, plan.phases[-1].schedule.terms.term
        ('restructure', 24)
        """
        return self._record(Restructure(on=self._check_on(on), term=term, rate=rate, method=method,
                                        waive_penalty=waive_penalty, waive_fee=waive_fee))

    def _repr_html_(self) -> str:
        """The loan as HTML for notebooks: its terms and servicing, then its events."""
        from loanrules import _html  # noqa: PLC0415 - only notebooks ask for it

        t = self.terms
        summary = _html.facts((
            ("principal", f"{t.principal} {t.currency.code}"), ("rate", f"{(t.rate.annual * 100).normalize():f} % a year"),
            ("term", f"{t.term} {t.frequency.value}"), ("method", t.method.value), ("start", t.start),
            ("calendar", t.calendar.name), ("grace days", self.penalty.grace_days),
            ("penalty markup", self.penalty.markup), ("events", len(self.events))))
        rows = []
        for event in self.events:
            amount = getattr(event, "amount", None)
            detail = ", ".join(f"{name}={getattr(event, name).value if isinstance(getattr(event, name), enum.Enum) else getattr(event, name)}"
                               for name in ("component", "recast", "term") if hasattr(event, name))
            rows.append(((event.on, type(event).__name__.lower(), amount, detail), ""))
        return _html.page(summary, _html.table(("on", "event", "amount", "detail"), rows, caption="events"))

    # -- reading ------------------------------------------------------------

    def _fold(self, as_of: date | None) -> _Book:
        book = self._book()
        pay, apply = book.payment, self._apply
        last = date.max if as_of is None else as_of
        for event in self.events:
            if event.on > last:
                break
            if type(event) is Payment:  # the common event, without the dispatch
                pay(event.on, event.amount)
            else:
                apply(book, event)
        return book

    def _book(self) -> _Book:
        """A new book of this loan's schedule, before any event."""
        penalty, prepayment = self.penalty, self.prepayment
        servicing = _Servicing(
            penalty=penalty, with_interest=penalty.base is PenaltyBase.INSTALLMENT or penalty.compound,
            after_grace=penalty.grace is Grace.AFTER_GRACE, tolerance=self.tolerance,
            order=tuple(_COMPONENT_INDEX[c] for c in self.allocation.order),
            installment_first=self.allocation.installment_first, fee_rate=prepayment.fee_rate,
            fee_minimum=prepayment.fee_minimum,
            reduce_term=prepayment.recast is Recast.REDUCE_TERM)
        return _Book(servicing, self.terms, self._fold_columns())

    @staticmethod
    def _apply(book: _Book, event: Event) -> None:
        if isinstance(event, Payment):
            book.payment(event.on, event.amount)
        elif isinstance(event, Prepayment):
            book.prepayment(event.on, event.amount, event.recast is Recast.REDUCE_TERM)
        elif isinstance(event, Settlement):
            book.prepayment(event.on, event.amount, None)
        elif isinstance(event, Waiver):
            book.waive(event.on, _COMPONENT_INDEX[event.component], event.amount)
        else:
            book.restructure(event.on, term=event.term, rate=event.rate, method=event.method,
                             waive_penalty=event.waive_penalty, waive_fee=event.waive_fee)

    def _fold_columns(self) -> _Columns:
        assert self._columns is not None  # set in __attrs_post_init__
        return self._columns[1]

    def state(self, as_of: date) -> LoanState:
        """The loan's position at the end of ``as_of``: a pure fold of the events up to that day.

        Raises:
            InvalidValueError: ``as_of`` is before the loan's start.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> s = Loan(t).state(as_of=date(2026, 1, 20))
        >>> s.status.name, s.payoff, s.accrued_interest
        ('CURRENT', Decimal('1006.33'), Decimal('6.33'))
        """
        self._check_as_of(as_of, "as_of")
        with decimal.localcontext(_ACCRUAL):
            return self._state(self._fold(as_of), as_of)

    def states(self, days: Iterable[date]) -> tuple[LoanState, ...]:
        """The states on each of ``days``, in the order given, from one fold of the events.

        Equal, day by day, to ``tuple(loan.state(day) for day in days)``, and
        much cheaper for many days: the fold runs once through the days in date
        order, reading the position at each (a day asked twice is read twice).

        Raises:
            InvalidValueError: A day is before the loan's start (``field`` is ``days[i]``).

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
        >>> [s.days_past_due for s in Loan(t).states([date(2026, 3, 1), date(2026, 2, 10)])]
        [28, 9]
        """
        wanted = list(days)
        if len(wanted) > _MAX_DAYS:
            raise InvalidValueError("days", f"must be at most {_MAX_DAYS:,} days", len(wanted))
        for index, day in enumerate(wanted):
            self._check_as_of(day, f"days[{index}]")
        order = sorted(range(len(wanted)), key=wanted.__getitem__)
        found: list[LoanState | None] = [None] * len(wanted)
        events, next_event = self.events, 0
        with decimal.localcontext(_ACCRUAL):
            book = self._book()
            for index in order:
                day = wanted[index]
                while next_event < len(events) and events[next_event].on <= day:
                    self._apply(book, events[next_event])
                    next_event += 1
                found[index] = self._state(book, day)
        return tuple(typing.cast(list[LoanState], found))

    def timeline(self, start: date, end: date) -> tuple[LoanState, ...]:
        """The state on every day from ``start`` to ``end`` inclusive (:meth:`states` of those days).

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
        >>> [s.days_past_due for s in Loan(t).timeline(date(2026, 1, 31), date(2026, 2, 3))]
        [0, 0, 1, 2]
        """
        self._check_as_of(start, "start")
        check_date(end, "end")
        if end < start:
            raise InvalidValueError("end", f"must not be before start ({start})", end)
        if (end - start).days >= _MAX_DAYS:
            raise InvalidValueError("end", f"must be within {_MAX_DAYS:,} days of start", end)
        return self.states(start + timedelta(days=k) for k in range((end - start).days + 1))

    def _check_as_of(self, day: date, field: str) -> None:
        check_date(day, field)
        if day < self.terms.start:
            raise InvalidValueError(field, f"must not be before the loan's start ({self.terms.start})", day)

    def _state(self, book: _Book, as_of: date) -> LoanState:
        """The state at the end of ``as_of`` of a book that holds every event up to that day."""
        at = book.position(as_of)
        dpd = at.days_past_due
        if at.payoff <= 0:  # nothing due and nothing left to settle
            status = Status.SETTLED
        elif dpd == 0:
            status = Status.CURRENT
        elif dpd <= self.penalty.grace_days:
            status = Status.GRACE
        else:
            status = Status.OVERDUE
        return LoanState(
            as_of=as_of, days_past_due=dpd, status=status, overdue=Amounts(*at.overdue),
            due_now=Amounts(*at.due_now), payoff=at.payoff, principal_outstanding=at.principal_outstanding,
            accrued_interest=at.accrued_interest, next_due_date=at.next_due_date,
            next_due_amount=at.next_due_amount, credit=at.credit, prepayment_fees=at.prepayment_fees,
            restructured_on=at.restructured_on, rows=at.rows, loan=self,
        )

    @property
    def phases(self) -> tuple[Phase, ...]:
        """Every schedule the loan has had, in order: the original, then each prepayment's or plan's."""
        with decimal.localcontext(_ACCRUAL):
            return tuple(Phase(start, self.original_schedule if schedule is None else schedule, cause)
                         for start, schedule, cause in self._fold(None).phases)

    @property
    def schedule(self) -> Schedule:
        """The schedule in force after every recorded event."""
        return self.phases[-1].schedule


_LOAN_FIELDS: Final = tuple(field.name for field in attrs.fields(Loan))
