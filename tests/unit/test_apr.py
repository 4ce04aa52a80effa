"""Unit tests of ``loanrules.apr.apr``: the annualised rate by the IRR method (年化利率, IRR法)."""

from __future__ import annotations

import decimal
import math
from datetime import date
from decimal import Decimal

import attrs
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loanrules import (
    Frequency,
    InvalidTypeError,
    InvalidValueError,
    LoanRulesError,
    LoanTerms,
    Rate,
    RepaymentMethod,
    Schedule,
    apr,
    build_schedule,
)

D = Decimal


def schedule(principal: str = "100", rate: str = "0.12", term: int = 1, **overrides: object) -> Schedule:
    fields: dict[str, object] = {
        "principal": principal, "rate": Rate.annual(rate, above_ceiling=True), "term": term, "start": date(2026, 1, 15)
    }
    fields.update(overrides)
    return build_schedule(LoanTerms(**fields))  # type: ignore[arg-type]


MORTGAGE = schedule("1000000", "0.049", 360)
"""等额本息 1,000,000 at 4.9 % over 360 months: 359 payments of 5307.27, then the residue."""


@attrs.frozen
class LoanLike:
    """Stands in for the ledger's ``Loan``: anything with a ``.schedule``."""

    schedule: Schedule


class TestHandCases:
    def test_zero_rate_is_exactly_zero(self) -> None:
        """An interest-free loan without fees has a rate of exactly 0, at 12 places."""
        result = apr(schedule("1200", "0", 12))
        assert result == 0
        assert result.as_tuple().exponent == -12

    def test_one_period_loan(self) -> None:
        """100 lent, 101 repaid a month later: 1 % a month, 12 % a year nominal."""
        assert schedule()[0].payment == D("101.00")
        assert apr(schedule()) == D("0.120000000000")

    def test_one_period_loan_effective(self) -> None:
        """1 % a month compounds to 1.01**12 - 1 = 12.6825030132 % a year."""
        assert apr(schedule(), effective=True) == D("0.126825030132")

    def test_mortgage_4_9_percent(self) -> None:
        """The 4.9 % mortgage: payments rounded up to 5307.27 put the IRR a hair above 4.9 %."""
        assert apr(MORTGAGE) == D("0.049000004080")

    def test_mortgage_4_9_percent_effective(self) -> None:
        """The 4.9 % mortgage compounds monthly to 5.0115579579 % effective."""
        assert apr(MORTGAGE, effective=True) == D("0.050115579579")

    def test_effective_is_nominal_compounded(self) -> None:
        """Effective = (1 + nominal / 12)**12 - 1, up to the 12-place rounding of each."""
        nominal, effective = apr(MORTGAGE), apr(MORTGAGE, effective=True)
        with decimal.localcontext(decimal.Context(prec=40)):
            compounded = (1 + nominal / 12) ** 12 - 1
        assert abs(compounded - effective) < D("1e-11")
        assert effective > nominal

    def test_quarterly_one_period(self) -> None:
        """1000 at 8 % for one quarter pays 1020: 2 % a quarter is 8 % a year (× 4, not × 12)."""
        s = schedule("1000", "0.08", 1, frequency=Frequency.QUARTERLY)
        assert s[0].payment == D("1020.00")
        assert apr(s) == D("0.080000000000")
        assert apr(s, effective=True) == D("0.082432160000")  # 1.02**4 - 1

    def test_quarterly_two_years(self) -> None:
        """10,000 at 8 % over 8 quarters: nominal 8.0001365644 %, effective 8.2433609233 %."""
        s = schedule("10000", "0.08", 8, frequency=Frequency.QUARTERLY)
        assert apr(s) == D("0.080001365644")
        assert apr(s, effective=True) == D("0.082433609233")

    def test_weekly_one_period(self) -> None:
        """1000 at 52 % for one week pays 1010: 1 % a week is 52 % a year."""
        s = schedule("1000", "0.52", 1, frequency=Frequency.WEEKLY)
        assert s[0].payment == D("1010.00")
        assert apr(s) == D("0.520000000000")

    def test_bullet_pays_at_maturity(self) -> None:
        """BULLET 1000 at 12 % for 3 months pays 1030 at period 3: 12 × (1.03**(1/3) - 1)."""
        s = schedule("1000", "0.12", 3, method=RepaymentMethod.BULLET)
        assert len(s) == 1
        assert s[0].payment == D("1030.00")
        assert apr(s) == D("0.118819608600")  # 0.11881960859953177...
        assert apr(s, effective=True) == D("0.125508810000")  # 1.03**4 - 1

    def test_root_on_the_first_bracket_end(self) -> None:
        """100 lent, 200 repaid a month later: exactly 100 % a month, 1200 % a year."""
        assert apr(schedule("100", "12", 1)) == D("12.000000000000")

    def test_root_found_by_doubling(self) -> None:
        """100 lent, 300 repaid a month later: exactly 200 % a month, 2400 % a year."""
        assert apr(schedule("100", "24", 1)) == D("24.000000000000")

    def test_paid_back_less_than_lent(self) -> None:
        """A schedule in force repaying 99 of 100 (after a waiver, say) has a negative rate."""
        s = schedule()
        waived = attrs.evolve(s, installments=(s[0]._replace(payment=D("99.00")),))
        assert apr(waived) == D("-0.120000000000")

    def test_paid_back_half(self) -> None:
        """Repaying 50 of 100 a month later is exactly -50 % a month, a bracket end."""
        s = schedule()
        halved = attrs.evolve(s, installments=(s[0]._replace(payment=D("50.00")),))
        assert apr(halved) == D("-6.000000000000")

    def test_paid_back_a_tenth(self) -> None:
        """Repaying 10 of 100 a month later is -90 % a month: the bracket widens towards -100 %."""
        s = schedule()
        tenth = attrs.evolve(s, installments=(s[0]._replace(payment=D("10.00")),))
        assert apr(tenth) == D("-10.800000000000")

    def test_loan_like_object_uses_its_schedule(self) -> None:
        """An object with a ``.schedule`` (a ledger Loan) gives the rate of that schedule."""
        assert apr(LoanLike(MORTGAGE)) == D("0.049000004080")

    def test_global_context_untouched(self) -> None:
        """The caller's global decimal context neither affects the result nor is changed."""
        with decimal.localcontext() as ctx:
            ctx.prec = 5
            ctx.rounding = decimal.ROUND_DOWN
            assert apr(MORTGAGE) == D("0.049000004080")
            assert (ctx.prec, ctx.rounding) == (5, decimal.ROUND_DOWN)


