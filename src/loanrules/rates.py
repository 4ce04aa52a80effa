"""Kept for the import path ``loanrules.rates``; the code lives in :mod:`loanrules.conventions`.
"""

from .conventions._rates import (
    Rate,
)

__all__ = [
    "Rate",
]
