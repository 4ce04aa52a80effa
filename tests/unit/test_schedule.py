"""Unit tests of loan terms and schedules: published figures and named regression cases."""

from __future__ import annotations

import decimal
from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest

from loanrules import (
    CHINA,
    JPY,
    USD,
    WEEKENDS,
    Accrual,
    BusinessDay,
    CalendarCoverageError,
    DayCount,
    Frequency,
    InvalidTermsError,
    InvalidTypeError,
    LoanRulesError,
    LoanTerms,
    Outside,
    Rate,
    RepaymentMethod,
    build_schedule,
)

D = Decimal


def terms(**overrides: object) -> LoanTerms:
    base: dict[str, object] = {
        "principal": "1000", "rate": Rate.annual("0.12"), "term": 3, "start": date(2026, 1, 15)
    }
    base.update(overrides)
    return LoanTerms(**base)  # type: ignore[arg-type]


class TestPublishedFigures:
    def test_annuity_one_million_at_4_9_percent(self) -> None:
        """等额本息 1,000,000 at 4.9 % over 360 months pays 5307.27 a month."""
        s = build_schedule(terms(principal="1000000", rate=Rate.annual("0.049"), term=360))
        assert {row.payment for row in s[:-1]} == {D("5307.27")}
        assert (s[0].interest, s[0].principal) == (D("4083.33"), D("1223.94"))
        assert s.total_principal == D("1000000.00")

    def test_equal_principal_one_million_at_4_9_percent(self) -> None:
        """等额本金: first payment 6861.11, the second 6849.77, falling 11.34 a month."""
        s = build_schedule(terms(principal="1000000", rate=Rate.annual("0.049"), term=360,
                                 method=RepaymentMethod.EQUAL_PRINCIPAL))
        assert [s[0].payment, s[1].payment, s[2].payment] == [D("6861.11"), D("6849.77"), D("6838.43")]
        assert s[0].principal == D("2777.78")
        assert s[-1].principal == D("1000000.00") - 359 * D("2777.78")

    def test_fineract_progressive_loan(self) -> None:
        """Fineract: 100 at 9.4822 %, 6 months, 30/360: payment 17.13, interest 0.79 ... 0.13."""
        s = build_schedule(terms(principal="100", rate=Rate.percent("9.4822"), term=6,
                                 day_count=DayCount.THIRTY_360))
        assert [row.interest for row in s] == [D(x) for x in ("0.79", "0.66", "0.53", "0.40", "0.27", "0.13")]
        assert [row.payment for row in s[:-1]] == [D("17.13")] * 5
        assert s[-1].payment == D("17.13")


