"""Unit tests for loanrules.calendars: business days, conventions, coverage, extension.

The comparisons with QuantLib and chinese-calendar live in tests/reference/.
"""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pytest

from loanrules.calendars import ALL_DAYS, CHINA, WEEKENDS, BusinessDay, Calendar, Outside, Projection
from loanrules.errors import CalendarCoverageError, InvalidTypeError, InvalidValueError, LoanRulesError

F, MF, P, MP, U = (
    BusinessDay.FOLLOWING,
    BusinessDay.MODIFIED_FOLLOWING,
    BusinessDay.PRECEDING,
    BusinessDay.MODIFIED_PRECEDING,
    BusinessDay.UNADJUSTED,
)


class TestBuiltins:
    """ALL_DAYS, WEEKENDS and CHINA."""

    def test_all_days_open_every_day(self) -> None:
        """ALL_DAYS has no closed day, not even Christmas on a Sunday."""
        assert all(ALL_DAYS.is_business_day(date(2022, 12, d)) for d in range(19, 32))

    def test_weekends(self) -> None:
        """WEEKENDS closes Saturday and Sunday and nothing else."""
        assert [WEEKENDS.is_business_day(date(2026, 11, d)) for d in range(23, 30)] == [
            True, True, True, True, True, False, False,
        ]
        assert WEEKENDS.is_business_day(date(2026, 10, 1))  # National Day is no holiday here

    def test_names(self) -> None:
        """The built-ins are named as their constants."""
        assert (ALL_DAYS.name, WEEKENDS.name, CHINA.name) == ("ALL_DAYS", "WEEKENDS", "CHINA")

    def test_china_covers_2004_to_2026(self) -> None:
        """CHINA's data runs 2004 to 2026 and projects outside by default."""
        assert CHINA.years == (2004, 2026)
        assert (CHINA.outside, CHINA.projection) == (Outside.PROJECTED, Projection.CHINA)

    def test_china_working_days_are_weekend_days(self) -> None:
        """Every 调休 make-up working day is a Saturday or a Sunday."""
        assert {d.weekday() for d in CHINA.working_days} == {5, 6}

    def test_china_2026_counts(self) -> None:
        """2026 has 33 holiday dates and 6 make-up working days."""
        assert sum(d.year == 2026 for d in CHINA.holidays) == 33
        assert sorted(d for d in CHINA.working_days if d.year == 2026) == [
            date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
            date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10),
        ]

    def test_repr(self) -> None:
        """A built-in shows its name rather than listing 771 dates; one changed in its rule for other years too."""
        assert (repr(CHINA), repr(ALL_DAYS), repr(WEEKENDS)) == ("CHINA", "ALL_DAYS", "WEEKENDS")
        assert repr(CHINA.with_outside(Outside.RAISE)) == "CHINA.with_outside(Outside.RAISE)"

    def test_repr_of_a_calendar_of_ones_own(self) -> None:
        """Any other calendar shows the call that builds it, defaults left out, dates sorted."""
        cal = Calendar.from_dates("ACME", [date(2026, 12, 25), date(2026, 1, 1)], [date(2026, 12, 27)],
                                  weekend=[6], years=(2026, 2026))
        assert repr(cal) == (
            "Calendar.from_dates('ACME', holidays=[datetime.date(2026, 1, 1), datetime.date(2026, 12, 25)], "
            "working_days=[datetime.date(2026, 12, 27)], weekend=[6], years=(2026, 2026))")
        assert repr(Calendar.from_dates("X")) == "Calendar.from_dates('X')"
        import datetime as dt

        assert eval(repr(cal), {"Calendar": Calendar, "datetime": dt}) == cal


class TestChinaBusinessDays:
    """Named cases: National Day week, Spring Festival, 调休 make-up days."""

    @pytest.mark.parametrize(
        ("day", "open_"),
        [
            (date(2026, 9, 30), True),    # Wednesday before National Day
            (date(2026, 10, 1), False),   # National Day
            (date(2026, 10, 3), False),   # a Saturday inside the holiday
            (date(2026, 10, 7), False),   # last day of the Golden Week
            (date(2026, 10, 8), True),    # back to work (Thursday)
            (date(2026, 10, 10), True),   # make-up Saturday
            (date(2026, 10, 11), False),  # ordinary Sunday
            (date(2026, 2, 14), True),    # make-up Saturday before Spring Festival
            (date(2026, 2, 17), False),   # Spring Festival (初一)
            (date(2026, 2, 23), False),   # Monday, still Spring Festival
            (date(2026, 2, 24), True),
            (date(2026, 2, 28), True),    # make-up Saturday after it
            (date(2026, 1, 4), True),     # make-up Sunday after New Year
            (date(2025, 10, 6), False),   # Mid-autumn inside the 2025 National Day week
            (date(2025, 9, 28), True),    # make-up Sunday in 2025
            (date(2024, 2, 29), True),    # leap day, a Thursday
            (date(2004, 1, 1), False),    # first covered day
            (date(2026, 12, 31), True),   # last covered day (Thursday)
        ],
    )
    def test_is_business_day(self, day: date, open_: bool) -> None:
        """Whether each named day is open."""
        assert CHINA.is_business_day(day) is open_
        assert CHINA.is_holiday(day) is (not open_)

    def test_golden_week_closed_days(self) -> None:
        """Exactly Oct 1–7 are closed in the first half of October 2026."""
        closed = [d for d in range(1, 16) if not CHINA.is_business_day(date(2026, 10, d))]
        assert closed == [1, 2, 3, 4, 5, 6, 7, 11]


