"""The revolving credit line (随借随还), against figures computed by hand.

The line: a 50,000 CNY limit at 0.05 % a day (Rate.daily("0.0005", basis=365):
18.25 % a year), interest accruing daily on each draw's principal, every draw
repaid on the 10th of the month, penalty 1.5 x the rate on overdue principal
(0.075 % a day).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loanrules import (
    Case,
    CreditLine,
    CreditLineTerms,
    InvalidTypeError,
    InvalidValueError,
    LinePayment,
    Loan,
    PenaltyBase,
    PenaltyTerms,
    PrepayOrder,
    Rate,
    RefusedEventError,
    RepaymentMethod,
    Status,
    next_step,
    policies,
)

D = Decimal
DAILY = Rate.daily("0.0005", basis=365)
TERMS = CreditLineTerms(limit="50000", rate=DAILY, suspend_after_dpd=7)


def two_draws() -> CreditLine:
    """A: 10,000 on 1 March over 3 months; B: 6,000 on 12 April over 3 months (A then 2 days late, within 7)."""
    return CreditLine(TERMS).draw(date(2026, 3, 1), "10000", 3).draw(date(2026, 4, 12), "6000", 3)


def test_fifteen_days_cost_75() -> None:
    """10,000 at 0.05 % a day for 15 days: 10,000 x 0.0005 x 15 = 75.00; the limit comes back in full."""
    line = CreditLine(TERMS).draw(date(2026, 3, 1), "10000", 3)
    state = line.state(date(2026, 3, 16))
    assert (state.drawn_principal, state.available, state.accrued_interest, state.payoff) == (
        D("10000.00"), D("40000.00"), D("75.00"), D("10075.00"))
    settled = line.settle(date(2026, 3, 16))
    assert settled.loans[0].events[-1].amount == D("10075.00")
    after = settled.state(date(2026, 3, 16))
    assert (after.available, after.status, after.payoff, after.draws[0].status) == (
        D("50000.00"), Status.SETTLED, D("0.00"), Status.SETTLED)
    # The same through a payment naming the draw, and one not naming it: both settle it.
    assert line.pay(date(2026, 3, 16), "10075.00", draw=1).state(date(2026, 3, 16)).available == D("50000.00")
    assert line.pay(date(2026, 3, 16), "10075.00").state(date(2026, 3, 16)).status is Status.SETTLED


def test_two_draws_share_the_repayment_day() -> None:
    line = two_draws()
    a, b = (loan.original_schedule for loan in line.loans)
    assert [row.due_date for row in a] == [date(2026, 4, 10), date(2026, 5, 10), date(2026, 6, 10)]
    assert [row.due_date for row in b] == [date(2026, 5, 10), date(2026, 6, 10), date(2026, 7, 10)]
    assert a[0].interest == D("200.00")  # 10,000 x 0.0005 x 40 days (1 March to 10 April)
    assert b[0].interest == D("84.00")   # 6,000 x 0.0005 x 28 days (12 April to 10 May)
    state = line.state(date(2026, 4, 20))
    assert (state.next_due_date, state.next_due_amount) == (date(2026, 5, 10), a[1].payment + b[0].payment)
    assert state.available == D("34000.00")


def test_penalty_on_an_overdue_draw() -> None:
    """A's first installment (3,251.30 principal) 30 days overdue on 10 May: 3,251.30 x 0.00075 x 30 = 73.15."""
    state = two_draws().state(date(2026, 5, 10))
    a = state.draws[0]
    assert (a.days_past_due, a.overdue.principal, a.overdue.interest, a.overdue.penalty) == (
        30, D("3251.30"), D("200.00"), D("73.15"))
    assert (state.days_past_due, state.overdue.total, state.suspended) == (30, D("3524.45"), True)


