"""The fold posts each overdue row's penalty at every payment; keeping rows lazy changes no amount.

A payment that settles rows oldest first reads only the first few rows, so
the fold keeps the others *lazy* and adds their posted penalty when they are
read (see ``loanrules.ledger._penalty``). These tests compare it with a fold
that brings every row up to date at every payment, as the fold did before.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import loanrules.ledger._ledger as ledger_module
from loanrules import Loan, LoanState, LoanTerms, Payment, PenaltyTerms, Rate, Status, Waiver
from loanrules import strategies as lst
from loanrules.ledger._fold import _Book


class _EagerBook(_Book):
    lazy_posts = False


def both(loan: Loan, as_of: date) -> tuple[LoanState, LoanState]:
    lazy = loan.state(as_of)
    saved = ledger_module._Book
    ledger_module._Book = _EagerBook  # type: ignore[misc]
    try:
        eager = loan.state(as_of)
    finally:
        ledger_module._Book = saved  # type: ignore[misc]
    return lazy, eager


TERMS = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))


@st.composite
def delinquent(draw: st.DrawFn) -> tuple[Loan, date]:
    """A loan that falls behind and is repaid in small, irregular amounts, with grace, fees and waivers."""
    penalty = draw(lst.penalty_terms())
    loan = Loan(draw(lst.loan_terms(term=st.integers(2, 12), min_principal=1000, max_principal=50_000)),
                penalty=penalty, allocation=draw(lst.allocations()))
    day = loan.terms.start + timedelta(days=draw(st.integers(20, 120)))
    events: list[Payment | Waiver] = []
    for _ in range(draw(st.integers(1, 40))):
        day += timedelta(days=draw(st.sampled_from([0, 1, 1, 1, 2, 3, 7, 30])))
        if draw(st.integers(0, 9)) == 0:
            events.append(Waiver(day, draw(lst.components()), None))
        else:
            events.append(Payment(day, Decimal(draw(st.integers(1, 400)))))
    return Loan(loan.terms, penalty=penalty, allocation=loan.allocation, events=events), day


@settings(max_examples=150)
@given(delinquent(), st.integers(0, 60))
def test_lazy_rows_change_no_amount(case: tuple[Loan, date], extra: int) -> None:
    loan, last = case
    for as_of in (last, last + timedelta(days=extra)):
        lazy, eager = both(loan, as_of)
        assert lazy == eager
        assert lazy.installments == eager.installments


@settings(max_examples=60)
@given(lst.loans(max_events=8), st.integers(0, 400))
def test_lazy_rows_change_no_amount_for_any_loan(loan: Loan, offset: int) -> None:
    as_of = loan.terms.start + timedelta(days=offset)
    if loan.events:
        as_of = max(as_of, loan.events[-1].on)
    lazy, eager = both(loan, as_of)
    assert lazy == eager


def test_small_daily_payments_by_hand() -> None:
    """2 000 at 0 % in two rows of 1 000 (due 1 Feb and 1 Mar), both behind, 10 paid a day for three days.

    Penalty 36 % a year over 360 days on overdue principal: 1.00 a day a row.
    Every payment posts each row's penalty up to its day, rounded on its own;
    the second row is never paid, so it is lazy between the payments.
    """
    terms = LoanTerms(principal="2000", rate=Rate.annual(0), term=2, start=date(2026, 1, 1))
    loan = Loan(terms, penalty=PenaltyTerms(rate=Rate.annual("0.36")))
    # Rows: 1 000 due 1 Feb, 1 000 due 1 Mar. Penalty 36 %/360 = 0.1 % a day on overdue principal.
    for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)):
        loan = loan.pay(day, "10")
    state = loan.state(date(2026, 3, 4))
    first, second = state.installments
    # Row 1: 29 days to 2 Mar at 1.00 a day = 29.00 posted, the 10 paid goes to penalty: 19.00 left;
    # 3 Mar: +1.00, -10 -> 10.00; 4 Mar: +1.00, -10 -> 1.00. Principal untouched: 1 000.00.
    assert first.outstanding.penalty == Decimal("1.00")
    assert first.outstanding.principal == Decimal("1000.00")
    # Row 2: due 1 Mar, 1.00 a day on 2, 3 and 4 Mar, posted at each payment and never paid.
    assert second.outstanding.penalty == Decimal("3.00")
    assert state.status is Status.OVERDUE
    assert state.days_past_due == 31
    assert both(loan, date(2026, 3, 4))[1] == state
