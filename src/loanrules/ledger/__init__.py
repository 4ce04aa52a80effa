"""The ledger: a loan is its terms plus events, folded into a state as of any day.

A :class:`Loan` is its :class:`~loanrules.LoanTerms` plus an immutable,
date-ordered tuple of events (payments, prepayments, settlements, waivers,
restructures). :meth:`Loan.state` folds the events up to and including a
day into a :class:`LoanState`: what is due, what is overdue and for how
long, the penalty interest (罚息) accrued, and what settles the loan today.
A backdated payment simply re-computes history.

>>> from datetime import date
>>> from loanrules import Loan, LoanTerms, PenaltyTerms, Rate
>>> terms = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
>>> loan = Loan(terms, penalty=PenaltyTerms(grace_days=3))
>>> state = loan.state(as_of=date(2026, 2, 20))      # the first installment was missed
>>> state.days_past_due, state.status.name, state.overdue.principal, state.overdue.penalty
(5, 'OVERDUE', Decimal('946.19'), Decimal('2.67'))
>>> loan = loan.pay(on=date(2026, 2, 20), amount=state.due_now.total)
>>> loan.state(as_of=date(2026, 2, 20)).status.name
'CURRENT'

Every amount is a ``Decimal`` in the currency's minor unit; penalty
interest accrues unrounded and is rounded half-up when a payment posts it.
"""

from ._apr import apr
from ._events import Event, Payment, Prepayment, Restructure, Settlement, Waiver
from ._loan import Loan
from ._state import Amounts, InstallmentState, LoanState, Phase
from ._terms import Allocation, Component, Grace, PenaltyBase, PenaltyTerms, PrepaymentTerms, Recast, Status

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
