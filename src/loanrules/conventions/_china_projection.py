"""Projected mainland China statutory holidays past the official notices (private).

The State Council publishes each year's holiday arrangement late in the year
before, so the official data in ``_china_data`` stops at 2026. For later
years this module projects the statutory days of 全国年节及纪念日放假办法
(2024 revision, in force from 2025):

* 元旦 — 1 day, 1 January;
* 春节 — 4 days, 除夕 (the day before lunar new year) through 初三 (lunar 1/3);
* 清明 — 1 day, the day of the Qingming solar term (China Standard Time);
* 劳动节 — 2 days, 1 and 2 May;
* 端午 — 1 day, lunar 5/5;
* 中秋 — 1 day, lunar 8/15;
* 国庆 — 3 days, 1–3 October.

Only those statutory days are projected: no bridging days, no make-up
working days (调休) and no substitute days, which the annual notices decide.
Weekends are left to the calendar. The lunar dates come from ``_lunar_data``.
"""

from __future__ import annotations

from datetime import date, timedelta

from ._lunar_data import FIRST_YEAR, LAST_YEAR, LUNAR_YEARS

PROJECTION_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
"""The years ``projected_holidays`` covers: those of the lunar table."""

_FIXED_DAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
"""元旦, 劳动节 and 国庆: the statutory days fixed in the Gregorian calendar."""


def _day(year: int, mmdd: str) -> date:
    """The date of an ``MMDD`` string in ``year``."""
    return date(year, int(mmdd[:2]), int(mmdd[2:]))


def projected_holidays(year: int) -> frozenset[date]:
    """The statutory holidays of ``year`` under the 2024 rules, without 调休.

    Usually 13 dates (1 + 4 + 1 + 2 + 1 + 1 + 3); fewer when 中秋 falls on
    1–3 October, as in 2028.

    >>> sorted(f"{day:%m-%d}" for day in projected_holidays(2027))
    ['01-01', '02-05', '02-06', '02-07', '02-08', '04-05', '05-01', '05-02',
     '06-09', '09-15', '10-01', '10-02', '10-03']
    >>> len(projected_holidays(2028))
    12
    >>> projected_holidays(2101)
    Traceback (most recent call last):
    ...
    ValueError: no lunar data for 2101: projected years are 1901..2100
    """
    if year not in PROJECTION_YEARS:
        raise ValueError(
            f"no lunar data for {year}: projected years are {PROJECTION_YEARS.start}..{PROJECTION_YEARS.stop - 1}"
        )
    new_year, qingming, dragon_boat, mid_autumn = LUNAR_YEARS[year].split()
    lunar_new_year = _day(year, new_year)
    spring_festival = {lunar_new_year + timedelta(days=offset) for offset in range(-1, 3)}
    fixed = {date(year, month, day) for month, day in _FIXED_DAYS}
    lunar = {_day(year, qingming), _day(year, dragon_boat), _day(year, mid_autumn)}
    return frozenset(fixed | spring_festival | lunar)
