"""Small date helpers shared by the conventions (private)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate

from loanrules._checks import check_date

__all__ = ["add_months", "check_date", "days_in_month", "is_leap", "month_dates"]

_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# The length of each month of a common and of a leap year, as the step from
# a day of that month to the same day of the next.
_COMMON_STEPS = tuple(timedelta(days=n) for n in _MONTH_DAYS[1:])
_FEBRUARY_29 = timedelta(days=29)


def is_leap(year: int) -> bool:
    """Whether ``year`` is a Gregorian leap year."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """The number of days in ``month`` of ``year``."""
    if month == 2 and is_leap(year):
        return 29
    return _MONTH_DAYS[month]


def add_months(anchor: date, months: int, day: int) -> date:
    """The date ``months`` after ``anchor``'s month, on ``day`` clipped to that month's end.

    Anchored, never chained: ``add_months(31 Jan, 2, 31)`` is 31 Mar.
    """
    index = anchor.year * 12 + anchor.month - 1 + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = 29 if month == 2 and is_leap(year) else _MONTH_DAYS[month]
    return date(year, month, day if day <= last else last)


def month_dates(anchor: date, first: int, count: int, step: int, day: int) -> list[date]:
    """``count`` anchored dates ``first``, ``first + 1``, ... periods of ``step`` months after ``anchor``.

    The same dates as ``add_months(anchor, (first + i) * step, day)``, made
    without repeating the month arithmetic for each.
    """
    index = anchor.year * 12 + anchor.month - 1 + first * step
    year, month = divmod(index, 12)
    month += 1
    if step == 1 and day <= 28 and count:
        # Every month has the day, so each date is the one before plus the
        # length of that one's month: lay out the month lengths of the years
        # spanned (common years, then 29 days for each leap February) and let
        # C add them up. accumulate is given no function, so that it adds with
        # +, not through a call per date; typeshed only types a sum of a date
        # and timedeltas when it is given one.
        steps = [*_COMMON_STEPS] * ((month + count + 9) // 12)
        for leap in range(year + -year % 4, year + len(steps) // 12, 4):
            if leap % 100 or leap % 400 == 0:
                steps[(leap - year) * 12 + 1] = _FEBRUARY_29
        first_date = date(year, month, day)
        return list(accumulate(steps[month - 1:month + count - 2], initial=first_date))  # type: ignore[arg-type]
    out: list[date] = []
    append = out.append
    for _ in range(count):
        if day <= 28:
            append(date(year, month, day))
        else:
            last = 29 if month == 2 and is_leap(year) else _MONTH_DAYS[month]
            append(date(year, month, day if day <= last else last))
        month += step
        while month > 12:
            month -= 12
            year += 1
        while month < 1:  # a negative step
            month += 12
            year -= 1
    return out
