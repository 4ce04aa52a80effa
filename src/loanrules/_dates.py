"""Small date helpers shared by the conventions (private)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .errors import InvalidTypeError

_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_STEP = {n: timedelta(days=n) for n in (28, 29, 30, 31)}


def check_date(value: object, field: str) -> date:
    """Return ``value`` if it is a plain ``date``; refuse a ``datetime`` or anything else."""
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        raise InvalidTypeError(field, "must be a date, not a datetime (use .date())", value)
    if isinstance(value, date):
        return value
    raise InvalidTypeError(field, "must be a datetime.date", value)


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
    out: list[date] = []
    append = out.append
    if step == 1 and day <= 28 and count:
        # Every month has the day: step by whole months from one date to the next.
        current = date(year, month, day)
        for _ in range(count):
            append(current)
            current += _MONTH_STEP[29 if month == 2 and is_leap(year) else _MONTH_DAYS[month]]
            month += 1
            if month == 13:
                month = 1
                year += 1
        return out
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
