"""The old private home of the schedule layer (kept for importers inside the package)."""

from ._build import build_schedule, level_payment, period_rates, round_product
from ._rows import Installment, Schedule
from ._terms import MAX_PRINCIPAL, MAX_TERM, Accrual, LoanTerms, RepaymentMethod

__all__ = [
    "MAX_PRINCIPAL",
    "MAX_TERM",
    "Accrual",
    "Installment",
    "LoanTerms",
    "RepaymentMethod",
    "Schedule",
    "build_schedule",
    "level_payment",
    "period_rates",
    "round_product",
]