class TestDueDates:
    def test_month_end_anchored_not_chained(self) -> None:
        """31 Jan -> 28 Feb -> 31 Mar -> 30 Apr, never collapsing to the 28th."""
        s = build_schedule(terms(start=date(2025, 12, 31), term=4))
        assert [row.due_date for row in s] == [
            date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]

    def test_leap_day(self) -> None:
        """A loan from 31 Jan 2024 falls due on 29 Feb 2024."""
        s = build_schedule(terms(start=date(2024, 1, 31), term=2))
        assert [row.due_date for row in s] == [date(2024, 2, 29), date(2024, 3, 31)]

    def test_payment_day_makes_a_short_first_period(self) -> None:
        """payment_day=1 from 15 Jan: first due 1 Feb, a 17-day stub earning 1000 x 12 % x 17/360."""
        s = build_schedule(terms(payment_day=1))
        assert [row.due_date for row in s] == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
        assert s[0].interest == D("5.67")
        assert s[1].interest == D("6.67")

    def test_month_end_start_is_a_regular_period(self) -> None:
        """From 28 Feb paid on the 31st: 31 Mar is one regular month, not a 31-day stub."""
        s = build_schedule(terms(start=date(2026, 2, 28), payment_day=31, term=2))
        assert [row.due_date for row in s] == [date(2026, 3, 31), date(2026, 4, 30)]
        assert s[0].interest == D("10.00")

    def test_long_first_period(self) -> None:
        """first_due=1 Mar from 15 Jan: a 45-day first period, then the 1st of each month."""
        s = build_schedule(terms(first_due=date(2026, 3, 1)))
        assert [row.due_date for row in s] == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
        assert s[0].interest == D("15.00")
        assert s[0].period_start == date(2026, 1, 15)

    def test_quarterly_and_weekly(self) -> None:
        """Quarterly steps three months; biweekly steps fourteen days."""
        q = build_schedule(terms(frequency=Frequency.QUARTERLY, term=2, start=date(2026, 11, 30)))
        assert [row.due_date for row in q] == [date(2027, 2, 28), date(2027, 5, 30)]
        w = build_schedule(terms(frequency=Frequency.BIWEEKLY, term=2))
        assert [row.due_date for row in w] == [date(2026, 1, 29), date(2026, 2, 12)]

    def test_following_over_national_day(self) -> None:
        """A due date on 1 Oct 2026 moves to 8 Oct under FOLLOWING on CHINA; interest stays on the anchor."""
        s = build_schedule(terms(start=date(2026, 9, 1), payment_day=1, term=1, calendar=CHINA,
                                 business_day=BusinessDay.FOLLOWING))
        assert (s[0].due_date, s[0].unadjusted_date) == (date(2026, 10, 8), date(2026, 10, 1))
        assert s[0].interest == D("10.00")

    def test_make_up_working_sunday_is_a_due_date(self) -> None:
        """Sunday 20 Sep 2026 is a 调休 working day, so a due date on it stays."""
        s = build_schedule(terms(start=date(2026, 8, 20), term=1, calendar=CHINA,
                                 business_day=BusinessDay.FOLLOWING))
        assert s[0].due_date == date(2026, 9, 20)

    def test_modified_following_stays_in_month(self) -> None:
        """Saturday 31 Jan 2026 moves back to Friday 30 Jan under MODIFIED_FOLLOWING."""
        s = build_schedule(terms(start=date(2025, 12, 31), term=1, calendar=WEEKENDS,
                                 business_day=BusinessDay.MODIFIED_FOLLOWING))
        assert s[0].due_date == date(2026, 1, 30)

    def test_collision_moves_to_next_business_day(self) -> None:
        """Weekly dues on 1 and 8 Oct 2026 would both land on 8 Oct; the second moves to 9 Oct."""
        s = build_schedule(terms(start=date(2026, 9, 24), term=3, frequency=Frequency.WEEKLY,
                                 calendar=CHINA, business_day=BusinessDay.FOLLOWING))
        assert [row.due_date for row in s] == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 15)]
        assert [row.unadjusted_date for row in s] == [date(2026, 10, 1), date(2026, 10, 8), date(2026, 10, 15)]

    def test_calendar_past_its_data_raises(self) -> None:
        """CHINA under Outside.RAISE raises for a due date in 2027."""
        with pytest.raises(CalendarCoverageError) as info:
            build_schedule(terms(start=date(2026, 12, 1), term=2, calendar=CHINA.with_outside(Outside.RAISE),
                                 business_day=BusinessDay.FOLLOWING))
        assert (info.value.day, info.value.last_year) == (date(2027, 1, 1), 2026)

    def test_provisional_dates_past_the_data(self) -> None:
        """With Outside.WEEKENDS_ONLY the 2027 dates are marked provisional."""
        s = build_schedule(terms(start=date(2026, 11, 2), term=3, calendar=CHINA.with_outside(
            Outside.WEEKENDS_ONLY), business_day=BusinessDay.FOLLOWING))
        assert [row.provisional for row in s] == [False, True, True]
        assert s.provisional_dates == (date(2027, 1, 4), date(2027, 2, 2))

    def test_unadjusted_convention_ignores_the_calendar(self) -> None:
        """UNADJUSTED never asks the calendar, so CHINA past 2026 does not raise."""
        s = build_schedule(terms(start=date(2030, 1, 1), calendar=CHINA))
        assert s.maturity == date(2030, 4, 1)


