"""Reference tests: every day of CHINA's data against chinese-calendar and QuantLib.

``chinese-calendar`` collects the State Council's notices for 2004 onwards;
QuantLib's ``China(China.IB)`` (the interbank market, open on 调休 make-up
weekend days) has them from 2008. A disagreement is reported date by date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar
import pytest
import QuantLib as ql  # noqa: N813 -- the alias QuantLib's own docs use

from loanrules.calendars import CHINA
from loanrules.conventions._china_data import CHINA_YEARS


def _days(first: date, last: date) -> Iterator[date]:
    """Every day from first to last, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _describe(day: date, ours: bool, theirs: bool) -> str:
    """One disagreement, readably."""
    return f"{day} ({day:%a}): ours {'open' if ours else 'closed'}, reference {'open' if theirs else 'closed'}"


class TestAgainstChineseCalendar:
    """CHINA equals chinese_calendar on every day of 2004–2026."""

    def test_every_day_2004_to_2026(self) -> None:
        """is_business_day == chinese_calendar.is_workday for all 8401 days."""
        disagreements = [
            _describe(day, CHINA.is_business_day(day), chinese_calendar.is_workday(day))
            for day in _days(date(2004, 1, 1), date(2026, 12, 31))
            if CHINA.is_business_day(day) != chinese_calendar.is_workday(day)
        ]
        assert disagreements == []

    def test_holiday_and_make_up_sets(self) -> None:
        """Our holidays are its named holidays; our working days are its named workdays (调休)."""
        named_holidays, make_up_days = set(), set()
        for day in _days(date(2004, 1, 1), date(2026, 12, 31)):
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            if name is not None:
                (named_holidays if is_holiday else make_up_days).add(day)
        assert sorted(CHINA.holidays ^ named_holidays) == []
        assert sorted(CHINA.working_days ^ make_up_days) == []

    def test_day_count(self) -> None:
        """The range checked above is 23 years, 8401 days, 6 of them leap years."""
        assert len(list(_days(date(2004, 1, 1), date(2026, 12, 31)))) == 23 * 365 + 6


class TestAgainstQuantLib:
    """CHINA equals QuantLib's China(China.IB) on every day of 2008–2026."""

    def test_every_day_2008_to_2026(self) -> None:
        """is_business_day == China(IB).isBusinessDay for all 6940 days."""
        reference = ql.China(ql.China.IB)
        disagreements = []
        for day in _days(date(2008, 1, 1), date(2026, 12, 31)):
            ours = CHINA.is_business_day(day)
            theirs = reference.isBusinessDay(ql.Date(day.day, day.month, day.year))
            if ours != theirs:
                disagreements.append(_describe(day, ours, theirs))
        assert disagreements == []


class TestDataTable:
    """The raw table in loanrules._china_data is well formed."""

    def test_years_are_contiguous(self) -> None:
        """Every year 2004–2026 is present, in order, none missing."""
        assert list(CHINA_YEARS) == list(range(2004, 2027))

    @pytest.mark.parametrize("year", sorted(CHINA_YEARS))
    def test_ranges_are_ordered(self, year: int) -> None:
        """Each MMDD-MMDD range runs forwards and items are in calendar order."""
        for text in CHINA_YEARS[year]:
            starts = []
            for item in text.split():
                first, _, last = item.partition("-")
                assert len(first) == 4
                assert not last or last > first
                starts.append(first)
            assert starts == sorted(starts)

    @pytest.mark.parametrize("year", sorted(CHINA_YEARS))
    def test_each_year_has_new_year_and_national_day(self, year: int) -> None:
        """New Year's Day and National Day are closed in every year of the data."""
        assert date(year, 1, 1) in CHINA.holidays
        assert date(year, 10, 1) in CHINA.holidays

    def test_national_day_weeks(self) -> None:
        """Named regression: the Golden Week lengths (8 days in 2017, 2020, 2023 and 2025)."""
        lengths = {
            year: sum(1 for d in CHINA.holidays if d.year == year and (d.month, d.day) >= (9, 29)
                      and d.month in (9, 10))
            for year in (2016, 2017, 2020, 2023, 2025, 2026)
        }
        assert lengths == {2016: 7, 2017: 8, 2020: 8, 2023: 8, 2025: 8, 2026: 7}
