"""Kept for the import path ``loanrules.money``; the code lives in :mod:`loanrules.conventions`.
"""

from .conventions._money import (
    CNY,
    CONTEXT,
    EUR,
    JPY,
    ROUNDING_MODES,
    USD,
    Currency,
    DecimalInput,
    to_decimal,
)

__all__ = [
    "CNY",
    "CONTEXT",
    "EUR",
    "JPY",
    "ROUNDING_MODES",
    "USD",
    "Currency",
    "DecimalInput",
    "to_decimal",
]
