"""Unit tests for loanrules.rates: nominal annual rates and their quotes."""

from __future__ import annotations

import decimal
from decimal import Decimal

import attrs
import pytest

from loanrules.errors import InvalidTypeError, InvalidValueError, LoanRulesError
from loanrules.rates import Rate


class TestConstructors:
    """Each named constructor stores the nominal annual rate."""

    def test_annual(self) -> None:
        """Rate.annual takes the fraction as is."""
        assert Rate.annual("0.049").annual == Decimal("0.049")

    def test_annual_int(self) -> None:
        """An int annual rate (0 or 1) is accepted."""
        assert Rate.annual(0).annual == Decimal(0)
        assert Rate.annual(1).annual == Decimal(1)

    def test_percent(self) -> None:
        """Rate.percent divides by 100."""
        assert Rate.percent("4.9").annual == Decimal("0.049")
        assert Rate.percent("9.4822").annual == Decimal("0.094822")

    def test_percent_lpr(self) -> None:
        """The 2024 one-year LPR of 3.35 % reads back as 0.0335."""
        assert str(Rate.percent("3.35").annual) == "0.0335"

    def test_monthly(self) -> None:
        """月利率 0.4 % is 4.8 % a year (12 times)."""
        assert Rate.monthly("0.004").annual == Decimal("0.048")

    def test_daily_default_basis_360(self) -> None:
        """万分之三 a day on the default 360-day basis is 10.8 % a year."""
        assert str(Rate.daily("0.0003").annual) == "0.1080"

    @pytest.mark.parametrize(("basis", "annual"), [(360, "0.1080"), (365, "0.1095"), (366, "0.1098")])
    def test_daily_bases(self, basis: int, annual: str) -> None:
        """The annual rate is the daily rate times the basis."""
        assert str(Rate.daily("0.0003", basis=basis).annual) == annual

    def test_positional_init_is_annual(self) -> None:
        """The initializer takes the annual fraction (as ``annual=``)."""
        assert Rate(annual="0.05") == Rate.annual("0.05")

    def test_zero_rate_allowed(self) -> None:
        """An interest-free loan has rate 0."""
        assert Rate.percent(0).annual == 0


class TestRefusals:
    """Negative rates, floats and bad bases are refused, naming the input."""

    def test_negative_annual(self) -> None:
        """A negative annual rate is an InvalidValueError on 'annual'."""
        with pytest.raises(InvalidValueError) as info:
            Rate.annual("-0.01")
        assert (info.value.field, info.value.rule, info.value.value) == (
            "annual", "must be >= 0", Decimal("-0.01"),
        )

    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda: Rate.percent("-4.9"), "percent"),
            (lambda: Rate.monthly("-0.001"), "monthly"),
            (lambda: Rate.daily("-0.0003"), "daily"),
        ],
    )
    def test_negative_quote_names_its_field(self, make: object, field: str) -> None:
        """A negative quote is refused under the name the caller used."""
        with pytest.raises(InvalidValueError, match=f"'{field}' must be >= 0") as info:
            make()  # type: ignore[operator]
        assert info.value.field == field
        assert info.value.value < 0

    @pytest.mark.parametrize(
        ("make", "field"),
        [
            (lambda: Rate.annual(0.05), "annual"),
            (lambda: Rate.percent(4.9), "percent"),
            (lambda: Rate.monthly(0.004), "monthly"),
            (lambda: Rate.daily(0.0003), "daily"),
        ],
    )
    def test_float_refused(self, make: object, field: str) -> None:
        """A float quote is an InvalidTypeError (a TypeError and a LoanRulesError)."""
        with pytest.raises(InvalidTypeError) as info:
            make()  # type: ignore[operator]
        assert info.value.field == field
        assert isinstance(info.value, TypeError)
        assert isinstance(info.value, LoanRulesError)

    def test_nan_refused(self) -> None:
        """NaN is not a rate."""
        with pytest.raises(InvalidValueError, match="'annual' must be a finite number"):
            Rate.annual("NaN")

    @pytest.mark.parametrize("basis", [0, 364, 367, -360, 252])
    def test_bad_basis_value(self, basis: int) -> None:
        """Only 360, 365 and 366 are bases."""
        with pytest.raises(InvalidValueError) as info:
            Rate.daily("0.0003", basis=basis)
        assert (info.value.field, info.value.rule, info.value.value) == (
            "basis", "must be 360, 365 or 366", basis,
        )

    @pytest.mark.parametrize("basis", [360.0, "360", Decimal(360), True])
    def test_bad_basis_type(self, basis: object) -> None:
        """The basis must be an int, and a bool is not one."""
        with pytest.raises(InvalidTypeError) as info:
            Rate.daily("0.0003", basis=basis)  # type: ignore[arg-type]
        assert info.value.field == "basis"

    def test_per_day_bad_basis(self) -> None:
        """per_day checks its basis too."""
        with pytest.raises(InvalidValueError, match="'basis' must be 360, 365 or 366, got 30"):
            Rate.annual("0.05").per_day(30)

    @pytest.mark.parametrize("n", [0, -12])
    def test_per_period_bad_count(self, n: int) -> None:
        """per_period needs at least one period a year."""
        with pytest.raises(InvalidValueError) as info:
            Rate.annual("0.05").per_period(n)
        assert (info.value.field, info.value.value) == ("periods_per_year", n)

    @pytest.mark.parametrize("n", [True, 12.0, "12"])
    def test_per_period_bad_type(self, n: object) -> None:
        """per_period takes an int count, and a bool is not one."""
        with pytest.raises(InvalidTypeError, match="'periods_per_year' must be an int"):
            Rate.annual("0.05").per_period(n)  # type: ignore[arg-type]


