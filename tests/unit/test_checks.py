"""Unit tests of loanrules._checks: the shared validators, converters and the decimal-context factory."""

from __future__ import annotations

import decimal
import enum
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from loanrules._checks import (
    EXACT_BOOL,
    NAIVE_TIME,
    NON_EMPTY_STR,
    PLAIN_DATE,
    TRAPS,
    AsDecimal,
    InstanceOf,
    IntIn,
    MemberOf,
    MembersOf,
    OptionalCheck,
    decimal_context,
    pretty_repr,
    significant_digits,
    value_repr,
)
from loanrules.errors import InvalidTermsError, InvalidTypeError, InvalidValueError


class Colour(enum.Enum):
    RED = "red"


class TestIntIn:
    """IntIn: an exact int in a closed range."""

    def test_accepts_the_ends(self) -> None:
        """Both ends of the range are allowed."""
        assert (IntIn(1, 31).check(1, "d"), IntIn(1, 31).check(31, "d")) == (1, 31)

    def test_refuses_a_bool(self) -> None:
        """True is an int to Python but not here; the error names field, rule and value."""
        with pytest.raises(InvalidTypeError) as info:
            IntIn(0, 1).check(True, "n")
        assert (info.value.field, info.value.rule, info.value.value) == ("n", "must be an int, not a bool", True)

    def test_refuses_a_float(self) -> None:
        """A float is a wrong type, not a wrong value."""
        with pytest.raises(InvalidTypeError, match=r"'n' must be an int, got 2\.0"):
            IntIn(0, 5).check(2.0, "n")

    def test_out_of_range_names_the_interval(self) -> None:
        """A value outside the range raises the given error class with the interval."""
        with pytest.raises(InvalidTermsError) as info:
            IntIn(1, 12, error=InvalidTermsError).check(13, "term")
        assert str(info.value) == "'term' must lie in [1, 12], got 13"

    def test_half_open_rules(self) -> None:
        """One-sided ranges say >= or <=."""
        assert (IntIn(1, None).rule, IntIn(None, 9).rule, IntIn().rule) == ("must be >= 1", "must be <= 9",
                                                                          "must be an int")

    def test_optional(self) -> None:
        """optional=True lets None through and says so when the type is wrong."""
        check = IntIn(1, 31, optional=True)
        assert check.check(None, "payment_day") is None
        with pytest.raises(InvalidTypeError, match="'payment_day' must be an int or None, got '1'"):
            check.check("1", "payment_day")

    def test_repr(self) -> None:
        """The repr reads like the construction."""
        assert repr(IntIn(1, 31, error=InvalidTermsError, optional=True)) == (
            "IntIn(1, 31, error=InvalidTermsError, optional=True)")

    def test_as_attrs_validator_names_the_alias(self) -> None:
        """As an attrs validator the error names the field as the user passes it."""

        @attrs.frozen
        class Box:
            _n: int = attrs.field(validator=IntIn(0, 3), alias="n")

        with pytest.raises(InvalidValueError) as info:
            Box(n=4)
        assert (info.value.field, info.value.value) == ("n", 4)


class TestExactBoolAndDates:
    """EXACT_BOOL and PLAIN_DATE."""

    def test_bool_refuses_an_int(self) -> None:
        """1 is not True here."""
        with pytest.raises(InvalidTypeError, match="'flag' must be a bool, got 1"):
            EXACT_BOOL.check(1, "flag")
        assert EXACT_BOOL.check(False, "flag") is False

    def test_date_refuses_a_datetime(self) -> None:
        """A datetime is refused with the hint to call .date()."""
        with pytest.raises(InvalidTypeError, match=r"must be a date, not a datetime \(use .date\(\)\)"):
            PLAIN_DATE.check(datetime(2026, 1, 1, tzinfo=UTC), "start")
        assert PLAIN_DATE.check(date(2026, 1, 1), "start") == date(2026, 1, 1)

    def test_optional_date(self) -> None:
        """OptionalCheck(PLAIN_DATE) lets None through."""
        assert OptionalCheck(PLAIN_DATE).check(None, "first_due") is None
        assert repr(OptionalCheck(PLAIN_DATE)) == "OptionalCheck(PLAIN_DATE)"


class TestMemberAndInstance:
    """MemberOf and InstanceOf."""

    def test_member_of(self) -> None:
        """The value, not the member's value, is what counts."""
        assert MemberOf(Colour).check(Colour.RED, "c") is Colour.RED
        with pytest.raises(InvalidTypeError, match="'c' must be a Colour member, got 'red'"):
            MemberOf(Colour).check("red", "c")

    def test_instance_of_with_hint(self) -> None:
        """The hint is appended to the rule."""
        with pytest.raises(InvalidTypeError) as info:
            InstanceOf(Decimal, " (use Decimal('1'))").check(1.0, "x")
        assert info.value.rule == "must be a Decimal (use Decimal('1'))"


