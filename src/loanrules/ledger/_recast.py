"""Recasts: the schedule rebuilt after a prepayment (提前还款) or a restructure (协商还款).

A prepayment closes the current period with a row that records what it
settled, truncates the rows after it and re-amortizes the principal left
on the old anchor dates (a new phase); a restructure capitalises what is
owed into a new plan from its day.
"""

from __future__ import annotations

import decimal
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from loanrules.conventions._rates import Rate
from loanrules.schedule._schedule import LoanTerms, RepaymentMethod, build_schedule

from ._allocation import _Allocating
from ._book import _ACCRUAL, _EXACT, _FEE, _I, _P, _PEN, _Columns, _Servicing, prepayment_split


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


class _Recasting(_Allocating):
    """A book that takes prepayments, settlements and restructures, and rebuilds its rows."""

    def __init__(self, servicing: _Servicing, terms: LoanTerms, columns: _Columns) -> None:
        super().__init__(servicing, terms, columns)
        self.fee_rate = servicing.fee_rate
        self.fee_minimum = servicing.fee_minimum
        self.reduce_term = servicing.reduce_term

    def current_period(self, day: date) -> tuple[int, Decimal, Decimal, Decimal, Decimal]:
        """The period ``day`` falls in.

        Returns (first future row, principal still owed from it on, interest
        accrued up to ``day`` on the rows not yet due, principal and interest
        already paid ahead on the future rows). Interest accrues on the
        scheduled balance: paying an installment ahead does not shorten its
        period. Periods run between unadjusted dates: when a due date is moved
        past the end of its period (a holiday), that row's interest is earned
        in full and the next period accrues from its unadjusted start.
        """
        k, n = self.matured, len(self.due)
        out_p = self.out[_P]
        owed = sum(out_p[k:], self.zero)
        if self.paid_ahead:
            paid_p = sum(self.paid[_P][k:], self.zero)
            paid_i = sum(self.paid[_I][k:], self.zero)
        else:
            paid_p = paid_i = self.zero
        start, today = self.start, day.toordinal()
        if k >= n or today <= start[k]:
            return k, owed, self.zero, paid_p, paid_i
        asked_i, earned, balance, j = self.asked[_I], self.zero, owed + paid_p, k
        while j + 1 < n and start[j + 1] <= today:  # period j ended before its (moved) due date
            earned += asked_i[j]
            balance -= out_p[j] + self.paid[_P][j]
            j += 1
        terms = self.phase_terms[self.phase_of[j]]
        fraction = terms.day_count.fraction(date.fromordinal(start[j]), day)
        exact = _EXACT.multiply(_EXACT.multiply(balance, terms.rate.annual), Decimal(fraction.numerator))
        accrued = _ACCRUAL.divide(exact, Decimal(fraction.denominator)).quantize(
            self.quantum, ROUND_HALF_UP, _ACCRUAL)
        return k, owed, earned + min(accrued, asked_i[j]), paid_p, paid_i

    def prepayment_fee(self, principal: Decimal) -> Decimal:
        """The prepayment fee (违约金) on ``principal`` prepaid, rounded half up, at least the minimum fee."""
        if principal <= 0:
            return self.zero
        fee = (principal * self.fee_rate).quantize(self.quantum, ROUND_HALF_UP, _ACCRUAL)
        return fee if fee >= self.fee_minimum else self.fee_minimum

    def rest_of_payoff(self, future: Decimal, accrued: Decimal, ahead_i: Decimal) -> Decimal:
        """What settles the rows not yet due: their principal, the interest accrued and the
        prepayment fee, less the interest paid ahead (never below 0)."""
        rest = future + accrued - ahead_i + self.prepayment_fee(future)
        return rest if rest > 0 else self.zero

    def pay_rest(self, day: date, amount: Decimal) -> None:
        """Apply what a payment leaves after the due rows: a payment of at least the rest of the
        payoff settles the loan (the excess is credit); less is paid ahead."""
        if not self.open and self.matured < len(self.due):
            period = self.current_period(day)
            if amount >= self.rest_of_payoff(period[1], period[2], period[4]):
                self._close(day, amount, period, None)
                return
            super().pay_rest(day, amount)
            # Paying ahead lowers the fee on the principal left: the rest may now be covered.
            period = self.current_period(day)
            if not self.rest_of_payoff(period[1], period[2], period[4]):
                self._close(day, self.zero, period, None)
            return
        super().pay_rest(day, amount)

    def prepayment(self, day: date, amount: Decimal, reduce_term: bool | None) -> None:
        """A prepayment (``reduce_term`` says its recast) or a settlement (``reduce_term is None``).

        Pays what is due, then the interest accrued in the current period,
        then principal (net of the fee); the rest of the schedule is rebuilt.
        """
        self.advance(day)
        self.post(day)
        amount = self.allocate_due(amount)
        self.close_paid(day)
        period = self.current_period(day)
        k, future, accrued, _ahead_p, ahead_i = period
        available = amount + ahead_i - accrued
        if self.open or k >= len(self.due) or available < 0 or (future > 0 and available <= 0):
            self.credit += self.pay_ahead(amount, day)
            return
        self._close(day, amount, period, reduce_term)

    def _close(self, day: date, amount: Decimal, period: tuple[int, Decimal, Decimal, Decimal, Decimal],
               reduce_term: bool | None) -> None:
        """Close the current period (``period``, from :meth:`current_period`) with ``amount``: the
        accrued interest, then principal net of the fee; rebuild the rest by ``reduce_term`` (the
        default if ``None``)."""
        k, future, accrued, ahead_p, ahead_i = period
        available = amount + ahead_i - accrued
        full_fee = self.prepayment_fee(future)
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
            principal, fee = prepayment_split(available, self.fee_rate, self.fee_minimum, self.quantum)
        self.credit += available - principal - fee
        self.prepayment_fees += fee
        start, phase = self.start[k], self.phase_of[k]
        self.truncate(k)
        # The closing row: what this prepayment settled of the current period.
        settled = principal + ahead_p
        self.append_row(day, start, phase, asked=(settled, interest, self.zero, fee),
                        paid=(settled, interest, self.zero, fee))
        if future > principal:
            self._rebuild(day, self.phase_terms[-1], future - principal,
                          self.reduce_term if reduce_term is None else reduce_term)

    def restructure(self, day: date, *, term: int, rate: Rate | None, method: RepaymentMethod | None,
                    waive_penalty: bool, waive_fee: bool) -> None:
        """Capitalise what is owed into a new plan of ``term`` periods from ``day``."""
        self.advance(day)
        self.post(day)
        k, future, accrued, ahead_p, ahead_i = self.current_period(day)
        capital = self.zero
        for i in self.open:
            owed = [self.out[c][i] for c in (_P, _I, _PEN, _FEE)]
            capital += owed[_P] + owed[_I]
            capital += self.zero if waive_penalty else owed[_PEN]
            capital += self.zero if waive_fee else owed[_FEE]
            for component in (_P, _I, _PEN, _FEE):
                if owed[component]:
                    self.reduce(i, component, owed[component])
        self.close_paid(day)
        if k < len(self.due):
            start, phase = self.start[k], self.phase_of[k]
            self.truncate(k)
            # Interest paid ahead covers the accrued interest; any excess repays
            # principal, and beyond that is credit. The rest is capitalised.
            paid_i = min(ahead_i, accrued)
            repaid = min(ahead_i - paid_i, future)
            self.credit += ahead_i - paid_i - repaid
            self.append_row(day, start, phase, asked=(future + ahead_p, accrued, self.zero, self.zero),
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
        terms = attrs.evolve(old, principal=capital, term=term, rate=rate or old.rate,
                             method=method or old.method, start=day, payment_day=None, first_due=None)
        self.add_phase(terms, day, "restructure")

    def _rebuild(self, day: date, old: LoanTerms, principal: Decimal, reduce_term: bool) -> None:
        """Re-amortize ``principal`` from ``day`` on the old anchor dates (fewer periods if ``reduce_term``)."""
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
        if reduce_term and old.method in (RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL):
            terms = _shorten(terms, old)
        self.add_phase(terms, day, "prepayment")