class TestConversions:
    """Reading a rate back per month, per day, per period, in percent."""

    def test_per_month(self) -> None:
        """6 % a year is 0.5 % a month."""
        assert Rate.annual("0.06").per_month == Decimal("0.005")

    def test_per_month_recurring(self) -> None:
        """4.9 % / 12 is a recurring decimal, kept to 34 significant digits."""
        assert str(Rate.annual("0.049").per_month) == "0.004083333333333333333333333333333333"

    def test_monthly_round_trip(self) -> None:
        """A monthly quote reads back exactly."""
        assert Rate.monthly("0.005").per_month == Decimal("0.005")

    @pytest.mark.parametrize(("basis", "expected"), [(360, "0.0003"), (365, "0.0003")])
    def test_daily_round_trip(self, basis: int, expected: str) -> None:
        """A daily quote reads back exactly on its own basis."""
        assert Rate.daily("0.0003", basis=basis).per_day(basis) == Decimal(expected)

    def test_per_day_default_basis(self) -> None:
        """per_day defaults to the 360-day basis."""
        assert Rate.annual("0.108").per_day() == Decimal("0.0003")

    def test_per_day_other_basis(self) -> None:
        """The same annual rate is a smaller daily rate on 365 days."""
        assert str(Rate.annual("0.073").per_day(365)) == "0.0002"
        assert str(Rate.annual("0.049").per_day(366)) == "0.0001338797814207650273224043715846995"

    @pytest.mark.parametrize(
        ("n", "expected"),
        [(1, "0.08"), (2, "0.04"), (4, "0.02"), (12, "0.006666666666666666666666666666666667"),
         (26, "0.003076923076923076923076923076923077"), (52, "0.001538461538461538461538461538461538")],
    )
    def test_per_period(self, n: int, expected: str) -> None:
        """annual / periods per year, rounded half-even at 34 digits."""
        assert str(Rate.annual("0.08").per_period(n)) == expected

    def test_as_percent(self) -> None:
        """as_percent multiplies by 100."""
        assert Rate.annual("0.049").as_percent == Decimal("4.9")
        assert str(Rate.percent("4.35").as_percent) == "4.3500"

    def test_conversions_ignore_global_context(self) -> None:
        """A 3-digit global context changes no conversion."""
        with decimal.localcontext() as ctx:
            ctx.prec = 3
            assert str(Rate.annual("0.049").per_month) == "0.004083333333333333333333333333333333"
            assert str(Rate.percent("4.12345").annual) == "0.0412345"


class TestValueSemantics:
    """Rates are frozen values: equality, hashing, repr, evolve."""

    def test_equal_by_value(self) -> None:
        """Rates from different quotes of the same annual rate are equal."""
        assert Rate.percent("4.8") == Rate.annual("0.048") == Rate.monthly("0.004")
        assert Rate.annual("0.05") == Rate.annual("0.050")
        assert Rate.annual("0.05") != Rate.annual("0.051")

    def test_hash_consistent_with_equality(self) -> None:
        """Equal rates hash alike, so they collapse in a set."""
        assert len({Rate.annual("0.05"), Rate.annual("0.050"), Rate.percent("5")}) == 1

    def test_repr(self) -> None:
        """repr looks like the constructor call."""
        assert repr(Rate.annual("0.049")) == "Rate.annual('0.049')"
        assert repr(Rate.daily("0.0003")) == "Rate.annual('0.1080')"

    def test_repr_round_trips(self) -> None:
        """eval(repr(rate)) is the rate."""
        rate = Rate.percent("4.35")
        assert eval(repr(rate), {"Rate": Rate}) == rate

    def test_frozen(self) -> None:
        """A rate cannot be changed in place."""
        rate = Rate.annual("0.049")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            rate._annual = Decimal("0.05")  # type: ignore[misc]

    def test_evolve(self) -> None:
        """attrs.evolve(rate, annual=...) works and converts the string."""
        evolved = attrs.evolve(Rate.annual("0.049"), annual="0.05")
        assert evolved == Rate.annual("0.05")
        assert type(evolved.annual) is Decimal

    def test_evolve_revalidates(self) -> None:
        """attrs.evolve re-runs validation."""
        with pytest.raises(InvalidValueError, match="'annual' must be >= 0"):
            attrs.evolve(Rate.annual("0.049"), annual="-0.05")

    def test_annual_is_constructor_on_class_and_value_on_instance(self) -> None:
        """``Rate.annual`` builds; ``rate.annual`` reads."""
        assert isinstance(Rate.annual("0.01"), Rate)
        assert Rate.annual("0.01").annual == Decimal("0.01")


