"""A state's rows in little memory: shared with the loan, equal by their rows, pickled and hashed as values."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

import attrs
import pytest

from loanrules import InvalidValueError, Loan, LoanState, LoanTerms, Rate

TERMS = LoanTerms(principal="300", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))


def paid_on_time() -> tuple[Loan, LoanState]:
    loan = Loan(TERMS)
    first = loan.original_schedule[0]
    loan = loan.pay(first.due_date, first.payment)
    return loan, loan.state(date(2026, 2, 10))


def test_a_state_shares_the_loans_columns() -> None:
    """Due dates and scheduled amounts are the loan's own objects; an installment paid in full keeps them."""
    loan, state = paid_on_time()
    columns = loan._columns[1]
    rows = state._rows
    assert rows.due is columns.due
    assert rows.asked[0] is columns.principal
    assert rows.asked[1] is columns.interest
    assert rows.asked[2] is None
    assert rows.asked[3] is None
    assert rows.paid[0][0] is columns.principal[0]
    assert rows.paid[1][0] is columns.interest[0]
    assert rows.paid[0][1:] == (Decimal("0.00"), Decimal("0.00"))
    first = state.installments[0]
    assert (first.paid.principal, first.paid.interest, first.settled_on) == (
        Decimal("99.01"), Decimal("3.00"), date(2026, 2, 1))  # 300 at 1 % a month: 102.01 a month


def test_rows_given_by_hand_equal_the_folds() -> None:
    _, state = paid_on_time()
    raw = state._rows.raw()
    assert raw[0][:4] == (1, date(2026, 2, 1), Decimal("99.01"), Decimal("3.00"))
    by_hand = attrs.evolve(state, loan=None, rows=list(raw))
    assert by_hand == state
    assert hash(by_hand) == hash(state)
    assert by_hand.installments == state.installments
    assert attrs.evolve(state, rows=raw[:2]) != state


def test_pickled_and_back() -> None:
    _, state = paid_on_time()
    again = pickle.loads(pickle.dumps(state))
    assert again == state
    assert again.installments == state.installments


def test_a_restructured_loan_keeps_its_own_rows() -> None:
    """After a recast the rows are the book's (dates as ordinals), and read back the same: the two old
    installments and the row that closes them on the day of the plan (phase 0), then the plan's two."""
    loan = Loan(TERMS).restructure(on=date(2026, 3, 5), term=2, waive_penalty=True)
    state = loan.state(date(2026, 3, 5))
    assert state._rows.phases is not None
    dates = [row.due_date for row in state.installments]
    assert dates == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 3, 5), date(2026, 4, 5), date(2026, 5, 5)]
    assert [row.phase for row in state.installments] == [0, 0, 0, 1, 1]
    assert [row.settled_on for row in state.installments] == [date(2026, 3, 5)] * 3 + [None, None]


@pytest.mark.parametrize("rows", [[(1, 2)], [None], [(0,) * 15 + ("x",)]])
def test_bad_rows_by_hand(rows: list[object]) -> None:
    _, state = paid_on_time()
    with pytest.raises(InvalidValueError, match="rows"):
        attrs.evolve(state, loan=None, rows=rows)


def test_rows_compare_only_with_rows() -> None:
    _, state = paid_on_time()
    assert state._rows.__eq__("rows") is NotImplemented
    assert len(state._rows) == 3
    assert attrs.evolve(state, loan=None, rows=()).installments == ()
