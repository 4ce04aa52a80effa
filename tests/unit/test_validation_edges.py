"""Constructors and readers refuse the wrong kind of container or value, naming the field."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

import loanrules as lr
from loanrules import Allocation, Case, Loan, LoanTerms, Rate, Settlement

TERMS = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))


def test_allocation_order_must_be_a_sequence() -> None:
    with pytest.raises(lr.InvalidTypeError, match="'order' must be a sequence of Components, got 'penalty'"):
        Allocation(order="penalty")


def test_a_settlement_amount_is_not_negative() -> None:
    with pytest.raises(lr.InvalidValueError, match=r"'amount' must be >= 0, got Decimal\('-1'\)"):
        Settlement(date(2026, 2, 1), Decimal(-1))


def test_events_must_be_a_sequence() -> None:
    with pytest.raises(lr.InvalidTypeError, match="'events' must be a sequence of events, got 'pay'"):
        Loan(TERMS, events="pay")  # type: ignore[arg-type]


def test_history_holds_records() -> None:
    state = Loan(TERMS).state(date(2026, 1, 5))
    call = lr.Record(at=datetime(2026, 1, 2, 9, tzinfo=UTC), action=lr.Action.CALL, outcome=lr.Outcome.NO_ANSWER)
    with pytest.raises(lr.InvalidTypeError, match=r"'history\[1\]' must be a Record, got 'call'"):
        Case(state=state, history=[call, "call"])  # type: ignore[list-item]


def test_a_comparison_value_is_a_number_or_a_flag() -> None:
    data = copy.deepcopy(lr.policies.standard().to_dict())
    data["stages"][0]["entry"]["all"][0]["value"] = [0]
    with pytest.raises(lr.InvalidPolicyError, match=r"stages\[0\]\.entry\.all\[0\]\.value: must be a number or "
                                                    r"true/false, got \[0\]"):
        lr.CollectionPolicy.from_dict(data)
