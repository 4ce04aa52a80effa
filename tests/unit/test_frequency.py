"""Unit tests for loanrules.frequency and the anchored month arithmetic in loanrules._dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanrules.conventions._dates import add_months, days_in_month, is_leap, month_dates
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.frequency import Frequency


class TestFrequencyMembers:
    """periods_per_year, months and days of each frequency."""

    @pytest.mark.parametrize(
        ("frequency", "per_year", "months", "days"),
        [
            (Frequency.MONTHLY, 12, 1, 0),
            (Frequency.QUARTERLY, 4, 3, 0),
            (Frequency.SEMIANNUAL, 2, 6, 0),
            (Frequency.ANNUAL, 1, 12, 0),
            (Frequency.WEEKLY, 52, 0, 7),
            (Frequency.BIWEEKLY, 26, 0, 14),
        ],
    )
    def test_table(self, frequency: Frequency, per_year: int, months: int, days: int) -> None:
        """Each member's periods per year, months and days per period."""
        assert (frequency.periods_per_year, frequency.months, frequency.days) == (per_year, months, days)

    def test_month_based_periods_fill_a_year(self) -> None:
        """For month-based frequencies, months × periods per year = 12."""
        assert {f.months * f.periods_per_year for f in Frequency if f.months} == {12}

    def test_values(self) -> None:
        """Members are found by their lower-case names."""
        assert Frequency("biweekly") is Frequency.BIWEEKLY
        assert [f.value for f in Frequency] == [
            "monthly", "quarterly", "semiannual", "annual", "weekly", "biweekly",
        ]


class TestNth:
    """Frequency.nth: anchored dates, clipped to month end, never chained."""

    def test_end_of_month_anchored(self) -> None:
        """31 Jan → 28 Feb → 31 Mar → 30 Apr, not 28 Mar."""
        got = [Frequency.MONTHLY.nth(date(2026, 1, 31), k, day=31) for k in range(4)]
        assert got == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]

    def test_leap_february(self) -> None:
        """In a leap year, 31 Jan → 29 Feb."""
        assert Frequency.MONTHLY.nth(date(2024, 1, 31), 1) == date(2024, 2, 29)

    def test_leap_day_annual(self) -> None:
        """Leap day: 29 Feb 2024 + 1 year → 28 Feb 2025; + 4 years → 29 Feb 2028."""
        assert Frequency.ANNUAL.nth(date(2024, 2, 29), 1) == date(2025, 2, 28)
        assert Frequency.ANNUAL.nth(date(2024, 2, 29), 4) == date(2028, 2, 29)

    def test_century_not_leap(self) -> None:
        """2100 is not a leap year; 2000 was."""
        assert Frequency.ANNUAL.nth(date(2096, 2, 29), 4) == date(2100, 2, 28)
        assert Frequency.ANNUAL.nth(date(1996, 2, 29), 4) == date(2000, 2, 29)

    def test_day_defaults_to_anchor_day(self) -> None:
        """Without day, the anchor's day of month is kept (clipped)."""
        assert Frequency.QUARTERLY.nth(date(2026, 5, 31), 1) == date(2026, 8, 31)
        assert Frequency.QUARTERLY.nth(date(2026, 5, 31), 2) == date(2026, 11, 30)

    def test_explicit_day(self) -> None:
        """An explicit payment day overrides the anchor's day."""
        assert Frequency.MONTHLY.nth(date(2026, 1, 15), 1, day=20) == date(2026, 2, 20)

    def test_zero_and_negative_k(self) -> None:
        """k = 0 re-anchors on the day; negative k goes back across a year end."""
        assert Frequency.MONTHLY.nth(date(2026, 1, 31), 0, day=15) == date(2026, 1, 15)
        assert Frequency.MONTHLY.nth(date(2026, 1, 31), -2) == date(2025, 11, 30)
        assert Frequency.SEMIANNUAL.nth(date(2026, 8, 31), -1) == date(2026, 2, 28)

    def test_year_rollover(self) -> None:
        """Month 13 is January of the next year."""
        assert Frequency.MONTHLY.nth(date(2026, 12, 15), 1) == date(2027, 1, 15)
        assert Frequency.MONTHLY.nth(date(2026, 1, 15), 360) == date(2056, 1, 15)

    def test_weekly(self) -> None:
        """Weekly and biweekly step whole days and ignore day."""
        assert Frequency.WEEKLY.nth(date(2026, 12, 28), 1) == date(2027, 1, 4)
        assert Frequency.BIWEEKLY.nth(date(2026, 1, 1), 2, day=31) == date(2026, 1, 29)
        assert Frequency.BIWEEKLY.nth(date(2026, 1, 29), -2) == date(2026, 1, 1)

    def test_datetime_anchor_refused(self) -> None:
        """Regression: a datetime anchor was silently truncated (monthly) or kept (weekly)."""
        with pytest.raises(InvalidTypeError) as info:
            Frequency.WEEKLY.nth(datetime(2026, 1, 1, 8), 1)  # noqa: DTZ001
        assert info.value.field == "anchor"

    @pytest.mark.parametrize("day", [0, 32, -1])
    def test_day_out_of_range(self, day: int) -> None:
        """Regression: day 32 was silently clipped to the month end; day 0 raised a bare ValueError."""
        with pytest.raises(InvalidValueError) as info:
            Frequency.MONTHLY.nth(date(2026, 1, 15), 1, day=day)
        assert (info.value.field, info.value.rule, info.value.value) == ("day", "must lie in [1, 31]", day)

    @pytest.mark.parametrize("day", [15.0, "15", True])
    def test_day_wrong_type(self, day: object) -> None:
        """day must be an int or None."""
        with pytest.raises(InvalidTypeError, match="'day' must be an int or None"):
            Frequency.MONTHLY.nth(date(2026, 1, 15), 1, day=day)  # type: ignore[arg-type]

    @pytest.mark.parametrize("k", [1.0, "1", True, None])
    def test_k_wrong_type(self, k: object) -> None:
        """k must be an int."""
        with pytest.raises(InvalidTypeError, match="'k' must be an int"):
            Frequency.MONTHLY.nth(date(2026, 1, 15), k)  # type: ignore[arg-type]


