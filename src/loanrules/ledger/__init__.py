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
from ._line import (
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Draw,
    LinePayment,
    LinePrepayment,
    LineSettlement,
    PrepayOrder,
)

__all__ = [
    "Allocation",
    "Amounts",
    "Component",
    "CreditLine",
    "CreditLineState",
    "CreditLineTerms",
    "Draw",
    "Event",
    "Grace",
    "InstallmentState",
    "LinePayment",
    "LinePrepayment",
    "LineSettlement",
    "Loan",
    "LoanState",
    "Payment",
    "PenaltyBase",
    "PenaltyTerms",
    "Phase",
    "PrepayOrder",
    "Prepayment",
    "PrepaymentTerms",
    "Recast",
    "Restructure",
    "Settlement",
    "Status",
    "Waiver",
    "apr",
]

