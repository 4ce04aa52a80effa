"""Day-count conventions: how much of a year lies between two dates.

Each member matches the QuantLib day counter named in its docstring, to
1e-12 on any pair of dates (the test suite checks it on random pairs):

>>> from datetime import date
>>> from loanrules.daycount import DayCount
>>> DayCount.ACT_360.year_fraction(date(2026, 1, 15), date(2026, 2, 15))
Decimal('0.08611111111111111111111111111111111')
>>> DayCount.THIRTY_360.day_count(date(2026, 1, 31), date(2026, 2, 28))
28
>>> DayCount.THIRTY_E_360.day_count(date(2026, 1, 31), date(2026, 3, 31))
60

A reversed pair gives the negated fraction, as in QuantLib.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from fractions import Fraction

from loanrules._checks import member_repr

from ._dates import check_date, is_leap
from ._money import CONTEXT

__all__ = ["DayCount"]

_D360 = Decimal(360)
_D365 = Decimal(365)


def _thirty(start: date, end: date, european: bool) -> int:
    d1, d2 = start.day, end.day
    if d1 == 31:
        d1 = 30
    if d2 == 31 and (european or d1 >= 30):
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)


def _act_act_isda_exact(start: date, end: date) -> Fraction:
    if start > end:
        return -_act_act_isda_exact(end, start)
    y1, y2 = start.year, end.year
    if y1 == y2:
        return Fraction((end - start).days, 366 if is_leap(y1) else 365)
    first = Fraction((date(y1 + 1, 1, 1) - start).days, 366 if is_leap(y1) else 365)
    last = Fraction((end - date(y2, 1, 1)).days, 366 if is_leap(y2) else 365)
    return first + (y2 - y1 - 1) + last


class DayCount(enum.Enum):
    """A day-count convention; ``year_fraction(start, end)`` is its whole job.

    >>> DayCount("30/360") is DayCount.THIRTY_360
    True
    """

    __repr__ = member_repr

    ACT_360 = "ACT/360"
    """Actual days / 360 (QuantLib ``Actual360``); the Chinese bank default."""

    ACT_365F = "ACT/365F"
    """Actual days / 365, leap years included (QuantLib ``Actual365Fixed``)."""

    ACT_ACT_ISDA = "ACT/ACT ISDA"
    """Days in each calendar year / that year's length, summed
    (QuantLib ``ActualActual(ISDA)``): a period across 31 Dec splits."""

    THIRTY_360 = "30/360"
    """30/360 bond basis, ISDA 2006 4.16(f) (QuantLib ``Thirty360(BondBasis)``):
    a 31st start day becomes 30; a 31st end day becomes 30 only when the
    start day is then 30."""

    THIRTY_E_360 = "30E/360"
    """30E/360 Eurobond basis (QuantLib ``Thirty360(European)``): every 31st
    becomes 30."""

    def day_count(self, start: date, end: date) -> int:
        """The number of days the convention counts from ``start`` to ``end``.

        >>> DayCount.ACT_365F.day_count(date(2024, 2, 1), date(2024, 3, 1))
        29
        """
        check_date(start, "start")
        check_date(end, "end")
        if self is DayCount.THIRTY_360:
            return _thirty(start, end, european=False)
        if self is DayCount.THIRTY_E_360:
            return _thirty(start, end, european=True)
        return (end - start).days

    def fraction(self, start: date, end: date) -> Fraction:
        """The exact year fraction from ``start`` to ``end``, as a :class:`~fractions.Fraction`.

        :meth:`year_fraction` is this, rounded to 34 significant digits; the
        schedule uses the exact value so that a half cent is never lost to
        a recurring decimal.

        >>> DayCount.ACT_365F.fraction(date(2026, 1, 1), date(2026, 1, 31))
        Fraction(6, 73)
        >>> DayCount.ACT_ACT_ISDA.fraction(date(2023, 12, 1), date(2024, 1, 1))
        Fraction(31, 365)
        """
        if self is DayCount.ACT_ACT_ISDA:
            check_date(start, "start")
            check_date(end, "end")
            return _act_act_isda_exact(start, end)
        return Fraction(self.day_count(start, end), 365 if self is DayCount.ACT_365F else 360)

    def year_fraction(self, start: date, end: date) -> Decimal:
        """The fraction of a year from ``start`` to ``end`` (negative if reversed).

        Args:
            start: The first day of the period (counted).
            end: The day after the last day of the period (not counted).

        Returns:
            An exact-as-possible ``Decimal`` (34 significant digits).

        >>> DayCount.ACT_ACT_ISDA.year_fraction(date(2023, 12, 1), date(2024, 1, 1))
        Decimal('0.08493150684931506849315068493150685')
        >>> DayCount.ACT_365F.year_fraction(date(2026, 1, 1), date(2026, 1, 1))
        Decimal('0')
        """
        if self is DayCount.ACT_ACT_ISDA:
            check_date(start, "start")
            check_date(end, "end")
            # From the exact fraction, so the result is correctly rounded
            # (summing the rounded parts of each year could be one digit off).
            exact = _act_act_isda_exact(start, end)
            return CONTEXT.divide(Decimal(exact.numerator), Decimal(exact.denominator))
        days = Decimal(self.day_count(start, end))
        return CONTEXT.divide(days, _D365 if self is DayCount.ACT_365F else _D360)