class TestAsDecimal:
    """AsDecimal converts exact inputs and names the field."""

    def test_converts_and_is_idempotent(self) -> None:
        """A string converts exactly; converting again changes nothing."""
        convert = AsDecimal("principal")
        assert convert(convert("1_000.50")) == Decimal("1000.50")
        assert repr(convert) == "AsDecimal('principal')"

    def test_float_refused(self) -> None:
        """A float is refused under the field's name."""
        with pytest.raises(InvalidTypeError) as info:
            AsDecimal("principal")(0.1)
        assert (info.value.field, info.value.value) == ("principal", 0.1)

    def test_attrs_converter_takes_the_field_name(self) -> None:
        """The attrs.Converter form names the field by its alias."""

        @attrs.frozen
        class Box:
            _x: Decimal = attrs.field(converter=AsDecimal.converter(), alias="amount")

        assert Box(amount="2.5") == Box(amount=Decimal("2.5"))
        with pytest.raises(InvalidValueError, match="'amount' must be a finite number"):
            Box(amount="NaN")

    def test_significant_digits(self) -> None:
        """Trailing zeros are not significant."""
        assert [significant_digits(Decimal(v)) for v in ("0.049000", "120", "1." + "1" * 40)] == [2, 2, 41]


class TestDecimalContext:
    """decimal_context is the one factory of the package's contexts."""

    def test_fields(self) -> None:
        """Precision, rounding, exponent range and traps are as asked, flags clear."""
        context = decimal_context(20, decimal.ROUND_CEILING, traps=(*TRAPS, decimal.Inexact))
        assert (context.prec, context.rounding, context.Emax, context.Emin) == (20, "ROUND_CEILING", 999_999, -999_999)
        assert [t for t, on in context.traps.items() if on] == [
            decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact]
        assert not any(context.flags.values())

    def test_fresh_each_time(self) -> None:
        """Each call is a new object, independent of the caller's context."""
        with decimal.localcontext(prec=2):
            a, b = decimal_context(34), decimal_context(34)
        assert a is not b
        assert a.divide(Decimal(1), Decimal(3)) == Decimal("0." + "3" * 34)


class TestAsAttrsValidators:
    """Every check works as an attrs validator, naming the field by its alias."""

    def test_each_check_on_a_field(self) -> None:
        """EXACT_BOOL, PLAIN_DATE, MemberOf, InstanceOf and OptionalCheck refuse a bad value under the alias."""
        checks = [EXACT_BOOL, PLAIN_DATE, MemberOf(Colour), InstanceOf(Decimal), OptionalCheck(PLAIN_DATE)]
        for check in checks:

            @attrs.frozen
            class Box:
                _v: object = attrs.field(validator=check, alias="value")

            with pytest.raises(InvalidTypeError) as info:
                Box(value="x")
            assert (info.value.field, info.value.value) == ("value", "x"), repr(check)
        assert repr(EXACT_BOOL) == "EXACT_BOOL"

    def test_int_subclass_becomes_an_int(self) -> None:
        """An int subclass (not bool) is accepted as the plain int it equals."""

        class Count(int):
            pass

        value = IntIn(0, 9).check(Count(3), "n")
        assert (value, type(value)) == (3, int)


class TestReprs:
    """The checks read like their construction; values show only what differs from the defaults."""

    def test_checks(self) -> None:
        assert (repr(MembersOf(Colour)), repr(NAIVE_TIME), repr(NON_EMPTY_STR)) == (
            "MembersOf(Colour)", "NAIVE_TIME", "NON_EMPTY_STR")

    def test_non_empty_str(self) -> None:
        with pytest.raises(InvalidTypeError, match="'name' must be a non-empty string, got 3"):
            NON_EMPTY_STR.check(3, "name")
        with pytest.raises(InvalidValueError, match="'name' must be a non-empty string, got ''"):
            NON_EMPTY_STR.check("", "name")

    def test_value_repr(self) -> None:
        """Defaults (factories and converted ones included) are left out; private fields by their alias."""

        @attrs.frozen(repr=False)
        class Box:
            __repr__ = value_repr
            size: int
            tags: tuple[str, ...] = attrs.field(factory=tuple)
            scale: Decimal = attrs.field(default="1", converter=Decimal)
            _note: str = attrs.field(default="", alias="note")
            hidden: int = attrs.field(default=0, repr=False)

        assert repr(Box(3)) == "Box(size=3)"
        assert repr(Box(3, ("a",), Decimal("2"), note="n", hidden=7)) == (
            "Box(size=3, tags=('a',), scale=Decimal('2'), note='n')")
        assert repr(Box(3, scale=Decimal("1.0"))) == "Box(size=3)"  # equal to the default: replays equal

    def test_pretty_repr(self) -> None:
        from hypothesis.vendor.pretty import pretty

        class Shown:
            _repr_pretty_ = pretty_repr

            def __repr__(self) -> str:
                return "Shown()"

        assert pretty([Shown()]) == "[Shown()]"
