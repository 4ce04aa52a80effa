"""Penalty interest (罚息) and late fees on the rows of a book: accrual, posting, grace.

Penalty accrues unrounded per overdue row (``accrued``: the exact sum of
base x annual penalty rate x days); posting divides by the day basis,
rounds half up and adds the result to what the row owes. The rules and
worked figures are in docs/explanation/penalty-interest.md.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from loanrules.schedule._schedule import LoanTerms

from ._book import _ACCRUAL, _EXACT, _FEE, _I, _P, _PEN, _ZERO, _Columns, _Rows, _Servicing


class _Accruing(_Rows):
    """A book whose overdue rows accrue penalty interest and late fees as days pass.

    Every payment posts the penalty accrued on every overdue row, each row's
    sum rounded on its own; a delinquent loan repaid in small daily amounts
    has dozens of such rows at each of thousands of payments. So that a fold
    stays linear in its events, a row whose penalty base does not change
    between payments is kept *lazy*: the book counts its posts by their gap
    in days (``gaps``), and the row's posted penalty, the sum over those posts
    of ``round(base x rate x gap / basis)``, is added only when the row is
    read or paid (:meth:`sync`). The amounts are the very ones of posting
    each row at each payment: only the time of the addition moves.

    Rows ``open`` are ``eager`` (in grace, just matured or just read: accrued
    day by day as before) or ``lazy`` (chargeable, with a positive base,
    between two payments that post).
    """

    lazy_posts = True
    """Whether payments keep rows lazy (a test turns it off to compare with posting every row)."""

    def __init__(self, servicing: _Servicing, terms: LoanTerms, columns: _Columns) -> None:
        super().__init__(servicing, terms, columns)
        penalty = servicing.penalty
        self.basis = Decimal(penalty.day_basis)
        self.grace = penalty.grace_days  # in days, as the due dates are day ordinals
        self.accrual_offset = self.grace if servicing.after_grace else 0
        self.with_interest = servicing.with_interest
        self.eager: dict[int, None] = {}  # open rows accrued day by day, oldest first
        self.lazy: dict[int, tuple[Decimal, dict[int, int]]] = {}  # row -> (base x rate, gaps when last synced)
        self.gaps: dict[int, int] = {}  # gap in days -> posts with that gap while rows were lazy
        self.last_post: date | None = None
        self.late_fee = penalty.late_fee
        self.fee_next = 0  # rows before it have had their grace end checked for a late fee

    # -- time passes --------------------------------------------------------

    def advance(self, to: date) -> None:
        """Accrue penalty and charge late fees through the end of ``to``."""
        if to <= self.day:
            return
        due, n, m, end = self.due, len(self.due), self.matured, to.toordinal()
        if m < n and due[m] <= end:
            out_p, out_i, out_pen, out_fee = self.out
            while m < n and due[m] <= end:
                if out_p[m] + out_i[m] + out_pen[m] + out_fee[m] > 0:
                    self.open.append(m)
                    self.eager[m] = None
                m += 1
            self.matured = m
        if self.eager:
            self._accrue(end)
        if self.late_fee and self.fee_next < m:  # without a late fee there is nothing to charge
            self._late_fees(end)
        self.day = to

    def _accrue(self, to: int) -> None:
        """Accrue the eager rows' penalty from the book's day through ``to`` (a day ordinal)."""
        day, offset, due = self.day.toordinal(), self.accrual_offset, self.due
        out_p, out_i = self.out[_P], self.out[_I]
        for i in self.eager:
            first = due[i] + offset  # accrual runs on the days after this one
            days = to - (first if first > day else day)
            if days > 0:
                base = out_p[i] + out_i[i] if self.with_interest else out_p[i]
                if base > 0:
                    rate = self.penalty_rates[self.phase_of[i]]
                    gained = _EXACT.multiply(_EXACT.multiply(base, rate), Decimal(days))
                    self.accrued[i] = _EXACT.add(self.accrued.get(i, _ZERO), gained)

    def _late_fees(self, to: int) -> None:
        """Charge the late fee of each row whose grace ended within (day, to], if still unpaid then (``to`` a day ordinal)."""
        late_fee, tolerance, grace, due = self.penalty.late_fee, self.tolerance, self.grace, self.due
        out_p, out_i = self.out[_P], self.out[_I]
        i, m = self.fee_next, self.matured
        while i < m and due[i] + grace < to:
            if i not in self.fee_done:
                self.fee_done.add(i)
                if late_fee and out_p[i] + out_i[i] > tolerance:
                    self.asked[_FEE][i] += late_fee
                    self.charged = True
                    self.out[_FEE][i] += late_fee
            i += 1
        self.fee_next = i

    def truncate(self, k: int) -> None:
        """Drop rows ``k`` and after (they are rebuilt by a recast)."""
        super().truncate(k)
        self.fee_next = min(self.fee_next, k)
        # Eager and lazy rows are due rows, all before k (see _Rows.truncate): kept for safety.
        for i in [i for i in self.eager if i >= k]:  # pragma: no cover - see above
            del self.eager[i]
        for i in [i for i in self.lazy if i >= k]:  # pragma: no cover - see above
            del self.lazy[i]

    def chargeable(self, i: int, day: date) -> bool:
        """Whether row ``i``'s accrued penalty is owed on ``day`` (its grace is over)."""
        return day.toordinal() > self.due[i] + self.grace

    def post(self, day: date, *, lazy: bool = False) -> None:
        """Round and post every chargeable accrued penalty, as a payment does.

        With ``lazy`` (a payment that settles rows oldest first, touching
        only the first few), the rows posted are kept lazy afterwards;
        otherwise every row is brought up to date first and stays eager, for
        an event that may change any row.
        """
        if self.lazy:
            if lazy:
                gap = (day - self.last_post).days if self.last_post is not None else 0
                if gap > 0:
                    self.gaps[gap] = self.gaps.get(gap, 0) + 1
            else:
                self.unlazy_all(day)
        self.last_post = day
        if not self.accrued:
            return
        out_p, out_i = self.out[_P], self.out[_I]
        for i in list(self.eager):
            accrued = self.accrued.get(i)
            if accrued is not None and self.chargeable(i, day):
                posted = self.rounded_penalty(accrued)
                self.asked[_PEN][i] += posted
                self.out[_PEN][i] += posted
                self.charged = True
                del self.accrued[i]
                if lazy:
                    base = out_p[i] + out_i[i] if self.with_interest else out_p[i]
                    if base > 0:
                        self.lazy[i] = (_EXACT.multiply(base, self.penalty_rates[self.phase_of[i]]),
                                        dict(self.gaps))
                        del self.eager[i]

    def sync(self, i: int) -> None:
        """Add to lazy row ``i`` the penalty of the posts since it was last synced."""
        weight, seen = self.lazy[i]
        gaps = self.gaps
        if gaps == seen:
            return
        posted = _ZERO
        for gap, count in gaps.items():
            times = count - seen.get(gap, 0)
            if times:
                posted += self.rounded_penalty(_EXACT.multiply(weight, Decimal(gap))) * times
        if posted:
            self.charged = True
            self.asked[_PEN][i] += posted
            self.out[_PEN][i] += posted
        self.lazy[i] = (weight, dict(gaps))

    def relazy(self, i: int) -> None:
        """Lazy row ``i`` was just paid: keep it lazy with its new base, or eager if nothing accrues."""
        out_p, out_i = self.out[_P], self.out[_I]
        base = out_p[i] + out_i[i] if self.with_interest else out_p[i]
        if base > 0:
            self.lazy[i] = (_EXACT.multiply(base, self.penalty_rates[self.phase_of[i]]), dict(self.gaps))
        else:
            del self.lazy[i]
            self.eager[i] = None

    def unlazy_all(self, day: date) -> None:
        """Bring every lazy row up to the end of ``day`` (the book has advanced to it) and make it eager."""
        if not self.lazy:
            return
        since = (day - self.last_post).days if self.last_post is not None else 0
        for i in list(self.lazy):
            self.sync(i)
            if since > 0:
                self.accrued[i] = _EXACT.multiply(self.lazy[i][0], Decimal(since))
            self.eager[i] = None
        self.lazy.clear()
        # Keep the eager rows in the order of the open list (oldest first).
        self.eager = dict.fromkeys(i for i in self.open if i in self.eager)

    def rounded_penalty(self, accrued: Decimal) -> Decimal:
        """An accrued sum (base x rate x days) divided by the day basis, rounded half up."""
        return _ACCRUAL.divide(accrued, self.basis).quantize(self.quantum, ROUND_HALF_UP, _ACCRUAL)

    def penalty_now(self, day: date) -> dict[int, Decimal]:
        """The rounded penalty accrued and not yet posted, by row, that is owed on ``day``."""
        return {i: self.rounded_penalty(accrued) for i, accrued in self.accrued.items() if self.chargeable(i, day)}

    def close_paid(self, day: date) -> None:
        """Drop settled rows from the open list; forgive penalty paid within grace (BACKDATE).

        Only eager rows can close: a lazy row has a positive base.
        """
        out_p, out_i, out_pen, out_fee = self.out
        accrued = self.accrued
        eager = self.eager
        closed = []
        for i in eager:
            if accrued and i in accrued and out_p[i] <= 0 and out_i[i] <= 0 and not self.chargeable(i, day):
                del accrued[i]  # paid within grace: the penalty stays 0
            if out_p[i] or out_i[i] or out_pen[i] or out_fee[i] or i in accrued:  # owes (amounts are never < 0)
                continue
            closed.append(i)
            if self.settled_on[i] is None:
                self.settled_on[i] = day
        if closed:
            for i in closed:
                del eager[i]
            gone = set(closed)
            self.open = [] if gone.issuperset(self.open) else [i for i in self.open if i not in gone]
