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
from loanrules.errors import InvalidValueError
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


def prepayment_split(rest: Decimal, fee_rate: Decimal, fee_minimum: Decimal, quantum: Decimal
                     ) -> tuple[Decimal, Decimal]:
    """``rest`` (paid towards principal after what is due and accrued) as (principal, fee): the one rule.

    principal = rest / (1 + fee rate), rounded down to the minor unit, the
    fee the remainder; a fee below ``fee_minimum`` is raised to it (the
    principal is what is left, at least 0).
    """
    principal = _ACCRUAL.divide(rest, 1 + fee_rate).quantize(quantum, decimal.ROUND_DOWN, _ACCRUAL)
    if rest - principal < fee_minimum:
        principal = max(rest - fee_minimum, quantum * 0)
    return principal, rest - principal


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
    fee_minimum: Decimal
    """The least prepayment fee (0: none)."""
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
        self.columns = columns
        self.reshaped = False  # whether rows were dropped or added (a recast): then no column is the loan's
        self.due: list[int] = list(columns.due)  # due dates as day ordinals: compared and counted as ints
        self.start: list[int] = list(columns.start)  # period starts as day ordinals: few are ever read
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
        self.charged = False  # whether any penalty or fee was ever asked (else those columns are all zero)

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
        self.reshaped = True
        for column in self._all_columns():
            del column[k:]
        # Waivers and accrual touch due rows only, and a recast truncates after them: kept for safety.
        for i in [i for i in self.waived if i >= k]:  # pragma: no cover - see above
            del self.waived[i]
        for i in [i for i in self.accrued if i >= k]:  # pragma: no cover - see above
            del self.accrued[i]
        self.matured = min(self.matured, k)

    def append_row(self, day: date, start: int, phase: int, *, asked: tuple[Decimal, ...],
                   paid: tuple[Decimal, ...]) -> None:
        """Append a row settled on ``day`` that asked for ``asked`` and was paid ``paid``."""
        self.reshaped = True
        index = len(self.due)
        self.due.append(day.toordinal())
        self.start.append(start)
        self.settled_on.append(day)
        self.phase_of.append(phase)
        for component in (_P, _I, _PEN, _FEE):
            self.asked[component].append(asked[component])
            self.paid[component].append(paid[component])
            self.out[component].append(asked[component] - paid[component])
        if asked[_PEN] or asked[_FEE]:
            self.charged = True
        self.fee_done.add(index)
        self.matured = index + 1

    def add_phase(self, terms: LoanTerms, day: date, cause: str) -> Schedule:
        """Append the rows of ``terms``' schedule as a new phase from ``day``; returns the schedule."""
        schedule = build_schedule(terms)
        self.reshaped = True
        phase = len(self.phases)
        self.phases.append((day, schedule, cause))
        self.phase_terms.append(terms)
        self.penalty_rates.append(self.penalty.annual_rate(terms.rate))
        base = len(self.due)
        rows = schedule.installments
        count = len(rows)
        zeros = [self.zero] * count
        self.due.extend(row.due_date.toordinal() for row in rows)
        self.start.extend(row.period_start.toordinal() for row in rows)
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

    def state_rows(self, penalty_now: dict[int, Decimal]) -> StateRows:
        """The rows as a state keeps them (:class:`StateRows`), with ``penalty_now`` (rounded
        unposted penalty by row) added to what each row asks."""
        zero = self.zero
        pen_asked = self.asked[_PEN]
        if penalty_now:
            pen_asked = pen_asked[:]
            for i, amount in penalty_now.items():
                pen_asked[i] += amount
        if self.charged or penalty_now:
            charges = (_column(pen_asked), _column(self.asked[_FEE]))
            paid_charges = (_column(self.paid[_PEN]), _column(self.paid[_FEE]))
        else:  # nothing was ever charged, so nothing of it was paid either: no columns to scan
            charges = paid_charges = (None, None)
        if self.reshaped:
            due: Sequence[date] | array[int] = array("i", self.due)
            principal: Sequence[Decimal] = tuple(self.asked[_P])
            interest: Sequence[Decimal] = tuple(self.asked[_I])
            phases = None if not any(self.phase_of) else bytes(array("H", self.phase_of))
        else:  # the loan's own columns: shared, not copied
            due, principal, interest, phases = self.columns.due, self.columns.principal, self.columns.interest, None
        waived = tuple((i, *amounts) for i, amounts in sorted(self.waived.items()))
        return StateRows(len(self.due), zero, due,
                         asked=(principal, interest, *charges),
                         paid=(_column(self.paid[_P]), _column(self.paid[_I]), *paid_charges), waived=waived,
                         settled=tuple(self.settled_on), phases=phases)