class TestFees:
    def test_upfront_fee_raises_rate(self) -> None:
        """100 lent less a fee of 1, 101 repaid: 2/99 a month, 24/99 = 24.2424... % a year."""
        assert apr(schedule(), upfront_fees="1") == D("0.242424242424")

    def test_periodic_fee_raises_rate(self) -> None:
        """100 lent, 101 repaid plus a fee of 1: 2 % a month, 24 % a year."""
        assert apr(schedule(), periodic_fees=1) == D("0.240000000000")

    def test_both_fees(self) -> None:
        """Receiving 99 and paying 102 a month later: 3/99 a month, 36/99 a year."""
        assert apr(schedule(), upfront_fees=D("1"), periodic_fees="1") == D("0.363636363636")

    def test_fee_on_interest_free_loan(self) -> None:
        """1200 interest-free over 12 months with a 60 handling fee deducted is 9.577 % a year."""
        assert apr(schedule("1200", "0", 12), upfront_fees="60") == D("0.095770491330")

    def test_mortgage_upfront_fee(self) -> None:
        """A 1 % fee at disbursement lifts the 4.9 % mortgage to 4.9879861198 %."""
        assert apr(MORTGAGE, upfront_fees="10000") == D("0.049879861198")

    def test_zero_fees_change_nothing(self) -> None:
        """Fees of 0, however written, leave the rate as it is."""
        assert apr(MORTGAGE, upfront_fees="0.00", periodic_fees=D(0)) == apr(MORTGAGE)

    def test_tiny_net_advance(self) -> None:
        """Receiving 0.01 of 100 and repaying 101 a month later: 10099 a month, to the digit."""
        assert apr(schedule(), upfront_fees="99.99") == D("121188.000000000000")