def test_a_partial_payment_splits_over_an_overdue_and_a_current_draw() -> None:
    """5,000 on 10 May: A's overdue installment first (3,524.45 with its penalty), then what falls due that
    day, older draw first: A's May interest 101.23 and 1,374.32 of its principal; B's May untouched."""
    line = two_draws().pay(date(2026, 5, 10), "5000")
    assert [loan.events for loan in line.loans] == [(line.loans[0].events[0],), ()]
    assert line.loans[0].events[0].amount == D("5000.00")
    a, b = line.state(date(2026, 5, 10)).draws
    assert (a.installments[0].outstanding.total, a.installments[1].paid.interest,
            a.installments[1].paid.principal, a.installments[1].outstanding.total) == (
        D("0.00"), D("101.23"), D("1374.32"), D("1975.75"))
    assert b.due_now.total == D("2058.94")
    state = line.state(date(2026, 5, 10))
    # The limit comes back to the cent: 50,000 - (10,000 - 3,251.30 - 1,374.32) - 6,000.
    assert (state.drawn_principal, state.available) == (D("11374.38"), D("38625.62"))
    assert state.available == state.limit - state.drawn_principal


def test_beyond_what_is_due_repays_the_costliest_draw() -> None:
    line = CreditLine(TERMS).draw(date(2026, 3, 1), "10000", 3).draw(date(2026, 3, 1), "2000", 3,
                                                                        rate=Rate.daily("0.0006", basis=365))
    paid = line.pay(date(2026, 3, 11), "3000")
    # Nothing is due: the costlier draw 2 is settled (2,000 + 10 days x 2,000 x 0.0006 = 12.00), the rest
    # prepays draw 1 (its 10 days' interest 50.00 first, then 938.00 of principal).
    assert paid.loans[1].events[0].amount == D("2012.00")
    first = paid.state(date(2026, 3, 11)).draws[0]
    assert first.principal_outstanding == D("9062.00")
    oldest = CreditLine(attrs_evolve(TERMS, prepay_order=PrepayOrder.OLDEST)).draw(
        date(2026, 3, 1), "10000", 3).draw(date(2026, 3, 1), "2000", 3, rate=Rate.daily("0.0006", basis=365))
    assert oldest.pay(date(2026, 3, 11), "3000").state(date(2026, 3, 11)).draws[1].principal_outstanding == D(
        "2000.00")


def attrs_evolve(terms: CreditLineTerms, **changes: object) -> CreditLineTerms:
    import attrs

    return attrs.evolve(terms, **changes)


def test_refused_draws() -> None:
    line = CreditLine(TERMS)
    with pytest.raises(RefusedEventError, match=r"'limit': 50000\.01 is more than the 50000\.00 available"):
        line.draw(date(2026, 3, 1), "50000.01", 3)
    with pytest.raises(RefusedEventError, match="'term': a draw's term must be one of 1, 3, 6, 12"):
        line.draw(date(2026, 3, 1), "100", 5)
    narrow = CreditLine(attrs_evolve(TERMS, methods=[RepaymentMethod.ANNUITY]))
    with pytest.raises(RefusedEventError, match="'method': the line does not allow bullet draws"):
        narrow.draw(date(2026, 3, 1), "100", 3, method=RepaymentMethod.BULLET)
    late = two_draws()
    with pytest.raises(RefusedEventError, match="'suspended': new draws are suspended: the line is 8 days past"):
        late.draw(date(2026, 4, 18), "100", 3)
    strict = CreditLine(attrs_evolve(TERMS, suspend_after_dpd=0)).draw(date(2026, 3, 1), "10000", 3)
    with pytest.raises(RefusedEventError, match="suspended"):
        strict.draw(date(2026, 4, 11), "100", 3)
    with pytest.raises(RefusedEventError, match="'date_order'"):
        late.pay(date(2026, 4, 1), "100")
    with pytest.raises(RefusedEventError, match="'draw': the line has 2 draw"):
        late.pay(date(2026, 5, 1), "100", draw=3)
    settled = CreditLine(TERMS).draw(date(2026, 3, 1), "100", 1).settle(date(2026, 3, 2), draw=1)
    with pytest.raises(RefusedEventError, match="'settled': draw 1 is already settled"):
        settled.settle(date(2026, 3, 3), draw=1)


