"""The fold's working record: the rows of a loan as columns, and what each event does to them (private)."""

from __future__ import annotations

import bisect
import decimal
import typing
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from loanrules.schedule._schedule import LoanTerms, RepaymentMethod, build_schedule

from ._events import Restructure
from ._state import Amounts, LoanState, Phase, _Raw
from ._terms import _ACCRUAL, _EXACT, _ZERO, Component, Grace, PenaltyBase, Recast, Status

if typing.TYPE_CHECKING:
    from ._loan import Loan

# ---------------------------------------------------------------------------
# The fold


_P, _I, _PEN, _FEE = 0, 1, 2, 3


class _Book:
    """The mutable working record of one fold (private; never escapes ``Loan.state``).

    Rows are columns of parallel lists: what each row asks for (``asked``),
    what was paid (``paid``) and what it still owes (``out``), one list per
    component (principal, interest, penalty, fee), plus dates and bookkeeping.
    """

    def __init__(self, loan: Loan) -> None:
        self.loan = loan
        self.penalty = loan.penalty
        self.order = tuple(_COMPONENT_INDEX[c] for c in loan.allocation.order)
        self.ahead_order = tuple(c for c in self.order if c in (_P, _I))
        self.installment_first = loan.allocation.installment_first
        self.tolerance = loan.tolerance
        self.quantum = loan.terms.currency.quantum
        self.zero = zero = self.quantum * 0
        self.phases: list[Phase] = [Phase(loan.terms.start, loan.original_schedule, "origination")]
        self.phase_terms: list[LoanTerms] = [loan.terms]
        cols = loan._columns
        n = len(cols[0])
        self.due: list[date] = list(cols[0])
        self.start: list[date] = list(cols[2])
        zeros = [zero] * n
        self.asked: list[list[Decimal]] = [list(cols[3]), list(cols[4]), zeros[:], zeros[:]]
        self.paid: list[list[Decimal]] = [zeros[:], zeros[:], zeros[:], zeros[:]]
        self.out: list[list[Decimal]] = [list(cols[3]), list(cols[4]), zeros[:], zeros[:]]
        self.waived: dict[int, list[Decimal]] = {}
        self.accrued: dict[int, Decimal] = {}
        self.fee_done: set[int] = set()
        self.settled_on: list[date | None] = [None] * n
        self.phase_of: list[int] = [0] * n
        self.day = loan.terms.start
        self.matured = 0  # rows [0, matured) are due on or before self.day
        self.open: list[int] = []  # due rows still owing, oldest first
        self.credit = zero
        self.prepayment_fees = zero
        self.restructured_on: date | None = None
        self.paid_ahead = False  # whether any future row has been paid (a shortcut, never cleared)
        self.penalty_rates = [loan.penalty.annual_rate(loan.terms.rate)]
        self.basis = Decimal(loan.penalty.day_basis)
        self.grace = timedelta(days=loan.penalty.grace_days)
        self.accrual_offset = self.grace if loan.penalty.grace is Grace.AFTER_GRACE else timedelta(0)
        self.with_interest = loan.penalty.base is PenaltyBase.INSTALLMENT or loan.penalty.compound

    # -- what a row owes ----------------------------------------------------

    def owed_total(self, i: int) -> Decimal:
        out = self.out
        return out[_P][i] + out[_I][i] + out[_PEN][i] + out[_FEE][i]

    def pay_component(self, i: int, component: int, amount: Decimal) -> Decimal:
        """Pay up to ``amount`` of ``component`` of row ``i``; return what is left."""
        out = self.out[component]
        owed = out[i]
        if owed <= 0:
            return amount
        paid = owed if owed < amount else amount
        out[i] = owed - paid
        self.paid[component][i] += paid
        return amount - paid

    def reduce(self, i: int, component: int, amount: Decimal) -> None:
        """Waive or capitalise ``amount`` of ``component`` of row ``i``."""
        self.out[component][i] -= amount
        self.waived.setdefault(i, [self.zero] * 4)[component] += amount

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

    # -- events -------------------------------------------------------------

    def allocate_due(self, amount: Decimal) -> Decimal:
        if self.installment_first:
            out, paid = self.out, self.paid
            for i in self.open:
                for component in self.order:
                    column = out[component]
                    owed = column[i]
                    if owed > 0:
                        take = owed if owed < amount else amount
                        column[i] = owed - take
                        paid[component][i] += take
                        amount -= take
                        if not amount:
                            return amount
            return amount
        pay = self.pay_component
        for component in self.order:
            for i in self.open:
                amount = pay(i, component, amount)
        return amount

    def pay_ahead(self, amount: Decimal, day: date) -> Decimal:
        self.paid_ahead = True
        for i in range(self.matured, len(self.due)):
            if amount <= 0:
                break
            for component in self.ahead_order:
                amount = self.pay_component(i, component, amount)
            if self.owed_total(i) <= 0 and self.settled_on[i] is None:
                self.settled_on[i] = day
        return amount

    def payment(self, day: date, amount: Decimal) -> None:
        self.advance(day)
        if self.accrued:
            self.post(day)
        amount = self.allocate_due(amount)
        self.close_paid(day)
        if amount:
            self.credit += self.pay_ahead(amount, day)

    def waive(self, day: date, component: Component, amount: Decimal | None) -> None:
        self.advance(day)
        self.post(day)
        index = _COMPONENT_INDEX[component]
        for i in self.open:
            owed = self.out[index][i]
            if owed <= 0:
                continue
            take = owed if amount is None else min(owed, amount)
            self.reduce(i, index, take)
            if amount is not None:
                amount -= take
                if not amount:
                    break
        self.close_paid(day)

    def current_period(self, day: date) -> tuple[int, Decimal, Decimal, Decimal, Decimal]:
        """The period ``day`` falls in.

        Returns (first future row, principal still owed from it on, interest
        accrued in its period up to ``day``, principal and interest already
        paid ahead on the future rows). Interest accrues on the scheduled
        balance: paying an installment ahead does not shorten its period.
        """
        k, n = self.matured, len(self.due)
        owed = sum(self.out[_P][k:], self.zero)
        if self.paid_ahead:
            paid_p = sum(self.paid[_P][k:], self.zero)
            paid_i = sum(self.paid[_I][k:], self.zero)
        else:
            paid_p = paid_i = self.zero
        if k >= n or day <= self.start[k]:
            return k, owed, self.zero, paid_p, paid_i
        terms = self.phase_terms[self.phase_of[k]]
        fraction = terms.day_count.fraction(self.start[k], day)
        exact = _EXACT.multiply(_EXACT.multiply(owed + paid_p, terms.rate.annual), Decimal(fraction.numerator))
        accrued = _ACCRUAL.divide(exact, Decimal(fraction.denominator)).quantize(
            self.quantum, ROUND_HALF_UP, _ACCRUAL)
        return k, owed, min(accrued, self.asked[_I][k]), paid_p, paid_i

    def prepayment(self, day: date, amount: Decimal, recast: Recast | None) -> None:
        """A prepayment (``recast``) or a settlement (``recast is None``).

        Pays what is due, then the interest accrued in the current period,
        then principal (net of the fee); the rest of the schedule is rebuilt.
        """
        self.advance(day)
        self.post(day)
        amount = self.allocate_due(amount)
        self.close_paid(day)
        k, future, accrued, ahead_p, ahead_i = self.current_period(day)
        available = amount + ahead_i - accrued
        if self.open or future <= 0 or available <= 0:
            self.credit += self.pay_ahead(amount, day)
            return
        fee_rate = self.loan.prepayment.fee_rate
        full_fee = (future * fee_rate).quantize(self.quantum, ROUND_HALF_UP, _ACCRUAL)
        interest = accrued
        if available >= future + full_fee:
            principal, fee = future, full_fee
            # Interest paid ahead repays principal and fee, but is never paid back
            # in cash: beyond them it stays interest (the payoff never goes below 0).
            kept = ahead_i - accrued - future - full_fee
            if kept > 0:
                interest += kept
                available -= kept
        else:
            principal = _ACCRUAL.divide(available, 1 + fee_rate).quantize(self.quantum, ROUND_DOWN, _ACCRUAL)
            fee = available - principal
        self.credit += available - principal - fee
        self.prepayment_fees += fee
        start, phase = self.start[k], self.phase_of[k]
        self._truncate(k)
        # The closing row: what this prepayment settled of the current period.
        settled = principal + ahead_p
        self._append_row(day, start, phase, asked=(settled, interest, self.zero, fee),
                         paid=(settled, interest, self.zero, fee))
        if future > principal:
            self._rebuild(day, self.phase_terms[-1], future - principal,
                          recast or self.loan.prepayment.recast)

    def restructure(self, event: Restructure) -> None:
        """Capitalise what is owed into a new plan from ``event.on``."""
        day = event.on
        self.advance(day)
        self.post(day)
        k, future, accrued, ahead_p, ahead_i = self.current_period(day)
        capital = self.zero
        for i in self.open:
            owed = [self.out[c][i] for c in (_P, _I, _PEN, _FEE)]
            capital += owed[_P] + owed[_I]
            capital += self.zero if event.waive_penalty else owed[_PEN]
            capital += self.zero if event.waive_fee else owed[_FEE]
            for component in (_P, _I, _PEN, _FEE):
                if owed[component]:
                    self.reduce(i, component, owed[component])
        self.close_paid(day)
        if k < len(self.due):
            start, phase = self.start[k], self.phase_of[k]
            self._truncate(k)
            # Interest paid ahead covers the accrued interest; any excess repays
            # principal, and beyond that is credit. The rest is capitalised.
            paid_i = min(ahead_i, accrued)
            repaid = min(ahead_i - paid_i, future)
            self.credit += ahead_i - paid_i - repaid
            self._append_row(day, start, phase, asked=(future + ahead_p, accrued, self.zero, self.zero),
                             paid=(ahead_p + repaid, paid_i, self.zero, self.zero))
            last = len(self.due) - 1
            for component, amount in ((_P, future - repaid), (_I, accrued - paid_i)):
                if amount:
                    self.reduce(last, component, amount)
                    capital += amount
        self.restructured_on = day
        if capital <= 0:
            return
        old = self.phase_terms[-1]
        terms = attrs.evolve(old, principal=capital, term=event.term, rate=event.rate or old.rate,
                             method=event.method or old.method, start=day, payment_day=None, first_due=None)
        self._add_phase(terms, day, "restructure")

    def _columns(self) -> list[list[typing.Any]]:
        return [self.due, self.start, self.settled_on, self.phase_of, *self.asked, *self.paid, *self.out]

    def _truncate(self, k: int) -> None:
        for column in self._columns():
            del column[k:]
        for i in [i for i in self.waived if i >= k]:
            del self.waived[i]
        for i in [i for i in self.accrued if i >= k]:
            del self.accrued[i]
        self.matured = min(self.matured, k)

    def _append_row(self, day: date, start: date, phase: int, *, asked: tuple[Decimal, ...],
                    paid: tuple[Decimal, ...]) -> None:
        """Append a row settled on ``day`` that asked for ``asked`` and was paid ``paid``."""
        index = len(self.due)
        self.due.append(day)
        self.start.append(start)
        self.settled_on.append(day)
        self.phase_of.append(phase)
        for component in (_P, _I, _PEN, _FEE):
            self.asked[component].append(asked[component])
            self.paid[component].append(paid[component])
            self.out[component].append(asked[component] - paid[component])
        self.fee_done.add(index)
        self.matured = index + 1

    def _rebuild(self, day: date, old: LoanTerms, principal: Decimal, recast: Recast) -> None:
        """Re-amortize ``principal`` from ``day`` on the old anchor dates, by ``recast``."""
        freq, anchor_day, maturity = old.frequency, old.anchor_day, old.maturity
        anchor, k = (old.start, 1) if old.first_due is None else (old.first_due, 0)
        first = freq.nth(anchor, k, anchor_day)
        while first <= day:  # the first anchored date after the prepayment
            k += 1
            first = freq.nth(anchor, k, anchor_day)
        remaining = 1
        while freq.nth(first, remaining, anchor_day) <= maturity:
            remaining += 1
        terms = attrs.evolve(old, principal=principal, start=day, first_due=first,
                             payment_day=anchor_day if freq.months else None, term=remaining)
        if recast is Recast.REDUCE_TERM and old.method in (RepaymentMethod.ANNUITY,
                                                           RepaymentMethod.EQUAL_PRINCIPAL):
            terms = _shorten(terms, old)
        self._add_phase(terms, day, "prepayment")

    def _add_phase(self, terms: LoanTerms, day: date, cause: str) -> None:
        schedule = build_schedule(terms)
        phase = len(self.phases)
        self.phases.append(Phase(day, schedule, cause))
        self.phase_terms.append(terms)
        self.penalty_rates.append(self.penalty.annual_rate(terms.rate))
        base = len(self.due)
        rows = schedule.installments
        count = len(rows)
        zeros = [self.zero] * count
        self.due.extend(row.due_date for row in rows)
        self.start.extend(row.period_start for row in rows)
        self.settled_on.extend([None] * count)
        self.phase_of.extend([phase] * count)
        principal = [row.principal for row in rows]
        interest = [row.interest for row in rows]
        for column, values in zip(self.asked, (principal, interest, zeros, zeros), strict=True):
            column.extend(values)
        for column in self.paid:
            column.extend(zeros)
        for column, values in zip(self.out, (principal, interest, zeros, zeros), strict=True):
            column.extend(values)
        self.matured = base

    # -- the state ----------------------------------------------------------

    def state(self, as_of: date) -> LoanState:
        self.advance(as_of)
        zero = self.zero
        penalty_now: dict[int, Decimal] = {
            i: self.rounded_penalty(accrued) for i, accrued in self.accrued.items() if self.chargeable(i, as_of)
        }
        overdue = [zero, zero, zero, zero]
        due_now = [zero, zero, zero, zero]
        dpd = 0
        out = self.out
        for i in self.open:
            owed = (out[_P][i], out[_I][i], out[_PEN][i] + penalty_now.get(i, zero), out[_FEE][i])
            for index in range(4):
                due_now[index] += owed[index]
                if self.due[i] < as_of:
                    overdue[index] += owed[index]
            if not dpd and sum(owed) > self.tolerance:
                dpd = (as_of - self.due[i]).days
        _k, future_principal, accrued, _ahead_p, ahead_i = self.current_period(as_of)
        fee = (future_principal * self.loan.prepayment.fee_rate).quantize(self.quantum, ROUND_HALF_UP,
                                                                          _ACCRUAL)
        due_total = due_now[0] + due_now[1] + due_now[2] + due_now[3]
        # Installments paid ahead were paid as scheduled, with their full interest;
        # interest paid ahead beyond what has accrued lowers the payoff, never below what is due.
        payoff = due_total + max(self.zero, future_principal + accrued - ahead_i + fee) if future_principal \
            else due_total
        principal_outstanding = future_principal + due_now[0]
        next_date: date | None = None
        next_amount = zero
        for i in range(bisect.bisect_left(self.due, as_of), len(self.due)):
            left = self.owed_total(i) + penalty_now.get(i, zero)
            if left > 0:
                next_date, next_amount = self.due[i], left
                break
        if principal_outstanding <= 0 and due_total <= 0:
            status = Status.SETTLED
        elif dpd == 0:
            status = Status.CURRENT
        elif dpd <= self.penalty.grace_days:
            status = Status.GRACE
        else:
            status = Status.OVERDUE
        return LoanState(
            as_of=as_of, days_past_due=dpd, status=status, overdue=Amounts(*overdue),
            due_now=Amounts(*due_now), payoff=payoff, principal_outstanding=principal_outstanding,
            accrued_interest=accrued, next_due_date=next_date, next_due_amount=next_amount,
            credit=self.credit, prepayment_fees=self.prepayment_fees, restructured_on=self.restructured_on,
            rows=self._rows(penalty_now),
        )

    def _rows(self, penalty_now: dict[int, Decimal]) -> tuple[_Raw, ...]:
        n = len(self.due)
        pen_asked = self.asked[_PEN]
        if penalty_now:
            pen_asked = pen_asked[:]
            for i, amount in penalty_now.items():
                pen_asked[i] += amount
        if self.waived:
            none = (self.zero,) * 4
            waived = [self.waived.get(i, none) for i in range(n)]
            waived_columns: list[Sequence[Decimal]] = [[w[c] for w in waived] for c in range(4)]
        else:
            waived_columns = [[self.zero] * n] * 4
        return tuple(zip(
            range(1, n + 1), self.due, self.asked[_P], self.asked[_I], pen_asked, self.asked[_FEE],
            *self.paid, *waived_columns, self.settled_on, self.phase_of, strict=True,
        ))


_COMPONENTS: Final = (Component.PRINCIPAL, Component.INTEREST, Component.PENALTY, Component.FEE)
_COMPONENT_INDEX: Final = {component: index for index, component in enumerate(_COMPONENTS)}


def _shorten(terms: LoanTerms, old: LoanTerms) -> LoanTerms:
    """The same terms over the fewest periods whose payment (equal principal: principal part)
    does not exceed the old one."""
    old_schedule = build_schedule(old)
    if old.method is RepaymentMethod.EQUAL_PRINCIPAL:
        part = old_schedule[0].principal
        if part <= 0:  # a principal part that rounds to nothing cannot be kept: keep the term
            return terms
        periods = max(1, int((terms.principal / part).to_integral_value(decimal.ROUND_CEILING)))
        return attrs.evolve(terms, term=min(periods, terms.term))
    limit = old_schedule[0].payment if len(old_schedule) > 1 else old_schedule[-1].payment
    low, high = 1, terms.term
    while low < high:  # the least term whose level payment is within the old payment
        mid = (low + high) // 2
        if build_schedule(attrs.evolve(terms, term=mid))[0].payment <= limit:
            high = mid
        else:
            low = mid + 1
    return attrs.evolve(terms, term=low)


