"""The installment fold: a book that takes a loan's events in order and reads a position off its rows.

``Loan.state`` builds a :class:`_Book`, feeds it the events up to a day
(payments, prepayments, settlements, waivers, restructures) and reads a
:class:`_Position` as of that day; ``Loan.state`` turns it into the public
``LoanState``. The book's parts, each on its own module: the rows
(:mod:`._book`), penalty accrual and posting (:mod:`._penalty`), allocation
(:mod:`._allocation`) and recasts (:mod:`._recast`).
"""

from __future__ import annotations

import bisect
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ._book import _FEE, _I, _P, _PEN, StateRows
from ._recast import _Recasting


class _Position(NamedTuple):
    """What a book shows at the end of a day: the figures of a ``LoanState`` but its status."""

    days_past_due: int
    overdue: tuple[Decimal, Decimal, Decimal, Decimal]
    due_now: tuple[Decimal, Decimal, Decimal, Decimal]
    payoff: Decimal
    principal_outstanding: Decimal
    accrued_interest: Decimal
    next_due_date: date | None
    next_due_amount: Decimal
    credit: Decimal
    prepayment_fees: Decimal
    restructured_on: date | None
    rows: StateRows


class _Book(_Recasting):
    """The mutable working record of one fold (private; never escapes ``Loan.state``)."""

    def position(self, as_of: date) -> _Position:
        """Advance to the end of ``as_of`` and read the position there."""
        self.advance(as_of)
        self.unlazy_all(as_of)
        today = as_of.toordinal()
        zero = self.zero
        penalty_now = self.penalty_now(as_of) if self.accrued else {}
        overdue = [zero, zero, zero, zero]
        due_now = [zero, zero, zero, zero]
        dpd = 0
        out = self.out
        for i in self.open:
            owed = (out[_P][i], out[_I][i], out[_PEN][i] + penalty_now.get(i, zero), out[_FEE][i])
            for index in range(4):
                due_now[index] += owed[index]
                if self.due[i] < today:
                    overdue[index] += owed[index]
            if not dpd and sum(owed) > self.tolerance:
                dpd = today - self.due[i]
        _k, future_principal, accrued, _ahead_p, ahead_i = self.current_period(as_of)
        due_total = due_now[0] + due_now[1] + due_now[2] + due_now[3]
        # Installments paid ahead were paid as scheduled, with their full interest;
        # interest paid ahead beyond what has accrued lowers the payoff, never below what is due.
        payoff = due_total
        if self.owing_ahead():
            payoff += self.rest_of_payoff(future_principal, accrued, ahead_i)
        principal_outstanding = future_principal + due_now[0]
        next_date: date | None = None
        next_amount = zero
        for i in range(bisect.bisect_left(self.due, today), len(self.due)):
            left = self.owed_total(i) + penalty_now.get(i, zero)
            if left > 0:
                next_date, next_amount = date.fromordinal(self.due[i]), left
                break
        return _Position(
            dpd, (overdue[0], overdue[1], overdue[2], overdue[3]), (due_now[0], due_now[1], due_now[2], due_now[3]),
            payoff, principal_outstanding, accrued, next_date, next_amount, self.credit, self.prepayment_fees,
            self.restructured_on, self.state_rows(penalty_now),
        )
