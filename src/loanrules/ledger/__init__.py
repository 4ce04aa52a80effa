"""The ledger: a :class:`Loan` is its terms plus events; its :class:`LoanState` on any day is a pure fold.

Also the servicing terms (penalty, prepayment, allocation) and :func:`apr`.
"""


from ._apr import (
    apr,
)
from ._ledger import (
    Allocation,
    Amounts,
    Component,
    Event,
    Grace,
    InstallmentState,
    Loan,
    LoanState,
    Payment,
    PenaltyBase,
    PenaltyTerms,
    Phase,
    Prepayment,
    PrepaymentTerms,
    Recast,
    Restructure,
    Settlement,
    Status,
    Waiver,
)

__all__ = [
    "Allocation",
    "Amounts",
    "Component",
    "Event",
    "Grace",
    "InstallmentState",
    "Loan",
    "LoanState",
    "Payment",
    "PenaltyBase",
    "PenaltyTerms",
    "Phase",
    "Prepayment",
    "PrepaymentTerms",
    "Recast",
    "Restructure",
    "Settlement",
    "Status",
    "Waiver",
    "apr",
]

