"""Kept for the import path ``loanrules.engine``; the code lives in :mod:`loanrules.collection`.
"""

from .collection._engine import (
    Decision,
    DecisionStatus,
    TraceEntry,
    next_step,
)

__all__ = [
    "Decision",
    "DecisionStatus",
    "TraceEntry",
    "next_step",
]
