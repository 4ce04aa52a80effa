"""Unit tests for loanrules.money: exact inputs, currencies, quantization."""

from __future__ import annotations

import decimal
from decimal import Decimal

import attrs
import pytest

from loanrules.errors import InvalidTypeError, InvalidValueError, LoanRulesError
from loanrules.money import CNY, CONTEXT, EUR, JPY, ROUNDING_MODES, USD, Currency, to_decimal


class TestToDecimal:
    """to_decimal accepts Decimal, int and decimal strings, and nothing else."""

    def test_decimal_is_returned_unchanged(self) -> None:
        """A Decimal comes back as the very same object."""
        value = Decimal("4.900")
        assert to_decimal(value, "rate") is value

    def test_int(self) -> None:
        """An int becomes the equal Decimal."""
        assert to_decimal(1_000_000, "principal") == Decimal(1_000_000)
        assert type(to_decimal(7, "x")) is Decimal

    def test_string_exact(self) -> None:
        """A string keeps every digit and its exponent (no float detour)."""
        assert str(to_decimal("0.1", "rate")) == "0.1"
        assert str(to_decimal("1234567890.123456789012345678901234567890", "x")) == (
            "1234567890.123456789012345678901234567890"
        )

    def test_string_whitespace_and_underscores(self) -> None:
        """Surrounding blanks and digit-group underscores are allowed."""
        assert to_decimal(" 1_000_000.50 ", "principal") == Decimal("1000000.50")

    def test_string_exponent(self) -> None:
        """Scientific notation is a decimal string too."""
        assert to_decimal("1e5", "x") == Decimal(100000)

    def test_decimal_subclass(self) -> None:
        """A Decimal subclass is converted to a plain Decimal."""

        class MyDecimal(Decimal):
            pass

        result = to_decimal(MyDecimal("2.5"), "x")
        assert type(result) is Decimal
        assert result == Decimal("2.5")

    def test_float_refused(self) -> None:
        """A float is refused with an error that says why."""
        with pytest.raises(InvalidTypeError) as info:
            to_decimal(0.1, "rate")
        assert str(info.value) == (
            "'rate' must be a Decimal, an int or a decimal string (a float is inexact), got 0.1"
        )
        assert (info.value.field, info.value.value) == ("rate", 0.1)

    def test_float_is_type_error_and_root(self) -> None:
        """The float error is also a TypeError and a LoanRulesError."""
        with pytest.raises(TypeError):
            to_decimal(1.0, "principal")
        with pytest.raises(LoanRulesError):
            to_decimal(1.0, "principal")

    @pytest.mark.parametrize("value", [True, False])
    def test_bool_refused(self, value: bool) -> None:
        """A bool is an int to Python but never an amount here."""
        with pytest.raises(InvalidTypeError, match="not a bool") as info:
            to_decimal(value, "term")
        assert info.value.value is value

    @pytest.mark.parametrize("value", [None, b"1", [1], (1,), 1j, object()])
    def test_other_types_refused(self, value: object) -> None:
        """Anything but Decimal, int or str is a type error."""
        with pytest.raises(InvalidTypeError, match="must be a Decimal, an int or a decimal string"):
            to_decimal(value, "x")

    @pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "inf", "Infinity", "-Infinity"])
    def test_non_finite_strings_refused(self, text: str) -> None:
        """NaN and the infinities are values of the right type but refused."""
        with pytest.raises(InvalidValueError, match="must be a finite number") as info:
            to_decimal(text, "principal")
        assert info.value.rule == "must be a finite number"
        assert not info.value.value.is_finite()

    @pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
    def test_non_finite_decimals_refused(self, value: Decimal) -> None:
        """A non-finite Decimal is refused like a non-finite string."""
        with pytest.raises(ValueError, match="'principal' must be a finite number"):
            to_decimal(value, "principal")

    @pytest.mark.parametrize("text", ["", " ", "abc", "1,000", "0x10", "1.2.3", "¥100", "4.9%"])
    def test_garbage_strings_refused(self, text: str) -> None:
        """A string that is no decimal number is an InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            to_decimal(text, "amount")
        assert (info.value.field, info.value.rule, info.value.value) == (
            "amount", "must be a decimal number", text,
        )
        assert isinstance(info.value, ValueError)

    def test_garbage_refused_whatever_the_global_context(self) -> None:
        """A malformed string is refused even when the caller's context does not trap it."""
        with decimal.localcontext() as ctx:
            ctx.traps[decimal.InvalidOperation] = False
            with pytest.raises(InvalidValueError, match="must be a decimal number"):
                to_decimal("abc", "amount")

    def test_global_context_untouched(self) -> None:
        """Converting never changes the caller's decimal context."""
        with decimal.localcontext() as ctx:
            ctx.prec = 5
            assert str(to_decimal("1.23456789", "x")) == "1.23456789"
            assert decimal.getcontext().prec == 5


