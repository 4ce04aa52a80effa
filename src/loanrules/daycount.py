"""Kept for the import path ``loanrules.daycount``; the code lives in :mod:`loanrules.conventions`.
"""

from .conventions._daycount import (
    DayCount,
)

__all__ = [
    "DayCount",
]