class TestErrors:
    @pytest.mark.parametrize("value", [None, "schedule", 42, object(), MORTGAGE.terms, MORTGAGE.installments])
    def test_wrong_type(self, value: object) -> None:
        """Anything but a Schedule or an object holding one is a TypeError naming the argument."""
        with pytest.raises(InvalidTypeError, match="'schedule_or_loan' must be a Schedule") as info:
            apr(value)  # type: ignore[arg-type]
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, LoanRulesError)

    def test_object_whose_schedule_is_not_one(self) -> None:
        """An object whose ``.schedule`` is not a Schedule is refused."""
        with pytest.raises(InvalidTypeError, match="schedule_or_loan"):
            apr(LoanLike(schedule=MORTGAGE.installments))  # type: ignore[arg-type]

    @pytest.mark.parametrize("field", ["upfront_fees", "periodic_fees"])
    def test_float_fee(self, field: str) -> None:
        """A float fee is refused as inexact, naming the field."""
        with pytest.raises(InvalidTypeError, match=f"'{field}' .*a float is inexact") as info:
            apr(MORTGAGE, **{field: 0.5})  # type: ignore[arg-type]
        assert info.value.field == field

    @pytest.mark.parametrize("field", ["upfront_fees", "periodic_fees"])
    def test_negative_fee(self, field: str) -> None:
        """A negative fee is a ValueError naming the field and the rule."""
        with pytest.raises(InvalidValueError, match=f"'{field}' must be >= 0, got Decimal\\('-1'\\)") as info:
            apr(MORTGAGE, **{field: "-1"})  # type: ignore[arg-type]
        assert (info.value.field, info.value.value) == (field, D("-1"))
        assert isinstance(info.value, ValueError)

    @pytest.mark.parametrize("field", ["upfront_fees", "periodic_fees"])
    def test_fee_not_below_principal(self, field: str) -> None:
        """A fee equal to the principal is refused, with the principal in the message."""
        with pytest.raises(InvalidValueError, match=rf"'{field}' must be < principal \(100.00\)"):
            apr(schedule(), **{field: "100"})  # type: ignore[arg-type]

    def test_nan_fee(self) -> None:
        """A NaN fee is refused as not finite."""
        with pytest.raises(InvalidValueError, match="'upfront_fees' must be a finite number"):
            apr(MORTGAGE, upfront_fees="NaN")

    def test_bool_fee(self) -> None:
        """``True`` is not a fee of 1."""
        with pytest.raises(InvalidTypeError, match=r"'periodic_fees'.*not a bool"):
            apr(MORTGAGE, periodic_fees=True)

    def test_effective_must_be_bool(self) -> None:
        """``effective`` takes a bool, not a truthy value."""
        with pytest.raises(InvalidTypeError, match="'effective' must be a bool, got 1"):
            apr(MORTGAGE, effective=1)  # type: ignore[arg-type]


principals = st.decimals(min_value=1000, max_value=1_000_000, places=2)
rates = st.decimals(min_value=0, max_value=D("0.36"), places=4)
terms = st.integers(min_value=1, max_value=360)


class TestAgainstNumpyFinancial:
    # numpy_financial.irr finds every root of a degree-`term` polynomial as the
    # eigenvalues of its companion matrix: 0.1-0.2 s at 360 terms, several times
    # that when OpenBLAS spreads it over busy cores. 25 examples keep this file
    # near its 10 s budget either way (600 seeded examples agreed to 6.3e-13).
    @settings(max_examples=25)
    @given(principal=principals, rate=rates, term=terms)
    def test_annuity_matches_npf_irr(self, principal: Decimal, rate: Decimal, term: int) -> None:
        """Monthly annuities agree with 12 × npf.irr to 1e-9; the rare nan from npf.irr (no exactly real root found) is skipped with ``assume``."""
        s = schedule(str(principal), str(rate), term)
        flows = [-float(principal)] + [float(row.payment) for row in s]
        reference = npf.irr(flows)
        assume(not math.isnan(reference))
        assert abs(float(apr(s)) - 12 * reference) <= 1e-9

    @given(principal=principals, low=rates, high=rates, term=terms)
    def test_monotone_in_contract_rate(self, principal: Decimal, low: Decimal, high: Decimal, term: int) -> None:
        """A higher contract rate never gives a lower APR (equal only when rounding ties the payments)."""
        low, high = min(low, high), max(low, high)
        apr_low = apr(schedule(str(principal), str(low), term))
        apr_high = apr(schedule(str(principal), str(high), term))
        assert apr_low <= apr_high
        if high - low >= D("0.0001") * 2:
            assert apr_low < apr_high

    @given(principal=principals, rate=rates, term=st.integers(min_value=1, max_value=60),
           fee=st.decimals(min_value=D("0.01"), max_value=D("999"), places=2))
    def test_fees_raise_rate(self, principal: Decimal, rate: Decimal, term: int, fee: Decimal) -> None:
        """Any positive upfront or periodic fee gives a strictly higher APR than none."""
        s = schedule(str(principal), str(rate), term)
        base = apr(s)
        assert apr(s, upfront_fees=fee) > base
        assert apr(s, periodic_fees=fee) > base