class TestAdjust:
    """Calendar.adjust with each BusinessDay convention (QuantLib's meanings)."""

    @pytest.mark.parametrize(
        ("day", "convention", "expected"),
        [
            # National Day 2026: closed Thu 1 Oct .. Wed 7 Oct.
            (date(2026, 10, 1), F, date(2026, 10, 8)),
            (date(2026, 10, 1), MF, date(2026, 10, 8)),
            (date(2026, 10, 1), P, date(2026, 9, 30)),
            (date(2026, 10, 1), MP, date(2026, 10, 8)),   # preceding leaves October
            (date(2026, 10, 4), P, date(2026, 9, 30)),
            (date(2026, 10, 1), U, date(2026, 10, 1)),
            # Month end on a Saturday: 31 Jan 2026.
            (date(2026, 1, 31), F, date(2026, 2, 2)),
            (date(2026, 1, 31), MF, date(2026, 1, 30)),   # following leaves January
            (date(2026, 1, 31), P, date(2026, 1, 30)),
            (date(2026, 1, 31), MP, date(2026, 1, 30)),
            # Month start on a Sunday: 1 Feb 2026.
            (date(2026, 2, 1), P, date(2026, 1, 30)),
            (date(2026, 2, 1), MP, date(2026, 2, 2)),     # preceding leaves February
            # Spring Festival 2026 with make-up Saturdays on both sides.
            (date(2026, 2, 16), F, date(2026, 2, 24)),
            (date(2026, 2, 16), P, date(2026, 2, 14)),    # lands on the make-up Saturday
            (date(2026, 2, 28), F, date(2026, 2, 28)),    # a make-up Saturday stays put
            (date(2026, 2, 28), MP, date(2026, 2, 28)),
            # Mid-autumn bridged into National Day 2025 (closed 1–8 Oct).
            (date(2025, 10, 6), F, date(2025, 10, 9)),
            (date(2025, 10, 6), MP, date(2025, 10, 9)),
            (date(2025, 10, 6), P, date(2025, 9, 30)),
            # New Year bridge across a year end.
            (date(2026, 1, 1), P, date(2025, 12, 31)),
            (date(2026, 1, 1), MP, date(2026, 1, 4)),     # onto the make-up Sunday
            # A business day never moves.
            (date(2026, 10, 8), F, date(2026, 10, 8)),
            (date(2026, 10, 8), MP, date(2026, 10, 8)),
        ],
    )
    def test_china(self, day: date, convention: BusinessDay, expected: date) -> None:
        """Named adjustment cases on the CHINA calendar."""
        assert CHINA.adjust(day, convention) == expected

    def test_default_is_following(self) -> None:
        """adjust without a convention uses FOLLOWING."""
        assert CHINA.adjust(date(2026, 10, 1)) == date(2026, 10, 8)

    def test_modified_following_end_of_month_weekends(self) -> None:
        """Sat 30 May 2026: following is 1 Jun, so MF goes back to Fri 29 May."""
        assert WEEKENDS.adjust(date(2026, 5, 30), F) == date(2026, 6, 1)
        assert WEEKENDS.adjust(date(2026, 5, 30), MF) == date(2026, 5, 29)

    def test_all_days_never_moves(self) -> None:
        """On ALL_DAYS every convention leaves a Sunday alone."""
        assert {ALL_DAYS.adjust(date(2026, 3, 1), c) for c in BusinessDay} == {date(2026, 3, 1)}

    def test_bad_convention(self) -> None:
        """A convention that is not a BusinessDay member is an InvalidTypeError."""
        with pytest.raises(InvalidTypeError) as info:
            CHINA.adjust(date(2026, 10, 1), "following")  # type: ignore[arg-type]
        assert (info.value.field, info.value.value) == ("convention", "following")

    def test_datetime_refused(self) -> None:
        """adjust refuses a datetime."""
        with pytest.raises(InvalidTypeError, match="'day' must be a date, not a datetime"):
            CHINA.adjust(datetime(2026, 10, 1), F)  # noqa: DTZ001

    def test_rolling_out_of_the_data_raises(self) -> None:
        """PRECEDING from 1 Jan 2004 needs 2003, which CHINA raising outside its data does not cover."""
        with pytest.raises(CalendarCoverageError) as info:
            CHINA.with_outside(Outside.RAISE).adjust(date(2004, 1, 1), P)
        assert info.value.day == date(2003, 12, 31)


