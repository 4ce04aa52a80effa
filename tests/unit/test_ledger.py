"""Unit tests of the ledger: hand-computed penalties, allocation, prepayment, restructure, state."""

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
    InvalidTypeError,
    InvalidValueError,
    Loan,
    LoanTerms,
    Payment,
    PenaltyBase,
    PenaltyTerms,
    Prepayment,
    PrepaymentTerms,
    Rate,
    Recast,
    RefusedEventError,
    RepaymentMethod,
    Status,
    build_schedule,
)

D = Decimal
Z = D("0.00")
START = date(2026, 1, 1)
FEB1 = date(2026, 2, 1)


def terms(**overrides: object) -> LoanTerms:
    """1200 at 12 % over 12 months from 1 Jan 2026: 106.62 a month, the first 94.62 + 12.00."""
    base: dict[str, object] = {"principal": "1200", "rate": Rate.annual("0.12"), "term": 12, "start": START}
    base.update(overrides)
    return LoanTerms(**base)  # type: ignore[arg-type]


def loan(**penalty: object) -> Loan:
    return Loan(terms(), penalty=PenaltyTerms(**penalty))  # type: ignore[arg-type]


class TestPenaltyTerms:
    def test_markup_on_the_contract_rate(self) -> None:
        """The default penalty rate is the contract rate x 1.5."""
        assert PenaltyTerms().annual_rate(Rate.annual("0.12")) == D("0.18")

    def test_cap(self) -> None:
        """rate_cap caps the marked-up rate."""
        assert PenaltyTerms(markup="1", rate_cap=Rate.annual("0.2")).annual_rate(Rate.annual("0.12")) == D("0.2")

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [("grace_days", -1, InvalidValueError), ("day_basis", 100, InvalidValueError),
         ("markup", 0.5, InvalidTypeError), ("rate", "0.2", InvalidTypeError),
         ("late_fee", "-1", InvalidValueError), ("compound", 1, InvalidTypeError)],
    )
    def test_validation(self, field: str, value: object, error: type[Exception]) -> None:
        """Each bad field is refused with an error naming it."""
        with pytest.raises(error, match=f"'{field}'"):
            PenaltyTerms(**{field: value})  # type: ignore[arg-type]


class TestGrace:
    def test_paid_on_the_third_day_of_a_three_day_grace(self) -> None:
        """Paid on 4 Feb (3 days late, grace 3): no penalty, status GRACE before, CURRENT after."""
        before = loan(grace_days=3).state(as_of=date(2026, 2, 4))
        assert (before.status, before.days_past_due, before.due_now.penalty) == (Status.GRACE, 3, Z)
        after = loan(grace_days=3).pay(on=date(2026, 2, 4), amount="106.62").state(as_of=date(2026, 3, 1))
        assert after.installments[0].paid == Amounts(D("94.62"), D("12.00"), Z, Z)
        assert after.installments[0].days_late == 3

    def test_fourth_day_backdates_to_the_due_date(self) -> None:
        """BACKDATE: on the 4th day 4 days are charged: 106.62 x 18 % x 4/360 = 0.21324 -> 0.21."""
        state = loan(grace_days=3).state(as_of=date(2026, 2, 5))
        assert (state.status, state.due_now.penalty) == (Status.OVERDUE, D("0.21"))

    def test_fourth_day_after_grace_charges_one_day(self) -> None:
        """AFTER_GRACE: only the day after the grace is charged: 0.05331 -> 0.05."""
        state = loan(grace_days=3, grace=Grace.AFTER_GRACE).state(as_of=date(2026, 2, 5))
        assert state.due_now.penalty == D("0.05")

    def test_partial_payment_in_grace_then_late(self) -> None:
        """50 paid in grace goes to interest and principal; the penalty on the 4th day uses each day's base."""
        state = loan(grace_days=3).pay(on=date(2026, 2, 3), amount="50").state(as_of=date(2026, 2, 5))
        # 2 Feb and 3 Feb on 106.62, 4 Feb and 5 Feb on 56.62, at 0.05 % a day: 0.10662 + 0.05662 = 0.16324
        assert state.due_now.penalty == D("0.16")
        assert state.due_now.principal == D("56.62")

    def test_late_fee_once_when_grace_ends_unpaid(self) -> None:
        """A late fee of 20 is charged on the first day after the grace, once."""
        lender = loan(grace_days=3, late_fee="20")
        assert lender.state(as_of=date(2026, 2, 4)).due_now.fee == Z
        assert lender.state(as_of=date(2026, 2, 5)).due_now.fee == D("20.00")
        assert lender.state(as_of=date(2026, 3, 1)).overdue.fee == D("20.00")

    def test_no_late_fee_when_paid_in_grace(self) -> None:
        """Paid within the grace, no late fee is ever charged."""
        paid = loan(grace_days=3, late_fee="20").pay(on=date(2026, 2, 2), amount="106.62")
        assert paid.state(as_of=date(2026, 2, 10)).installments[0].due.fee == Z


