"""What a fold reports: amounts by component, installment states, phases, the loan's state (private)."""

from __future__ import annotations

import decimal
import typing
from datetime import date
from decimal import Decimal
from typing import NamedTuple

import attrs

from loanrules.conventions._money import CONTEXT
from loanrules.schedule._schedule import Schedule

from ._terms import Status

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
@attrs.frozen
class Phase:
    """A schedule in force from a date: the original, or one made by a prepayment or restructure."""

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


@typing.final
@attrs.frozen(kw_only=True)
class LoanState:
    """A loan's position at the end of a day: the pure fold of its events up to that day.

    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
    >>> s = Loan(t).state(as_of=date(2026, 2, 3))
    >>> s.days_past_due, s.status, s.overdue.total
    (2, <Status.OVERDUE: 'overdue'>, Decimal('106.73'))
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
    _rows: tuple[_Raw, ...] = attrs.field(repr=False, alias="rows")

    @property
    def installments(self) -> tuple[InstallmentState, ...]:
        """Every installment as of ``as_of`` (built on access from the fold's record).

        >>> from loanrules import Loan, LoanTerms, Rate
        >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
        >>> Loan(t).state(as_of=date(2026, 2, 5)).installments[0].days_late
        4
        """
        as_of = self.as_of
        with decimal.localcontext(CONTEXT):
            return tuple(_installment(raw, as_of) for raw in self._rows)


