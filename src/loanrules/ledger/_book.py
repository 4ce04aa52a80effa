"""The book of rows: the mutable working record of one fold (private; never escapes ``Loan.state``).

A book holds one row per installment as columns of parallel lists: what
each row asks for (``asked``), what was paid (``paid``) and what it still
owes (``out``), one list per component (principal, interest, penalty,
fee), plus due dates, period starts, settlement days and the phase
(schedule) each row belongs to. The other parts of the fold work on these
columns: penalty accrual and posting (:mod:`._penalty`), the allocation of
a payment over the rows (:mod:`._allocation`), recasts after a prepayment
or restructure (:mod:`._recast`), and the fold's snapshot (:mod:`._fold`).
Nothing here knows a ``Loan``: a product whose draws are each a loan (a
revolving credit line) can keep one book per draw.

Columns, not row objects, because the fold touches every row of a
360-installment loan on each ``state()``: the benchmark's ``ledger-state``
case must stay within twice the time of building the schedule.
"""

from __future__ import annotations

import decimal
import typing
from array import array
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Final, NamedTuple

from loanrules._checks import TRAPS, decimal_context
from loanrules.schedule._schedule import LoanTerms, Schedule, build_schedule

if typing.TYPE_CHECKING:
    from ._ledger import PenaltyTerms

_ZERO: Final = Decimal(0)
_from_ordinal: Final = date.fromordinal
# Penalty interest accrues unrounded. Each row keeps the exact sum of
# base x annual penalty rate x days (finite decimals: _EXACT traps any
# rounding); the division by the day basis happens once, when the sum is
# posted or shown, so a sum that is exactly on a half cent rounds as exactly.
_EXACT: Final = decimal_context(80, traps=(*TRAPS, decimal.Inexact))
_ACCRUAL: Final = decimal_context(80)

# Component indexes into the columns (the order of ``Amounts``).
_P: Final = 0
_I: Final = 1
_PEN: Final = 2
_FEE: Final = 3

class _Columns(NamedTuple):
    """What the fold needs of a loan's original schedule, kept by the loan in little memory.

    Dates as day ordinals in ``array('i')`` (4 bytes a row, not a 32-byte
    ``date``), amounts as the schedule's own ``Decimal`` objects: about 240
    bytes a row where the schedule's rows take about 480.
    """

    due: array[int]
    """Each installment's (adjusted) due date, as ``date.toordinal()``."""
    start: array[int]
    """Each installment's period start, as ``date.toordinal()``."""
    principal: tuple[Decimal, ...]
    interest: tuple[Decimal, ...]


def _schedule_columns(schedule: Schedule) -> _Columns:
    """A schedule's rows as columns (see :class:`_Columns`), built once per loan."""
    rows = schedule.installments
    return _Columns(array("i", [r.due_date.toordinal() for r in rows]),
                    array("i", [r.period_start.toordinal() for r in rows]),
                    tuple(r.principal for r in rows), tuple(r.interest for r in rows))


class _Servicing(NamedTuple):
    """How a loan is serviced, as the fold reads it (plain values: no ledger enums)."""

    penalty: PenaltyTerms
    """Penalty interest, grace and late fees."""
    with_interest: bool
    """Whether the penalty base includes overdue interest (INSTALLMENT base, or compound)."""
    after_grace: bool
    """Whether penalty runs only for the days after the grace days (``Grace.AFTER_GRACE``)."""
    tolerance: Decimal
    """A row owing no more than this does not count as past due."""
    order: tuple[int, ...]
    """The allocation order, as component indexes."""
    installment_first: bool
    """Whether a payment settles the oldest row entirely before the next."""
    fee_rate: Decimal
    """The prepayment fee rate on the principal prepaid."""
    reduce_term: bool
    """The default recast: ``True`` for ``Recast.REDUCE_TERM``."""