class TestMethods:
    def test_interest_only_repays_principal_at_the_end(self) -> None:
        """先息后本: interest each period, all principal with the last."""
        s = build_schedule(terms(method=RepaymentMethod.INTEREST_ONLY))
        assert [(row.principal, row.interest) for row in s] == [
            (D("0.00"), D("10.00")), (D("0.00"), D("10.00")), (D("1000.00"), D("10.00"))]

    def test_bullet_is_one_installment(self) -> None:
        """一次性还本付息: one installment at maturity with simple interest for the term."""
        s = build_schedule(terms(method=RepaymentMethod.BULLET, term=12))
        assert len(s) == 1
        assert (s[0].due_date, s[0].principal, s[0].interest) == (date(2027, 1, 15), D("1000.00"), D("120.00"))

    def test_zero_rate(self) -> None:
        """A zero-rate annuity splits the principal evenly, the residue in the last principal."""
        s = build_schedule(terms(rate=Rate.annual(0), principal="100")  )
        assert [row.principal for row in s] == [D("33.33"), D("33.33"), D("33.34")]
        assert s.total_interest == D("0.00")

    def test_one_installment(self) -> None:
        """A one-installment annuity repays everything at once."""
        s = build_schedule(terms(term=1))
        assert (s[0].principal, s[0].interest, s[0].balance) == (D("1000.00"), D("10.00"), D("0.00"))

    def test_tiny_principal_long_term(self) -> None:
        """1.00 over 360 months: 0.01 a month repays it by month 100; later installments pay nothing."""
        s = build_schedule(terms(principal="1.00", term=360, rate=Rate.annual("0.049")))
        assert min(row.balance for row in s) == D("0.00")
        assert all(row.principal >= 0 for row in s)
        assert s.total_principal == D("1.00")
        assert s[0].payment == D("0.01")
        assert [row.payment for row in s].count(D("0.01")) == 100
        assert s[99].balance == D("0.00")

    def test_equal_principal_with_more_installments_than_cents(self) -> None:
        """1.00 over 150 equal-principal periods: 0.01 a period until paid, then nothing."""
        s = build_schedule(terms(principal="1.00", term=150, method=RepaymentMethod.EQUAL_PRINCIPAL))
        assert [row.principal for row in s].count(D("0.01")) == 100
        assert s.total_principal == D("1.00")

    def test_odd_cents(self) -> None:
        """1000.01 in three equal-principal parts: 333.34, 333.34, 333.33."""
        s = build_schedule(terms(principal="1000.01", method=RepaymentMethod.EQUAL_PRINCIPAL))
        assert [row.principal for row in s] == [D("333.34"), D("333.34"), D("333.33")]

    def test_yen_has_no_minor_unit(self) -> None:
        """JPY amounts are whole yen."""
        s = build_schedule(terms(principal="100000", currency=JPY))
        assert [row.payment for row in s] == [D("34002"), D("34002"), D("34003")]


class TestAccrual:
    def test_daily_first_period(self) -> None:
        """DAILY: 15 Jan to 15 Feb is 31 days: 1000 x 12 % x 31/360 = 10.33."""
        s = build_schedule(terms(accrual=Accrual.DAILY))
        assert [row.interest for row in s] == [D("10.33"), D("6.26"), D("3.48")]
        assert s[-1].balance == D("0.00")

    def test_daily_level_payment_allows_for_uneven_periods(self) -> None:
        """DAILY: the level payment amortizes to within the rounding of the last installment."""
        s = build_schedule(terms(accrual=Accrual.DAILY, term=24, rate=Rate.annual("0.2")))
        assert {row.payment for row in s[:-1]} == {s[0].payment}
        assert abs(s[-1].payment - s[0].payment) <= D("0.05")

    def test_adjusted_accrual(self) -> None:
        """adjusted_accrual accrues to the moved due date: 1 Sep to 8 Oct 2026 is 37 days."""
        s = build_schedule(terms(start=date(2026, 9, 1), term=1, accrual=Accrual.DAILY, calendar=CHINA,
                                 business_day=BusinessDay.FOLLOWING, adjusted_accrual=True))
        assert s[0].interest == D("12.33")


class TestRounding:
    @pytest.mark.parametrize(
        ("mode", "expected"),
        [
            (decimal.ROUND_HALF_UP, "0.25"),
            (decimal.ROUND_HALF_EVEN, "0.24"),
            (decimal.ROUND_HALF_DOWN, "0.24"),
            (decimal.ROUND_UP, "0.25"),
            (decimal.ROUND_DOWN, "0.24"),
            (decimal.ROUND_CEILING, "0.25"),
            (decimal.ROUND_FLOOR, "0.24"),
            (decimal.ROUND_05UP, "0.24"),
        ],
    )
    def test_exact_half_cent(self, mode: str, expected: str) -> None:
        """60.00 at 4.9 % for a month earns exactly 0.245; each mode rounds the exact value."""
        s = build_schedule(terms(principal="60", rate=Rate.annual("0.049"), term=1, rounding=mode))
        assert s[0].interest == D(expected)

    @pytest.mark.parametrize(
        ("mode", "expected"),
        [(decimal.ROUND_UP, "0.24"), (decimal.ROUND_DOWN, "0.24"), (decimal.ROUND_HALF_EVEN, "0.24")],
    )
    def test_exact_cent_is_not_moved(self, mode: str, expected: str) -> None:
        """48.00 at 6 % for a month earns exactly 0.24, which no mode may move."""
        s = build_schedule(terms(principal="48", rate=Rate.annual("0.06"), term=1, rounding=mode))
        assert s[0].interest == D(expected)

    def test_global_context_is_not_used(self) -> None:
        """A caller's 3-digit global context changes nothing."""
        expected = build_schedule(terms(principal="1000000", term=360))
        with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR)):
            assert build_schedule(terms(principal="1000000", term=360)) == expected


