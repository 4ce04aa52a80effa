"""Unit tests for loanrules.daycount: hand-computed cases for each convention.

The random comparison with QuantLib lives in tests/reference/test_quantlib.py.
"""

from __future__ import annotations

import decimal
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from loanrules.daycount import DayCount
from loanrules.errors import InvalidTypeError
from loanrules.money import CONTEXT


def _exact(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator to the library's 34 significant digits."""
    return CONTEXT.divide(Decimal(numerator), Decimal(denominator))


class TestMembers:
    """The five conventions and their names."""

    def test_values(self) -> None:
        """Each member's value is its market name."""
        assert [m.value for m in DayCount] == ["ACT/360", "ACT/365F", "ACT/ACT ISDA", "30/360", "30E/360"]

    def test_lookup_by_name(self) -> None:
        """Members are found by their market name."""
        assert DayCount("30E/360") is DayCount.THIRTY_E_360


class TestAct360:
    """ACT/360: actual days over 360."""

    def test_one_month(self) -> None:
        """15 Jan → 15 Feb is 31 days: 31/360."""
        result = DayCount.ACT_360.year_fraction(date(2026, 1, 15), date(2026, 2, 15))
        assert result == _exact(31, 360)
        assert str(result) == "0.08611111111111111111111111111111111"

    def test_full_year_exceeds_one(self) -> None:
        """A 365-day year is 365/360 under ACT/360."""
        assert DayCount.ACT_360.year_fraction(date(2025, 1, 1), date(2026, 1, 1)) == _exact(365, 360)

    def test_leap_february(self) -> None:
        """Leap day: 1 Feb → 1 Mar 2024 is 29 days."""
        assert DayCount.ACT_360.day_count(date(2024, 2, 1), date(2024, 3, 1)) == 29

    def test_same_day(self) -> None:
        """An empty period is exactly zero."""
        assert DayCount.ACT_360.year_fraction(date(2026, 1, 1), date(2026, 1, 1)) == 0

    def test_reversed_is_negated(self) -> None:
        """A reversed pair gives the negated fraction."""
        forward = DayCount.ACT_360.year_fraction(date(2026, 1, 15), date(2026, 2, 15))
        assert DayCount.ACT_360.year_fraction(date(2026, 2, 15), date(2026, 1, 15)) == CONTEXT.minus(forward)

    def test_exact_when_terminating(self) -> None:
        """90 days is exactly 0.25."""
        assert DayCount.ACT_360.year_fraction(date(2026, 1, 1), date(2026, 4, 1)) == Decimal("0.25")


class TestAct365F:
    """ACT/365F: actual days over 365, leap years included."""

    def test_leap_year_exceeds_one(self) -> None:
        """The 366 days of 2024 are 366/365."""
        assert DayCount.ACT_365F.year_fraction(date(2024, 1, 1), date(2025, 1, 1)) == _exact(366, 365)

    def test_common_year_is_one(self) -> None:
        """The 365 days of 2025 are exactly 1."""
        assert DayCount.ACT_365F.year_fraction(date(2025, 1, 1), date(2026, 1, 1)) == 1

    def test_leap_february(self) -> None:
        """February 2024 has 29 days: 29/365."""
        assert DayCount.ACT_365F.day_count(date(2024, 2, 1), date(2024, 3, 1)) == 29
        assert DayCount.ACT_365F.year_fraction(date(2024, 2, 1), date(2024, 3, 1)) == _exact(29, 365)

    def test_73_days_is_a_fifth(self) -> None:
        """73 days is exactly 0.2."""
        assert DayCount.ACT_365F.year_fraction(date(2026, 1, 1), date(2026, 3, 15)) == Decimal("0.2")


class TestActActIsda:
    """ACT/ACT ISDA: each calendar year's days over that year's length."""

    def test_isda_example(self) -> None:
        """The ISDA paper's case: 1 Nov 2003 → 1 May 2004 is 61/365 + 121/366."""
        result = DayCount.ACT_ACT_ISDA.year_fraction(date(2003, 11, 1), date(2004, 5, 1))
        exact = Fraction(61, 365) + Fraction(121, 366)
        assert result == _exact(exact.numerator, exact.denominator)
        assert str(result).startswith("0.49772438056740774")

    def test_december_into_leap_year(self) -> None:
        """1 Dec 2023 → 1 Jan 2024 is 31/365 (all of it in 2023)."""
        assert DayCount.ACT_ACT_ISDA.year_fraction(date(2023, 12, 1), date(2024, 1, 1)) == _exact(31, 365)

    def test_whole_leap_year_is_one(self) -> None:
        """All of 2024 is exactly 1."""
        assert DayCount.ACT_ACT_ISDA.year_fraction(date(2024, 1, 1), date(2025, 1, 1)) == 1

    def test_across_a_year_end(self) -> None:
        """1 Jul 2023 → 1 Jul 2024 splits at 31 Dec: 184/365 + 182/366."""
        result = DayCount.ACT_ACT_ISDA.year_fraction(date(2023, 7, 1), date(2024, 7, 1))
        exact = Fraction(184, 365) + Fraction(182, 366)
        assert result == _exact(exact.numerator, exact.denominator)
        assert str(result) == "1.001377348603937420465603712852758"

    def test_several_years(self) -> None:
        """1 Jul 2023 → 1 Mar 2026 is 184/365 + 2 + 59/365 = 973/365."""
        result = DayCount.ACT_ACT_ISDA.year_fraction(date(2023, 7, 1), date(2026, 3, 1))
        assert result == _exact(973, 365)

    def test_day_count_is_actual(self) -> None:
        """The day count of ACT/ACT is the actual number of days."""
        assert DayCount.ACT_ACT_ISDA.day_count(date(2023, 7, 1), date(2024, 7, 1)) == 366

    def test_reversed_is_exactly_negated(self) -> None:
        """Reversed across years gives exactly the negated 34-digit fraction."""
        a, b = date(2023, 3, 1), date(2025, 7, 9)
        forward = DayCount.ACT_ACT_ISDA.year_fraction(a, b)
        assert str(DayCount.ACT_ACT_ISDA.year_fraction(b, a)) == "-" + str(forward)

    def test_reversed_ignores_global_context(self) -> None:
        """Regression: the negation used the caller's context (28 digits) instead of the library's."""
        a, b = date(2023, 3, 1), date(2025, 7, 9)
        with decimal.localcontext() as ctx:
            ctx.prec = 6
            result = DayCount.ACT_ACT_ISDA.year_fraction(b, a)
        exact = Fraction(306, 365) + 1 + Fraction(189, 365)
        assert result == CONTEXT.minus(_exact(exact.numerator, exact.denominator))
        assert len(result.as_tuple().digits) == 34


class TestThirty360:
    """30/360 bond basis: 31st start → 30; 31st end → 30 only if the start is then 30."""

    @pytest.mark.parametrize(
        ("start", "end", "days"),
        [
            (date(2026, 1, 31), date(2026, 2, 28), 28),   # end of month into February
            (date(2026, 1, 30), date(2026, 3, 31), 60),   # 31st end with a 30th start → 30
            (date(2026, 1, 31), date(2026, 3, 31), 60),   # both 31st → both 30
            (date(2026, 1, 29), date(2026, 3, 31), 62),   # 31st end kept: start day < 30
            (date(2026, 2, 28), date(2026, 3, 31), 33),   # no end-of-February rule in bond basis
            (date(2024, 2, 29), date(2024, 3, 31), 32),   # leap day start
            (date(2024, 2, 29), date(2025, 2, 28), 359),  # Feb 29 → Feb 28: one day short of a year
            (date(2026, 1, 15), date(2027, 1, 15), 360),  # a whole year
            (date(2026, 3, 31), date(2026, 1, 31), -60),  # reversed
        ],
    )
    def test_day_count(self, start: date, end: date, days: int) -> None:
        """Named cases for the 31st, month ends and leap days."""
        assert DayCount.THIRTY_360.day_count(start, end) == days

    def test_year_fraction(self) -> None:
        """31 Jan → 28 Feb is 28/360."""
        result = DayCount.THIRTY_360.year_fraction(date(2026, 1, 31), date(2026, 2, 28))
        assert result == _exact(28, 360)

    def test_every_month_is_a_twelfth(self) -> None:
        """From the 15th to the 15th, each month is exactly 30 days."""
        assert DayCount.THIRTY_360.year_fraction(date(2026, 2, 15), date(2026, 3, 15)) == _exact(1, 12)


class TestThirtyE360:
    """30E/360 Eurobond basis: every 31st becomes 30."""

    @pytest.mark.parametrize(
        ("start", "end", "days"),
        [
            (date(2026, 1, 31), date(2026, 3, 31), 60),
            (date(2026, 1, 29), date(2026, 3, 31), 61),   # differs from bond basis (62)
            (date(2026, 2, 28), date(2026, 3, 31), 32),   # differs from bond basis (33)
            (date(2026, 1, 31), date(2026, 2, 28), 28),
            (date(2024, 2, 29), date(2024, 8, 31), 181),
            (date(2026, 8, 31), date(2026, 1, 1), -239),  # reversed: 30 × (1 − 8) + (1 − 30)
        ],
    )
    def test_day_count(self, start: date, end: date, days: int) -> None:
        """Named 31st cases, including where it parts from the bond basis."""
        assert DayCount.THIRTY_E_360.day_count(start, end) == days

    def test_year_fraction(self) -> None:
        """31 Jan → 31 Mar is 60/360 = 1/6."""
        result = DayCount.THIRTY_E_360.year_fraction(date(2026, 1, 31), date(2026, 3, 31))
        assert result == _exact(1, 6)


class TestFraction:
    """DayCount.fraction is the exact rational behind year_fraction."""

    @pytest.mark.parametrize(
        ("convention", "expected"),
        [
            (DayCount.ACT_360, Fraction(366, 360)),
            (DayCount.ACT_365F, Fraction(366, 365)),
            (DayCount.ACT_ACT_ISDA, Fraction(184, 365) + Fraction(182, 366)),
            (DayCount.THIRTY_360, Fraction(1)),
            (DayCount.THIRTY_E_360, Fraction(1)),
        ],
    )
    def test_exact(self, convention: DayCount, expected: Fraction) -> None:
        """1 Jul 2023 → 1 Jul 2024 as an exact fraction, per convention."""
        assert convention.fraction(date(2023, 7, 1), date(2024, 7, 1)) == expected

    @pytest.mark.parametrize("convention", list(DayCount))
    def test_year_fraction_is_rounded_fraction(self, convention: DayCount) -> None:
        """year_fraction is fraction rounded to 34 significant digits."""
        start, end = date(2003, 11, 1), date(2004, 5, 31)
        exact = convention.fraction(start, end)
        assert convention.year_fraction(start, end) == CONTEXT.divide(
            Decimal(exact.numerator), Decimal(exact.denominator)
        )

    def test_reversed(self) -> None:
        """A reversed ACT/ACT pair gives the negated fraction: -(61/365 + 121/366)."""
        assert DayCount.ACT_ACT_ISDA.fraction(date(2004, 5, 1), date(2003, 11, 1)) == -(
            Fraction(61, 365) + Fraction(121, 366)
        )


class TestTypes:
    """A datetime is not a date here."""

    @pytest.mark.parametrize("convention", list(DayCount))
    def test_datetime_start_refused(self, convention: DayCount) -> None:
        """A datetime start is an InvalidTypeError naming 'start'."""
        with pytest.raises(InvalidTypeError) as info:
            convention.year_fraction(datetime(2026, 1, 1, 12), date(2026, 2, 1))  # noqa: DTZ001
        assert info.value.field == "start"
        assert info.value.rule == "must be a date, not a datetime (use .date())"

    @pytest.mark.parametrize("convention", list(DayCount))
    def test_datetime_end_refused(self, convention: DayCount) -> None:
        """A datetime end is an InvalidTypeError naming 'end'."""
        with pytest.raises(InvalidTypeError) as info:
            convention.day_count(date(2026, 1, 1), datetime(2026, 2, 1))  # noqa: DTZ001
        assert info.value.field == "end"

    def test_string_refused(self) -> None:
        """An ISO string is not a date either."""
        with pytest.raises(InvalidTypeError, match=r"'start' must be a datetime\.date"):
            DayCount.ACT_360.year_fraction("2026-01-01", date(2026, 2, 1))  # type: ignore[arg-type]

    def test_date_subclass_accepted(self) -> None:
        """A date subclass that is not a datetime is accepted."""

        class MyDate(date):
            pass

        assert DayCount.ACT_365F.day_count(MyDate(2026, 1, 1), date(2026, 1, 2)) == 1