class TestAddBusinessDays:
    """Calendar.add_business_days: positive, negative, zero."""

    @pytest.mark.parametrize(
        ("day", "n", "expected"),
        [
            (date(2026, 9, 30), 1, date(2026, 10, 8)),    # over National Day week
            (date(2026, 10, 8), -1, date(2026, 9, 30)),
            (date(2026, 10, 8), 2, date(2026, 10, 10)),   # Fri 9, then make-up Sat 10
            (date(2026, 10, 10), 1, date(2026, 10, 12)),
            (date(2026, 2, 13), 1, date(2026, 2, 14)),    # onto a make-up Saturday
            (date(2026, 2, 13), 2, date(2026, 2, 24)),    # then over Spring Festival
            (date(2026, 2, 24), -2, date(2026, 2, 13)),
            (date(2026, 10, 1), 1, date(2026, 10, 8)),    # starting on a holiday
            (date(2026, 10, 1), -1, date(2026, 9, 30)),
            (date(2026, 10, 1), 0, date(2026, 10, 8)),    # zero: the next business day
            (date(2026, 9, 30), 0, date(2026, 9, 30)),    # zero on a business day: itself
            (date(2026, 3, 2), 5, date(2026, 3, 9)),      # a plain week
            (date(2026, 3, 9), -5, date(2026, 3, 2)),
        ],
    )
    def test_china(self, day: date, n: int, expected: date) -> None:
        """Named cases on CHINA, across holidays and make-up days."""
        assert CHINA.add_business_days(day, n) == expected

    def test_all_days_is_plain_addition(self) -> None:
        """On ALL_DAYS, n business days are n days."""
        assert ALL_DAYS.add_business_days(date(2024, 2, 28), 2) == date(2024, 3, 1)
        assert ALL_DAYS.add_business_days(date(2024, 3, 1), -2) == date(2024, 2, 28)

    @pytest.mark.parametrize("n", [1.0, True, "1", None])
    def test_n_must_be_int(self, n: object) -> None:
        """n must be an int, and a bool is not one."""
        with pytest.raises(InvalidTypeError) as info:
            CHINA.add_business_days(date(2026, 1, 5), n)  # type: ignore[arg-type]
        assert info.value.field == "n"

    def test_datetime_refused(self) -> None:
        """add_business_days refuses a datetime."""
        with pytest.raises(InvalidTypeError):
            CHINA.add_business_days(datetime(2026, 1, 5), 1)  # noqa: DTZ001


class TestCoverage:
    """Dates outside the data: raise, or weekends only and provisional."""

    @pytest.mark.parametrize("day", [date(2003, 12, 31), date(2027, 1, 1), date(2040, 1, 1)])
    def test_raises_outside(self, day: date) -> None:
        """CHINA under RAISE raises a CalendarCoverageError that carries its context."""
        with pytest.raises(CalendarCoverageError) as info:
            CHINA.with_outside(Outside.RAISE).is_business_day(day)
        err = info.value
        assert (err.calendar, err.day, err.first_year, err.last_year) == ("CHINA", day, 2004, 2026)
        assert isinstance(err, LookupError)
        assert isinstance(err, LoanRulesError)

    def test_covers(self) -> None:
        """covers is true exactly inside the years."""
        assert [CHINA.covers(date(y, 6, 1)) for y in (2003, 2004, 2026, 2027)] == [False, True, True, False]
        assert WEEKENDS.covers(date(1, 1, 1))

    def test_is_provisional(self) -> None:
        """Outside the data a date is provisional, whatever the outside rule."""
        assert CHINA.is_provisional(date(2027, 1, 1))
        assert not CHINA.is_provisional(date(2026, 12, 31))
        assert not WEEKENDS.is_provisional(date(2090, 1, 1))

    def test_weekends_only_outside(self) -> None:
        """With WEEKENDS_ONLY, outside the data only Saturday and Sunday are closed."""
        lenient = CHINA.with_outside(Outside.WEEKENDS_ONLY)
        assert lenient.outside is Outside.WEEKENDS_ONLY
        assert lenient.is_business_day(date(2027, 10, 1))       # a Friday: no data, so open
        assert not lenient.is_business_day(date(2040, 1, 1))    # a Sunday
        assert lenient.is_provisional(date(2040, 1, 1))
        assert not lenient.is_business_day(date(2026, 10, 1))   # inside the data: unchanged

    def test_weekends_only_adjust_across_the_edge(self) -> None:
        """FOLLOWING from Sat 1 Jan 2028 goes to Mon 3 Jan under weekends only."""
        lenient = CHINA.with_outside(Outside.WEEKENDS_ONLY)
        assert lenient.adjust(date(2028, 1, 1), F) == date(2028, 1, 3)
        assert lenient.add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 1)

    def test_with_outside_back_to_raise(self) -> None:
        """with_outside(PROJECTED) gives back an equal calendar."""
        assert CHINA.with_outside(Outside.WEEKENDS_ONLY).with_outside(Outside.PROJECTED) == CHINA

    def test_covers_refuses_datetime(self) -> None:
        """covers and is_provisional refuse a datetime too."""
        with pytest.raises(InvalidTypeError):
            CHINA.is_provisional(datetime(2027, 1, 1))  # noqa: DTZ001


