"""Reference tests: day counts and calendars against QuantLib on random inputs.

QuantLib is a test-only dependency (the ``dev`` extra). Each test draws
dates with Hypothesis and asks QuantLib the same question.
"""

from __future__ import annotations

from datetime import date

import pytest
import QuantLib as ql  # noqa: N813 -- the alias QuantLib's own docs use
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrules.calendars import ALL_DAYS, CHINA, WEEKENDS, BusinessDay, Calendar
from loanrules.daycount import DayCount

DAY_COUNTERS = {
    DayCount.ACT_360: ql.Actual360(),
    DayCount.ACT_365F: ql.Actual365Fixed(),
    DayCount.ACT_ACT_ISDA: ql.ActualActual(ql.ActualActual.ISDA),
    DayCount.THIRTY_360: ql.Thirty360(ql.Thirty360.BondBasis),
    DayCount.THIRTY_E_360: ql.Thirty360(ql.Thirty360.European),
}

CONVENTIONS = {
    BusinessDay.UNADJUSTED: ql.Unadjusted,
    BusinessDay.FOLLOWING: ql.Following,
    BusinessDay.MODIFIED_FOLLOWING: ql.ModifiedFollowing,
    BusinessDay.PRECEDING: ql.Preceding,
    BusinessDay.MODIFIED_PRECEDING: ql.ModifiedPreceding,
}

QL_CHINA = ql.China(ql.China.IB)

WIDE_DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 12, 31))
# Where both CHINA and QuantLib's China(IB) have official data; kept a
# month inside it so that adjusting or advancing never leaves the data.
CHINA_DATES = st.dates(min_value=date(2008, 2, 1), max_value=date(2026, 11, 30))


def qd(day: date) -> ql.Date:
    """A QuantLib date for a Python date."""
    return ql.Date(day.day, day.month, day.year)


def py(day: ql.Date) -> date:
    """A Python date for a QuantLib date."""
    return date(day.year(), day.month(), day.dayOfMonth())


class TestConversionHelpers:
    """The helpers above round-trip, so the comparisons below mean something."""

    def test_round_trip(self) -> None:
        """29 Feb 2024 survives the trip through QuantLib."""
        assert py(qd(date(2024, 2, 29))) == date(2024, 2, 29)
        assert qd(date(2024, 2, 29)).weekday() == ql.Thursday

    def test_reference_calendar_is_the_interbank_one(self) -> None:
        """QuantLib's IB calendar opens the 调休 make-up Saturday 10 Oct 2026."""
        assert QL_CHINA.isBusinessDay(qd(date(2026, 10, 10)))
        assert not ql.China(ql.China.SSE).isBusinessDay(qd(date(2026, 10, 10)))


class TestDayCountAgainstQuantLib:
    """year_fraction and day_count agree with QuantLib's day counters."""

    @pytest.mark.parametrize("convention", list(DayCount), ids=lambda c: c.value)
    @settings(max_examples=300)
    @given(start=WIDE_DATES, end=WIDE_DATES)
    def test_year_fraction(self, convention: DayCount, start: date, end: date) -> None:
        """Random pairs, 1990–2080, either order: equal to 1e-12."""
        expected = DAY_COUNTERS[convention].yearFraction(qd(start), qd(end))
        assert abs(float(convention.year_fraction(start, end)) - expected) < 1e-12

    @pytest.mark.parametrize("convention", list(DayCount), ids=lambda c: c.value)
    @settings(max_examples=300)
    @given(start=WIDE_DATES, end=WIDE_DATES)
    def test_day_count(self, convention: DayCount, start: date, end: date) -> None:
        """Random pairs, 1990–2080, either order: the same integer day count."""
        assert convention.day_count(start, end) == DAY_COUNTERS[convention].dayCount(qd(start), qd(end))

    @pytest.mark.parametrize("convention", list(DayCount), ids=lambda c: c.value)
    @settings(max_examples=100)
    @given(start=WIDE_DATES, end=WIDE_DATES)
    def test_exact_fraction(self, convention: DayCount, start: date, end: date) -> None:
        """The exact Fraction agrees with QuantLib to 1e-12 as well."""
        expected = DAY_COUNTERS[convention].yearFraction(qd(start), qd(end))
        assert abs(float(convention.fraction(start, end)) - expected) < 1e-12

    @pytest.mark.parametrize(
        ("start", "end"),
        [
            (date(2026, 1, 31), date(2026, 2, 28)),   # end of month into February
            (date(2024, 2, 29), date(2025, 2, 28)),   # leap day → Feb 28
            (date(2024, 2, 29), date(2024, 3, 31)),   # leap day → a 31st
            (date(2026, 2, 28), date(2026, 3, 31)),   # end of February → a 31st
            (date(2026, 1, 30), date(2026, 3, 31)),   # a 30th → a 31st
            (date(2026, 1, 29), date(2026, 3, 31)),   # a 29th → a 31st
            (date(2026, 3, 31), date(2026, 1, 31)),   # reversed, both 31st
            (date(2003, 11, 1), date(2004, 5, 1)),    # the ISDA paper's example
            (date(1999, 12, 31), date(2000, 12, 31)),  # a leap century year
        ],
    )
    @pytest.mark.parametrize("convention", list(DayCount), ids=lambda c: c.value)
    def test_named_cases(self, convention: DayCount, start: date, end: date) -> None:
        """QuantLib-style regression cases: month ends, leap days, the 31st."""
        counter = DAY_COUNTERS[convention]
        assert convention.day_count(start, end) == counter.dayCount(qd(start), qd(end))
        assert abs(float(convention.year_fraction(start, end)) - counter.yearFraction(qd(start), qd(end))) < 1e-15


