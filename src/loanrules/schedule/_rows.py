"""Schedule rows and the schedule: :class:`Installment` and :class:`Schedule` (private)."""

from __future__ import annotations

import decimal
import typing
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, overload

import attrs

from loanrules._checks import to_tuple
from loanrules.conventions._calendars import Outside
from loanrules.conventions._money import CONTEXT

from ._terms import LoanTerms

__all__ = ["Installment", "Schedule"]


class Installment(NamedTuple):
    """One row of a schedule: what falls due on one date.

    A named tuple (immutable and lean, since schedules hold thousands);
    every amount is a ``Decimal`` in the currency's minor unit.
    """

    number: int
    """1-based position in the schedule."""
    due_date: date
    """The due date after business-day adjustment: the day payment is due."""
    principal: Decimal
    """The principal part."""
    interest: Decimal
    """The interest part, rounded once to the minor unit."""
    payment: Decimal
    """principal + interest."""
    balance: Decimal
    """Principal outstanding after this installment is paid."""
    unadjusted_date: date
    """The anchored due date before business-day adjustment."""
    period_start: date
    """The date interest for this installment starts to accrue (the previous
    accrual date, or the loan's start)."""
    provisional: bool
    """True when ``due_date`` was decided by weekends alone, outside the
    years the calendar's holiday data covers."""


_new_row: Any = tuple.__new__


def _installments_tuple(value: Iterable[Installment]) -> tuple[Installment, ...]:
    # A frozen value keeps no container of the caller's: a list passed in becomes a tuple.
    return to_tuple("installments", value)


@typing.final
@attrs.frozen(repr=False)
class Schedule(Sequence[Installment]):
    """The installments of a loan, with totals; iterable and indexable.

    >>> from loanrules import Rate, build_schedule
    >>> s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3,
    ...                              start=date(2026, 1, 10)))
    >>> len(s), s.total_interest, s.total_payment
    (3, Decimal('20.07'), Decimal('1020.07'))
    >>> print(s)
      #  due date        payment  principal  interest   balance
      1  2026-02-10       340.02     330.02     10.00    669.98
      2  2026-03-10       340.02     333.32      6.70    336.66
      3  2026-04-10       340.03     336.66      3.37      0.00
         total           1020.07    1000.00     20.07
    """

    terms: LoanTerms
    installments: tuple[Installment, ...] = attrs.field(repr=False, converter=_installments_tuple)

    def __repr__(self) -> str:
        """``build_schedule(terms)`` when that is what the schedule is, else the terms and every installment.

        Either way the repr evaluates back to an equal schedule (``from
        loanrules import *``, ``import datetime``, ``from decimal import Decimal``).
        """
        from loanrules.schedule._build import build_schedule  # noqa: PLC0415 (_build imports this module)

        if build_schedule(self.terms).installments == self.installments:
            return f"build_schedule({self.terms!r})"
        return f"Schedule(terms={self.terms!r}, installments={self.installments!r})"

    def __len__(self) -> int:
        return len(self.installments)

    @overload
    def __getitem__(self, index: int) -> Installment: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Installment, ...]: ...
    def __getitem__(self, index: int | slice) -> Installment | tuple[Installment, ...]:
        return self.installments[index]

    def __iter__(self) -> Iterator[Installment]:
        return iter(self.installments)

    @property
    def total_principal(self) -> Decimal:
        """The sum of principal parts: exactly the loan amount."""
        with decimal.localcontext(CONTEXT):  # exact at 34 digits, whatever the caller's context
            return sum((i.principal for i in self.installments), self.terms.currency.quantum * 0)

    @property
    def total_interest(self) -> Decimal:
        """The sum of interest parts."""
        with decimal.localcontext(CONTEXT):  # exact at 34 digits, whatever the caller's context
            return sum((i.interest for i in self.installments), self.terms.currency.quantum * 0)

    @property
    def total_payment(self) -> Decimal:
        """The sum of payments: principal plus interest."""
        with decimal.localcontext(CONTEXT):  # exact at 34 digits, whatever the caller's context
            return sum((i.payment for i in self.installments), self.terms.currency.quantum * 0)

    @property
    def maturity(self) -> date:
        """The (adjusted) due date of the last installment."""
        return self.installments[-1].due_date

    @property
    def provisional_dates(self) -> tuple[date, ...]:
        """The due dates decided by weekends alone, outside the calendar's data."""
        return tuple(i.due_date for i in self.installments if i.provisional)

    def _repr_html_(self) -> str:
        """The schedule as an HTML table for notebooks: every installment, totals, provisional dates marked."""
        from loanrules import _html  # noqa: PLC0415 - only notebooks ask for it

        t = self.terms
        rate = (t.rate.annual * 100).normalize()
        caption = (f"{t.principal} {t.currency.code} at {rate:f} % a year, {t.term} {t.frequency.value} "
                   f"installments, {t.method.value.replace('_', ' ')}, from {t.start.isoformat()}")
        rows: list[tuple[tuple[object, ...], str]] = [
            ((row.number, row.due_date.isoformat() + ("*" if row.provisional else ""), row.payment, row.principal,
              row.interest, row.balance), "loanrules-provisional" if row.provisional else "")
            for row in self.installments]
        rows.append((("total", "", self.total_payment, self.total_principal, self.total_interest, None),
                     "loanrules-total"))
        note = ("<p>* provisional: a date decided by weekends alone, outside the calendar's holiday data</p>"
                if self.provisional_dates else "")
        return _html.page(_html.table(("#", "due date", "payment", "principal", "interest", "balance"), rows,
                                      caption=caption), note)

    def to_records(self) -> list[dict[str, object]]:
        """The installments as plain dicts (for pandas, JSON, CSV).

        >>> from loanrules import Rate, build_schedule
        >>> build_schedule(LoanTerms(principal="100", rate=Rate.annual(0), term=1,
        ...                          start=date(2026, 1, 1))).to_records()[0]["payment"]
        Decimal('100.00')
        """
        return [row._asdict() for row in self.installments]

    def __str__(self) -> str:
        names = ("payment", "principal", "interest", "balance")
        rows = [(row.payment, row.principal, row.interest, row.balance) for row in self.installments]
        totals = (self.total_payment, self.total_principal, self.total_interest)
        widths = [max(len(name), *(len(str(row[i])) for row in rows), len(str(totals[i])) if i < 3 else 0)
                  for i, name in enumerate(names)]
        number_width = max(3, len(str(len(rows))))

        def line(first: str, second: str, values: Sequence[object]) -> str:
            cells = "  ".join(f"{value!s:>{width}}" for value, width in zip(values, widths, strict=False))
            return f"{first:>{number_width}}  {second:<11}  {cells}".rstrip()

        lines = [line("#", "due date", names)]
        for row, amounts in zip(self.installments, rows, strict=True):
            mark = "*" if row.provisional else " "
            lines.append(line(str(row.number), row.due_date.isoformat() + mark, amounts))
        lines.append(line("", "total", totals))
        if self.provisional_dates:
            calendar = self.terms.calendar
            projected = calendar.outside is Outside.PROJECTED and calendar.projection is not None
            how = "holidays projected" if projected else "weekends only"
            lines.append(f"* provisional: outside the calendar's holiday data, {how}")
        return "\n".join(lines)


