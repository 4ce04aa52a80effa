"""Laws of credit lines over strategy-drawn lines: money conserved across draws and payments, the limit
kept, available = limit - drawn, DPD monotone without payments, a state blind to later events."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanrules import CreditLine, Draw, LinePayment, LinePrepayment, Payment, Prepayment, Settlement
from loanrules.strategies import credit_lines

LAWS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


@LAWS
@given(credit_lines(), st.integers(min_value=0, max_value=400))
def test_money_is_conserved(line: CreditLine, later: int) -> None:
    """What came in (line payments and prepayments, and the payoffs the line recorded) is exactly what the
    draws' loans recorded plus the line's own credit; each draw's payments are what its rows were paid."""
    if not line.events:
        return
    day = line.events[-1].on + timedelta(days=later)
    state = line.state(day)
    into_draws = sum((e.amount for loan in line.loans for e in loan.events
                      if isinstance(e, (Payment, Prepayment, Settlement))), Decimal(0))
    line_credit = state.credit - sum((s.credit for s in state.draws), Decimal(0))
    paid_in = sum((e.amount for e in line.events if isinstance(e, (LinePayment, LinePrepayment))), Decimal(0))
    settled = into_draws + line_credit - paid_in  # what the line's payoffs paid, never negative
    assert settled >= 0
    assert line_credit >= 0
    for loan, loan_state in zip(line.loans, state.draws, strict=True):
        paid = sum((row.paid.total for row in loan_state.installments), Decimal(0))
        recorded = sum((e.amount for e in loan.events if isinstance(e, (Payment, Prepayment, Settlement))),
                       Decimal(0))
        assert paid + loan_state.credit == recorded
    drawn = sum((e.amount for e in line.events if isinstance(e, Draw)), Decimal(0))
    assert drawn == sum((loan.terms.principal for loan in line.loans), Decimal(0))


@LAWS
@given(credit_lines(), st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=6))
def test_the_limit_holds(line: CreditLine, offsets: list[int]) -> None:
    first = line.events[0].on if line.events else date(2024, 1, 1)
    for k in offsets:
        state = line.state(first + timedelta(days=k))
        assert 0 <= state.drawn_principal <= state.limit
        assert state.available == state.limit - state.drawn_principal
        assert state.drawn_principal == sum((s.principal_outstanding for s in state.draws), Decimal(0))
        assert state.days_past_due == max((s.days_past_due for s in state.draws), default=0)


@LAWS
@given(credit_lines(), st.integers(min_value=1, max_value=120))
def test_dpd_never_falls_without_payments(line: CreditLine, days: int) -> None:
    if not line.events:
        return
    start = line.events[-1].on
    dpd = [s.days_past_due for s in (line.state(start + timedelta(days=k)) for k in range(0, days, 7))]
    assert dpd == sorted(dpd)


@LAWS
@given(credit_lines(), st.data())
def test_a_state_is_blind_to_later_events(line: CreditLine, data: st.DataObject) -> None:
    if not line.events:
        return
    cut = data.draw(st.integers(min_value=0, max_value=len(line.events) - 1), label="cut")
    day = line.events[cut].on
    earlier = CreditLine(line.terms, events=[e for e in line.events if e.on <= day])
    assert earlier.state(day) == line.state(day)
