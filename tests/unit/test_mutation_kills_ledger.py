"""Ledger tests written to kill mutants that survived ``tools/mutation.py --module ledger``.

Each pins a hand-derived amount or date where the fold takes a decision
the other tests did not force: a late fee at exactly the tolerance, a
restructure after interest paid ahead, a rebuilt schedule's month-end
anchor, the exact shortened term. See docs/explanation/mutation-testing.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from loanrules import (
    Allocation,
    Amounts,
    Component,
    Grace,
    InvalidValueError,
    Loan,
    LoanTerms,
    PenaltyTerms,
    PrepaymentTerms,
    Rate,
    Recast,
    RepaymentMethod,
    Status,
    build_schedule,
)
from loanrules.ledger import Payment, Prepayment, Waiver

D = Decimal
Z = D("0.00")
START = date(2026, 1, 1)
FEB1 = date(2026, 2, 1)


def terms(**overrides: object) -> LoanTerms:
    """1200 at 12 % over 12 months from 1 Jan 2026: 106.62 a month, the first 94.62 + 12.00."""
    base: dict[str, object] = {"principal": "1200", "rate": Rate.annual("0.12"), "term": 12, "start": START}
    base.update(overrides)
    return LoanTerms(**base)  # type: ignore[arg-type]


class TestLateFeeTolerance:
    def lender(self, paid: str) -> Loan:
        return Loan(terms(), tolerance="1", penalty=PenaltyTerms(late_fee="10", grace_days=3)).pay(
            on=FEB1, amount=paid)

    def test_owing_exactly_the_tolerance_is_not_late(self) -> None:
        """105.62 of 106.62 paid on time leaves 1.00 of principal, exactly the tolerance: no fee, DPD 0."""
        state = self.lender("105.62").state(as_of=date(2026, 2, 10))
        first = state.installments[0]
        assert (first.outstanding.principal, first.due.fee, state.days_past_due) == (D("1.00"), Z, 0)

    def test_owing_a_cent_more_is_late(self) -> None:
        """105.61 paid leaves 1.01: when the grace ends (4 Feb) the 10.00 fee is charged; DPD 9 on 10 Feb."""
        state = self.lender("105.61").state(as_of=date(2026, 2, 10))
        first = state.installments[0]
        assert (first.outstanding.principal, first.due.fee, state.days_past_due) == (D("1.01"), D("10.00"), 9)


class TestRestructureAfterPayingAhead:
    def test_interest_paid_ahead_beyond_the_accrued_repays_principal(self) -> None:
        """150 paid on 10 Jan, all ahead: row 1 (94.62 + 12.00) and 43.38 of row 2's principal, so
        1200 - 138.00 = 1062.00 of principal is left. Restructured on 20 Jan, 7.60 of interest has
        accrued (1200 x 12 % x 19/360); the other 4.40 of row 1's interest paid ahead repays
        principal: the plan capitalises 1062.00 - 4.40 = 1057.60, and there is no credit."""
        lender = Loan(terms()).pay(on=date(2026, 1, 10), amount="150").restructure(on=date(2026, 1, 20), term=6)
        state = lender.state(as_of=date(2026, 1, 20))
        assert lender.phases[-1].schedule.terms.principal == D("1057.60")
        assert (state.principal_outstanding, state.credit) == (D("1057.60"), Z)
        closing = state.installments[0]  # the row closing the period records all paid ahead
        assert (closing.paid.interest, closing.paid.principal) == (D("7.60"), D("138.00") + D("4.40"))
        assert closing.outstanding == Amounts(Z, Z, Z, Z)  # the rest went into the plan


class TestRebuiltSchedule:
    def test_month_end_anchor_survives_a_prepayment(self) -> None:
        """From 31 Jan, 300 prepaid on 10 Feb: the plan keeps the month-end anchor (28 Feb, 31 Mar, 30 Apr,
        31 May), not a day chained from 28 Feb; both recasts, maturity 31 Jan 2027 kept by REDUCE_PAYMENT."""
        base = Loan(terms(start=date(2026, 1, 31)))
        for recast in (Recast.REDUCE_TERM, Recast.REDUCE_PAYMENT):
            plan = base.prepay(on=date(2026, 2, 10), amount="300", recast=recast).phases[-1].schedule
            assert [row.due_date for row in plan][:4] == [date(2026, 2, 28), date(2026, 3, 31),
                                                          date(2026, 4, 30), date(2026, 5, 31)]
            assert plan.terms.first_due == date(2026, 2, 28)
        assert plan.maturity == date(2027, 1, 31)
        assert len(plan) == 12

    def test_shortened_term_is_the_fewest_periods_within_the_old_payment(self) -> None:
        """After 1 Feb's installment, 500 prepaid on 15 Feb leaves 610.54; at 1 % a month 5 periods would
        cost about 125.80 (> 106.62) and 6 about 105.35: the plan has exactly 6 periods, 1 Mar - 1 Aug."""
        lender = Loan(terms()).pay(on=FEB1, amount="106.62").prepay(on=date(2026, 2, 15), amount="500")
        plan = lender.phases[-1].schedule
        assert (len(plan), plan.terms.term, plan.maturity) == (6, 6, date(2026, 8, 1))
        assert plan.total_principal == D("610.54")
        assert plan[0].payment <= D("106.62")
        closing = lender.state(as_of=date(2026, 2, 15)).installments[1]
        assert (closing.due_date, closing.paid.principal, closing.paid.interest) == (
            date(2026, 2, 15), D("494.84"), D("5.16"))  # 1105.38 x 12 % x 14/360 = 5.16
        assert closing.outstanding == Amounts(Z, Z, Z, Z)
        five = build_schedule(LoanTerms(principal="610.54", rate=Rate.annual("0.12"), term=5,
                                        start=date(2026, 2, 15), first_due=date(2026, 3, 1)))
        assert five[0].payment > D("106.62")


class TestValues:
    def test_amounts_refuse_to_add_a_number(self) -> None:
        """Amounts + int is a TypeError (NotImplemented on both sides), not an AttributeError."""
        with pytest.raises(TypeError, match="unsupported operand"):
            Amounts(D(1), D(2), D(3), D(4)) + 1  # type: ignore[operator]

    @pytest.mark.parametrize("event", [
        lambda: Payment(FEB1, D("0")),
        lambda: Prepayment(FEB1, D("0"), Recast.REDUCE_TERM),
        lambda: Waiver(FEB1, Component.FEE, D("0")),
    ])
    def test_events_of_zero_are_refused(self, event: object) -> None:
        """A payment, prepayment or waiver of exactly 0 is refused by its own validator."""
        with pytest.raises(InvalidValueError, match=r"^'amount' must be > 0"):
            event()  # type: ignore[operator]

    def test_state_repr_is_the_call(self) -> None:
        lender = Loan(terms())
        assert repr(lender.state(as_of=FEB1)) == f"{lender!r}.state({FEB1!r})"

    def test_state_built_by_hand_spells_out_its_fields(self) -> None:
        """A state not read from a loan shows its fields (not the loan, which it does not have)."""
        text = repr(attrs.evolve(Loan(terms()).state(as_of=FEB1), loan=None))
        assert text.startswith("LoanState(as_of=datetime.date(2026, 2, 1), days_past_due=0, ")
        assert text.endswith(")")
        assert "loan=" not in text


class TestWaivedFee:
    def test_a_waived_late_fee_is_not_outstanding(self) -> None:
        """Unpaid on 1 Feb, no grace: the 10.00 fee is charged; waived on 10 Feb, it is no longer owed.
        The penalty on 10 Feb: 106.62 x 12 % x 1.5 / 360 x 9 days = 0.4798 -> 0.48."""
        lender = Loan(terms(), penalty=PenaltyTerms(late_fee="10")).waive(on=date(2026, 2, 10),
                                                                          component=Component.FEE)
        first = lender.state(as_of=date(2026, 2, 10)).installments[0]
        assert (first.due.fee, first.waived.fee, first.outstanding.fee) == (D("10.00"), D("10.00"), Z)
        assert first.outstanding == Amounts(D("94.62"), D("12.00"), D("0.48"), Z)

    def test_a_paid_late_fee_is_not_outstanding(self) -> None:
        """Everything due on 10 Feb paid that day (94.62 + 12.00 + 0.48 + 10.00 = 117.10): nothing is
        outstanding, the fee included."""
        lender = Loan(terms(), penalty=PenaltyTerms(late_fee="10")).pay(on=date(2026, 2, 10), amount="117.10")
        first = lender.state(as_of=date(2026, 2, 10)).installments[0]
        assert first.paid == Amounts(D("94.62"), D("12.00"), D("0.48"), D("10.00"))
        assert first.outstanding == Amounts(Z, Z, Z, Z)


class TestAfterGrace:
    def test_an_event_inside_the_grace_accrues_nothing(self) -> None:
        """AFTER_GRACE, 3 days: 1.00 paid on 2 Feb (in the grace) goes to interest, leaving 105.62. The
        penalty runs from 5 Feb through 10 Feb, 6 days: 105.62 x 18 % / 360 x 6 = 0.31686 -> 0.32
        (the days of the grace before the payment must count 0, not less)."""
        lender = Loan(terms(), penalty=PenaltyTerms(grace_days=3, grace=Grace.AFTER_GRACE)).pay(
            on=date(2026, 2, 2), amount="1")
        first = lender.state(as_of=date(2026, 2, 10)).installments[0]
        assert first.outstanding == Amounts(D("94.62"), D("11.00"), D("0.32"), Z)


class TestPrepaymentCredit:
    def test_prepaying_more_than_the_payoff_after_maturity_is_credit(self) -> None:
        """Nothing paid until maturity (1 Jan 2027): a prepayment of the payoff + 100.00 clears every
        installment, and the 100.00 left has no row to go to: it is credit (not a debt of 100.00)."""
        lender = Loan(terms())
        payoff = lender.state(as_of=date(2027, 1, 1)).payoff
        state = lender.prepay(on=date(2027, 1, 1), amount=payoff + 100).state(as_of=date(2027, 1, 1))
        assert (state.status, state.credit, state.payoff, state.principal_outstanding) == (
            Status.SETTLED, D("100.00"), Z, Z)


class TestGraceForgiveness:
    def test_penalty_is_forgiven_only_when_principal_and_interest_are_paid(self) -> None:
        """Principal first, grace 3 (backdated): 106.12 paid on 3 Feb leaves 0.50 of interest, so the
        grace's penalty is not forgiven: 2 days on 106.62 and 7 days (4 - 10 Feb) on 0.50 at 0.05 % a
        day: (213.24 + 3.50) x 0.0005 = 0.10837 -> 0.11."""
        order = (Component.PRINCIPAL, Component.INTEREST, Component.PENALTY, Component.FEE)
        lender = Loan(terms(), penalty=PenaltyTerms(grace_days=3), allocation=Allocation(order=order)).pay(
            on=date(2026, 2, 3), amount="106.12")
        state = lender.state(as_of=date(2026, 2, 10))
        assert state.installments[0].outstanding == Amounts(Z, D("0.50"), D("0.11"), Z)
        assert state.days_past_due == 9


class TestPayingAhead:
    def test_a_row_paid_ahead_in_part_is_not_settled(self) -> None:
        """106.12 paid on 10 Jan, all ahead on the first row (106.62): 0.50 of principal is left, so the
        row has no settlement date."""
        first = Loan(terms()).pay(on=date(2026, 1, 10), amount="106.12").state(as_of=date(2026, 1, 10)).installments[0]
        assert (first.outstanding.principal, first.settled_on) == (D("0.50"), None)

    def test_paying_every_row_ahead_under_a_large_fee_settles(self) -> None:
        """A 10 % fee: on 20 Jan the rest of the payoff is 1200 + 7.60 + 120.00 = 1327.60, more than the
        whole schedule (1279.42), so 1279.42 is paid ahead, row by row. Then nothing is owed ahead and
        the rest of the payoff is 0: the loan is settled, with no fee and no credit (interest paid
        ahead is never paid back in cash)."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.10")).pay(on=date(2026, 1, 20), amount="1279.42")
        state = lender.state(as_of=date(2026, 1, 20))
        assert (state.status, state.payoff, state.credit, state.prepayment_fees) == (Status.SETTLED, Z, Z, Z)
        assert state.installments[0].paid == Amounts(D("1200.00"), D("79.42"), Z, Z)


