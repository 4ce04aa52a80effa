"""Kept for the import path ``loanrules.frequency``; the code lives in :mod:`loanrules.conventions`.
"""

from .conventions._frequency import (
    Frequency,
)

__all__ = [
    "Frequency",
]