class TestBounds:
    """A rate has at most RATE_DIGITS digits and at most MAX_ANNUAL_RATE unless asked for."""

    def test_ceiling_refuses_a_percentage_typed_as_a_fraction(self) -> None:
        """Rate.annual("4.9") (490 %) is refused with the rule and the way out."""
        with pytest.raises(InvalidValueError) as info:
            Rate.annual("4.9")
        assert (info.value.field, info.value.value) == ("annual", Decimal("4.9"))
        assert info.value.rule == "must be <= 1 (100 % a year; pass above_ceiling=True to allow more)"

    def test_ceiling_itself_is_allowed(self) -> None:
        """Exactly 100 % a year is allowed."""
        assert Rate.percent("100").annual == Decimal(1)

    def test_above_ceiling_on_every_named_constructor(self) -> None:
        """Each named constructor takes above_ceiling=True."""
        rates = [Rate.annual("4.9", above_ceiling=True), Rate.percent("490", above_ceiling=True),
                 Rate.monthly("0.5", above_ceiling=True), Rate.daily("0.005", above_ceiling=True)]
        assert [r.annual for r in rates] == [Decimal("4.9"), Decimal("4.9"), Decimal("6.0"), Decimal("1.800")]
        assert all(r.above_ceiling for r in rates)

    def test_daily_quote_above_the_ceiling(self) -> None:
        """0.5 % a day is 180 % a year: refused under 'annual' without the keyword."""
        with pytest.raises(InvalidValueError, match=r"'annual' must be <= 1 .*got Decimal\('1.800'\)"):
            Rate.daily("0.005")

    def test_permission_survives_evolve_and_is_shown(self) -> None:
        """attrs.evolve keeps the permission; the repr shows it and evaluates back."""
        rate = Rate.annual("2", above_ceiling=True)
        assert attrs.evolve(rate, annual="3").annual == Decimal(3)
        assert repr(rate) == "Rate.annual('2', above_ceiling=True)"
        assert eval(repr(rate), {"Rate": Rate}) == rate

    def test_permission_is_not_part_of_equality(self) -> None:
        """A 5 % rate is the same rate whether or not it was allowed more."""
        assert Rate.annual("0.05", above_ceiling=True) == Rate.annual("0.05")
        assert hash(Rate.annual("0.05", above_ceiling=True)) == hash(Rate.annual("0.05"))

    def test_above_ceiling_must_be_a_bool(self) -> None:
        """1 is not True."""
        with pytest.raises(InvalidTypeError, match="'above_ceiling' must be a bool, got 1"):
            Rate.annual("0.05", above_ceiling=1)  # type: ignore[arg-type]

    def test_sixty_digits_refused(self) -> None:
        """A 60-digit rate is refused with InvalidValueError (it raised decimal.Inexact)."""
        value = "0." + "1" * 60
        with pytest.raises(InvalidValueError) as info:
            Rate.annual(value)
        assert info.value.rule == "must have at most 24 significant digits and 24 decimal places"
        assert info.value.value == Decimal(value)

    def test_digits_of_a_quote_are_checked_under_its_name(self) -> None:
        """A monthly quote with too many places is refused as 'monthly'."""
        with pytest.raises(InvalidValueError) as info:
            Rate.monthly("0." + "0" * 24 + "1")
        assert info.value.field == "monthly"

    def test_twenty_four_digits_allowed(self) -> None:
        """Exactly RATE_DIGITS places is fine."""
        assert Rate.annual("0." + "1" * 24).annual == Decimal("0." + "1" * 24)

    def test_pickles_small_and_equal(self) -> None:
        """A rate pickles as its decimal string, its permission kept."""
        import pickle

        rate = Rate.annual("1.5", above_ceiling=True)
        back = pickle.loads(pickle.dumps(rate))
        assert (back, back.above_ceiling) == (rate, True)
        assert len(pickle.dumps(Rate.annual("0.049"))) < 90