class TestChinaAgainstQuantLib:
    """CHINA agrees with QuantLib's China(China.IB) on 2008–2026."""

    @pytest.mark.parametrize("convention", list(BusinessDay), ids=lambda c: c.value)
    @settings(max_examples=300)
    @given(day=CHINA_DATES)
    def test_adjust(self, convention: BusinessDay, day: date) -> None:
        """adjust(d, convention) equals QuantLib's adjust with the same convention."""
        expected = py(QL_CHINA.adjust(qd(day), CONVENTIONS[convention]))
        assert CHINA.adjust(day, convention) == expected

    @settings(max_examples=300)
    @given(day=CHINA_DATES)
    def test_is_business_day(self, day: date) -> None:
        """is_business_day equals QuantLib's isBusinessDay."""
        assert CHINA.is_business_day(day) is QL_CHINA.isBusinessDay(qd(day))

    @settings(max_examples=300)
    @given(day=CHINA_DATES, n=st.integers(-15, 15))
    def test_add_business_days(self, day: date, n: int) -> None:
        """add_business_days(d, n) equals QuantLib's advance(d, n, Days)."""
        assert CHINA.add_business_days(day, n) == py(QL_CHINA.advance(qd(day), n, ql.Days))

    @pytest.mark.parametrize(
        ("day", "convention"),
        [
            (date(2026, 10, 1), BusinessDay.MODIFIED_PRECEDING),   # National Day week
            (date(2025, 10, 6), BusinessDay.PRECEDING),            # Mid-autumn inside it
            (date(2026, 2, 16), BusinessDay.PRECEDING),            # onto a 调休 Saturday
            (date(2026, 1, 1), BusinessDay.MODIFIED_PRECEDING),    # onto a 调休 Sunday
            (date(2026, 1, 31), BusinessDay.MODIFIED_FOLLOWING),   # month end on a Saturday
            (date(2008, 9, 29), BusinessDay.FOLLOWING),            # 2008 National Day from 29 Sep
            (date(2020, 1, 24), BusinessDay.FOLLOWING),            # 2020 Spring Festival, extended
        ],
    )
    def test_named_cases(self, day: date, convention: BusinessDay) -> None:
        """Holiday bridges and make-up days agree with QuantLib."""
        assert CHINA.adjust(day, convention) == py(QL_CHINA.adjust(qd(day), CONVENTIONS[convention]))


class TestWeekendsAgainstQuantLib:
    """WEEKENDS is QuantLib's WeekendsOnly; ALL_DAYS is its NullCalendar."""

    @pytest.mark.parametrize("convention", list(BusinessDay), ids=lambda c: c.value)
    @settings(max_examples=150)
    @given(day=WIDE_DATES)
    def test_weekends_adjust(self, convention: BusinessDay, day: date) -> None:
        """WEEKENDS.adjust equals WeekendsOnly().adjust."""
        expected = py(ql.WeekendsOnly().adjust(qd(day), CONVENTIONS[convention]))
        assert WEEKENDS.adjust(day, convention) == expected

    @settings(max_examples=300)
    @given(day=WIDE_DATES, n=st.integers(-30, 30))
    def test_weekends_business_days(self, day: date, n: int) -> None:
        """WEEKENDS.is_business_day and add_business_days equal WeekendsOnly's."""
        calendar = ql.WeekendsOnly()
        assert WEEKENDS.is_business_day(day) is calendar.isBusinessDay(qd(day))
        assert WEEKENDS.add_business_days(day, n) == py(calendar.advance(qd(day), n, ql.Days))

    @settings(max_examples=100)
    @given(day=WIDE_DATES, n=st.integers(-30, 30))
    def test_all_days(self, day: date, n: int) -> None:
        """ALL_DAYS equals QuantLib's NullCalendar."""
        calendar = ql.NullCalendar()
        assert ALL_DAYS.is_business_day(day) is calendar.isBusinessDay(qd(day))
        assert ALL_DAYS.add_business_days(day, n) == py(calendar.advance(qd(day), n, ql.Days))

    @settings(max_examples=100)
    @given(day=WIDE_DATES)
    def test_user_calendar_matches_bespoke(self, day: date) -> None:
        """A user calendar with a holiday and a working day equals a QuantLib BespokeCalendar."""
        holiday, working = date(2026, 12, 25), date(2026, 12, 26)
        ours = Calendar.from_dates("ACME", [holiday], [working])
        theirs = ql.BespokeCalendar("ACME")
        theirs.addWeekend(ql.Saturday)
        theirs.addWeekend(ql.Sunday)
        theirs.addHoliday(qd(holiday))
        theirs.removeHoliday(qd(working))  # QuantLib opens a closed day this way
        for candidate in (day, holiday, working):
            assert ours.is_business_day(candidate) is theirs.isBusinessDay(qd(candidate))