def test_rebuilt_from_events_checks_them() -> None:
    line = two_draws().pay(date(2026, 5, 10), "5000")
    assert CreditLine(TERMS, events=line.events) == line
    assert CreditLine(TERMS, events=line.events).state(date(2026, 6, 1)) == line.state(date(2026, 6, 1))
    with pytest.raises(RefusedEventError, match=r"events\[2\]: refused by rule 'draw'"):
        CreditLine(TERMS, events=[*line.events[:2], LinePayment(date(2026, 5, 10), "1", draw=9)])
    with pytest.raises(InvalidValueError, match=r"'events\[1\].on' must not be before the event before it"):
        CreditLine(TERMS, events=[line.events[1], line.events[0]])


def test_bad_terms() -> None:
    with pytest.raises(InvalidValueError, match="'limit' must be > 0"):
        CreditLineTerms(limit="0", rate=DAILY)
    with pytest.raises(InvalidValueError, match="'basis' must be 360 or 365"):
        CreditLineTerms(limit="100", rate=DAILY, basis=366)
    with pytest.raises(InvalidValueError, match="'repayment_day'"):
        CreditLineTerms(limit="100", rate=DAILY, repayment_day=31)
    with pytest.raises(InvalidTypeError, match="'rate'"):
        CreditLineTerms(limit="100", rate="0.0005")  # type: ignore[arg-type]
    assert CreditLineTerms(limit="100", rate=DAILY).penalty == PenaltyTerms(
        markup="0.5", base=PenaltyBase.PRINCIPAL, compound=False, day_basis=365)


def test_a_line_with_one_draw_decides_as_the_same_loan() -> None:
    line = CreditLine(TERMS).draw(date(2026, 3, 1), "10000", 3)
    loan: Loan = line.loans[0]
    shanghai = ZoneInfo("Asia/Shanghai")
    for day in (date(2026, 4, 5), date(2026, 4, 12), date(2026, 4, 30), date(2026, 6, 20)):
        now = datetime(day.year, day.month, day.day, 10, tzinfo=shanghai)
        by_line = next_step(policies.standard(), Case(state=line.state(day)), now)
        by_loan = next_step(policies.standard(), Case(state=loan.state(day)), now)
        assert by_line == by_loan
    # On 20 June the draw is 71 days past due (since 10 April) with nothing on record: the letter, formal stage.
    assert (by_line.action.value, by_line.stage) == ("letter", "formal")


def test_a_line_day_by_day_and_as_frames() -> None:
    from loanrules.pandas import line_frame, timeline_frame

    line = two_draws()
    days = line.timeline(date(2026, 4, 9), date(2026, 4, 13))
    assert [s.days_past_due for s in days] == [0, 0, 1, 2, 3]  # A's first installment was due on 10 April
    assert not any(s.suspended for s in days)  # suspended only beyond 7 days past due
    assert line.state(date(2026, 4, 18)).suspended  # 8 days
    frame = timeline_frame(days)
    assert list(frame["days_past_due"]) == [0, 0, 1, 2, 3]
    assert frame["overdue_total"].iloc[-1] == D("3451.30") + D("7.32")  # 3,251.30 x 0.00075 x 3 = 7.315125
    draws = line_frame(line.state(date(2026, 5, 10)))
    assert list(draws["draw"]) == [1, 2]
    assert list(draws["overdue_penalty"]) == [D("73.15"), D("0.00")]
    assert list(draws["principal_outstanding"]) == [D("10000.00"), D("6000.00")]
    with pytest.raises(InvalidValueError, match="'end' must not be before start"):
        line.timeline(date(2026, 4, 9), date(2026, 4, 8))
    with pytest.raises(InvalidTypeError, match="'state' must be a CreditLineState"):
        line_frame(line.loans[0].state(date(2026, 5, 10)))  # type: ignore[arg-type]