class TestContext:
    """The library's private decimal context."""

    def test_precision_and_traps(self) -> None:
        """34 digits, and the signals that mean a bug are trapped."""
        assert CONTEXT.prec == 34
        assert CONTEXT.traps[decimal.InvalidOperation]
        assert CONTEXT.traps[decimal.DivisionByZero]
        assert CONTEXT.traps[decimal.Overflow]
        assert not CONTEXT.traps[decimal.Inexact]

    def test_rounding_modes(self) -> None:
        """All eight decimal rounding modes are accepted, nothing else."""
        assert len(ROUNDING_MODES) == 8
        assert decimal.ROUND_HALF_UP in ROUNDING_MODES
        assert "half_up" not in ROUNDING_MODES


class TestCurrency:
    """A Currency is an ISO code and a number of minor-unit places."""

    def test_builtins(self) -> None:
        """CNY, USD and EUR have 2 places; JPY has none."""
        assert [(c.code, c.minor_units) for c in (CNY, USD, EUR, JPY)] == [
            ("CNY", 2), ("USD", 2), ("EUR", 2), ("JPY", 0),
        ]

    @pytest.mark.parametrize(
        ("currency", "quantum"),
        [(CNY, "0.01"), (JPY, "1"), (Currency("BHD", 3), "0.001"), (Currency("XBT", 8), "1E-8")],
    )
    def test_quantum(self, currency: Currency, quantum: str) -> None:
        """The quantum is one minor unit."""
        assert currency.quantum == Decimal(quantum)
        assert currency.quantum.as_tuple().exponent == -currency.minor_units

    def test_repr_is_constructor_call(self) -> None:
        """repr reads like the constructor."""
        assert repr(CNY) == "Currency('CNY', 2)"
        assert repr(Currency("JPY", 0)) == "Currency('JPY', 0)"

    def test_equality_and_hash(self) -> None:
        """Currencies are equal by value and usable as dict keys."""
        assert Currency("CNY", 2) == CNY
        assert Currency("CNY", 3) != CNY
        assert {CNY: 1}[Currency("CNY", 2)] == 1

    def test_frozen(self) -> None:
        """A currency cannot be changed in place."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            CNY.minor_units = 3  # type: ignore[misc]

    def test_evolve_recomputes_quantum(self) -> None:
        """attrs.evolve re-runs validation and recomputes the quantum."""
        assert attrs.evolve(CNY, minor_units=0).quantum == Decimal(1)
        with pytest.raises(InvalidValueError, match="'minor_units' must lie in"):
            attrs.evolve(CNY, minor_units=9)

    @pytest.mark.parametrize("code", ["cny", "CN", "CNYY", "C1Y", "ÄBC", "", "C Y"])
    def test_bad_code(self, code: str) -> None:
        """The code must be three ASCII capital letters."""
        with pytest.raises(InvalidValueError) as info:
            Currency(code, 2)
        assert (info.value.field, info.value.rule, info.value.value) == (
            "code", "must be three capital letters (ISO 4217)", code,
        )

    def test_code_not_a_string(self) -> None:
        """A numeric ISO code (156) is a wrong type."""
        with pytest.raises(InvalidTypeError, match="'code' must be a str, got 156"):
            Currency(156, 2)  # type: ignore[arg-type]

    @pytest.mark.parametrize("units", [-1, 9, 100])
    def test_minor_units_out_of_range(self, units: int) -> None:
        """minor_units must lie in [0, 8]."""
        with pytest.raises(InvalidValueError) as info:
            Currency("CNY", units)
        assert (info.value.field, info.value.rule, info.value.value) == (
            "minor_units", "must lie in [0, 8]", units,
        )

    @pytest.mark.parametrize("units", [True, 2.0, "2", Decimal(2)])
    def test_minor_units_wrong_type(self, units: object) -> None:
        """minor_units must be an int, and a bool is not one."""
        with pytest.raises(InvalidTypeError) as info:
            Currency("CNY", units)  # type: ignore[arg-type]
        assert info.value.field == "minor_units"
        assert info.value.value is units


class TestQuantize:
    """Currency.quantize rounds to the minor unit under the chosen mode."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("2.345", "2.35"), ("2.344", "2.34"), ("-2.345", "-2.35"), ("0.005", "0.01"), ("7", "7.00")],
    )
    def test_half_up_default(self, value: str, expected: str) -> None:
        """四舍五入: halves go away from zero by default."""
        result = CNY.quantize(Decimal(value))
        assert str(result) == expected

    @pytest.mark.parametrize(
        ("mode", "expected"),
        [
            (decimal.ROUND_HALF_UP, ["2.35", "2.36", "-2.35"]),
            (decimal.ROUND_HALF_EVEN, ["2.34", "2.36", "-2.34"]),
            (decimal.ROUND_HALF_DOWN, ["2.34", "2.35", "-2.34"]),
            (decimal.ROUND_UP, ["2.35", "2.36", "-2.35"]),
            (decimal.ROUND_DOWN, ["2.34", "2.35", "-2.34"]),
            (decimal.ROUND_CEILING, ["2.35", "2.36", "-2.34"]),
            (decimal.ROUND_FLOOR, ["2.34", "2.35", "-2.35"]),
            (decimal.ROUND_05UP, ["2.34", "2.36", "-2.34"]),
        ],
    )
    def test_modes(self, mode: str, expected: list[str]) -> None:
        """Each rounding mode on 2.345, 2.355 and -2.345."""
        got = [str(CNY.quantize(Decimal(v), mode)) for v in ("2.345", "2.355", "-2.345")]
        assert got == expected

    def test_jpy_rounds_to_whole_yen(self) -> None:
        """JPY has no minor unit: 2.5 yen rounds half up to 3."""
        assert str(JPY.quantize(Decimal("2.5"))) == "3"
        assert str(JPY.quantize(Decimal("2.5"), decimal.ROUND_HALF_EVEN)) == "2"

    def test_ignores_global_context(self) -> None:
        """A 5-digit, round-down global context changes nothing."""
        with decimal.localcontext() as ctx:
            ctx.prec = 5
            ctx.rounding = decimal.ROUND_DOWN
            assert str(CNY.quantize(Decimal("123456789.125"))) == "123456789.13"

    def test_unknown_rounding_refused(self) -> None:
        """A rounding mode that is not a decimal constant is an InvalidValueError."""
        with pytest.raises(InvalidValueError) as info:
            CNY.quantize(Decimal("1.005"), "HALF_UP")
        assert (info.value.field, info.value.value) == ("rounding", "HALF_UP")

    def test_nan_refused(self) -> None:
        """Quantizing NaN is refused rather than returning NaN."""
        with pytest.raises(InvalidValueError, match="must be a finite number"):
            CNY.quantize(Decimal("NaN"))

    def test_float_refused(self) -> None:
        """Quantizing a float is refused like any float amount."""
        with pytest.raises(InvalidTypeError):
            CNY.quantize(2.345)  # type: ignore[arg-type]

    def test_too_many_digits_refused(self) -> None:
        """An amount that needs more than 34 digits at 2 places is an InvalidValueError."""
        with pytest.raises(InvalidValueError, match="must fit in 34 significant digits at 2 places"):
            CNY.quantize(Decimal("1e40"))

    def test_largest_that_fits(self) -> None:
        """32 integer digits plus 2 places is exactly 34 digits and fits."""
        value = Decimal("9" * 32 + ".994")
        assert CNY.quantize(value) == Decimal("9" * 32 + ".99")


