"""Payment frequencies and anchored date generation.

>>> from datetime import date
>>> from loanrules.frequency import Frequency
>>> Frequency.QUARTERLY.periods_per_year
4
>>> Frequency.MONTHLY.nth(date(2026, 1, 31), 1, day=31)     # clipped, not chained
datetime.date(2026, 2, 28)
>>> Frequency.MONTHLY.nth(date(2026, 1, 31), 2, day=31)
datetime.date(2026, 3, 31)
>>> Frequency.BIWEEKLY.nth(date(2026, 1, 1), 2)
datetime.date(2026, 1, 29)
"""

from __future__ import annotations

import enum
import typing
from datetime import date, timedelta

from loanrules._checks import IntIn, member_repr
from loanrules.errors import InvalidValueError

from ._dates import add_months, check_date

_DAY: typing.Final = IntIn(1, 31, optional=True)
_ANY_INT: typing.Final = IntIn()
_FIRST_MONTH = date.min.year * 12  # the month index (year * 12 + month - 1) of date.min
_LAST_MONTH = date.max.year * 12 + 11

__all__ = ["Frequency"]


class Frequency(enum.Enum):
    """How often installments fall due.

    Month-based frequencies keep a fixed day of the month (clipped to the
    month's end); week-based ones step a whole number of days.
    """

    __repr__ = member_repr

    MONTHLY = "monthly"
    """Every month (12 a year): the default."""
    QUARTERLY = "quarterly"
    """Every 3 months (4 a year)."""
    SEMIANNUAL = "semiannual"
    """Every 6 months (2 a year)."""
    ANNUAL = "annual"
    """Every 12 months (1 a year)."""
    WEEKLY = "weekly"
    """Every 7 days (52 a year)."""
    BIWEEKLY = "biweekly"
    """Every 14 days (26 a year)."""

    @property
    def periods_per_year(self) -> int:
        """The number of regular periods in a year (52 for weekly, 26 for biweekly).

        >>> Frequency.BIWEEKLY.periods_per_year
        26
        """
        return _PER_YEAR[self._value_]

    @property
    def months(self) -> int:
        """Months per period for a month-based frequency, 0 for a week-based one.

        >>> Frequency.SEMIANNUAL.months, Frequency.WEEKLY.months
        (6, 0)
        """
        return _MONTHS[self._value_]

    @property
    def days(self) -> int:
        """Days per period for a week-based frequency, 0 for a month-based one.

        >>> Frequency.WEEKLY.days
        7
        """
        return _DAYS[self._value_]

    def nth(self, anchor: date, k: int, day: int | None = None) -> date:
        """The unadjusted date ``k`` periods after ``anchor``.

        Args:
            anchor: The date periods are counted from.
            k: How many periods (may be 0 or negative).
            day: For month-based frequencies, the day of month to land on,
                clipped to the month's last day; ``anchor.day`` if omitted.
                Ignored by week-based frequencies.

        Raises:
            InvalidTypeError: For a ``datetime`` (or non-date) anchor, or a
                ``k`` or ``day`` that is not an int.
            InvalidValueError: For a ``day`` outside [1, 31], or a ``k`` that
                would leave the dates a ``datetime.date`` can hold (years 1 to 9999).

        >>> Frequency.ANNUAL.nth(date(2024, 2, 29), 1)
        datetime.date(2025, 2, 28)
        >>> Frequency.MONTHLY.nth(date(2026, 1, 15), 10**9)
        Traceback (most recent call last):
        ...
        loanrules.errors.InvalidValueError: 'k' must lie in [-24300, 95687] periods from 2026-01-15 (dates end at 9999-12-31), got 1000000000
        """
        check_date(anchor, "anchor")
        k = _ANY_INT.check(k, "k")
        _DAY.check(day, "day")
        low, high = self.span(anchor)
        if not low <= k <= high:
            raise InvalidValueError("k", f"must lie in [{low}, {high}] periods from {anchor} (dates end at {date.max})", k)
        months = _MONTHS[self._value_]
        if months:
            return add_months(anchor, k * months, anchor.day if day is None else day)
        return anchor + timedelta(days=k * _DAYS[self._value_])

    def span(self, anchor: date) -> tuple[int, int]:
        """The least and greatest ``k`` for which :meth:`nth` stays within ``datetime.date``'s range.

        >>> Frequency.ANNUAL.span(date(2026, 6, 1))
        (-2025, 7973)
        """
        check_date(anchor, "anchor")
        months = _MONTHS[self._value_]
        if months:
            index = anchor.year * 12 + anchor.month - 1
            return -((index - _FIRST_MONTH) // months), (_LAST_MONTH - index) // months
        days = _DAYS[self._value_]
        return -((anchor - date.min).days // days), (date.max - anchor).days // days


# Keyed by the members' values: an Enum member's own hash is computed in Python.
_PER_YEAR: dict[str, int] = {
    "monthly": 12,
    "quarterly": 4,
    "semiannual": 2,
    "annual": 1,
    "weekly": 52,
    "biweekly": 26,
}
_MONTHS: dict[str, int] = {
    "monthly": 1,
    "quarterly": 3,
    "semiannual": 6,
    "annual": 12,
    "weekly": 0,
    "biweekly": 0,
}
_DAYS: dict[str, int] = {
    "monthly": 0,
    "quarterly": 0,
    "semiannual": 0,
    "annual": 0,
    "weekly": 7,
    "biweekly": 14,
}
