"""The allocation of a payment over the rows of a book, and waivers.

A payment posts the penalty accrued through its day, then settles the due
rows oldest first, in the loan's component order (installment-first or
component-first); what is left pays the future rows ahead, principal and
interest only, and beyond them is credit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from loanrules.schedule._schedule import LoanTerms

from ._book import _I, _P, _Columns, _Servicing
from ._penalty import _Accruing


class _Allocating(_Accruing):
    """A book that takes payments and waivers."""

    def __init__(self, servicing: _Servicing, terms: LoanTerms, columns: _Columns) -> None:
        super().__init__(servicing, terms, columns)
        self.order = servicing.order
        self.ahead_order = tuple(c for c in self.order if c in (_P, _I))
        self.installment_first = servicing.installment_first

    def pay_component(self, i: int, component: int, amount: Decimal) -> Decimal:
        """Pay up to ``amount`` of ``component`` of row ``i``; return what is left."""
        out = self.out[component]
        owed = out[i]
        if owed <= 0:
            return amount
        paid = owed if owed <= amount else amount
        out[i] = owed - paid
        column = self.paid[component]
        before = column[i]
        # Paid in full at once, the row keeps the very amount it asked for (a state shares it, no copy).
        column[i] = paid if paid is owed and not before else before + paid
        return amount - paid

    def _pay_row(self, i: int, amount: Decimal) -> Decimal:
        """Pay row ``i`` in the allocation order; return what is left."""
        out, paid = self.out, self.paid
        for component in self.order:
            column = out[component]
            owed = column[i]
            if owed > 0:
                paid_column = paid[component]
                before = paid_column[i]
                if owed <= amount:  # paid in full: the row keeps the very amount it asked for (see pay_component)
                    column[i] = self.zero
                    paid_column[i] = owed if not before else before + owed
                    amount -= owed
                else:
                    column[i] = owed - amount
                    paid_column[i] = before + amount
                    return self.zero
                if not amount:
                    break
        return amount

    def allocate_due(self, amount: Decimal) -> Decimal:
        """Pay the due rows (``open``) in the allocation order; return what is left."""
        if self.installment_first:
            lazy = self.lazy
            for i in self.open:
                if lazy and i in lazy:
                    self.sync(i)
                    amount = self._pay_row(i, amount)
                    self.relazy(i)
                else:
                    amount = self._pay_row(i, amount)
                if not amount:
                    return amount
            return amount
        pay = self.pay_component
        for component in self.order:
            for i in self.open:
                amount = pay(i, component, amount)
        return amount

    def pay_ahead(self, amount: Decimal, day: date) -> Decimal:
        """Pay the future rows' principal and interest in date order; return what is left."""
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
        """A payment of ``amount`` at the end of ``day``."""
        self.advance(day)
        if self.accrued or self.lazy:
            # Settling rows oldest first touches only the first few: the others stay lazy.
            self.post(day, lazy=self.installment_first and self.lazy_posts)
        amount = self.allocate_due(amount)
        self.close_paid(day)
        if amount:
            self.pay_rest(day, amount)

    def pay_rest(self, day: date, amount: Decimal) -> None:
        """Apply what a payment leaves after the due rows: ahead, then credit."""
        self.credit += self.pay_ahead(amount, day)

    def waive(self, day: date, index: int, amount: Decimal | None) -> None:
        """Waive ``amount`` (all if ``None``) of component ``index`` owed on ``day``, oldest first."""
        self.advance(day)
        self.post(day)
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