class TestPenaltyInterest:
    def test_one_day_late_costs_one_day(self) -> None:
        """The due date is free, the payment day charged: a day late is 106.62 x 0.05 % = 0.05."""
        state = loan().state(as_of=date(2026, 2, 2))
        assert (state.days_past_due, state.due_now.penalty) == (1, D("0.05"))

    def test_partial_payments_change_the_base(self) -> None:
        """9 days on 106.62 (0.48 posted), 50 paid, then 10 days on 57.10: 0.2855 -> 0.29."""
        paid = loan().pay(on=date(2026, 2, 10), amount="50")
        on_day = paid.state(as_of=date(2026, 2, 10))
        assert on_day.installments[0].paid == Amounts(D("37.52"), D("12.00"), D("0.48"), Z)
        later = paid.state(as_of=date(2026, 2, 20))
        assert later.overdue == Amounts(D("57.10"), Z, D("0.29"), Z)
        assert later.days_past_due == 19

    def test_simple_penalty_on_principal_only(self) -> None:
        """compound=False charges only the 94.62 principal: 9 days -> 0.425790 -> 0.43."""
        state = loan(compound=False).state(as_of=date(2026, 2, 10))
        assert state.due_now.penalty == D("0.43")

    def test_installment_base_ignores_compound(self) -> None:
        """INSTALLMENT base charges principal and interest even with compound=False: 0.47979 -> 0.48."""
        state = loan(base=PenaltyBase.INSTALLMENT, compound=False).state(as_of=date(2026, 2, 10))
        assert state.due_now.penalty == D("0.48")

    def test_explicit_rate_and_365_basis(self) -> None:
        """An explicit 36.5 % on a 365-day basis is 0.1 % a day: 10 days on 106.62 = 1.0662 -> 1.07."""
        state = loan(rate=Rate.annual("0.365"), day_basis=365).state(as_of=date(2026, 2, 11))
        assert state.due_now.penalty == D("1.07")

    def test_two_installments_overdue(self) -> None:
        """Two missed installments each accrue on their own base from their own due date."""
        state = loan().state(as_of=date(2026, 3, 11))
        # row 1: 38 days on 106.62 -> 2.02578; row 2: 10 days on 106.62 -> 0.5331
        assert state.installments[0].outstanding.penalty == D("2.03")
        assert state.installments[1].outstanding.penalty == D("0.53")
        assert state.overdue.principal == D("94.62") + D("95.57")
        assert state.days_past_due == 38

    def test_backdated_payment_recomputes_penalty(self) -> None:
        """A payment recorded late but dated 10 Feb gives the same state as one recorded in order."""
        in_order = loan().pay(on=date(2026, 2, 10), amount="50").pay(on=date(2026, 2, 20), amount="10")
        backdated = loan().pay(on=date(2026, 2, 20), amount="10").pay(on=date(2026, 2, 10), amount="50")
        assert backdated.events == in_order.events
        assert backdated.state(as_of=date(2026, 2, 20)).overdue == Amounts(D("47.39"), Z, Z, Z)

    def test_events_after_as_of_are_ignored(self) -> None:
        """A payment on 10 Feb does not change the state as of 5 Feb."""
        assert loan().pay(on=date(2026, 2, 10), amount="200").state(as_of=date(2026, 2, 5)) == \
            loan().state(as_of=date(2026, 2, 5))