class TestValidation:
    def test_float_principal_refused(self) -> None:
        """A float principal is a TypeError that says why."""
        with pytest.raises(InvalidTypeError, match="float is inexact") as info:
            terms(principal=1000.0)
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, LoanRulesError)
        assert info.value.field == "principal"

    @pytest.mark.parametrize("principal", ["0", "-5", "NaN", "Infinity", "10.001"])
    def test_bad_principal(self, principal: str) -> None:
        """Zero, negative, NaN, infinite or sub-cent principals are ValueErrors naming 'principal'."""
        with pytest.raises(ValueError, match="'principal'") as info:
            terms(principal=principal)
        assert isinstance(info.value, LoanRulesError)

    @pytest.mark.parametrize(("term", "error"), [(0, InvalidTermsError), (True, InvalidTypeError),
                                                 (2.0, InvalidTypeError)])
    def test_bad_term(self, term: object, error: type[Exception]) -> None:
        """term must be an int >= 1; bool and float are refused."""
        with pytest.raises(error, match="'term'"):
            terms(term=term)

    def test_first_due_before_start(self) -> None:
        """first_due before the start names the interval."""
        with pytest.raises(InvalidTermsError) as info:
            terms(first_due=date(2026, 1, 1))
        assert str(info.value) == ("'first_due' must lie in (start, start + 12 months] = "
                                   "(2026-01-15, 2027-01-15], got datetime.date(2026, 1, 1)")

    def test_first_due_off_the_payment_day(self) -> None:
        """A first due date that is not on payment_day is refused."""
        with pytest.raises(InvalidTermsError, match="payment_day 15"):
            terms(first_due=date(2026, 2, 10), payment_day=15)

    @pytest.mark.parametrize("start", [datetime(2026, 1, 15, 9, 0), "2026-01-15"])  # noqa: DTZ001
    def test_start_must_be_a_date(self, start: object) -> None:
        """A datetime (naive or not) or a string is refused where a date is meant."""
        with pytest.raises(InvalidTypeError, match="'start'"):
            terms(start=start)

    def test_payment_day_with_weekly(self) -> None:
        """payment_day applies to month-based frequencies only."""
        with pytest.raises(InvalidTermsError, match="month-based"):
            terms(frequency=Frequency.WEEKLY, payment_day=5)

    @pytest.mark.parametrize("day", [0, 32])
    def test_payment_day_range(self, day: int) -> None:
        """payment_day lies in [1, 31]."""
        with pytest.raises(InvalidTermsError, match=r"\[1, 31\]"):
            terms(payment_day=day)

    def test_rate_must_be_a_rate(self) -> None:
        """A bare number for rate is refused with a hint."""
        with pytest.raises(InvalidTypeError, match=r"Rate\.annual"):
            terms(rate="0.05")

    def test_rounding_must_be_a_mode(self) -> None:
        """rounding must be one of the decimal module's modes."""
        with pytest.raises(InvalidTermsError, match="'rounding'"):
            terms(rounding="HALF_UP")

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve re-runs validation and keeps the quantized principal."""
        t = terms(principal="1000")
        assert attrs.evolve(t, term=6).principal == D("1000.00")
        with pytest.raises(InvalidTermsError):
            attrs.evolve(t, term=0)


class TestScheduleObject:
    def test_sequence_protocol(self) -> None:
        """A schedule is iterable, indexable, sliceable and has a length."""
        s = build_schedule(terms())
        assert (len(s), s[0].number, s[-1].number, [r.number for r in s[1:]]) == (3, 1, 3, [2, 3])
        assert list(s) == list(s.installments)

    def test_records_are_plain_dicts(self) -> None:
        """to_records gives one plain dict a row with every field."""
        rec = build_schedule(terms()).to_records()[1]
        assert rec == {
            "number": 2, "due_date": date(2026, 3, 15), "principal": D("333.32"), "interest": D("6.70"),
            "payment": D("340.02"), "balance": D("336.66"), "unadjusted_date": date(2026, 3, 15),
            "period_start": date(2026, 2, 15), "provisional": False,
        }

    def test_totals(self) -> None:
        """Totals add the rows: payment = principal + interest."""
        s = build_schedule(terms())
        assert (s.total_principal, s.total_interest, s.total_payment) == (D("1000.00"), D("20.07"), D("1020.07"))

    def test_str_is_a_table(self) -> None:
        """str() is a readable table with a totals line."""
        lines = str(build_schedule(terms(currency=USD))).splitlines()
        assert lines[1].split() == ["1", "2026-02-15", "340.02", "330.02", "10.00", "669.98"]
        assert lines[-1].split() == ["total", "1020.07", "1000.00", "20.07"]

    def test_equal_terms_give_equal_schedules(self) -> None:
        """Schedules are values: equal terms build equal, hashable schedules."""
        assert build_schedule(terms()) == build_schedule(terms())
        assert hash(build_schedule(terms())) == hash(build_schedule(terms()))

    def test_build_schedule_needs_terms(self) -> None:
        """build_schedule refuses anything but LoanTerms."""
        with pytest.raises(InvalidTypeError, match="'terms'"):
            build_schedule({"principal": 1})  # type: ignore[arg-type]


def _figures() -> list[object]:
    """Schedules of every method, a loan state, an APR and a decision, as comparable values."""
    from zoneinfo import ZoneInfo

    import loanrules as lr

    out: list[object] = []
    for method in RepaymentMethod:
        for accrual in Accrual:
            schedule = build_schedule(LoanTerms(
                principal="1000000", rate=Rate.annual("0.049"), term=10, method=method, accrual=accrual,
                start=date(2026, 1, 15), payment_day=20, calendar=CHINA, business_day=BusinessDay.FOLLOWING,
            ))
            out += [schedule.installments, schedule.total_principal, schedule.total_interest,
                    schedule.total_payment]
    loan = lr.Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)),
                   penalty=lr.PenaltyTerms())
    loan = loan.pay(on=date(2026, 2, 20), amount="500.55")
    state = loan.state(as_of=date(2026, 4, 3))
    out += [state.overdue, state.overdue.total, state.due_now.total, state.payoff, state.due_now, state.principal_outstanding, state.installments,
            lr.apr(loan.schedule), lr.apr(loan.schedule, effective=True)]
    now = datetime(2026, 4, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    decision = lr.next_step(lr.policies.standard(), lr.Case(state=state, timezone="Asia/Shanghai"), now)
    out += [decision.action, decision.status, decision.reasons]
    return out


class TestGlobalContext:
    """Every figure is the same whatever the caller's global decimal context."""

    def test_totals_under_low_precision(self) -> None:
        """Under prec=6 the totals of a 30-year annuity are still exact (they were 1.00000E+6 and 910619)."""
        t = LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360, start=date(2026, 1, 15))
        with decimal.localcontext(prec=6):
            s = build_schedule(t)
            totals = (str(s.total_principal), str(s.total_interest), str(s.total_payment))
        assert totals == ("1000000.00", "910615.12", "1910615.12")

    def test_bullet_under_low_precision(self) -> None:
        """A bullet's one payment is principal + interest in full under prec=3 (it was rounded to 3 digits)."""
        t = terms(principal="1000000", method=RepaymentMethod.BULLET, term=12)
        with decimal.localcontext(prec=3):
            row = build_schedule(t)[0]
        assert (row.principal, row.interest, row.payment) == (D("1000000.00"), D("120000.00"), D("1120000.00"))

    def test_hostile_context_changes_nothing(self) -> None:
        """Schedules, a loan state, apr and a next_step decision agree under prec=3, ROUND_DOWN, all traps."""
        expected = _figures()
        hostile = decimal.Context(prec=3, rounding=decimal.ROUND_DOWN, Emax=99, Emin=-99, traps=[
            decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.DivisionByZero,
            decimal.Overflow, decimal.Underflow, decimal.Subnormal, decimal.Clamped, decimal.FloatOperation])
        with decimal.localcontext(hostile):
            got = _figures()
        assert got == expected
        assert expected[1] == D("1000000.00")