class TestWaiverAcrossRows:
    def test_a_waiver_larger_than_the_oldest_penalty_goes_on(self) -> None:
        """On 11 Mar the penalties owed are 2.03 (first row) and 0.53 (second); waiving 2.50 takes 2.03
        and then 0.47 from the second row, which keeps 0.06."""
        state = Loan(terms()).waive(on=date(2026, 3, 11), amount="2.50").state(as_of=date(2026, 3, 11))
        first, second = state.installments[0], state.installments[1]
        assert (first.waived.penalty, first.outstanding.penalty) == (D("2.03"), Z)
        assert (second.waived.penalty, second.outstanding.penalty) == (D("0.47"), D("0.06"))


class TestShortenEqualPrincipal:
    def test_a_part_that_rounds_to_nothing_keeps_the_term(self) -> None:
        """Equal principal, 1.00 over 250 months: each part (0.004) rounds to 0.00, so a prepayment
        cannot shorten the term by parts: 0.30 prepaid on 10 Jan leaves 0.70 over the same 250 dates."""
        lender = Loan(terms(principal="1.00", term=250, method=RepaymentMethod.EQUAL_PRINCIPAL))
        plan = lender.prepay(on=date(2026, 1, 10), amount="0.30").phases[-1].schedule
        assert (len(plan), plan.terms.term, plan.total_principal) == (250, 250, D("0.70"))
        assert plan.maturity == build_schedule(lender.terms).maturity