def test_amounts_in_the_minor_unit() -> None:
    """Amounts are recorded in the line's minor unit (10000 as 10000.00); more places are refused."""
    line = CreditLine(TERMS).draw(date(2026, 3, 1), 10000, 3)
    assert str(line.events[0].amount) == "10000.00"
    assert str(CreditLine(TERMS, events=line.events).events[0].amount) == "10000.00"
    with pytest.raises(InvalidValueError, match=r"'amount' must have at most 2 decimal places for CNY"):
        line.draw(date(2026, 3, 2), "1.005", 3)
    settled = line.settle(date(2026, 3, 2))
    with pytest.raises(InvalidValueError, match=r"'amount' must have at most 2 decimal places"):
        settled.pay(date(2026, 3, 3), "5.005")  # nothing owed: it would all be credit
    assert settled.pay(date(2026, 3, 3), "5").state(date(2026, 3, 3)).credit == D("5.00")


@pytest.mark.parametrize(("build", "match"), [
    (lambda: CreditLineTerms(limit="100.001", rate=DAILY), r"'limit' must have at most 2 decimal places for CNY"),
    (lambda: CreditLineTerms(limit="100", rate=DAILY, methods=[]), r"'methods' must allow at least one"),
    (lambda: CreditLineTerms(limit="100", rate=DAILY, draw_terms=[]), r"'draw_terms' must allow at least one"),
    (lambda: attrs_evolve(TERMS, draw_terms=[0]), r"'draw_terms'"),
    (lambda: LinePayment(date(2026, 3, 1), "0"), r"'amount' must be > 0"),
    (lambda: CreditLine(TERMS, events=["a draw"]), r"'events\[0\]' must be a Draw, LinePayment"),
])
def test_bad_values(build: Any, match: str) -> None:
    with pytest.raises((InvalidValueError, InvalidTypeError), match=match):
        build()


def test_bad_events() -> None:
    from loanrules import Draw, LinePrepayment

    with pytest.raises(InvalidValueError, match="'amount' must be > 0"):
        Draw(date(2026, 3, 1), "-1", 3)
    with pytest.raises(InvalidTypeError, match="'rate' must be a Rate or None"):
        Draw(date(2026, 3, 1), "1", 3, rate="0.1")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'amount' must be > 0"):
        LinePrepayment(date(2026, 3, 1), "0", 1)
    with pytest.raises(InvalidValueError, match="'end' must be within 36,600 days"):
        two_draws().timeline(date(2026, 3, 1), date(2200, 1, 1))


def test_a_state_before_the_latest_event_has_its_own_credit() -> None:
    """Credit held after an overpayment is not there the day before it."""
    line = CreditLine(TERMS).draw(date(2026, 3, 1), "1000", 1).settle(date(2026, 3, 2)).pay(date(2026, 3, 5), "7")
    assert line.state(date(2026, 3, 5)).credit == D("7.00")
    assert line.state(date(2026, 3, 4)).credit == D("0.00")
    assert line.state(date(2026, 3, 4)).status is Status.SETTLED


def test_a_line_in_grace() -> None:
    terms = attrs_evolve(TERMS, penalty=PenaltyTerms(markup="0.5", base=PenaltyBase.PRINCIPAL, compound=False,
                                                     day_basis=365, grace_days=3))
    line = CreditLine(terms).draw(date(2026, 3, 1), "1000", 1)
    assert [line.state(date(2026, 4, d)).status for d in (10, 12, 14)] == [Status.CURRENT, Status.GRACE,
                                                                          Status.OVERDUE]


def test_paying_a_settled_draw_is_refused() -> None:
    line = CreditLine(TERMS).draw(date(2026, 3, 1), "1000", 1).settle(date(2026, 3, 2), draw=1)
    with pytest.raises(RefusedEventError, match="'settled': draw 1 is already settled on 2026-03-03"):
        line.pay(date(2026, 3, 3), "10", draw=1)
