"""Kept for the import path ``loanrules.calendars``; the code lives in :mod:`loanrules.conventions`.
"""

from .conventions._calendars import (
    ALL_DAYS,
    CHINA,
    WEEKENDS,
    BusinessDay,
    Calendar,
    Outside,
    Projection,
)

__all__ = [
    "ALL_DAYS",
    "CHINA",
    "WEEKENDS",
    "BusinessDay",
    "Calendar",
    "Outside",
    "Projection",
]
