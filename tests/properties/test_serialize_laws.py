"""Laws of loanrules.serialize over every strategy-drawn value of every document type.

For each type T and drawn x: ``from_data(T, to_data(x)) == x``,
``from_json(T, to_json(x)) == x``, ``pickle.loads(pickle.dumps(x)) == x``,
and the JSON text is plain JSON (``json.loads`` reads it with no float for
money). For loans, the state read back equals the original's on drawn days.
"""

from __future__ import annotations

import json
import pickle
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanrules import (
    Case,
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Loan,
    LoanState,
    Rate,
)
from loanrules import strategies as lst
from loanrules.serialize import DOCUMENT_TYPES, VERSION, from_data, from_json, to_data, to_json

SLOW = settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])



STRATEGIES: dict[type, st.SearchStrategy[Any]] = {kind: st.from_type(kind) for kind in DOCUMENT_TYPES}
"""Every document type's registered strategy (loanrules.strategies registers one for each public type)."""



@pytest.mark.parametrize("kind", list(STRATEGIES), ids=lambda k: k.__name__)
def test_round_trips(kind: type) -> None:
    @SLOW
    @given(STRATEGIES[kind])
    def check(value: Any) -> None:
        data = to_data(value)
        assert data["type"] == DOCUMENT_TYPES[kind]
        assert data["version"] == VERSION
        assert from_data(kind, data) == value
        text = to_json(value)
        assert json.loads(text) == data  # plain JSON: no float anywhere money could be
        assert from_json(kind, text) == value
        assert to_json(from_json(kind, text)) == text  # the writing is canonical
        assert pickle.loads(pickle.dumps(value)) == value

    check()


@SLOW
@given(lst.loans(), st.integers(min_value=0, max_value=800))
def test_a_loan_read_back_has_the_same_states(loan: Loan, days: int) -> None:
    again = from_json(Loan, to_json(loan))
    day = loan.terms.start + timedelta(days=days)
    assert again.state(day) == loan.state(day)
    assert again.original_schedule == loan.original_schedule
    assert from_json(LoanState, to_json(loan.state(day))) == loan.state(day)


@SLOW
@given(lst.credit_lines(), st.integers(min_value=0, max_value=500))
def test_a_line_read_back_has_the_same_states(line: CreditLine, days: int) -> None:
    again = from_json(CreditLine, to_json(line))
    day = (line.events[0].on if line.events else date(2024, 1, 1)) + timedelta(days=days)
    assert again.state(day) == line.state(day)
    assert again.loans == line.loans


def test_a_case_of_a_line_reads_back_as_a_line() -> None:

    line = CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365))).draw(
        date(2026, 3, 1), "10000", 3)
    case = Case(state=line.state(date(2026, 4, 20)))
    again = from_json(Case, to_json(case))
    assert again == case
    assert type(again.state) is CreditLineState
    assert again.state.days_past_due == 10  # the 10 April installment, unpaid
