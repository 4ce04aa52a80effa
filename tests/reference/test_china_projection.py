"""Reference tests: the lunar table and the projected China holidays.

Every year 1901–2100 of ``loanrules._lunar_data`` is checked against the
``lunar-python`` package; ``projected_holidays`` is checked against
hand-written sets and against the State Council's 2025 and 2026 notices.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from lunar_python import Lunar, LunarMonth

from loanrules.conventions._china_data import CHINA_YEARS
from loanrules.conventions._china_projection import PROJECTION_YEARS, projected_holidays
from loanrules.conventions._lunar_data import FIRST_YEAR, LAST_YEAR, LUNAR_YEARS

YEARS = range(1901, 2101)


def _table(year: int, index: int) -> date:
    """Entry ``index`` (0 new year, 1 清明, 2 端午, 3 中秋) of the table for ``year``."""
    mmdd = LUNAR_YEARS[year].split()[index]
    return date(year, int(mmdd[:2]), int(mmdd[2:]))


def _lunar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a regular (not leap) lunar month's day, by lunar-python."""
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """The Qingming day of ``year``, by lunar-python's solar-term table."""
    solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _mismatches(index: int, reference: dict[int, date]) -> list[str]:
    """Years where the table's entry ``index`` differs from the reference."""
    return [
        f"{y}: ours {_table(y, index)}, lunar-python {reference[y]}"
        for y in YEARS
        if _table(y, index) != reference[y]
    ]


def _official(year: int) -> frozenset[date]:
    """The official holidays of ``year`` in CHINA_YEARS, ranges expanded."""
    days: set[date] = set()
    for token in CHINA_YEARS[year][0].split():
        first, _, last = token.partition("-")
        day = date(year, int(first[:2]), int(first[2:]))
        end = date(year, int(last[:2]), int(last[2:])) if last else day
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


class TestLunarTable:
    """_lunar_data.LUNAR_YEARS equals lunar-python for every year 1901–2100."""

    def test_years_are_complete(self) -> None:
        """The table has exactly the years 1901–2100, in order, four MMDD dates each."""
        assert (FIRST_YEAR, LAST_YEAR) == (1901, 2100)
        assert list(LUNAR_YEARS) == list(YEARS)
        assert all(len(entry.split()) == 4 and len(entry) == 19 for entry in LUNAR_YEARS.values())

    def test_lunar_new_year(self) -> None:
        """正月初一 matches lunar-python in all 200 years."""
        assert _mismatches(0, {y: _lunar(y, 1, 1) for y in YEARS}) == []

    def test_qingming(self) -> None:
        """The Qingming day matches lunar-python's 清明 solar term in all 200 years."""
        assert _mismatches(1, {y: _qingming(y) for y in YEARS}) == []

    def test_dragon_boat(self) -> None:
        """端午 (lunar 5/5) matches lunar-python in all 200 years."""
        assert _mismatches(2, {y: _lunar(y, 5, 5) for y in YEARS}) == []

    def test_mid_autumn(self) -> None:
        """中秋 (lunar 8/15) matches lunar-python in all 200 years."""
        assert _mismatches(3, {y: _lunar(y, 8, 15) for y in YEARS}) == []

    def test_dates_in_calendar_order(self) -> None:
        """Each year's four dates are in calendar order, in their usual months."""
        for year in YEARS:
            new_year, qingming, dragon_boat, mid_autumn = (_table(year, i) for i in range(4))
            assert date(year, 1, 21) <= new_year <= date(year, 2, 20)
            assert date(year, 4, 4) <= qingming <= date(year, 4, 6)
            assert date(year, 5, 27) <= dragon_boat <= date(year, 6, 26)
            assert date(year, 9, 7) <= mid_autumn <= date(year, 10, 8)
            assert new_year < qingming < dragon_boat < mid_autumn

    def test_leap_months_are_skipped(self) -> None:
        """A leap 5th or 8th month does not hold the festival: 2009 and 1995 are real cases."""
        assert _table(2009, 2) == date(2009, 5, 28)  # 2009 had a leap 5th month (闰五月)
        assert _table(2020, 2) == date(2020, 6, 25)  # 2020 had a leap 4th month
        assert _table(1995, 3) == date(1995, 9, 9)  # 1995 had a leap 8th month (闰八月)

    def test_known_dates(self) -> None:
        """Dates published for 2025–2028 are in the table."""
        assert LUNAR_YEARS[2025] == "0129 0404 0531 1006"
        assert LUNAR_YEARS[2026] == "0217 0405 0619 0925"
        assert LUNAR_YEARS[2027] == "0206 0405 0609 0915"
        assert LUNAR_YEARS[2028] == "0126 0404 0528 1003"


