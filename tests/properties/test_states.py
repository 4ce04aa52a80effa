"""``loan.states(days)`` and ``loan.timeline(start, end)`` equal ``state()`` day by day (one fold, many days)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanrules import InvalidValueError, Loan, LoanTerms, PenaltyTerms, Rate
from loanrules.strategies import loans

SETTINGS = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(loans(max_events=8), st.lists(st.integers(min_value=0, max_value=900), max_size=12))
def test_states_equal_state_day_by_day(loan: Loan, offsets: list[int]) -> None:
    days = [loan.terms.start + timedelta(days=k) for k in offsets]
    assert loan.states(days) == tuple(loan.state(day) for day in days)


@SETTINGS
@given(loans(max_events=8), st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=60))
def test_timeline_equals_state_every_day(loan: Loan, first: int, length: int) -> None:
    start = loan.terms.start + timedelta(days=first)
    timeline = loan.timeline(start, start + timedelta(days=length))
    assert len(timeline) == length + 1
    assert timeline == tuple(loan.state(start + timedelta(days=k)) for k in range(length + 1))


def test_a_delinquent_loan_day_by_day() -> None:
    """1,200 at 0 % over 12 months, 3 days' grace, first installment paid 10 days late: DPD runs 0, 1, ...,
    9 then drops back to 0 the day of the payment."""
    terms = LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
    loan = Loan(terms, penalty=PenaltyTerms(grace_days=3)).pay(date(2026, 2, 11), "100")
    days = [s.days_past_due for s in loan.timeline(date(2026, 1, 31), date(2026, 2, 12))]
    assert days == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0]
    assert [s.status.value for s in loan.timeline(date(2026, 2, 3), date(2026, 2, 5))] == [
        "grace", "grace", "overdue"]


def test_bad_days() -> None:
    loan = Loan(LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1)))
    with pytest.raises(InvalidValueError, match=r"'days\[1\]' must not be before the loan's start"):
        loan.states([date(2026, 1, 2), date(2025, 12, 31)])
    with pytest.raises(InvalidValueError, match="'end' must not be before start"):
        loan.timeline(date(2026, 2, 1), date(2026, 1, 31))
    with pytest.raises(InvalidValueError, match="'end' must be within 366,000 days"):
        loan.timeline(date(2026, 1, 1), date(9999, 1, 1))
    assert loan.states([]) == ()


def test_too_many_days() -> None:
    loan = Loan(LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=date(2026, 1, 1)))
    with pytest.raises(InvalidValueError, match="'days' must be at most 366,000 days"):
        loan.states(date(2026, 1, 1) for _ in range(366_001))