class TestBounds:
    """LoanTerms refuses terms and principals beyond documented bounds, naming field, rule and bound."""

    def test_term_beyond_max_term(self) -> None:
        """term=100000 is refused as 'term' with the interval (it raised a ValueError naming nothing)."""
        from loanrules.schedule import MAX_TERM

        with pytest.raises(InvalidTermsError) as info:
            terms(term=100_000)
        assert (info.value.field, info.value.value, MAX_TERM) == ("term", 100_000, 12_000)
        assert info.value.rule == "must lie in [1, 12000]"

    def test_term_past_date_max(self) -> None:
        """A term whose maturity would pass 9999-12-31 is refused with the most periods allowed."""
        with pytest.raises(InvalidTermsError) as info:
            terms(start=date(9000, 1, 1), term=12_000)
        assert info.value.field == "term"
        assert info.value.rule == ("must be <= 11999 so that the maturity stays within datetime.date's range "
                                   "(on or before 9999-12-31) from 9000-01-01")

    def test_longest_term_builds(self) -> None:
        """The last allowed term builds, maturing on 9999-12-01."""
        s = build_schedule(terms(start=date(9000, 1, 1), term=11_999, rate=Rate.annual("0.05")))
        assert (len(s), s.maturity, s.total_principal) == (11_999, date(9999, 12, 1), D("1000.00"))

    def test_bool_term_refused(self) -> None:
        """term=True is a type error, not one period."""
        with pytest.raises(InvalidTypeError, match="'term' must be an int, not a bool"):
            terms(term=True)

    @pytest.mark.parametrize("principal", ["1E15", "9" * 33, "999999999999999999999999999999999.99"])
    def test_principal_beyond_the_bound(self, principal: str) -> None:
        """A principal of 10**15 or more is refused as 'principal' (no decimal error escapes)."""
        with pytest.raises(InvalidTermsError) as info:
            terms(principal=principal)
        assert (info.value.field, info.value.rule) == ("principal", "must be < 1,000,000,000,000,000 (MAX_PRINCIPAL)")

    def test_largest_principal_at_the_ceiling_builds(self) -> None:
        """Just under the bound, at 100 % a year over 1,000 years, a bullet still adds up exactly."""
        from loanrules import Currency

        t = terms(principal="999999999999999.99", rate=Rate.annual(1), term=12_000,
                  method=RepaymentMethod.BULLET, currency=Currency("XXX", 8))
        row = build_schedule(t)[0]
        assert (row.interest, row.payment) == (D("999999999999999990.00000000"), D("1000999999999999989.99000000"))

    def test_pickle_is_compact(self) -> None:
        """Terms pickle their non-default fields only and come back equal."""
        import pickle

        t = terms(calendar=CHINA, business_day=BusinessDay.FOLLOWING, currency=USD, first_due=date(2026, 2, 1))
        assert pickle.loads(pickle.dumps(t)) == t
        assert len(pickle.dumps(terms())) < 300