class TestAllocation:
    def test_default_order_pays_penalty_first(self) -> None:
        """Penalty, fee, interest, principal: 10 paid on 10 Feb goes 0.48 penalty, 9.52 interest."""
        state = loan().pay(on=date(2026, 2, 10), amount="10").state(as_of=date(2026, 2, 10))
        assert state.installments[0].paid == Amounts(Z, D("9.52"), D("0.48"), Z)

    def test_custom_order(self) -> None:
        """Principal first: 10 paid goes all to principal."""
        lender = Loan(terms(), allocation=Allocation(order=(Component.PRINCIPAL, Component.INTEREST,
                                                           Component.PENALTY, Component.FEE)))
        state = lender.pay(on=date(2026, 2, 10), amount="10").state(as_of=date(2026, 2, 10))
        assert state.installments[0].paid == Amounts(D("10.00"), Z, Z, Z)

    def test_component_first(self) -> None:
        """Component-first pays the interest of both overdue installments before any principal."""
        lender = Loan(terms(), allocation=Allocation(installment_first=False))
        state = lender.pay(on=date(2026, 3, 1), amount="30").state(as_of=date(2026, 3, 1))
        first, second = state.installments[0].paid, state.installments[1].paid
        assert (first.interest, second.interest) == (D("12.00"), D("11.05"))
        assert first.principal + second.principal + first.penalty == D("30.00") - D("23.05")

    def test_overpayment_settles_the_next_installments(self) -> None:
        """213.24 on 1 Feb pays the first installment and the whole second one ahead."""
        state = loan().pay(on=FEB1, amount="213.24").state(as_of=FEB1)
        assert state.installments[1].settled_on == FEB1
        assert state.next_due_date == date(2026, 4, 1)
        assert state.credit == Z

    def test_beyond_everything_is_credit(self) -> None:
        """Paying 2000 on a 1200 loan's first due date settles it; beyond the payoff, 1212.00, is credit."""
        state = loan().pay(on=FEB1, amount="2000").state(as_of=FEB1)
        assert state.credit == D("2000.00") - D("1212.00")
        assert state.status is Status.SETTLED

    def test_order_must_name_every_component(self) -> None:
        """An order missing a component is refused."""
        with pytest.raises(InvalidValueError, match="'order'"):
            Allocation(order=(Component.PRINCIPAL, Component.INTEREST))


class TestState:
    def test_current_loan(self) -> None:
        """Before the first due date: CURRENT, nothing due, next due 1 Feb for 106.62."""
        state = loan().state(as_of=date(2026, 1, 20))
        assert (state.status, state.days_past_due, state.due_now.total) == (Status.CURRENT, 0, Z)
        assert (state.next_due_date, state.next_due_amount) == (FEB1, D("106.62"))

    def test_due_today_is_not_overdue(self) -> None:
        """On the due date the installment is due now but not overdue, and DPD is 0."""
        state = loan().state(as_of=FEB1)
        assert (state.due_now.total, state.overdue.total, state.days_past_due) == (D("106.62"), Z, 0)

    def test_payoff_mid_period(self) -> None:
        """On 20 Jan: 1200 + 1200 x 12 % x 19/360 = 7.60 accrued (ACT/360)."""
        state = loan().state(as_of=date(2026, 1, 20))
        assert (state.accrued_interest, state.payoff) == (D("7.60"), D("1207.60"))

    def test_tolerance(self) -> None:
        """An installment short by 0.50 is not past due under a 1.00 tolerance."""
        lender = Loan(terms(), tolerance="1")
        state = lender.pay(on=FEB1, amount="106.12").state(as_of=date(2026, 2, 10))
        assert (state.days_past_due, state.status) == (0, Status.CURRENT)

    def test_installment_states(self) -> None:
        """Per installment: due, paid, outstanding, days late, settled on."""
        state = loan().pay(on=date(2026, 2, 3), amount="106.73").state(as_of=date(2026, 2, 3))
        first = state.installments[0]
        assert first.due == Amounts(D("94.62"), D("12.00"), D("0.11"), Z)
        assert first.outstanding == Amounts(Z, Z, Z, Z)
        assert (first.days_late, first.settled_on) == (2, date(2026, 2, 3))
        assert state.installments[1].days_late == 0


