"""Unit tests of the ledger's fold: regressions of "Correct by construction", each with its hand-computed figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loanrules import (
    CHINA,
    Allocation,
    BusinessDay,
    Component,
    Loan,
    LoanTerms,
    Outside,
    PrepaymentTerms,
    Rate,
    RefusedEventError,
    Status,
)

D = Decimal
Z = D("0.00")
START = date(2026, 1, 1)


def terms() -> LoanTerms:
    """1200 at 12 % over 12 months from 1 Jan 2026 (ANNUITY): 106.62 a month, the first 94.62 + 12.00."""
    return LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START)


class TestPayingThePayoff:
    def test_paying_the_payoff_settles(self) -> None:
        """1215.80 paid on 10 Feb (its payoff: 106.62 + 0.48 penalty + 1105.38 + 3.32 accrued) settles the loan."""
        loan = Loan(terms())
        assert loan.state(as_of=date(2026, 2, 10)).payoff == D("1215.80")
        paid = loan.pay(on=date(2026, 2, 10), amount="1215.80")
        state = paid.state(as_of=date(2026, 2, 10))
        assert (state.status, state.payoff, state.principal_outstanding, state.credit) == (Status.SETTLED, Z, Z, Z)
        later = paid.state(as_of=date(2027, 1, 2))
        assert (later.status, later.days_past_due, later.payoff) == (Status.SETTLED, 0, Z)

    def test_beyond_the_payoff_is_credit(self) -> None:
        """1300 paid on 10 Feb settles the loan; 1300 - 1215.80 = 84.20 is credit, no unearned interest charged."""
        state = Loan(terms()).pay(on=date(2026, 2, 10), amount="1300").state(as_of=date(2026, 2, 10))
        assert (state.status, state.credit) == (Status.SETTLED, D("84.20"))
        assert sum((row.paid.interest for row in state.installments), Z) == D("12.00") + D("3.32")

    def test_less_than_the_payoff_pays_ahead(self) -> None:
        """1215.79, a cent short of the payoff, pays ahead and leaves the loan CURRENT with 0.01 to settle."""
        state = Loan(terms()).pay(on=date(2026, 2, 10), amount="1215.79").state(as_of=date(2026, 2, 10))
        assert state.status is Status.CURRENT
        assert state.payoff > 0


class TestPrincipalFirstToTheEnd:
    def paid(self) -> Loan:
        """Principal-first; ten installments on time, then the 11th's payment plus the 12th's principal on 1 Dec."""
        loan = Loan(terms(), allocation=Allocation(order=(Component.PRINCIPAL, Component.INTEREST,
                                                          Component.PENALTY, Component.FEE)))
        schedule = loan.schedule
        for row in schedule[:10]:
            loan = loan.pay(on=row.due_date, amount=row.payment)
        return loan.pay(on=schedule[10].due_date, amount=schedule[10].payment + schedule[11].principal)

    def test_settled_on_the_eleventh_due_date(self) -> None:
        """No principal left and nothing accrued on 1 Dec: SETTLED, payoff 0.00, settle() refused."""
        loan = self.paid()
        state = loan.state(as_of=date(2026, 12, 1))
        assert (state.status, state.payoff, state.principal_outstanding) == (Status.SETTLED, Z, Z)
        with pytest.raises(RefusedEventError) as info:
            loan.settle(on=date(2026, 12, 1))
        assert info.value.rule == "settled"

    def test_the_twelfth_interest_is_not_owed(self) -> None:
        """On 10 Jan 2027 the loan is still SETTLED, DPD 0: the 12th installment's 1.06 interest was dropped."""
        state = self.paid().state(as_of=date(2027, 1, 10))
        assert (state.status, state.days_past_due, state.due_now.total) == (Status.SETTLED, 0, Z)
        assert state.installments[-1].due.interest == Z


class TestHolidayMovedDueDate:
    """1,000,000 at 4.9 % over 360 months from 15 Jan 2026 (CHINA, FOLLOWING): installment 1, due
    15 Feb, moves past the Spring Festival to 24 Feb; it asks 4083.33 interest and leaves a scheduled
    balance of 998,776.06. Period 2 accrues from its unadjusted start, 15 Feb.

    On 23 Feb, by the documented rule (balance x annual rate x ACT/360 year fraction from the
    unadjusted period start, rounded half up), period 2 has earned
    998,776.06 x 0.049 x 8 / 360 = 1087.556154... -> 1087.56, so the payoff is
    1,000,000.00 + 4083.33 + 1087.56 = 1,005,170.89 (it read 1,004,083.33, missing the 8 days).
    On 24 Feb nine days have accrued, 998,776.06 x 0.049 x 9 / 360 = 1223.50: the payoff grows by
    one day's 135.94 to 1,005,306.83 (it jumped by 1223.50).
    """

    def loan(self) -> Loan:
        return Loan(LoanTerms(principal="1000000", rate=Rate.percent("4.9"), term=360, start=date(2026, 1, 15),
                              calendar=CHINA.with_outside(Outside.WEEKENDS_ONLY),
                              business_day=BusinessDay.FOLLOWING))

    def test_the_due_date_moved(self) -> None:
        """The first installment is due 24 Feb, its period 15 Jan to 15 Feb."""
        first = self.loan().schedule[0]
        assert (first.unadjusted_date, first.due_date, first.interest) == (
            date(2026, 2, 15), date(2026, 2, 24), D("4083.33"))

    def test_payoff_counts_interest_since_the_unadjusted_date(self) -> None:
        """Payoff on 23 Feb is 1,005,170.89: the 4083.33 of period 1 and 1087.56 of period 2."""
        state = self.loan().state(as_of=date(2026, 2, 23))
        assert (state.payoff, state.accrued_interest) == (D("1005170.89"), D("5170.89"))

    def test_no_jump_on_the_moved_due_date(self) -> None:
        """From 23 to 24 Feb the payoff grows by one day's interest, 135.94, to 1,005,306.83."""
        loan = self.loan()
        before, on = loan.state(as_of=date(2026, 2, 23)), loan.state(as_of=date(2026, 2, 24))
        assert (on.payoff, on.payoff - before.payoff) == (D("1005306.83"), D("135.94"))

    def test_settle_and_prepay_count_it(self) -> None:
        """settle() on 23 Feb pays 1,005,170.89; a prepayment of 100,000 pays 5170.89 interest first."""
        loan = self.loan()
        assert loan.settle(on=date(2026, 2, 23)).events[-1].amount == D("1005170.89")  # type: ignore[union-attr]
        prepaid = loan.prepay(on=date(2026, 2, 23), amount="100000").state(as_of=date(2026, 2, 23))
        assert prepaid.installments[0].paid.interest == D("5170.89")
        assert prepaid.principal_outstanding == D("1000000") - (D("100000") - D("5170.89"))


class TestRefusedWhenRecorded:
    def test_prepayment_that_repays_no_principal(self) -> None:
        """0.01 beyond what is due with a 1 % fee buys 0.01 / 1.01 -> 0.00 principal: refused."""
        loan = Loan(terms(), prepayment=PrepaymentTerms(fee_rate="0.01"))
        with pytest.raises(RefusedEventError) as info:
            loan.prepay(on=START, amount="0.01")
        assert info.value.rule == "repays_principal"
        prepaid = loan.prepay(on=START, amount="0.02").state(as_of=START)  # 0.02 / 1.01 -> 0.01 principal
        assert (prepaid.principal_outstanding, prepaid.prepayment_fees) == (D("1199.99"), D("0.01"))

