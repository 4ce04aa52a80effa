"""Schedules: :class:`LoanTerms` in, a :class:`Schedule` of :class:`Installment` rows out.

>>> from datetime import date
>>> from loanrules.conventions import Rate
>>> from loanrules.schedule import LoanTerms, build_schedule
>>> build_schedule(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1)))[0].payment
Decimal('106.62')
"""


from ._build import build_schedule
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
]