class TestPrepayment:
    def test_prepayment_reduces_term(self) -> None:
        """After 1 Feb's installment, 500 on 15 Feb: 5.16 accrued interest, 494.84 principal; term shortens."""
        lender = loan().pay(on=FEB1, amount="106.62").prepay(on=date(2026, 2, 15), amount="500")
        state = lender.state(as_of=date(2026, 2, 15))
        assert state.principal_outstanding == D("1105.38") - D("494.84")
        closing = state.installments[1]
        assert (closing.due_date, closing.paid.interest, closing.paid.principal) == (
            date(2026, 2, 15), D("5.16"), D("494.84"))
        plan = lender.phases[-1].schedule
        assert plan[0].payment <= D("106.62")
        assert len(plan) < 11
        assert plan.total_principal == D("610.54")

    def test_prepayment_reduce_payment_keeps_maturity(self) -> None:
        """REDUCE_PAYMENT keeps the 1 Jan 2027 maturity and lowers the payment."""
        lender = loan().pay(on=FEB1, amount="106.62").prepay(on=date(2026, 2, 15), amount="500",
                                                            recast=Recast.REDUCE_PAYMENT)
        plan = lender.schedule
        assert plan.maturity == date(2027, 1, 1)
        assert len(plan) == 11
        assert plan[1].payment < D("106.62")

    def test_fee_on_principal_prepaid(self) -> None:
        """A 1 % fee: 494.84 available buys 489.94 of principal and a 4.90 fee."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.01"))
        state = lender.pay(on=FEB1, amount="106.62").prepay(on=date(2026, 2, 15), amount="500").state(
            as_of=date(2026, 2, 15))
        assert state.prepayment_fees == D("4.90")
        assert state.principal_outstanding == D("1105.38") - D("489.94")

    @pytest.mark.parametrize(
        ("rules", "on", "amount", "rule"),
        [
            (PrepaymentTerms(allowed=False), date(2026, 1, 20), "500", "allowed"),
            (PrepaymentTerms(lockout_periods=2), date(2026, 2, 20), "500", "lockout_periods"),
            (PrepaymentTerms(minimum="1000"), date(2026, 1, 20), "500", "minimum"),
            (PrepaymentTerms(), date(2026, 2, 5), "100", "covers_due"),
        ],
    )
    def test_refused(self, rules: PrepaymentTerms, on: date, amount: str, rule: str) -> None:
        """A prepayment the terms refuse raises an error naming the rule."""
        with pytest.raises(RefusedEventError) as info:
            Loan(terms(), prepayment=rules).prepay(on=on, amount=amount)
        assert info.value.rule == rule

    def test_max_per_day(self) -> None:
        """A second prepayment on a day with max_per_day=1 is refused."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(max_per_day=1)).prepay(on=date(2026, 1, 20),
                                                                                amount="300")
        with pytest.raises(RefusedEventError) as info:
            lender.prepay(on=date(2026, 1, 20), amount="300")
        assert info.value.rule == "max_per_day"


class TestPaidAhead:
    def test_paying_every_installment_ahead_settles_with_zero_payoff(self) -> None:
        """Paying the whole schedule ahead settles the loan at its payoff (1207.60); the interest not
        yet earned comes back as credit: 1279.42 - 1207.60 = 71.82."""
        total = build_schedule(terms()).total_payment
        state = loan().pay(on=date(2026, 1, 20), amount=total).state(as_of=date(2026, 1, 20))
        assert (state.status, state.payoff, state.credit) == (Status.SETTLED, Z, D("71.82"))

    def test_minimum_counts_principal_after_the_fee(self) -> None:
        """With a 1 % fee, 106.00 prepaid buys 99.00 of principal: below a 100 minimum."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(minimum="100", fee_rate="0.01"))
        with pytest.raises(RefusedEventError) as info:
            lender.prepay(on=date(2026, 1, 16), amount="106.00")
        assert info.value.rule == "minimum"


class TestSettle:
    def test_settle_pays_payoff_and_owes_nothing(self) -> None:
        """settle(on) pays exactly the payoff; the loan is SETTLED with nothing outstanding."""
        before = loan().state(as_of=date(2026, 2, 10))
        settled = loan().settle(on=date(2026, 2, 10))
        assert settled.events[-1].amount == before.payoff  # type: ignore[union-attr]
        state = settled.state(as_of=date(2026, 2, 10))
        assert (state.status, state.payoff, state.principal_outstanding, state.credit) == (
            Status.SETTLED, Z, Z, Z)
        assert settled.state(as_of=date(2026, 6, 1)).days_past_due == 0

    def test_settle_with_fee(self) -> None:
        """With a 2 % fee, the payoff includes 2 % of the principal not yet due."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.02"))
        state = lender.state(as_of=date(2026, 1, 20))
        assert state.payoff == D("1207.60") + D("24.00")
        assert lender.settle(on=date(2026, 1, 20)).state(as_of=date(2026, 1, 20)).status is Status.SETTLED

    def test_settled_twice_is_refused(self) -> None:
        """A settled loan cannot be settled again."""
        with pytest.raises(RefusedEventError, match="settled"):
            loan().settle(on=date(2026, 1, 20)).settle(on=date(2026, 1, 21))