class TestProjectedHolidays:
    """projected_holidays gives the statutory days of the 2024 rules."""

    def test_2027(self) -> None:
        """2027: 13 dates, 春节 from 除夕 5 Feb to 初三 8 Feb."""
        assert projected_holidays(2027) == {
            date(2027, 1, 1),
            date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),
            date(2027, 4, 5),
            date(2027, 5, 1), date(2027, 5, 2),
            date(2027, 6, 9),
            date(2027, 9, 15),
            date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3),
        }  # fmt: skip

    def test_2028_mid_autumn_on_national_day(self) -> None:
        """2028: 中秋 is 3 October, inside 国庆, so the set has 12 dates."""
        assert projected_holidays(2028) == {
            date(2028, 1, 1),
            date(2028, 1, 25), date(2028, 1, 26), date(2028, 1, 27), date(2028, 1, 28),
            date(2028, 4, 4),
            date(2028, 5, 1), date(2028, 5, 2),
            date(2028, 5, 28),
            date(2028, 10, 1), date(2028, 10, 2), date(2028, 10, 3),
        }  # fmt: skip

    def test_sizes(self) -> None:
        """13 dates a year, 12 exactly in the years whose 中秋 falls on 1–3 October."""
        short = [year for year in range(2027, 2101) if len(projected_holidays(year)) == 12]
        assert short == [2028, 2031, 2039, 2058, 2066, 2077, 2085]
        assert all(len(projected_holidays(year)) in (12, 13) for year in YEARS)

    def test_eve_after_short_twelfth_month(self) -> None:
        """2027: the 12th lunar month has 29 days, so 除夕 is 腊月廿九, 5 February."""
        assert LunarMonth.fromYm(2026, 12).getDayCount() == 29
        assert date(2027, 2, 5) in projected_holidays(2027)
        assert date(2027, 2, 4) not in projected_holidays(2027)

    def test_eve_after_long_twelfth_month(self) -> None:
        """2030: the 12th lunar month has 30 days, so 除夕 is 腊月三十, 2 February."""
        assert LunarMonth.fromYm(2029, 12).getDayCount() == 30
        assert _lunar(2029, 12, 30) == date(2030, 2, 2)
        assert {date(2030, 2, 2), date(2030, 2, 5)} <= projected_holidays(2030)
        assert not {date(2030, 2, 1), date(2030, 2, 6)} & projected_holidays(2030)

    def test_eve_is_last_day_of_twelfth_month_every_year(self) -> None:
        """In every year the earliest 春节 day is the last day of lunar-python's 12th month."""
        for year in YEARS:
            last = LunarMonth.fromYm(year - 1, 12).getDayCount()
            eve = _lunar(year - 1, 12, last)
            assert eve == _table(year, 0) - timedelta(days=1)
            assert eve in projected_holidays(year)

    def test_years_covered(self) -> None:
        """PROJECTION_YEARS is 1901–2100 and both ends project."""
        assert range(1901, 2101) == PROJECTION_YEARS
        assert len(projected_holidays(1901)) == 13
        assert len(projected_holidays(2100)) == 13

    @pytest.mark.parametrize("year", [1900, 2101, 0, -5])
    def test_years_outside_table(self, year: int) -> None:
        """A year outside 1901–2100 raises ValueError naming the range."""
        with pytest.raises(ValueError, match=r"projected years are 1901\.\.2100"):
            projected_holidays(year)


class TestAgainstOfficialNotices:
    """The projection agrees with the State Council's 2025 and 2026 notices."""

    @pytest.mark.parametrize("year", [2025, 2026])
    def test_projected_days_are_official(self, year: int) -> None:
        """Every projected date is an official holiday (the notices add bridging days only)."""
        assert sorted(projected_holidays(year) - _official(year)) == []

    @pytest.mark.parametrize(
        ("year", "statutory"),
        [
            (2025, "0101 0128 0129 0130 0131 0404 0501 0502 0531 1001 1002 1003 1006"),
            (2026, "0101 0216 0217 0218 0219 0405 0501 0502 0619 0925 1001 1002 1003"),
        ],
    )
    def test_official_holds_each_statutory_day(self, year: int, statutory: str) -> None:
        """The official set holds each of the year's 13 statutory days, and these are the projection."""
        days = {date(year, int(mmdd[:2]), int(mmdd[2:])) for mmdd in statutory.split()}
        assert days <= _official(year)
        assert projected_holidays(year) == days
