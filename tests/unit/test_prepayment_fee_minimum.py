"""A prepayment fee with a floor: max(fee rate x principal prepaid, fee_minimum), worked by hand.

12,000 at 0 % over 12 months (nothing accrues, so every amount is principal and fee), 3 % fee, at least 50.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from loanrules import InvalidValueError, Loan, LoanTerms, PrepaymentTerms, Rate, RefusedEventError
from loanrules.ledger._ledger import least_prepayment

TERMS = LoanTerms(principal="12000", rate=Rate.annual(0), term=12, start=date(2026, 1, 1))
LOAN = Loan(TERMS, prepayment=PrepaymentTerms(fee_rate="0.03", fee_minimum="50"))
DAY = date(2026, 1, 10)


def test_the_payoff_pays_the_larger_fee() -> None:
    assert LOAN.state(DAY).payoff == Decimal("12360.00")  # 3 % of 12,000 = 360 > 50
    settled = LOAN.settle(DAY)
    assert settled.state(DAY).prepayment_fees == Decimal("360.00")


def test_a_small_prepayment_pays_the_minimum_fee() -> None:
    """1,000: 1,000 / 1.03 = 970.87 would leave a fee of 29.13 < 50, so 950.00 principal and 50.00 fee."""
    state = LOAN.prepay(DAY, "1000").state(DAY)
    assert (state.principal_outstanding, state.prepayment_fees) == (Decimal("11050.00"), Decimal("50.00"))


def test_a_large_prepayment_pays_the_rate() -> None:
    """3,000: 3,000 / 1.03 = 2,912.62 principal, 87.38 fee (above the minimum)."""
    state = LOAN.prepay(DAY, "3000").state(DAY)
    assert (state.principal_outstanding, state.prepayment_fees) == (Decimal("9087.38"), Decimal("87.38"))


def test_too_little_to_pass_the_minimum_is_refused() -> None:
    assert least_prepayment(LOAN, LOAN.state(DAY)) == Decimal("50.01")
    with pytest.raises(RefusedEventError, match=r"'repays_principal': 50\.00 repays no principal once the fee "
                                                r"is paid \(fee rate 0\.03, at least 50\)"):
        LOAN.prepay(DAY, "50")
    assert LOAN.prepay(DAY, "50.01").state(DAY).principal_outstanding == Decimal("11999.99")


def test_the_minimum_is_not_negative() -> None:
    with pytest.raises(InvalidValueError, match="'fee_minimum' must be >= 0"):
        PrepaymentTerms(fee_minimum="-1")
    assert PrepaymentTerms().fee_minimum == 0


def test_a_prepayment_within_what_is_due_repays_no_principal() -> None:
    from loanrules.ledger._ledger import prepaid_principal

    state = LOAN.state(date(2026, 2, 1))  # the first 1,000 falls due
    assert prepaid_principal(LOAN, state, Decimal("1000")) == Decimal("0.00")
    assert prepaid_principal(LOAN, state, Decimal("2030")) == Decimal("980.00")  # 1,030 - the minimum fee 50