class _Rows:
    """The columns of a book and the row operations every part of the fold shares.

    Rows ``[0, matured)`` are due on or before ``day``; ``open`` lists the
    due rows still owing, oldest first.
    """

    def __init__(self, servicing: _Servicing, terms: LoanTerms, columns: _Columns) -> None:
        self.servicing = servicing
        self.penalty = penalty = servicing.penalty
        self.tolerance = servicing.tolerance
        self.quantum = terms.currency.quantum
        self.zero = zero = self.quantum * 0
        # The phases: (start, schedule, cause) of each schedule in force, and its terms.
        # The original schedule is not kept by the loan: None here, filled in by Loan.phases.
        self.phases: list[tuple[date, Schedule | None, str]] = [(terms.start, None, "origination")]
        self.phase_terms: list[LoanTerms] = [terms]
        self.penalty_rates = [penalty.annual_rate(terms.rate)]
        n = len(columns.due)
        self.due: list[date] = list(map(_from_ordinal, columns.due))
        self.start: list[date] = list(map(_from_ordinal, columns.start))
        zeros = [zero] * n
        self.asked: list[list[Decimal]] = [list(columns.principal), list(columns.interest), zeros[:], zeros[:]]
        self.paid: list[list[Decimal]] = [zeros[:], zeros[:], zeros[:], zeros[:]]
        self.out: list[list[Decimal]] = [list(columns.principal), list(columns.interest), zeros[:], zeros[:]]
        self.waived: dict[int, list[Decimal]] = {}
        self.accrued: dict[int, Decimal] = {}
        self.fee_done: set[int] = set()
        self.settled_on: list[date | None] = [None] * n
        self.phase_of: list[int] = [0] * n
        self.day = terms.start
        self.matured = 0  # rows [0, matured) are due on or before self.day
        self.open: list[int] = []  # due rows still owing, oldest first
        self.credit = zero
        self.prepayment_fees = zero
        self.restructured_on: date | None = None
        self.paid_ahead = False  # whether any future row has been paid (a shortcut, never cleared)

    # -- what a row owes ----------------------------------------------------

    def owed_total(self, i: int) -> Decimal:
        """What row ``i`` still owes, all components."""
        out = self.out
        return out[_P][i] + out[_I][i] + out[_PEN][i] + out[_FEE][i]

    def owing_ahead(self) -> bool:
        """Whether any row not yet due still owes anything."""
        out_p, out_i, out_pen, out_fee = self.out
        return any(out_p[i] + out_i[i] + out_pen[i] + out_fee[i] > 0 for i in range(self.matured, len(self.due)))

    def reduce(self, i: int, component: int, amount: Decimal) -> None:
        """Waive or capitalise ``amount`` of ``component`` of row ``i``."""
        self.out[component][i] -= amount
        self.waived.setdefault(i, [self.zero] * 4)[component] += amount

    # -- changing the rows ----------------------------------------------------

    def _all_columns(self) -> list[list[typing.Any]]:
        return [self.due, self.start, self.settled_on, self.phase_of, *self.asked, *self.paid, *self.out]

    def truncate(self, k: int) -> None:
        """Drop rows ``k`` and after."""
        for column in self._all_columns():
            del column[k:]
        for i in [i for i in self.waived if i >= k]:
            del self.waived[i]
        for i in [i for i in self.accrued if i >= k]:
            del self.accrued[i]
        self.matured = min(self.matured, k)

    def append_row(self, day: date, start: date, phase: int, *, asked: tuple[Decimal, ...],
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

    def add_phase(self, terms: LoanTerms, day: date, cause: str) -> Schedule:
        """Append the rows of ``terms``' schedule as a new phase from ``day``; returns the schedule."""
        schedule = build_schedule(terms)
        phase = len(self.phases)
        self.phases.append((day, schedule, cause))
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
        return schedule

    # -- reading the rows -----------------------------------------------------

    def raw_rows(self, penalty_now: dict[int, Decimal]) -> tuple[tuple[typing.Any, ...], ...]:
        """Each row as (number, due date, asked x4, paid x4, waived x4, settled on, phase),
        with ``penalty_now`` (rounded unposted penalty by row) added to what it asks."""
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