class TestWithYear:
    """Calendar.with_year: extend with a newly published year, or replace one."""

    def test_extend_forwards(self) -> None:
        """Adding 2027 makes it covered, with its holidays and working days."""
        cal = CHINA.with_year(2027, holidays=[date(2027, 1, 1)], working_days=[date(2027, 1, 9)])
        assert cal.years == (2004, 2027)
        assert not cal.is_business_day(date(2027, 1, 1))
        assert cal.is_business_day(date(2027, 1, 4))
        assert cal.is_business_day(date(2027, 1, 9))   # a Saturday made a working day
        assert not cal.is_provisional(date(2027, 6, 1))
        assert cal.is_business_day(date(2026, 10, 10))  # earlier years untouched

    def test_extend_backwards(self) -> None:
        """Adding 2003 extends the first year."""
        cal = CHINA.with_year(2003, holidays=[date(2003, 1, 1)])
        assert cal.years == (2003, 2026)
        assert not cal.is_business_day(date(2003, 1, 1))

    def test_original_unchanged(self) -> None:
        """with_year returns a new calendar; CHINA is still 2004–2026."""
        CHINA.with_year(2027, holidays=[])
        assert CHINA.years == (2004, 2026)
        assert (CHINA.is_business_day(date(2027, 1, 1)), CHINA.is_provisional(date(2027, 1, 1))) == (False, True)

    def test_replace_year(self) -> None:
        """Replacing 2026 drops all its old holidays and make-up days."""
        cal = CHINA.with_year(2026, holidays=[date(2026, 10, 1)])
        assert cal.years == (2004, 2026)
        assert not cal.is_business_day(date(2026, 10, 1))
        assert cal.is_business_day(date(2026, 10, 2))
        assert not cal.is_business_day(date(2026, 10, 10))  # no longer a make-up Saturday
        assert cal.is_business_day(date(2026, 2, 17))
        assert not cal.is_business_day(date(2025, 10, 1))  # other years untouched

    def test_gap_refused(self) -> None:
        """2028 would leave 2027 uncovered in between."""
        with pytest.raises(InvalidValueError) as info:
            CHINA.with_year(2028, holidays=[date(2028, 1, 1)])
        assert (info.value.field, info.value.value) == ("year", 2028)
        assert info.value.rule == "must lie within or next to the covered years [2004, 2026]"

    def test_gap_refused_backwards(self) -> None:
        """2002 would leave 2003 uncovered."""
        with pytest.raises(InvalidValueError, match="'year' must lie within or next to"):
            CHINA.with_year(2002, holidays=[])

    def test_dates_of_another_year_refused(self) -> None:
        """A holiday outside the given year is refused, naming the field."""
        with pytest.raises(InvalidValueError) as info:
            CHINA.with_year(2027, holidays=[date(2028, 1, 1)])
        assert (info.value.field, info.value.value) == ("holidays", date(2028, 1, 1))

    def test_working_day_of_another_year_refused(self) -> None:
        """A working day outside the given year is refused under 'working_days'."""
        with pytest.raises(InvalidValueError) as info:
            CHINA.with_year(2027, holidays=[], working_days=[date(2026, 12, 26)])
        assert (info.value.field, info.value.value) == ("working_days", date(2026, 12, 26))

    @pytest.mark.parametrize("year", [2027.0, "2027", True])
    def test_year_must_be_int(self, year: object) -> None:
        """The year must be an int."""
        with pytest.raises(InvalidTypeError, match="'year' must be an int"):
            CHINA.with_year(year, holidays=[])  # type: ignore[arg-type]

    def test_holiday_that_is_a_working_day_refused(self) -> None:
        """A date cannot be both a holiday and a working day."""
        with pytest.raises(InvalidValueError, match="'working_days' must not contain a date"):
            CHINA.with_year(2027, holidays=[date(2027, 1, 2)], working_days=[date(2027, 1, 2)])

    def test_uncovered_calendar_stays_uncovered(self) -> None:
        """Regression: with_year on a calendar valid for all dates kept only that year's data."""
        cal = Calendar.from_dates("ACME", holidays=[date(2026, 12, 25)])
        extended = cal.with_year(2027, holidays=[date(2027, 12, 24)])
        assert extended.years is None
        assert not extended.is_business_day(date(2026, 12, 25))
        assert not extended.is_business_day(date(2027, 12, 24))
        assert extended.is_business_day(date(2030, 12, 25))
        assert WEEKENDS.with_year(2027, holidays=[]).is_business_day(date(2026, 1, 5))


