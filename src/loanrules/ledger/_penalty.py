"""Penalty interest (罚息) and late fees on the rows of a book: accrual, posting, grace.

Penalty accrues unrounded per overdue row (``accrued``: the exact sum of
base x annual penalty rate x days); posting divides by the day basis,
rounds half up and adds the result to what the row owes. The rules and
worked figures are in docs/explanation/penalty-interest.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from loanrules.schedule._schedule import LoanTerms, Schedule

from ._book import _ACCRUAL, _EXACT, _FEE, _I, _P, _PEN, _ZERO, _Columns, _Rows, _Servicing


class _Accruing(_Rows):
    """A book whose overdue rows accrue penalty interest and late fees as days pass."""

    def __init__(self, servicing: _Servicing, terms: LoanTerms, schedule: Schedule, columns: _Columns) -> None:
        super().__init__(servicing, terms, schedule, columns)
        penalty = servicing.penalty
        self.basis = Decimal(penalty.day_basis)
        self.grace = timedelta(days=penalty.grace_days)
        self.accrual_offset = self.grace if servicing.after_grace else timedelta(0)
        self.with_interest = servicing.with_interest

    # -- time passes --------------------------------------------------------

    def advance(self, to: date) -> None:
        """Accrue penalty and charge late fees through the end of ``to``."""
        if to <= self.day:
            return
        due, n, m = self.due, len(self.due), self.matured
        if m < n and due[m] <= to:
            out_p, out_i, out_pen, out_fee = self.out
            while m < n and due[m] <= to:
                if out_p[m] + out_i[m] + out_pen[m] + out_fee[m] > 0:
                    self.open.append(m)
                m += 1
            self.matured = m
        if self.open:
            self._accrue(to)
        self.day = to

    def _accrue(self, to: date) -> None:
        day, offset, grace = self.day, self.accrual_offset, self.grace
        late_fee, tolerance = self.penalty.late_fee, self.tolerance
        out_p, out_i = self.out[_P], self.out[_I]
        for i in self.open:
            first = self.due[i] + offset  # accrual runs on the days after this one
            days = (to - (first if first > day else day)).days
            if days > 0:
                base = out_p[i] + out_i[i] if self.with_interest else out_p[i]
                if base > 0:
                    rate = self.penalty_rates[self.phase_of[i]]
                    gained = _EXACT.multiply(_EXACT.multiply(base, rate), Decimal(days))
                    self.accrued[i] = _EXACT.add(self.accrued.get(i, _ZERO), gained)
            if i not in self.fee_done and self.due[i] + grace < to:
                # The grace ended within (day, to]: charge the late fee if still unpaid then.
                self.fee_done.add(i)
                if late_fee and out_p[i] + out_i[i] > tolerance:
                    self.asked[_FEE][i] += late_fee
                    self.out[_FEE][i] += late_fee

    def chargeable(self, i: int, day: date) -> bool:
        """Whether row ``i``'s accrued penalty is owed on ``day`` (its grace is over)."""
        return day > self.due[i] + self.grace

    def post(self, day: date) -> None:
        """Round and post every chargeable accrued penalty, as a payment does."""
        if not self.accrued:
            return
        for i in self.open:
            accrued = self.accrued.get(i)
            if accrued is not None and self.chargeable(i, day):
                posted = self.rounded_penalty(accrued)
                self.asked[_PEN][i] += posted
                self.out[_PEN][i] += posted
                del self.accrued[i]

    def rounded_penalty(self, accrued: Decimal) -> Decimal:
        """An accrued sum (base x rate x days) divided by the day basis, rounded half up."""
        return _ACCRUAL.divide(accrued, self.basis).quantize(self.quantum, ROUND_HALF_UP, _ACCRUAL)

    def penalty_now(self, day: date) -> dict[int, Decimal]:
        """The rounded penalty accrued and not yet posted, by row, that is owed on ``day``."""
        return {i: self.rounded_penalty(accrued) for i, accrued in self.accrued.items() if self.chargeable(i, day)}

    def close_paid(self, day: date) -> None:
        """Drop settled rows from the open list; forgive penalty paid within grace (BACKDATE)."""
        still: list[int] = []
        out_p, out_i, out_pen, out_fee = self.out
        accrued = self.accrued
        for i in self.open:
            if accrued and i in accrued and out_p[i] <= 0 and out_i[i] <= 0 and not self.chargeable(i, day):
                del accrued[i]  # paid within grace: the penalty stays 0
            if out_p[i] + out_i[i] + out_pen[i] + out_fee[i] > 0 or i in accrued:
                still.append(i)
            elif self.settled_on[i] is None:
                self.settled_on[i] = day
        self.open = still
