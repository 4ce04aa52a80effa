"""Benchmark cases of the ledger and the engine, run by ``bench.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import loanrules as lr


def loan_with_payments(term: int = 360, payments: int = 100) -> tuple[lr.Loan, date]:
    """A 360-installment loan with its first 100 installments paid on their due dates."""
    terms = lr.LoanTerms(principal="1000000", rate=lr.Rate.annual("0.049"), term=term, start=date(2026, 1, 15))
    loan = lr.Loan(terms)
    schedule = loan.original_schedule
    for row in schedule[:payments]:
        loan = loan.pay(on=row.due_date, amount=row.payment)
    return loan, schedule[payments].due_date


def state_case() -> dict[str, Callable[[], object]]:
    """``state(as_of)`` of that loan next to building its schedule (the target is 2x)."""
    loan, as_of = loan_with_payments()
    terms = loan.terms
    return {
        "loanrules": lambda: loan.state(as_of=as_of),
        "build_schedule": lambda: lr.build_schedule(terms),
    }