class TestWaiver:
    def test_waive_all_penalty(self) -> None:
        """Waiving the penalty on 10 Feb clears the 0.48 accrued so far; it accrues afresh after."""
        waived = loan().waive(on=date(2026, 2, 10))
        assert waived.state(as_of=date(2026, 2, 10)).due_now.penalty == Z
        assert waived.state(as_of=date(2026, 2, 11)).due_now.penalty == D("0.05")
        assert waived.state(as_of=date(2026, 2, 10)).installments[0].waived.penalty == D("0.48")

    def test_waive_part_of_the_interest(self) -> None:
        """Waiving 5.00 of interest leaves 7.00 owed."""
        state = loan().waive(on=FEB1, component=Component.INTEREST, amount="5").state(as_of=FEB1)
        assert state.due_now.interest == D("7.00")


class TestRestructure:
    def test_plan_capitalises_what_is_owed(self) -> None:
        """On 1 Apr, three installments missed: principal, interest and accrued penalty go into the plan."""
        before = loan().state(as_of=date(2026, 4, 1))
        plan = loan().restructure(on=date(2026, 4, 1), term=24)
        state = plan.state(as_of=date(2026, 4, 1))
        assert state.principal_outstanding == before.due_now.total + before.principal_outstanding - \
            before.due_now.principal
        assert (state.status, state.days_past_due, state.restructured_on) == (Status.CURRENT, 0, date(2026, 4, 1))
        assert plan.phases[-1].cause == "restructure"
        assert len(plan.schedule) == 24

    def test_waived_penalty_is_not_capitalised(self) -> None:
        """waive_penalty=True leaves the penalty out of the plan's principal."""
        before = loan().state(as_of=date(2026, 4, 1))
        state = loan().restructure(on=date(2026, 4, 1), term=24, waive_penalty=True).state(
            as_of=date(2026, 4, 1))
        assert state.principal_outstanding == before.principal_outstanding + before.due_now.interest

    def test_new_rate_and_method(self) -> None:
        """A plan may change the rate and the method."""
        plan = loan().restructure(on=date(2026, 4, 1), term=6, rate=Rate.annual(0),
                                  method=RepaymentMethod.EQUAL_PRINCIPAL)
        assert plan.schedule.total_interest == Z
        assert plan.schedule.terms.method is RepaymentMethod.EQUAL_PRINCIPAL


class TestLoanValue:
    def test_events_stay_date_ordered(self) -> None:
        """Events are kept in date order; one day's events keep the order they were added."""
        lender = loan().pay(on=date(2026, 3, 1), amount="1").pay(on=FEB1, amount="2").pay(
            on=FEB1, amount="3")
        assert [e.amount for e in lender.events] == [D("2.00"), D("3.00"), D("1.00")]  # type: ignore[union-attr]

    def test_events_must_be_ordered_when_given(self) -> None:
        """A loan built with events out of date order is refused."""
        with pytest.raises(InvalidValueError, match=r"'events\[1\]\.on' must not be earlier than the event before it"):
            Loan(terms(), events=(Payment(FEB1, D("1.00")), Payment(START, D("1.00"))))

    def test_payment_before_start_refused(self) -> None:
        """A payment dated before the loan's start is refused."""
        with pytest.raises(InvalidValueError, match="'on'"):
            loan().pay(on=date(2025, 12, 31), amount="1")

    @pytest.mark.parametrize("amount", ["0", "-1", "1.001"])
    def test_bad_amount(self, amount: str) -> None:
        """Zero, negative or sub-cent amounts are refused."""
        with pytest.raises(InvalidValueError, match="'amount'"):
            loan().pay(on=FEB1, amount=amount)

    def test_float_amount(self) -> None:
        """A float amount is a type error."""
        with pytest.raises(InvalidTypeError, match="'amount'"):
            loan().pay(on=FEB1, amount=1.5)

    def test_loan_is_a_value(self) -> None:
        """Equal terms and events make equal loans; evolve re-validates and rebuilds."""
        assert loan().pay(on=FEB1, amount="1") == loan().pay(on=FEB1, amount="1")
        other = attrs.evolve(loan(), terms=terms(term=6))
        assert len(other.original_schedule) == 6