class TestFromDates:
    """User calendars built from sets of dates."""

    def test_holidays_and_working_days(self) -> None:
        """A holiday closes a weekday; a working day opens a weekend day."""
        cal = Calendar.from_dates("ACME", [date(2026, 12, 25)], [date(2026, 12, 26)])
        assert not cal.is_business_day(date(2026, 12, 25))
        assert cal.is_business_day(date(2026, 12, 26))
        assert not cal.is_business_day(date(2026, 12, 27))

    def test_other_weekend(self) -> None:
        """A Friday–Saturday weekend opens Sunday."""
        cal = Calendar.from_dates("GULF", weekend=(4, 5))
        assert [cal.is_business_day(date(2026, 11, d)) for d in range(27, 30)] == [False, False, True]
        assert cal.adjust(date(2026, 11, 27), F) == date(2026, 11, 29)

    def test_years_and_outside(self) -> None:
        """years and outside are passed through."""
        cal = Calendar.from_dates("X", [date(2026, 1, 1)], years=(2026, 2026), outside=Outside.WEEKENDS_ONLY)
        assert cal.years == (2026, 2026)
        assert cal.is_provisional(date(2027, 1, 1))
        assert cal.is_business_day(date(2027, 1, 1))

    def test_accepts_any_iterable(self) -> None:
        """Lists, sets and generators all become frozensets."""
        cal = Calendar.from_dates("X", (date(2026, 1, d) for d in (1, 2)), {date(2026, 1, 3)})
        assert cal.holidays == frozenset({date(2026, 1, 1), date(2026, 1, 2)})
        assert cal.working_days == frozenset({date(2026, 1, 3)})
        assert cal.weekend == frozenset({5, 6})

    def test_value_semantics(self) -> None:
        """Equal data makes equal, equally hashed calendars."""
        a = Calendar.from_dates("X", [date(2026, 1, 1)])
        b = Calendar(name="X", holidays=frozenset({date(2026, 1, 1)}))
        assert a == b
        assert hash(a) == hash(b)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            a.name = "Y"  # type: ignore[misc]


