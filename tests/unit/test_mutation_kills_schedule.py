"""Schedule tests written to kill mutants that survived ``tools/mutation.py --module schedule``.

Each test pins a hand-derived value at a place where the schedule's code
takes a decision that the other tests never forced: an exact cent earned at
a recurring rate (the directed rounding of the rate), a half cent under
every rounding mode on every path, an interest-only row of an annuity, and
the general path of a level payment. See docs/explanation/mutation-testing.md.
"""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal

import pytest

from loanrules import BusinessDay, LoanTerms, Rate, RepaymentMethod, build_schedule

D = Decimal
START = date(2026, 1, 15)
MODES = [decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN, decimal.ROUND_HALF_DOWN, decimal.ROUND_UP,
         decimal.ROUND_DOWN, decimal.ROUND_CEILING, decimal.ROUND_FLOOR, decimal.ROUND_05UP]
# 60.00 x 4.9 % / 12 = 0.245 exactly: a tie, rounded by each mode.
HALF_CENT = {decimal.ROUND_HALF_UP: "0.25", decimal.ROUND_HALF_EVEN: "0.24", decimal.ROUND_HALF_DOWN: "0.24",
             decimal.ROUND_UP: "0.25", decimal.ROUND_DOWN: "0.24", decimal.ROUND_CEILING: "0.25",
             decimal.ROUND_FLOOR: "0.24", decimal.ROUND_05UP: "0.24"}
# 18.75 x 8 % / 12 = 0.125 exactly, a tie at a rate whose decimal expansion (0.00666...) rounds up:
# a rate rounded to nearest, not in the mode's safe direction, would lift it above the tie.
EIGHTH = {decimal.ROUND_HALF_UP: "0.13", decimal.ROUND_HALF_EVEN: "0.12", decimal.ROUND_HALF_DOWN: "0.12",
          decimal.ROUND_UP: "0.13", decimal.ROUND_DOWN: "0.12", decimal.ROUND_CEILING: "0.13",
          decimal.ROUND_FLOOR: "0.12", decimal.ROUND_05UP: "0.12"}
# Every path that computes an installment's interest: the uniform-annuity fast path, the general
# path of an annuity (a business-day convention on ALL_DAYS moves no date but leaves the fast
# path), and the general path of the other methods.
PATHS = [
    {"method": RepaymentMethod.ANNUITY},
    {"method": RepaymentMethod.ANNUITY, "business_day": BusinessDay.FOLLOWING},
    {"method": RepaymentMethod.EQUAL_PRINCIPAL},
    {"method": RepaymentMethod.INTEREST_ONLY},
]


def terms(principal: str, term: int, mode: str, **overrides: object) -> LoanTerms:
    base: dict[str, object] = {"principal": principal, "rate": Rate.annual("0.049"), "term": term,
                               "start": START, "rounding": mode}
    base.update(overrides)
    return LoanTerms(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "-".join(str(v.name) for v in p.values()))
@pytest.mark.parametrize("mode", MODES)
class TestDirectedRateRounding:
    """The rate 4.9 % / 12 recurs, so the code rounds it up or down depending on the mode, never wrongly."""

    def test_exact_cent_at_a_recurring_rate(self, mode: str, path: dict[str, object]) -> None:
        """120.00 x 0.049 / 12 = 0.49 exactly: every mode gives 0.49, in a first row and a last row.

        A rate rounded the wrong way would make 0.4899... (0.48 under DOWN and FLOOR) or
        0.4900...1 (0.50 under UP and CEILING).
        """
        assert build_schedule(terms("120", 2, mode, **path))[0].interest == D("0.49")
        assert build_schedule(terms("120", 1, mode, **path))[0].interest == D("0.49")

    def test_half_cent_at_a_recurring_rate(self, mode: str, path: dict[str, object]) -> None:
        """60.00 x 0.049 / 12 = 0.245 exactly, in a first row and a last row, on every path."""
        assert build_schedule(terms("60", 2, mode, **path))[0].interest == D(HALF_CENT[mode])
        assert build_schedule(terms("60", 1, mode, **path))[0].interest == D(HALF_CENT[mode])

    def test_tie_at_a_rate_that_rounds_up(self, mode: str, path: dict[str, object]) -> None:
        """18.75 x 0.08 / 12 = 0.125 exactly (0.08 / 12 = 0.00666...): each mode rounds the exact tie."""
        rate = Rate.annual("0.08")
        assert build_schedule(terms("18.75", 2, mode, rate=rate, **path))[0].interest == D(EIGHTH[mode])
        assert build_schedule(terms("18.75", 1, mode, rate=rate, **path))[0].interest == D(EIGHTH[mode])


@pytest.mark.parametrize("mode", MODES)
def test_bullet_interest_is_rounded_in_the_terms_mode(mode: str) -> None:
    """BULLET over one month: 60.00 x 0.049 / 12 = 0.245, rounded by the terms' mode (not HALF_EVEN)."""
    s = build_schedule(terms("60", 1, mode, method=RepaymentMethod.BULLET))
    assert (s[0].interest, s[0].payment) == (D(HALF_CENT[mode]), D("60.00") + D(HALF_CENT[mode]))


@pytest.mark.parametrize(("mode", "part", "last"), [
    (decimal.ROUND_HALF_UP, "250.03", "250.01"),
    (decimal.ROUND_HALF_EVEN, "250.02", "250.04"),
    (decimal.ROUND_UP, "250.03", "250.01"),
    (decimal.ROUND_DOWN, "250.02", "250.04"),
])
def test_equal_principal_part_is_rounded_in_the_terms_mode(mode: str, part: str, last: str) -> None:
    """1000.10 / 4 = 250.025: the level part rounds by the mode; the last takes 1000.10 - 3 parts."""
    s = build_schedule(terms("1000.10", 4, mode, rate=Rate.annual(0), method=RepaymentMethod.EQUAL_PRINCIPAL))
    assert [row.principal for row in s] == [D(part)] * 3 + [D(last)]


class TestInterestOnlyRowOfAnAnnuity:
    """A 59-day first period at 12 % earns more than the level payment: that row is interest only."""

    def test_the_long_first_row_repays_no_principal(self) -> None:
        """1,000,000 x 12 % x 59/360 (ACT/360, 15 Jan - 15 Mar) = 19,666.67, all of the first payment;
        the balance stays 1,000,000.00 and the second month earns 1 % of it: 10,000.00."""
        s = build_schedule(LoanTerms(principal="1000000", rate=Rate.annual("0.12"), term=360, start=START,
                                     first_due=date(2026, 3, 15)))
        first, second = s[0], s[1]
        assert (first.principal, first.interest, first.payment, first.balance) == (
            D("0.00"), D("19666.67"), D("19666.67"), D("1000000.00"))
        assert second.interest == D("10000.00")
        assert second.principal == second.payment - D("10000.00")
        assert s.total_principal == D("1000000.00")


class TestGeneralAnnuityPath:
    """The general path (first_due given) of an annuity with regular periods equals the fast path's rows."""

    def test_first_due_one_period_after_start_changes_nothing(self) -> None:
        """1200 at 12 % over 12 months: 106.62 a month, the first 94.62 + 12.00 on either path."""
        fast = build_schedule(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START))
        general = build_schedule(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START,
                                           first_due=date(2026, 2, 15)))
        assert (general[0].payment, general[0].principal, general[0].interest) == (
            D("106.62"), D("94.62"), D("12.00"))
        assert [tuple(r) for r in general] == [tuple(r) for r in fast]
