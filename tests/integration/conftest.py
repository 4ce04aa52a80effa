"""The book the scale-out tests share: ~200 loans drawn from a fixed seed, and their rows computed in one process."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from loanrules import JPY, Loan, LoanTerms, PenaltyTerms, Rate, policies
from loanrules.collection import CollectionPolicy
from loanrules.portfolio import Row, evaluate
from loanrules.serialize import to_data

AS_OF = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NIGHT = datetime(2026, 3, 20, 22, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # calls deferred to 08:00


def draw_book(count: int = 200, seed: int = 20261212) -> list[tuple[str, Loan]]:
    """Mixed terms (3 to 360 months), starts over two years, most paid on time up to some installment and
    then stopped (overdue by 0 to ~400 days), some partly paid, some settled, a few in yen and with grace days."""
    rng = random.Random(seed)
    book = []
    for index in range(count):
        term = rng.choice([3, 6, 12, 24, 36, 60, 120, 360])
        terms = LoanTerms(principal=rng.randint(1, 500) * 1_000, rate=Rate.annual(f"0.{rng.randint(3, 24):02d}"),
                          term=term, start=date(2024, 3, 1) + timedelta(days=rng.randint(0, 700)),
                          **({"currency": JPY} if index % 17 == 0 else {}))
        loan = Loan(terms, penalty=PenaltyTerms(grace_days=rng.choice([0, 0, 3, 5])))
        due = [row for row in loan.original_schedule if row.due_date < AS_OF]
        paid = due if rng.random() < 0.4 else due[:rng.randint(0, len(due))]
        for row in paid:
            loan = loan.pay(row.due_date, row.payment)
        if len(paid) < len(due) and rng.random() < 0.2:  # a partial payment on the first missed one
            loan = loan.pay(due[len(paid)].due_date + timedelta(days=2), terms.currency.quantize(
                due[len(paid)].payment / 2))
        book.append((f"L-{index:04d}", loan))
    return book


BOOK = draw_book()


def lines(book: list[tuple[str, Loan]] = BOOK, *, without_id: frozenset[int] = frozenset()) -> list[str]:
    """The book as JSON lines, the ones numbered in ``without_id`` (from 1) without their id."""
    return [json.dumps(to_data(loan) if number in without_id else {"id": account, **to_data(loan)})
            for number, (account, loan) in enumerate(book, 1)]


@pytest.fixture(scope="session")
def policy() -> CollectionPolicy:
    return policies.standard()


@pytest.fixture(scope="session")
def expected(policy: CollectionPolicy) -> dict[str, list[Row]]:
    """The single-process rows: state only, and with the standard policy at NOW."""
    return {"state": list(evaluate(BOOK, AS_OF)), "policy": list(evaluate(BOOK, AS_OF, policy, NOW))}