class TestValidation:
    """A bad calendar is refused, naming the field."""

    @pytest.mark.parametrize("weekend", [(7,), (-1,), (5, 6, 8)])
    def test_weekday_number_out_of_range(self, weekend: tuple[int, ...]) -> None:
        """Weekday numbers lie in [0, 6]."""
        with pytest.raises(InvalidValueError) as info:
            Calendar.from_dates("X", weekend=weekend)
        assert info.value.field == "weekend"
        assert info.value.rule == "must hold weekday numbers in [0, 6] (Monday = 0)"

    @pytest.mark.parametrize("weekend", [("5",), (5.0,), (True,)])
    def test_weekday_number_wrong_type(self, weekend: tuple[object, ...]) -> None:
        """Weekday numbers are ints, not strings, floats or bools."""
        with pytest.raises(InvalidValueError, match="'weekend' must hold weekday numbers"):
            Calendar.from_dates("X", weekend=weekend)  # type: ignore[arg-type]

    def test_weekend_not_iterable(self) -> None:
        """A string or a bare int is not a set of weekdays."""
        with pytest.raises(InvalidTypeError, match="'weekend' must be an iterable"):
            Calendar(name="X", weekend="56")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError):
            Calendar(name="X", weekend=5)  # type: ignore[arg-type]

    def test_weekend_of_every_day_refused(self) -> None:
        """Regression: a seven-day weekend made adjust() loop forever."""
        with pytest.raises(InvalidValueError, match="'weekend' must leave at least one weekday open"):
            Calendar.from_dates("X", weekend=range(7))

    def test_empty_weekend_allowed(self) -> None:
        """No weekend at all is fine (ALL_DAYS)."""
        assert Calendar.from_dates("X", weekend=()).is_business_day(date(2026, 1, 4))

    def test_both_holiday_and_working_day(self) -> None:
        """A date that is both a holiday and a working day is refused."""
        with pytest.raises(InvalidValueError) as info:
            Calendar.from_dates("X", [date(2026, 1, 3), date(2026, 1, 1)], [date(2026, 1, 3), date(2026, 1, 1)])
        assert (info.value.field, info.value.value) == ("working_days", date(2026, 1, 1))

    def test_holiday_outside_years(self) -> None:
        """A holiday outside the covered years is refused."""
        with pytest.raises(InvalidValueError) as info:
            Calendar.from_dates("X", [date(2027, 1, 1)], years=(2026, 2026))
        assert (info.value.field, info.value.value) == ("holidays", date(2027, 1, 1))
        assert info.value.rule == "must lie within the covered years [2026, 2026]"

    def test_working_day_outside_years(self) -> None:
        """A working day outside the covered years is refused under 'working_days'."""
        with pytest.raises(InvalidValueError) as info:
            Calendar.from_dates("X", working_days=[date(2025, 12, 27)], years=(2026, 2026))
        assert (info.value.field, info.value.value) == ("working_days", date(2025, 12, 27))

    @pytest.mark.parametrize("years", [(2027, 2026), (2026.0, 2026), (2026, True)])
    def test_bad_years_value(self, years: tuple[object, object]) -> None:
        """years must be two ints, first <= last."""
        with pytest.raises(InvalidValueError) as info:
            Calendar.from_dates("X", years=years)  # type: ignore[arg-type]
        assert (info.value.field, info.value.value) == ("years", years)

    @pytest.mark.parametrize("years", [[2026, 2026], (2026,), (2026, 2027, 2028), 2026])
    def test_bad_years_shape(self, years: object) -> None:
        """years must be a (first, last) tuple."""
        with pytest.raises(InvalidTypeError, match="'years' must be a \\(first, last\\) tuple or None"):
            Calendar.from_dates("X", years=years)  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["", None, 7])
    def test_bad_name(self, name: object) -> None:
        """The name is a non-empty string."""
        with pytest.raises(InvalidValueError, match="'name' must be a non-empty string"):
            Calendar(name=name)  # type: ignore[arg-type]

    def test_bad_outside(self) -> None:
        """outside must be an Outside member."""
        with pytest.raises(InvalidTypeError, match="'outside' must be an Outside member"):
            Calendar(name="X", outside="raise")  # type: ignore[arg-type]

    def test_datetime_holiday_refused(self) -> None:
        """A datetime in the holidays is refused (it would never match a date)."""
        with pytest.raises(InvalidTypeError) as info:
            Calendar.from_dates("X", [datetime(2026, 1, 1)])  # noqa: DTZ001
        assert info.value.field == "holidays"

    def test_holidays_not_iterable(self) -> None:
        """A single date is not a set of holidays."""
        with pytest.raises(InvalidTypeError, match="'holidays' must be an iterable of dates"):
            Calendar(name="X", holidays=date(2026, 1, 1))  # type: ignore[arg-type]

    def test_is_business_day_refuses_datetime(self) -> None:
        """Regression: a datetime on National Day was silently reported open."""
        with pytest.raises(InvalidTypeError) as info:
            CHINA.is_business_day(datetime(2026, 10, 1, 9, 30))  # noqa: DTZ001
        assert info.value.field == "day"

    def test_is_business_day_refuses_string(self) -> None:
        """An ISO string is not a date."""
        with pytest.raises(InvalidTypeError, match=r"'day' must be a datetime\.date"):
            WEEKENDS.is_business_day("2026-10-01")  # type: ignore[arg-type]


class TestPrettyPrinting:
    def test_pretty_printers_show_the_short_repr(self) -> None:
        """IPython-style pretty printers (Hypothesis's included) show the short repr, not 771 dates."""
        from hypothesis.vendor.pretty import pretty

        assert pretty(CHINA) == "CHINA"
        assert pretty(CHINA.with_outside(Outside.WEEKENDS_ONLY)) == "CHINA.with_outside(Outside.WEEKENDS_ONLY)"