class TestValidationMessages:
    @pytest.mark.parametrize(
        ("kwargs", "field", "error"),
        [({"markup": "-0.1"}, "markup", InvalidValueError), ({"base": "principal"}, "base", InvalidTypeError),
         ({"grace": "backdate"}, "grace", InvalidTypeError), ({"day_basis": "360"}, "day_basis", InvalidTypeError),
         ({"grace_days": 1.0}, "grace_days", InvalidTypeError)],
    )
    def test_penalty_terms(self, kwargs: dict[str, object], field: str, error: type[Exception]) -> None:
        """PenaltyTerms names the bad field."""
        with pytest.raises(error, match=f"'{field}'"):
            PenaltyTerms(**kwargs)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kwargs", "field", "error"),
        [({"allowed": 1}, "allowed", InvalidTypeError), ({"minimum": "-1"}, "minimum", InvalidValueError),
         ({"fee_rate": "1"}, "fee_rate", InvalidValueError), ({"recast": "reduce_term"}, "recast", InvalidTypeError),
         ({"max_per_day": 0}, "max_per_day", InvalidValueError),
         ({"lockout_periods": -1}, "lockout_periods", InvalidValueError)],
    )
    def test_prepayment_terms(self, kwargs: dict[str, object], field: str, error: type[Exception]) -> None:
        """PrepaymentTerms names the bad field."""
        with pytest.raises(error, match=f"'{field}'"):
            PrepaymentTerms(**kwargs)  # type: ignore[arg-type]

    def test_allocation_flag(self) -> None:
        """installment_first must be a bool."""
        with pytest.raises(InvalidTypeError, match="'installment_first'"):
            Allocation(installment_first=1)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("kwargs", "field", "error"),
        [({"penalty": None}, "penalty", InvalidTypeError), ({"tolerance": "-1"}, "tolerance", InvalidValueError),
         ({"events": ("pay",)}, r"events\[0\]", InvalidTypeError)],
    )
    def test_loan_fields(self, kwargs: dict[str, object], field: str, error: type[Exception]) -> None:
        """Loan names the bad field."""
        with pytest.raises(error, match=f"'{field}'"):
            Loan(terms(), **kwargs)  # type: ignore[arg-type]

    def test_loan_needs_terms(self) -> None:
        """Loan refuses anything but LoanTerms."""
        with pytest.raises(InvalidTypeError, match="'terms'"):
            Loan("terms")  # type: ignore[arg-type]

    def test_method_arguments(self) -> None:
        """prepay, waive and restructure check their argument types."""
        with pytest.raises(InvalidTypeError, match="'recast'"):
            loan().prepay(on=date(2026, 1, 20), amount="500", recast="x")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="'component'"):
            loan().waive(on=FEB1, component="penalty")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="'rate'"):
            loan().restructure(on=FEB1, term=6, rate="0.1")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="'method'"):
            loan().restructure(on=FEB1, term=6, method="annuity")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="'term'"):
            loan().restructure(on=FEB1, term="6")  # type: ignore[arg-type]

    def test_restructure_a_settled_loan(self) -> None:
        """A settled loan cannot be restructured."""
        with pytest.raises(RefusedEventError, match="settled"):
            loan().settle(on=date(2026, 1, 20)).restructure(on=date(2026, 1, 21), term=6)
        with pytest.raises(RefusedEventError, match="settled"):
            loan().settle(on=date(2026, 1, 20)).prepay(on=date(2026, 2, 10), amount="3")