class TestLastStart:
    """A first_due on terms starting in the last year a date can hold."""

    def test_start_in_9999_with_first_due(self) -> None:
        """A start in 9999 leaves no room for 12 months of first period: refused as 'start'."""
        with pytest.raises(InvalidTermsError, match="'start' must be before 9999-01-01 to leave room for a term"):
            terms(start=date(9999, 1, 15), first_due=date(9999, 2, 15), term=1)


def test_a_first_period_longer_than_the_level_payment_pays_its_interest_only() -> None:
    """1,000,000 at 12 % over 360 months from 2026-01-15, first due 2026-03-15 (59 days): the first period
    earns 1,000,000 x 0.12 x 59 / 360 = 19,666.67, more than any level payment, so it pays its interest
    only and the level payment amortizes the principal over the other 359 months:
    1,000,000 x 0.01 / (1 - 1.01^-359) = 10,289.0699... -> 10,289.07. (It used to level over all 360
    periods, as if the unpaid interest were added to the balance, and then ended with 27 rows of 0.00.)"""
    terms = LoanTerms(principal="1000000", rate=Rate.annual("0.12"), term=360, start=date(2026, 1, 15),
                      first_due=date(2026, 3, 15))
    schedule = build_schedule(terms)
    first, second = schedule[0], schedule[1]
    assert (first.principal, first.interest, first.balance) == (
        Decimal("0.00"), Decimal("19666.67"), Decimal("1000000.00"))
    assert (second.payment, second.interest) == (Decimal("10289.07"), Decimal("10000.00"))
    assert len(schedule) == 360
    assert min(row.payment for row in schedule) > Decimal("10000")
    assert schedule.total_principal == Decimal("1000000.00")
    assert schedule[-1].balance == Decimal("0.00")