class TestAmount:
    """Currency.amount reads an exact amount, refusing sub-minor-unit precision."""

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("1000.5", "1000.50"), (1000, "1000.00"), (Decimal("0.1"), "0.10"), ("12.300", "12.30"), ("-3", "-3.00")],
    )
    def test_pads_to_minor_unit(self, value: object, expected: str) -> None:
        """An amount gets exactly minor_units places."""
        assert str(CNY.amount(value)) == expected

    def test_jpy_whole(self) -> None:
        """JPY amounts have no places; 1000.0 is accepted as 1000."""
        assert str(JPY.amount(1000)) == "1000"
        assert str(JPY.amount("1000.0")) == "1000"

    def test_sub_minor_unit_refused(self) -> None:
        """12.345 dollars is not an amount of USD."""
        with pytest.raises(InvalidValueError) as info:
            USD.amount("12.345", "principal")
        assert str(info.value) == (
            "'principal' must have at most 2 decimal places for USD, got Decimal('12.345')"
        )
        assert (info.value.field, info.value.value) == ("principal", Decimal("12.345"))

    def test_sub_yen_refused(self) -> None:
        """Half a yen is refused."""
        with pytest.raises(InvalidValueError, match="at most 0 decimal places for JPY"):
            JPY.amount("0.5")

    def test_float_refused(self) -> None:
        """A float amount is refused with a TypeError subclass naming the field."""
        with pytest.raises(InvalidTypeError) as info:
            CNY.amount(100.0, "principal")
        assert info.value.field == "principal"

    def test_default_field_name(self) -> None:
        """Without a field name, errors say 'amount'."""
        with pytest.raises(InvalidValueError) as info:
            CNY.amount("x")
        assert info.value.field == "amount"

    def test_huge_refused(self) -> None:
        """An amount too large for the context is an InvalidValueError, not a decimal signal."""
        with pytest.raises(InvalidValueError) as info:
            CNY.amount("1e40", "principal")
        assert info.value.field == "principal"
        assert info.value.value == Decimal("1e40")