class TestEdgeCases:
    def test_lockout_passed(self) -> None:
        """After the lockout installment has fallen due, prepayment is accepted."""
        lender = Loan(terms(), prepayment=PrepaymentTerms(lockout_periods=1)).pay(on=FEB1, amount="106.62")
        assert len(lender.prepay(on=date(2026, 2, 2), amount="500").phases) == 2

    def test_equal_principal_reduce_term(self) -> None:
        """Equal principal, REDUCE_TERM: the fewest periods whose part stays within 100.00: 800.13 / 9."""
        lender = Loan(terms(method=RepaymentMethod.EQUAL_PRINCIPAL)).pay(on=FEB1, amount="112.00")
        plan = lender.prepay(on=date(2026, 2, 15), amount="305").schedule
        assert plan.total_principal == D("1100.00") - (D("305.00") - D("5.13"))
        assert (len(plan), plan[0].principal) == (9, D("88.90"))

    def test_stored_prepayment_that_does_not_clear_what_is_due_is_refused(self) -> None:
        """A stored prepayment that prepay() would refuse (it does not exceed what is due) is refused by Loan()."""
        with pytest.raises(RefusedEventError, match=r"^events\[0\]: refused by rule 'covers_due': 100.00 does not "
                                                     r"exceed what is due and accrued \(218.72\)$") as caught:
            Loan(terms(), events=(Prepayment(date(2026, 3, 10), D("100.00"), Recast.REDUCE_TERM),))
        assert (caught.value.rule, caught.value.path) == ("covers_due", "events[0]")

    def test_pay_ahead_then_restructure_conserves_money(self) -> None:
        """Interest paid ahead beyond what accrued repays principal in the restructure; nothing is lost."""
        lender = loan().pay(on=date(2026, 1, 10), amount="150").restructure(on=date(2026, 1, 20), term=6)
        state = lender.state(as_of=date(2026, 1, 20))
        assert sum((row.paid.total for row in state.installments), Z) + state.credit == D("150.00")

    def test_restructure_when_everything_is_paid_ahead(self) -> None:
        """A loan paid far ahead restructured: the capital is what remains."""
        lender = loan().pay(on=date(2026, 1, 10), amount="1200").restructure(on=date(2026, 1, 20), term=2)
        state = lender.state(as_of=date(2026, 1, 20))
        assert sum((row.paid.total for row in state.installments), Z) + state.credit == D("1200.00")

    def test_waive_partial_penalty_across_rows(self) -> None:
        """Waiving 1.00 of penalty takes it from the oldest installment first."""
        state = loan().waive(on=date(2026, 3, 11), amount="1").state(as_of=date(2026, 3, 11))
        assert state.installments[0].waived.penalty == D("1.00")
        assert state.installments[1].waived.penalty == Z

    def test_backdated_waiver_before_a_prepayment_is_replayed(self) -> None:
        """Events inserted before a prepayment are replayed before it."""
        lender = loan().prepay(on=date(2026, 1, 20), amount="300").pay(on=date(2026, 1, 10), amount="1")
        state = lender.state(as_of=date(2026, 1, 20))
        assert sum((row.paid.total for row in state.installments), Z) + state.credit == D("301.00")

    def test_grace_fee_skipped_when_paid(self) -> None:
        """An installment paid before its grace ends is never charged a fee, even with no grace days."""
        lender = loan(late_fee="10").pay(on=FEB1, amount="106.62")
        assert lender.state(as_of=date(2026, 2, 20)).installments[0].due.fee == Z

    def test_zero_base_accrues_nothing(self) -> None:
        """Once principal and interest are paid, a posted penalty left unpaid earns no more penalty."""
        lender = Loan(terms(), allocation=Allocation(order=(Component.PRINCIPAL, Component.INTEREST,
                                                           Component.FEE, Component.PENALTY)))
        lender = lender.pay(on=date(2026, 2, 10), amount="106.62")
        state = lender.state(as_of=date(2026, 2, 28))
        assert state.installments[0].outstanding.penalty == D("0.48")
        assert state.days_past_due == 27



def test_amounts_add_and_subtract_only_amounts() -> None:
    from loanrules import Amounts

    one = Amounts(Decimal(1), Decimal(2), Decimal(3), Decimal(4))
    with pytest.raises(TypeError):
        one + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        one - 1  # type: ignore[operator]


def test_a_loan_given_its_schedule_keeps_its_columns() -> None:
    from loanrules import build_schedule

    terms = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
    loan = Loan(terms, original_schedule=build_schedule(terms))
    assert loan == Loan(terms)
    assert loan.state(date(2026, 2, 20)).overdue.principal == Decimal("94.62")