class TestPickle:
    """Built-in calendars pickle by name plus what changed; user calendars in full."""

    def test_builtins_come_back_as_themselves(self) -> None:
        """ALL_DAYS, WEEKENDS and CHINA unpickle to the very same objects, in a few bytes."""
        import pickle

        for calendar in (ALL_DAYS, WEEKENDS, CHINA):
            data = pickle.dumps(calendar)
            assert pickle.loads(data) is calendar
            assert len(data) < 150

    def test_changed_outside_is_the_name_plus_the_field(self) -> None:
        """CHINA.with_outside(...) pickles as CHINA and its outside rule, and compares equal after."""
        import pickle

        lenient = CHINA.with_outside(Outside.WEEKENDS_ONLY)
        data = pickle.dumps(lenient)
        assert len(data) < 200
        assert pickle.loads(data) == lenient
        assert b"CHINA" in data
        assert b"weekends_only" in data

    def test_loan_terms_on_china_are_small(self) -> None:
        """A LoanTerms on CHINA pickles to < 400 bytes (it was ~10.8 KB) and round-trips."""
        import pickle

        from loanrules import LoanTerms, Rate

        terms = LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360, start=date(2026, 1, 15),
                          calendar=CHINA, business_day=BusinessDay.FOLLOWING)
        data = pickle.dumps(terms)
        assert len(data) < 400
        assert pickle.loads(data) == terms

    def test_user_calendar_in_full(self) -> None:
        """A user calendar (or CHINA with a year added) carries its own dates."""
        import pickle

        extended = CHINA.with_year(2027, holidays=[date(2027, 1, 1)])
        user = Calendar.from_dates("ACME", holidays=[date(2026, 12, 25)], weekend=[4, 5])
        assert [pickle.loads(pickle.dumps(c)) for c in (extended, user)] == [extended, user]
        assert len(pickle.dumps(extended)) > 5000


def _walk(calendar: Calendar, day: date, n: int) -> date:
    """add_business_days done one day at a time (the reference)."""
    from datetime import timedelta

    step = timedelta(days=1 if n > 0 else -1)
    for _ in range(abs(n)):
        day += step
        while not calendar.is_business_day(day):
            day += step
    return day


class TestLongWalks:
    """add_business_days is prompt and refuses what leaves datetime.date's range."""

    def test_ten_million_refused(self) -> None:
        """10**7 business days raises InvalidValueError naming n and the interval (was an OverflowError)."""
        with pytest.raises(InvalidValueError) as info:
            WEEKENDS.add_business_days(date(2026, 1, 1), 10**7)
        assert (info.value.field, info.value.value) == ("n", 10**7)
        assert info.value.rule == ("must lie in [-739616, 2912442] (the days from 2026-01-01 to the ends "
                                   "of datetime.date's range)")

    def test_within_days_but_beyond_the_end(self) -> None:
        """Fewer than the days left, yet more business days than there are: the library's error."""
        with pytest.raises(InvalidValueError, match=r"'n' must keep the result within 0001-01-01\.\.9999-12-31"):
            WEEKENDS.add_business_days(date(2026, 1, 1), 2_900_000)

    def test_week_jumps_match_the_day_walk(self) -> None:
        """Jumping whole weeks gives the dates a day-by-day walk gives, forwards and backwards."""
        lenient = CHINA.with_outside(Outside.WEEKENDS_ONLY)
        user = Calendar.from_dates("ACME", holidays=[date(2026, 12, 25)], weekend=[6])
        for calendar, day, n in [(lenient, date(2026, 9, 30), 3000), (lenient, date(2005, 2, 1), -900),
                                 (WEEKENDS, date(2026, 1, 3), 1234), (user, date(2026, 12, 20), 777),
                                 (user, date(2027, 1, 2), -20), (ALL_DAYS, date(2026, 1, 1), 365)]:
            assert calendar.add_business_days(day, n) == _walk(calendar, day, n), (calendar.name, day, n)

    def test_far_walk_past_the_data(self) -> None:
        """Two million business days past CHINA's data land on a weekday in 9692."""
        assert CHINA.with_outside(Outside.WEEKENDS_ONLY).add_business_days(date(2026, 1, 1), 2_000_000) == (
            date(9692, 3, 10))

    def test_n_must_be_an_int(self) -> None:
        """A bool is refused for n."""
        with pytest.raises(InvalidTypeError, match="'n' must be an int, not a bool"):
            WEEKENDS.add_business_days(date(2026, 1, 1), True)

    def test_roll_off_the_end(self) -> None:
        """Adjusting past date.max raises the library's error, not OverflowError."""
        closed = Calendar.from_dates("X", holidays=[date(9999, 12, 31)], weekend=[])
        with pytest.raises(InvalidValueError, match="'day' has no business day after it"):
            closed.adjust(date(9999, 12, 31), BusinessDay.FOLLOWING)


