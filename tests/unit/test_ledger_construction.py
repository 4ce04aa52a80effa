"""Loans and events correct by construction: every event checks itself; Loan() checks stored events as the methods do."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from loanrules import (
    CHINA,
    Allocation,
    Amounts,
    BusinessDay,
    Component,
    InvalidTypeError,
    InvalidValueError,
    Loan,
    LoanTerms,
    Outside,
    Payment,
    Prepayment,
    PrepaymentTerms,
    Rate,
    Recast,
    RefusedEventError,
    Restructure,
    Settlement,
    Waiver,
)

START = date(2026, 1, 1)
D = Decimal


def terms() -> LoanTerms:
    return LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START)


class TestEventsCheckThemselves:
    def test_negative_payment(self) -> None:
        """A negative payment is refused when the event is built, naming its amount."""
        with pytest.raises(InvalidValueError, match=r"^'amount' must be > 0, got Decimal\('-100'\)$"):
            Payment(date(2026, 2, 1), D("-100"))

    def test_float_amount(self) -> None:
        """A float amount is refused with a TypeError of the library, not a bare TypeError later."""
        with pytest.raises(InvalidTypeError, match="'amount' must be a Decimal, an int or a decimal string"):
            Payment(date(2026, 2, 1), 106.62)  # type: ignore[arg-type]

    def test_string_amount_is_read_exactly(self) -> None:
        """A decimal string becomes the exact Decimal."""
        assert Payment(date(2026, 2, 1), "106.62").amount == D("106.62")  # type: ignore[arg-type]

    def test_datetime_day(self) -> None:
        """An event's day is a date, not a datetime."""
        with pytest.raises(InvalidTypeError, match="'on' must be a date, not a datetime"):
            Payment(datetime(2026, 2, 1, 9, tzinfo=UTC), D("1"))  # type: ignore[arg-type]

    def test_negative_waiver(self) -> None:
        """A waiver of a negative amount is refused; None (all of it) is accepted."""
        with pytest.raises(InvalidValueError, match=r"^'amount' must be > 0 or None \(all of it\), got Decimal\('-1'\)$"):
            Waiver(date(2026, 2, 1), Component.PENALTY, D("-1"))
        assert Waiver(date(2026, 2, 1), Component.PENALTY, None).amount is None

    def test_term_zero_restructure(self) -> None:
        """A plan of no periods is refused."""
        with pytest.raises(InvalidValueError, match=r"^'term' must lie in \[1, 12000\], got 0$"):
            Restructure(on=date(2026, 4, 1), term=0)

    def test_waive_penalty_must_be_a_bool(self) -> None:
        """waive_penalty="no" used to waive; now it is refused."""
        with pytest.raises(InvalidTypeError, match="'waive_penalty'"):
            Loan(terms()).restructure(on=date(2026, 4, 1), term=6, waive_penalty="no")  # type: ignore[arg-type]

    def test_recast_member(self) -> None:
        """A prepayment's recast is a Recast."""
        with pytest.raises(InvalidTypeError, match="'recast'"):
            Prepayment(date(2026, 2, 1), D("100"), "reduce_term")  # type: ignore[arg-type]


class TestLoanChecksStoredEvents:
    def test_sub_cent_amount(self) -> None:
        """A 3-decimal amount (which gave overdue 107.375) is refused, naming the path."""
        with pytest.raises(InvalidValueError, match=r"^'events\[0\]\.amount' must have at most 2 decimal places"):
            Loan(terms(), events=(Payment(date(2026, 2, 1), D("-0.005") + D("106.63")),))

    def test_event_before_the_start(self) -> None:
        """An event dated before the loan's start is refused, naming the path."""
        with pytest.raises(InvalidValueError, match=r"^'events\[0\]\.on' must not be before the loan's start"):
            Loan(terms(), events=(Payment(date(2025, 12, 31), D("10")),))

    def test_two_settlements(self) -> None:
        """A second settlement is refused as settle() refuses it: the loan is already settled."""
        payoff = Loan(terms()).state(as_of=date(2026, 1, 10)).payoff
        with pytest.raises(RefusedEventError, match=r"^events\[1\]: refused by rule 'settled'") as caught:
            Loan(terms(), events=(Settlement(date(2026, 1, 10), payoff), Settlement(date(2026, 1, 11), payoff)))
        assert (caught.value.rule, caught.value.path) == ("settled", "events[1]")

    def test_prepayment_in_lockout(self) -> None:
        """A stored prepayment inside the lockout is refused by the rule that prepay() names."""
        with pytest.raises(RefusedEventError) as caught:
            Loan(terms(), prepayment=PrepaymentTerms(lockout_periods=3),
                 events=(Prepayment(date(2026, 2, 10), D("500"), Recast.REDUCE_TERM),))
        assert (caught.value.rule, caught.value.path) == ("lockout_periods", "events[0]")

    def test_not_an_event(self) -> None:
        """Something that is not an event is refused with its index."""
        with pytest.raises(InvalidTypeError, match=r"^'events\[0\]' must be a loanrules event"):
            Loan(terms(), events=("payment",))  # type: ignore[arg-type]

    def test_replaying_the_events_gives_an_equal_loan(self) -> None:
        """A loan rebuilt from its terms and events equals the original and has the same state."""
        loan = (Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.01"))
                .pay(on=date(2026, 2, 3), amount="106.62")
                .prepay(on=date(2026, 3, 10), amount="300")
                .waive(on=date(2026, 5, 5))
                .restructure(on=date(2026, 6, 1), term=6))
        again = Loan(loan.terms, prepayment=loan.prepayment, events=loan.events)
        assert again == loan
        assert again.state(as_of=date(2026, 9, 1)) == loan.state(as_of=date(2026, 9, 1))

    def test_a_backdated_event_that_a_later_one_refuses(self) -> None:
        """A backdated payment that would make a later settlement refused is itself refused, naming that event."""
        settled = Loan(terms()).settle(on=date(2026, 1, 10))
        with pytest.raises(RefusedEventError, match=r"^events\[1\]: refused by rule 'settled'"):
            settled.pay(on=date(2026, 1, 5), amount="1300")