class TestRestructureWithCredit:
    def test_interest_paid_ahead_beyond_everything_is_credit_and_nothing_is_capitalised(self) -> None:
        """A 10 % fee keeps 1209.39 on 10 Jan from settling: it pays rows 1-11 (1172.82) and row 12's
        interest (1.06) and 35.51 of its principal, leaving 70.03 (the rest of the payoff, 70.03 + 3.60
        - 79.42 + 7.00 = 1.21, is not covered). Restructured on 20 Jan: of the 79.42 of interest paid
        ahead, 7.60 covers the accrued interest and 70.03 repays the principal left; the other 1.79 is
        credit. Nothing is left to capitalise: no new plan."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.10")).pay(on=date(2026, 1, 10),
                                                                               amount="1209.39")
        assert lender.state(as_of=date(2026, 1, 10)).payoff == D("1.21")
        restructured = lender.restructure(on=date(2026, 1, 20), term=6)
        state = restructured.state(as_of=date(2026, 1, 20))
        assert (state.status, state.credit, state.principal_outstanding) == (Status.SETTLED, D("1.79"), Z)
        assert len(restructured.phases) == 1
        assert state.installments[0].paid == Amounts(D("1200.00"), D("7.60"), Z, Z)


class TestShortenByParts:
    def test_the_first_part_decides_the_shortened_term(self) -> None:
        """Equal principal, 1000 over 12: parts of 83.33 (the last 83.37). After 1 Feb's 93.33, 170.78
        on 15 Feb pays 4.28 of interest (916.67 x 12 % x 14/360) and 166.50 of principal, leaving
        750.17: ceil(750.17 / 83.33) = 10 periods of 75.02 (by the last part, 83.37, it would be 9)."""
        lender = Loan(terms(principal="1000", method=RepaymentMethod.EQUAL_PRINCIPAL)).pay(on=FEB1, amount="93.33")
        plan = lender.prepay(on=date(2026, 2, 15), amount="170.78").phases[-1].schedule
        assert (len(plan), plan.total_principal, plan[0].principal) == (10, D("750.17"), D("75.02"))


class TestRebuiltInALongFirstPeriod:
    def test_the_first_due_date_stays_the_anchor(self) -> None:
        """From 15 Jan with the first due date 15 Mar (a long first period), 300 prepaid on 20 Jan: the
        plan's first date is still 15 Mar (not 15 Feb, one period before it), then the 15th monthly."""
        lender = Loan(terms(start=date(2026, 1, 15), first_due=date(2026, 3, 15)))
        plan = lender.prepay(on=date(2026, 1, 20), amount="300").phases[-1].schedule
        assert plan.terms.first_due == date(2026, 3, 15)
        assert [row.due_date for row in plan][:3] == [date(2026, 3, 15), date(2026, 4, 15), date(2026, 5, 15)]