class TestDateHelpers:
    """is_leap, days_in_month, add_months."""

    @pytest.mark.parametrize(("year", "leap"), [(2024, True), (2026, False), (1900, False), (2000, True), (2100, False)])
    def test_is_leap(self, year: int, leap: bool) -> None:
        """Gregorian leap years."""
        assert is_leap(year) is leap

    def test_days_in_month(self) -> None:
        """Month lengths, February in leap and common years."""
        assert [days_in_month(2024, m) for m in range(1, 13)] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        assert days_in_month(2026, 2) == 28

    def test_add_months_anchored(self) -> None:
        """add_months(31 Jan, 2, 31) is 31 Mar, never chained through 28 Feb."""
        assert add_months(date(2026, 1, 31), 2, 31) == date(2026, 3, 31)
        assert add_months(date(2026, 1, 31), 1, 31) == date(2026, 2, 28)
        assert add_months(date(2026, 3, 31), -13, 31) == date(2025, 2, 28)

    def test_month_dates_example(self) -> None:
        """Quarterly from 30 Nov 2023 on day 31: month ends, leap February included."""
        assert month_dates(date(2023, 11, 30), 1, 4, 3, 31) == [
            date(2024, 2, 29), date(2024, 5, 31), date(2024, 8, 31), date(2024, 11, 30),
        ]

    def test_month_dates_negative_step(self) -> None:
        """A negative step walks back across year ends like add_months."""
        assert month_dates(date(2026, 3, 31), 0, 4, -1, 31) == [
            date(2026, 3, 31), date(2026, 2, 28), date(2026, 1, 31), date(2025, 12, 31),
        ]

    @given(
        anchor=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
        first=st.integers(-24, 24),
        count=st.integers(0, 60),
        step=st.sampled_from([1, 2, 3, 6, 12, 24, -1, -3, -12]),
        day=st.integers(1, 31),
    )
    def test_month_dates_equals_add_months(
        self, anchor: date, first: int, count: int, step: int, day: int
    ) -> None:
        """month_dates(anchor, first, count, step, day)[i] == add_months(anchor, (first + i) * step, day)."""
        expected = [add_months(anchor, (first + i) * step, day) for i in range(count)]
        assert month_dates(anchor, first, count, step, day) == expected

    @given(
        anchor=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
        months=st.integers(-600, 600),
        day=st.integers(1, 31),
    )
    def test_add_months_lands_on_clipped_day(self, anchor: date, months: int, day: int) -> None:
        """add_months lands in the right month, on day clipped to its length."""
        result = add_months(anchor, months, day)
        assert (result.year * 12 + result.month) - (anchor.year * 12 + anchor.month) == months
        assert result.day == min(day, days_in_month(result.year, result.month))

    @given(
        anchor=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
        k=st.integers(-100, 100),
    )
    def test_weekly_nth_is_days(self, anchor: date, k: int) -> None:
        """WEEKLY.nth(anchor, k) is exactly 7k days away."""
        assert Frequency.WEEKLY.nth(anchor, k) - anchor == timedelta(days=7 * k)


class TestRange:
    """nth refuses a k that leaves datetime.date's range, with the library's error."""

    def test_huge_k_monthly(self) -> None:
        """k = 10**9 months raises InvalidValueError naming k and the interval (was a bare ValueError)."""
        with pytest.raises(InvalidValueError) as info:
            Frequency.MONTHLY.nth(date(2026, 1, 15), 10**9)
        assert str(info.value) == ("'k' must lie in [-24300, 95687] periods from 2026-01-15 "
                                   "(dates end at 9999-12-31), got 1000000000")

    def test_huge_k_weekly(self) -> None:
        """The same for a week-based frequency (was an OverflowError)."""
        with pytest.raises(InvalidValueError, match="'k' must lie in"):
            Frequency.WEEKLY.nth(date(2026, 1, 15), -(10**9))

    def test_span_ends_are_reachable(self) -> None:
        """Both ends of span() give dates; one more does not."""
        low, high = Frequency.QUARTERLY.span(date(2026, 1, 31))
        assert Frequency.QUARTERLY.nth(date(2026, 1, 31), high) == date(9999, 10, 31)
        assert Frequency.QUARTERLY.nth(date(2026, 1, 31), low) == date(1, 1, 31)
        with pytest.raises(InvalidValueError):
            Frequency.QUARTERLY.nth(date(2026, 1, 31), high + 1)

    def test_span_biweekly(self) -> None:
        """For weeks, span counts whole periods to date.min and date.max."""
        assert Frequency.BIWEEKLY.span(date(9999, 12, 17)) == (-260_860, 1)