class TestArgumentsOfTheMethods:
    def test_restructure_on_a_datetime_names_on(self) -> None:
        """restructure(on=datetime) names 'on' (it named 'as_of')."""
        with pytest.raises(InvalidTypeError, match=r"^'on' must be a date, not a datetime"):
            Loan(terms()).restructure(on=datetime(2026, 4, 1, tzinfo=UTC), term=6)  # type: ignore[arg-type]

    def test_tolerance_in_the_minor_unit(self) -> None:
        """A tolerance of 0.001 on a CNY loan is refused."""
        with pytest.raises(InvalidValueError, match=r"^'tolerance' must have at most 2 decimal places for CNY"):
            Loan(terms(), tolerance="0.001")

    def test_minimum_in_the_minor_unit(self) -> None:
        """A sub-cent prepayment minimum on a CNY loan is refused."""
        with pytest.raises(InvalidValueError, match=r"^'prepayment.minimum' must have at most 2 decimal places"):
            Loan(terms(), prepayment=PrepaymentTerms(minimum="0.005"))

    def test_prepayment_that_repays_no_principal(self) -> None:
        """0.01 with a 1 % fee repays no principal (it would all be fee): refused."""
        loan = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.01"))
        with pytest.raises(RefusedEventError, match=r"^refused by rule 'repays_principal': 0.01 repays no principal"):
            loan.prepay(on=START, amount="0.01")
        # 0.02 repays 0.01 of principal (0.02 / 1.01 = 0.0198 rounded down) and 0.01 of fee.
        state = loan.prepay(on=START, amount="0.02").state(as_of=START)
        assert (state.principal_outstanding, state.prepayment_fees) == (D("1199.99"), D("0.01"))

    def test_state_before_the_start(self) -> None:
        """A state asked for before the start is refused (it read CURRENT)."""
        with pytest.raises(InvalidValueError, match=r"^'as_of' must not be before the loan's start \(2026-01-01\)"):
            Loan(terms()).state(as_of=date(2025, 12, 31))

    def test_a_plan_the_calendar_cannot_build(self) -> None:
        """A plan past the calendar's data is refused when recorded, not on every later state()."""
        china = CHINA.with_outside(Outside.RAISE)
        loan = Loan(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=6, start=date(2026, 1, 5),
                              calendar=china, business_day=BusinessDay.FOLLOWING))
        with pytest.raises(RefusedEventError, match=r"^refused by rule 'buildable': the plan cannot be built") as caught:
            loan.restructure(on=date(2026, 3, 5), term=24)
        assert caught.value.rule == "buildable"
        assert loan.restructure(on=date(2026, 3, 5), term=6).schedule[-1].due_date == date(2026, 9, 7)


class TestValuesOfTheLedger:
    def test_allocation_order_from_plain_values(self) -> None:
        """Component values in an order become Components (it raised AttributeError)."""
        order = Allocation(order=("principal", "interest", "penalty", "fee")).order  # type: ignore[arg-type]
        assert order == (Component.PRINCIPAL, Component.INTEREST, Component.PENALTY, Component.FEE)

    def test_allocation_order_refuses_unknown_words(self) -> None:
        """An unknown word in the order is refused, naming its index."""
        with pytest.raises(InvalidValueError, match=r"^'order\[1\]' must be a Component or one of fee, interest"):
            Allocation(order=("principal", "capital", "penalty", "fee"))  # type: ignore[arg-type]

    def test_amounts_add_component_by_component(self) -> None:
        """Amounts + Amounts is the Amounts of the sums (it built an 8-tuple); - likewise."""
        a = Amounts(D("1.00"), D("2.00"), D("0.50"), D("0"))
        b = Amounts(D("0.10"), D("0.20"), D("0.05"), D("3.00"))
        assert a + b == Amounts(D("1.10"), D("2.20"), D("0.55"), D("3.00"))
        assert (a + b).total == D("6.85")
        assert a - b == Amounts(D("0.90"), D("1.80"), D("0.45"), D("-3.00"))
