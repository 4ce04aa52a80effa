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

from loanrules import (
    CHINA,
    WEEKENDS,
    Accrual,
    BusinessDay,
    LoanTerms,
    Outside,
    Rate,
    RepaymentMethod,
    build_schedule,
)
from loanrules.schedule import Schedule

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

    def test_a_business_day_convention_on_all_days_changes_nothing(self) -> None:
        """FOLLOWING on ALL_DAYS moves no date but takes the general path (_level_columns): the same 12
        rows as the fast path, 106.62 a month, the first 94.62 + 12.00."""
        fast = build_schedule(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START))
        general = build_schedule(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START,
                                           business_day=BusinessDay.FOLLOWING))
        assert len(general) == 12
        assert (general[0].payment, general[0].principal, general[0].interest) == (
            D("106.62"), D("94.62"), D("12.00"))
        assert [tuple(r) for r in general] == [tuple(r) for r in fast]


class TestLastRowRate:
    """The last row earns the last period's rate, not the first's."""

    @pytest.mark.parametrize("mode", [decimal.ROUND_HALF_UP, decimal.ROUND_HALF_EVEN])
    def test_daily_accrual_last_period_is_28_days(self, mode: str) -> None:
        """1000 at 12 % DAILY ACT/360 from 15 Jan: 31 days earn 10.33, the 28 days to 15 Mar earn
        502.82 x 0.12 x 28/360 = 4.693 -> 4.69 (31 days would give 5.20). Level payment 507.51:
        1000 (1 + r1)(1 + r2) / (2 + r2) with r1 = 0.12 x 31/360, r2 = 0.12 x 28/360."""
        s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=2, start=START,
                                     accrual=Accrual.DAILY, rounding=mode))
        assert [(r.principal, r.interest, r.payment) for r in s] == [
            (D("497.18"), D("10.33"), D("507.51")), (D("502.82"), D("4.69"), D("507.51"))]

    @pytest.mark.parametrize(("mode", "expected"), [(decimal.ROUND_05UP, "0.24"), (decimal.ROUND_HALF_EVEN, "0.25")])
    @pytest.mark.parametrize("method", [RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL])
    @pytest.mark.parametrize("term", [1, 2])
    def test_05up_is_not_half_even(self, mode: str, expected: str, method: RepaymentMethod, term: int) -> None:
        """60.49 x 0.049 / 12 = 0.247000833...: 05UP keeps 0.24 (its last digit 4 is not 0 or 5),
        HALF_EVEN gives 0.25; in a first row (term 2) and a last row (term 1)."""
        s = build_schedule(terms("60.49", term, mode, method=method))
        assert s[0].interest == D(expected)


class TestOvershoot:
    @pytest.mark.parametrize("business_day", [BusinessDay.UNADJUSTED, BusinessDay.FOLLOWING])
    def test_tiny_principal_overshooting_by_less_than_one(self, business_day: BusinessDay) -> None:
        """1.00 over 150 months at 4.9 %: 0.01 a month (no interest rounds above 0.00) repays it in
        100 months; the 50 after pay nothing. A level 0.01 kept for 149 rows would overshoot by 0.49."""
        s = build_schedule(LoanTerms(principal="1.00", rate=Rate.annual("0.049"), term=150, start=START,
                                     business_day=business_day))
        assert [r.payment for r in s].count(D("0.01")) == 100
        assert (s[99].balance, s[100].payment, s[149].principal) == (D("0.00"), D("0.00"), D("0.00"))
        assert min(r.principal for r in s) == D("0.00")


class TestBulletDates:
    def test_bullet_keeps_the_unadjusted_maturity(self) -> None:
        """From Sat 17 Jan 2026 over 12 months: due Sun 17 Jan 2027, moved to Mon 18 Jan (FOLLOWING);
        12 x 1 % = 120.00 of interest."""
        s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 17),
                                     method=RepaymentMethod.BULLET, calendar=WEEKENDS,
                                     business_day=BusinessDay.FOLLOWING))
        assert (s[0].due_date, s[0].unadjusted_date, s[0].interest) == (
            date(2027, 1, 18), date(2027, 1, 17), D("120.00"))

    def test_bullet_past_the_calendar_data_is_provisional(self) -> None:
        """From 2 Nov 2026 over 3 months: due 2 Feb 2027, past CHINA's data: provisional."""
        s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 11, 2),
                                     method=RepaymentMethod.BULLET,
                                     calendar=CHINA.with_outside(Outside.WEEKENDS_ONLY),
                                     business_day=BusinessDay.FOLLOWING))
        assert (s[0].due_date, s[0].provisional, s.provisional_dates) == (date(2027, 2, 2), True, (date(2027, 2, 2),))

    def test_unadjusted_dates_are_never_provisional(self) -> None:
        """UNADJUSTED asks no calendar, so the 2027 dates are not provisional even past CHINA's data, on
        the fast path (annuity) and the general one (equal principal)."""
        for method in (RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL):
            s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 11, 2),
                                         method=method, calendar=CHINA.with_outside(Outside.WEEKENDS_ONLY)))
            assert ([r.provisional for r in s], s.provisional_dates) == ([False, False, False], ())


class TestText:
    def test_repr_of_a_built_schedule_is_the_call(self) -> None:
        t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=START)
        assert repr(build_schedule(t)) == f"build_schedule({t!r})"

    def test_repr_of_other_rows_spells_them_out(self) -> None:
        t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=START)
        rows = build_schedule(t).installments[:1]
        assert repr(Schedule(t, rows)) == f"Schedule(terms={t!r}, installments={rows!r})"

    def test_columns_fit_the_totals(self) -> None:
        """20,000,000 at 4.9 % over 2 months: the total interest (122583.20, 9 characters) is wider than
        the header and every row: the column takes its width. Row 1 earns 20,000,000 x 0.049/12 =
        81666.67, row 2 10,020,375.07 x 0.049/12 = 40916.53."""
        s = build_schedule(LoanTerms(principal="20000000", rate=Rate.annual("0.049"), term=2, start=START))
        assert str(s).splitlines() == [
            "  #  due date         payment    principal   interest      balance",
            "  1  2026-02-15   10061291.60   9979624.93   81666.67  10020375.07",
            "  2  2026-03-15   10061291.60  10020375.07   40916.53         0.00",
            "     total        20122583.20  20000000.00  122583.20",
        ]

    @pytest.mark.parametrize(("outside", "how"), [(Outside.WEEKENDS_ONLY, "weekends only"),
                                                  (Outside.PROJECTED, "holidays projected")])
    def test_provisional_footer(self, outside: Outside, how: str) -> None:
        """Dates past CHINA's data are starred and the footer says how they were decided."""
        s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 11, 2),
                                     calendar=CHINA.with_outside(outside), business_day=BusinessDay.FOLLOWING))
        lines = str(s).splitlines()
        assert lines[0] == "  #  due date     payment  principal  interest  balance"
        assert lines[-1] == f"* provisional: outside the calendar's holiday data, {how}"
        assert lines[2].startswith("  2  2027-01-04*")