_RAW_FIELDS: Final = 16
"""The fields of a row as ``LoanState(rows=...)`` takes it."""


def _column(values: list[Decimal]) -> tuple[Decimal, ...] | None:
    """A column of amounts as a state keeps it: ``None`` when every amount is zero."""
    return tuple(values) if any(values) else None


class StateRows:
    """A state's installments, kept in little memory (private; :attr:`LoanState.installments` reads them).

    Columns, most of them shared: due dates and scheduled principal and
    interest are the loan's own columns until a recast changes the rows; a
    column of amounts that are all zero is ``None``; what a payment settled
    in full is the very ``Decimal`` the row asked for (the allocation pays it
    so); waivers are kept by row. :meth:`raw` gives the rows as tuples
    ``(number, due date, asked x4, paid x4, waived x4, settled on, phase)``,
    the form ``LoanState(rows=...)`` takes, and two ``StateRows`` are equal
    when their rows are.
    """

    __slots__ = ("asked", "count", "due", "paid", "phases", "settled", "waived", "zero")

    def __init__(self, count: int, zero: Decimal, due: Sequence[date] | array[int], *,
                 asked: tuple[Sequence[Decimal] | None, ...], paid: tuple[Sequence[Decimal] | None, ...],
                 waived: tuple[tuple[typing.Any, ...], ...], settled: tuple[date | None, ...],
                 phases: bytes | None) -> None:
        self.count = count
        self.zero = zero
        self.due = due
        self.asked = asked
        self.paid = paid
        self.waived = waived
        self.settled = settled
        self.phases = phases

    @classmethod
    def from_raw(cls, rows: tuple[tuple[typing.Any, ...], ...]) -> StateRows:
        """Rows given as tuples (a state built by hand): kept as they are, column by column.

        Raises:
            InvalidValueError: A row is not a tuple of the 16 fields, or its phase is not a small int.
        """
        for index, row in enumerate(rows):
            if type(row) is not tuple or len(row) != _RAW_FIELDS:
                raise InvalidValueError(f"rows[{index}]", f"must be a tuple of {_RAW_FIELDS} fields (number, due "
                                        "date, asked x4, paid x4, waived x4, settled on, phase)", row)
        if not rows:
            return cls(0, _ZERO, (), asked=(None,) * 4, paid=(None,) * 4, waived=(), settled=(), phases=None)
        columns = list(zip(*rows, strict=True))
        try:
            phases = None if not any(columns[15]) else bytes(array("H", columns[15]))
        except (TypeError, OverflowError):
            raise InvalidValueError("rows", "must have phases that are ints from 0 to 65535", columns[15]) from None
        zero = rows[0][2] * 0 if type(rows[0][2]) is Decimal else _ZERO
        waived = tuple((i, *amounts) for i, amounts in enumerate(zip(*columns[10:14], strict=True))
                       if any(amounts))
        return cls(len(rows), zero, columns[1], asked=tuple(columns[2:6]), paid=tuple(columns[6:10]),
                   waived=waived, settled=columns[14], phases=phases)

    def raw(self) -> tuple[tuple[typing.Any, ...], ...]:
        """Each row as (number, due date, asked x4, paid x4, waived x4, settled on, phase)."""
        n = self.count
        zeros = (self.zero,) * n
        due = self.due if not isinstance(self.due, array) else list(map(_from_ordinal, self.due))
        if self.waived:
            by_row = {row[0]: row[1:] for row in self.waived}
            none = (self.zero,) * 4
            waived = list(zip(*(by_row.get(i, none) for i in range(n)), strict=True))
        else:
            waived = [zeros] * 4
        phases = array("H", self.phases) if self.phases is not None else (0,) * n
        return tuple(zip(
            range(1, n + 1), due, *(zeros if c is None else c for c in self.asked),
            *(zeros if c is None else c for c in self.paid), *waived, self.settled, phases, strict=True))

    def __len__(self) -> int:
        return self.count

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StateRows):
            return NotImplemented
        return self is other or self.raw() == other.raw()

    def __hash__(self) -> int:
        return hash(self.raw())

    def __repr__(self) -> str:
        return repr(self.raw())

    def __reduce__(self) -> tuple[typing.Any, ...]:
        return StateRows.from_raw, (self.raw(),)