class TestExactPayoff:
    def test_paying_exactly_the_payoff_settles_with_the_full_fee(self) -> None:
        """A 1 % fee, nothing due on 20 Jan: the payoff is 1200 + 7.60 (1200 x 12 % x 19/360) + 12.00
        = 1219.60. Paying exactly that settles at once: 1200.00 of principal, 7.60 of interest and the
        fee on all 1200.00 of principal, 12.00; no credit."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.01"))
        assert lender.state(as_of=date(2026, 1, 20)).payoff == D("1219.60")
        state = lender.pay(on=date(2026, 1, 20), amount="1219.60").state(as_of=date(2026, 1, 20))
        assert (state.status, state.prepayment_fees, state.credit) == (Status.SETTLED, D("12.00"), Z)
        assert state.installments[0].paid == Amounts(D("1200.00"), D("7.60"), Z, D("12.00"))


class TestGraceForgivenessWithPrincipalLeft:
    def test_the_same_when_principal_is_left(self) -> None:
        """The default order (interest before principal): 106.12 on 3 Feb leaves 0.50 of principal; the
        grace's penalty is not forgiven either: (2 x 106.62 + 7 x 0.50) x 0.0005 = 0.10837 -> 0.11."""
        lender = Loan(terms(), penalty=PenaltyTerms(grace_days=3)).pay(on=date(2026, 2, 3), amount="106.12")
        state = lender.state(as_of=date(2026, 2, 10))
        assert state.installments[0].outstanding == Amounts(D("0.50"), Z, D("0.11"), Z)


class TestPrepaymentOnADueDate:
    def test_the_plan_starts_at_the_next_anchored_date(self) -> None:
        """1 Feb's installment paid and 500 prepaid the same day: no interest has accrued since 1 Feb, so
        500 repays principal (1105.38 - 500 = 605.38) and the plan starts on 1 Mar, the first anchored
        date after the prepayment (1 Feb itself is not after it)."""
        lender = Loan(terms()).pay(on=FEB1, amount="106.62").prepay(on=FEB1, amount="500")
        plan = lender.phases[-1].schedule
        assert (plan.terms.first_due, plan[0].due_date, plan.total_principal) == (
            date(2026, 3, 1), date(2026, 3, 1), D("605.38"))