class TestProjected:
    """Outside.PROJECTED, CHINA's default: statutory holidays by rule past the official data."""

    HOLIDAYS_2027 = frozenset({
        date(2027, 1, 1),                                                          # 元旦
        date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8),    # 春节: 除夕 to 初三
        date(2027, 4, 5),                                                          # 清明
        date(2027, 5, 1), date(2027, 5, 2),                                        # 劳动节
        date(2027, 6, 9),                                                          # 端午
        date(2027, 9, 15),                                                         # 中秋
        date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3),                   # 国庆
    })

    def test_projection_of_2027(self) -> None:
        """Projection.CHINA gives the 13 statutory days of 2027."""
        assert Projection.CHINA.holidays(2027) == self.HOLIDAYS_2027

    def test_closed_days_of_2027(self) -> None:
        """In 2027 CHINA closes exactly the weekends and the projected holidays, with no make-up days."""
        from datetime import timedelta

        days = [date(2027, 1, 1) + timedelta(days=i) for i in range(365)]
        closed = {d for d in days if not CHINA.is_business_day(d)}
        assert closed == self.HOLIDAYS_2027 | {d for d in days if d.weekday() >= 5}
        assert all(CHINA.is_provisional(d) for d in days)

    def test_official_years_are_not_provisional(self) -> None:
        """Inside 2004-2026 nothing is provisional; outside, everything is."""
        assert (CHINA.is_provisional(date(2026, 12, 31)), CHINA.is_provisional(date(2027, 1, 1)),
                CHINA.is_provisional(date(2003, 12, 31))) == (False, True, True)

    def test_before_the_data(self) -> None:
        """Years before 2004 are projected too: 1 October 2003 is closed."""
        assert (CHINA.is_business_day(date(2003, 10, 1)), CHINA.is_business_day(date(2003, 10, 8))) == (False, True)

    def test_beyond_2100_raises(self) -> None:
        """Past the lunar data the projection raises CalendarCoverageError with the projected years."""
        with pytest.raises(CalendarCoverageError) as info:
            CHINA.is_business_day(date(2101, 1, 3))
        assert (info.value.first_year, info.value.last_year, info.value.day) == (1901, 2100, date(2101, 1, 3))

    def test_projection_year_out_of_range(self) -> None:
        """Projection.holidays refuses a year it cannot project."""
        with pytest.raises(InvalidValueError, match=r"'year' must lie in \[1901, 2100\], got 1900"):
            Projection.CHINA.holidays(1900)

    def test_with_year_wins(self) -> None:
        """A year added with official data is no longer projected: its notice decides, not the rule."""
        notice = CHINA.with_year(2027, holidays=[date(2027, 1, 1), date(2027, 1, 4)], working_days=[])
        assert (notice.is_business_day(date(2027, 1, 4)), notice.is_provisional(date(2027, 1, 4))) == (False, False)
        assert (notice.is_business_day(date(2027, 10, 1)), notice.is_provisional(date(2027, 10, 1))) == (True, False)
        assert notice.is_business_day(date(2028, 10, 2)) is False  # 2028 is still projected

    def test_raise_and_weekends_only_stay(self) -> None:
        """The other two rules still behave as before."""
        with pytest.raises(CalendarCoverageError):
            CHINA.with_outside(Outside.RAISE).is_business_day(date(2027, 10, 1))
        assert CHINA.with_outside(Outside.WEEKENDS_ONLY).is_business_day(date(2027, 10, 1)) is True

    def test_user_calendar_without_projection(self) -> None:
        """PROJECTED on a calendar with no projection treats only weekends as closed, provisionally."""
        acme = Calendar.from_dates("ACME", [date(2026, 12, 25)], years=(2026, 2026), outside=Outside.PROJECTED)
        assert (acme.is_business_day(date(2027, 12, 24)), acme.is_business_day(date(2027, 12, 25)),
                acme.is_provisional(date(2027, 12, 24))) == (True, False, True)
        assert acme.add_business_days(date(2027, 1, 1), 1000) == date(2030, 11, 1)

    def test_adjust_and_walk_through_projected_holidays(self) -> None:
        """FOLLOWING from 国庆 2027 lands on Monday 4 October; a walk over 春节 skips its weekdays."""
        assert CHINA.adjust(date(2027, 10, 1), BusinessDay.FOLLOWING) == date(2027, 10, 4)
        assert CHINA.add_business_days(date(2027, 2, 4), 1) == date(2027, 2, 9)

    def test_schedule_past_the_data_builds(self) -> None:
        """A 30-year loan on CHINA builds (it raised) and flags its projected dates."""
        from loanrules import LoanTerms, Rate, build_schedule

        schedule = build_schedule(LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360,
                                            start=date(2026, 1, 15), calendar=CHINA,
                                            business_day=BusinessDay.FOLLOWING))
        assert (len(schedule.provisional_dates), schedule.provisional_dates[0]) == (349, date(2027, 1, 15))
        assert str(schedule).splitlines()[-1] == "* provisional: outside the calendar's holiday data, holidays projected"

    def test_pickle_keeps_the_rule(self) -> None:
        """CHINA under RAISE pickles by name plus its rule, and comes back equal."""
        import pickle

        strict = CHINA.with_outside(Outside.RAISE)
        assert pickle.loads(pickle.dumps(strict)) == strict
        assert len(pickle.dumps(strict)) < 200
