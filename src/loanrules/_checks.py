"""Shared validation: reusable validator and converter objects, and the one decimal-context factory.

Layer 0, like :mod:`loanrules.errors`: it imports nothing from the package
but the errors. Each check is an object with a repr that reads like its
construction, usable three ways: as an attrs validator (``validator=``),
as an attrs converter where it converts, and called directly with
:meth:`check` on an argument:

>>> from loanrules._checks import IntIn, decimal_context
>>> IntIn(1, 31)
IntIn(1, 31)
>>> IntIn(1, 31).check(True, "payment_day")
Traceback (most recent call last):
...
loanrules.errors.InvalidTypeError: 'payment_day' must be an int, not a bool, got True
>>> IntIn(1, 31).check(32, "payment_day")
Traceback (most recent call last):
...
loanrules.errors.InvalidValueError: 'payment_day' must lie in [1, 31], got 32
>>> decimal_context(12, "ROUND_CEILING").prec
12

Errors are the package's own: :class:`~loanrules.errors.InvalidTypeError`
for a wrong type, :class:`~loanrules.errors.InvalidValueError` (or the
subclass a check is given, such as ``InvalidTermsError``) for a value that
breaks a rule, each naming the field, the rule and the value.
"""

from __future__ import annotations

import decimal
import enum
import typing
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final, Generic, TypeVar

import attrs

from loanrules.errors import InvalidTypeError, InvalidValueError

__all__ = [
    "EXACT_BOOL",
    "NAIVE_TIME",
    "NON_EMPTY_STR",
    "PLAIN_DATE",
    "TRAPS",
    "AsDecimal",
    "InstanceOf",
    "IntIn",
    "MemberOf",
    "MembersOf",
    "OptionalCheck",
    "check_date",
    "decimal_context",
    "member_repr",
    "pretty_repr",
    "significant_digits",
    "to_decimal",
    "to_frozenset",
    "to_tuple",
    "value_repr",
]

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

TRAPS: Final = (decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow)
"""The signals every library context traps: an invalid operation, a division by zero, an overflow."""

_EMAX: Final = 999_999
_EMIN: Final = -999_999


def decimal_context(
    prec: int, rounding: str = decimal.ROUND_HALF_EVEN, *, traps: Iterable[type[decimal.DecimalException]] = TRAPS
) -> decimal.Context:
    """A new decimal context: ``prec`` digits, ``rounding``, exponents in ±999,999, ``traps`` trapped.

    The one factory every private context of the package comes from, so
    that none of them inherits anything from the caller's global context.

    Args:
        prec: Significant digits.
        rounding: A :mod:`decimal` rounding mode; half-even by default.
        traps: The signals that raise; :data:`TRAPS` by default.

    Returns:
        A fresh :class:`decimal.Context` (treat it as a constant once shared).

    >>> c = decimal_context(34, traps=(*TRAPS, decimal.Inexact))
    >>> c.prec, c.rounding, c.Emax, c.traps[decimal.Inexact], c.traps[decimal.Rounded]
    (34, 'ROUND_HALF_EVEN', 999999, True, False)
    """
    return decimal.Context(prec=prec, rounding=rounding, Emax=_EMAX, Emin=_EMIN, traps=list(traps), flags=[])


def member_repr(member: enum.Enum) -> str:
    """The repr of a library enum member: ``Status.OVERDUE``, which evaluates back to the member.

    Each public enum sets ``__repr__ = member_repr``, so that the reprs of the
    values holding members evaluate back too (``from loanrules import *``).
    """
    return f"{type(member).__name__}.{member.name}"


def value_repr(value: object) -> str:
    """The repr of a library attrs value: its class called with the fields that differ from their defaults.

    ``PenaltyTerms(markup=Decimal('1'))`` rather than every field: the repr
    evaluates back to an equal value (with ``from loanrules import *``,
    ``import datetime`` and ``from decimal import Decimal``), and shows what
    makes the value what it is. Fields that are not arguments of the
    constructor (derived, cached) are left out; a field with a private name
    is shown by its argument name (its attrs alias).

    Classes set ``@attrs.frozen(repr=False)`` and ``__repr__ = value_repr``.
    """
    parts = []
    for field in attrs.fields(type(value)):  # type: ignore[arg-type]
        if not field.init or not field.repr:
            continue
        current = getattr(value, field.name)
        if field.default is not attrs.NOTHING and _is_default(value, field, current):
            continue
        parts.append(f"{field.alias}={current!r}")
    return f"{type(value).__name__}({', '.join(parts)})"


def pretty_repr(value: object, printer: Any, cycle: bool) -> None:
    """Pretty printers (IPython, Hypothesis' falsifying examples) show the value's own repr.

    Without it they lay out every attrs field, defaults and derived ones
    included, which neither reads well nor evaluates back.
    """
    printer.text(repr(value))


def _is_default(value: object, field: attrs.Attribute[Any], current: object) -> bool:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory(value) if default.takes_self else default.factory()
    if type(current) is type(default) and current == default:
        return True
    if field.converter is None or not callable(field.converter):
        return False
    converted = field.converter(default)
    return type(current) is type(converted) and bool(current == converted)


_PARSE: Final = decimal_context(34)
# Parsing a string is exact whatever the precision; under this context a
# malformed string raises even when the caller's context does not trap.


def significant_digits(value: Decimal) -> int:
    """The significant digits of a finite ``value``, trailing zeros not counted.

    >>> significant_digits(Decimal("0.049000")), significant_digits(Decimal("1E+6")), significant_digits(Decimal(0))
    (2, 1, 0)
    """
    return len("".join(map(str, value.as_tuple().digits)).strip("0"))


def to_decimal(value: object, field: str) -> Decimal:
    """Convert an exact input (``Decimal``, ``int`` or decimal string) to a finite ``Decimal``.

    Raises:
        InvalidTypeError: For a ``float``, a ``bool`` or any other type.
        InvalidValueError: For NaN, an infinity or a string that is no number.

    >>> to_decimal("1_000.50", "principal")
    Decimal('1000.50')
    """
    if type(value) is Decimal:
        result = value
    elif isinstance(value, bool):
        raise InvalidTypeError(field, "must be a Decimal, an int or a decimal string, not a bool", value)
    elif isinstance(value, (Decimal, int)):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""), context=_PARSE)
        except decimal.InvalidOperation:
            raise InvalidValueError(field, "must be a decimal number", value) from None
    elif isinstance(value, float):
        raise InvalidTypeError(
            field, "must be a Decimal, an int or a decimal string (a float is inexact)", value
        )
    else:
        raise InvalidTypeError(field, "must be a Decimal, an int or a decimal string", value)
    if not result.is_finite():
        raise InvalidValueError(field, "must be a finite number", result)
    return result


def check_date(value: object, field: str) -> date:
    """Return ``value`` as a plain ``date``; refuse a ``datetime`` or anything else.

    A subclass of ``date`` comes back as the plain ``date`` it equals, so
    that nothing it carries besides the day reaches the library's values.

    >>> check_date(datetime(2026, 1, 1), "start")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'start' must be a date, not a datetime (use .date()), got datetime.datetime(2026, 1, 1, 0, 0)
    """
    if type(value) is date:
        return value
    if isinstance(value, datetime):
        raise InvalidTypeError(field, "must be a date, not a datetime (use .date())", value)
    if isinstance(value, date):  # read through date's own slots: a subclass's overrides play no part
        return date.fromordinal(date.toordinal(value))
    raise InvalidTypeError(field, "must be a datetime.date", value)


def _field_name(attribute: Any) -> str:
    """The name a user passes: the attrs alias (``annual``), else the attribute's name."""
    return str(getattr(attribute, "alias", None) or attribute.name)


@typing.final
@attrs.frozen(repr=False)
class IntIn:
    """An exact ``int`` in ``[low, high]`` (either end may be ``None``); a ``bool`` is refused.

    Args:
        low: The least value allowed, or ``None``.
        high: The greatest value allowed, or ``None``.
        error: The error class for an out-of-range value (``InvalidValueError`` by default).
        optional: Accept ``None`` too.

    >>> IntIn(1, 31, optional=True).check(None, "payment_day") is None
    True
    >>> IntIn(1, None).check(0, "term")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'term' must be >= 1, got 0
    """

    low: int | None = None
    high: int | None = None
    error: type[InvalidValueError] = InvalidValueError
    optional: bool = False

    def __repr__(self) -> str:
        extra = "" if self.error is InvalidValueError else f", error={self.error.__name__}"
        extra += ", optional=True" if self.optional else ""
        return f"IntIn({self.low}, {self.high}{extra})"

    @property
    def rule(self) -> str:
        """The range as a phrase: ``must lie in [1, 31]``, ``must be >= 1``."""
        if self.low is not None and self.high is not None:
            return f"must lie in [{self.low}, {self.high}]"
        if self.low is not None:
            return f"must be >= {self.low}"
        if self.high is not None:
            return f"must be <= {self.high}"
        return "must be an int"

    @typing.overload
    def check(self, value: int, field: str) -> int: ...
    @typing.overload
    def check(self, value: object, field: str) -> int | None: ...
    def check(self, value: object, field: str) -> int | None:
        """Return ``value`` if it is an int in range (or ``None`` when optional), else raise naming ``field``."""
        if type(value) is not int:
            if value is None and self.optional:
                return None
            kind = "an int or None" if self.optional else "an int"
            if isinstance(value, bool):
                raise InvalidTypeError(field, f"must be {kind}, not a bool", value)
            if not isinstance(value, int):
                raise InvalidTypeError(field, f"must be {kind}", value)
            value = int(value)
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise self.error(field, self.rule, value)
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


@typing.final
@attrs.frozen(repr=False)
class _ExactBool:
    """Exactly ``True`` or ``False`` (``0``, ``1`` and other truthy values refused)."""

    def __repr__(self) -> str:
        return "EXACT_BOOL"

    def check(self, value: object, field: str) -> bool:
        """Return ``value`` if it is a bool, else raise naming ``field``."""
        if type(value) is not bool:
            raise InvalidTypeError(field, "must be a bool", value)
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


EXACT_BOOL: Final = _ExactBool()
"""A validator: the value must be a ``bool``.

>>> EXACT_BOOL.check(1, "adjusted_accrual")
Traceback (most recent call last):
...
loanrules.errors.InvalidTypeError: 'adjusted_accrual' must be a bool, got 1
"""


@typing.final
@attrs.frozen(repr=False)
class _PlainDate:
    """A ``datetime.date`` that is not a ``datetime``."""

    def __repr__(self) -> str:
        return "PLAIN_DATE"

    def check(self, value: object, field: str) -> date:
        """Return ``value`` if it is a plain date, else raise naming ``field``."""
        return check_date(value, field)

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        check_date(value, _field_name(attribute))


PLAIN_DATE: Final = _PlainDate()
"""A validator: the value must be a ``date``, not a ``datetime``."""


@typing.final
@attrs.frozen(repr=False)
class MemberOf(Generic[E]):
    """A member of the enum ``kind``.

    >>> import enum
    >>> class Colour(enum.Enum):
    ...     RED = "red"
    >>> MemberOf(Colour)
    MemberOf(Colour)
    >>> MemberOf(Colour).check("red", "colour")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'colour' must be a Colour member, got 'red'
    """

    kind: type[E]

    def __repr__(self) -> str:
        return f"MemberOf({self.kind.__name__})"

    def check(self, value: object, field: str) -> E:
        """Return ``value`` if it is a member of ``kind``, else raise naming ``field``."""
        if not isinstance(value, self.kind):
            name = self.kind.__name__
            article = "an" if name[:1] in "AEIOU" else "a"
            raise InvalidTypeError(field, f"must be {article} {name} member", value)
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


@typing.final
@attrs.frozen(repr=False)
class InstanceOf:
    """An instance of ``kind`` (a type or a tuple of types); ``hint`` is added to the rule.

    ``what`` replaces the generated noun phrase (``a condition (AllOf, AnyOf,
    Not or Compare)``) where a tuple of types reads badly.

    >>> InstanceOf(int)
    InstanceOf(int)
    >>> InstanceOf(int, " (a whole number)").check("x", "n")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'n' must be an int (a whole number), got 'x'
    >>> InstanceOf((int, str)).check(1.5, "key")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'key' must be an int or str, got 1.5
    """

    kind: type | tuple[type, ...]
    hint: str = ""
    what: str | None = None

    def __repr__(self) -> str:
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        return f"InstanceOf({', '.join(k.__name__ for k in kinds)})"

    @property
    def rule(self) -> str:
        """The rule as a phrase: ``must be a Rate``."""
        if self.what is not None:
            return f"must be {self.what}{self.hint}"
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        names = " or ".join(k.__name__ for k in kinds)
        article = "an" if names[:1] in "AEIOUaeiou" else "a"
        return f"must be {article} {names}{self.hint}"

    def check(self, value: object, field: str) -> Any:
        """Return ``value`` if it is an instance of ``kind``, else raise naming ``field``."""
        if not isinstance(value, self.kind):
            raise InvalidTypeError(field, self.rule, value)
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


@typing.final
@attrs.frozen(repr=False)
class MembersOf:
    """Every member of a collection is an instance of ``kind``.

    >>> MembersOf(int).check((1, "2"), "days")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'days' must hold int members only, got '2'
    """

    kind: type

    def __repr__(self) -> str:
        return f"MembersOf({self.kind.__name__})"

    def check(self, value: Iterable[object], field: str) -> Iterable[object]:
        """Return ``value`` if every member is an instance of ``kind``, else raise naming ``field``."""
        for item in value:
            if not isinstance(item, self.kind):
                raise InvalidTypeError(field, f"must hold {self.kind.__name__} members only", item)
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


@typing.final
@attrs.frozen(repr=False)
class _NaiveTime:
    """A ``datetime.time`` without ``tzinfo``: a local time of day."""

    def __repr__(self) -> str:
        return "NAIVE_TIME"

    def check(self, value: object, field: str) -> time:
        """Return ``value`` if it is a naive time, else raise naming ``field``."""
        if not isinstance(value, time):
            raise InvalidTypeError(field, "must be a datetime.time", value)
        if value.tzinfo is not None:
            raise InvalidValueError(
                field, "must be a naive time of day (the debtor's local time; an offset is refused)", value
            )
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


NAIVE_TIME: Final = _NaiveTime()
"""A validator: a ``datetime.time`` without ``tzinfo`` (the debtor's local time of day).

>>> from datetime import timezone
>>> NAIVE_TIME.check(time(9, tzinfo=timezone.utc), "start")
Traceback (most recent call last):
...
loanrules.errors.InvalidValueError: 'start' must be a naive time of day (the debtor's local time; an offset is refused), got datetime.time(9, 0, tzinfo=datetime.timezone.utc)
"""


@typing.final
@attrs.frozen(repr=False)
class _NonEmptyStr:
    """A non-empty ``str``."""

    def __repr__(self) -> str:
        return "NON_EMPTY_STR"

    def check(self, value: object, field: str) -> str:
        """Return ``value`` if it is a non-empty string, else raise naming ``field``."""
        if not isinstance(value, str):
            raise InvalidTypeError(field, "must be a non-empty string", value)
        if not value:
            raise InvalidValueError(field, "must be a non-empty string", value)
        return value

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


NON_EMPTY_STR: Final = _NonEmptyStr()
"""A validator: a non-empty ``str``.

>>> NON_EMPTY_STR.check("", "name")
Traceback (most recent call last):
...
loanrules.errors.InvalidValueError: 'name' must be a non-empty string, got ''
"""


def _collection(field: str, value: Iterable[T], what: str) -> Iterable[T]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, f"must be {what}", value)
    return value


def to_tuple(field: str, value: Iterable[T]) -> tuple[T, ...]:
    """Any non-string iterable becomes a tuple, so values stay hashable; idempotent.

    An attrs converter is a named function per field (the attrs mypy plugin
    reads its signature) that calls this with the field's name.

    >>> to_tuple("ladder", ["a", "b"])
    ('a', 'b')
    >>> to_tuple("flags", "cease_request")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'flags' must be a sequence (not a string), got 'cease_request'
    """
    return value if type(value) is tuple else tuple(_collection(field, value, "a sequence (not a string)"))


def to_frozenset(field: str, value: Iterable[T]) -> frozenset[T]:
    """Any non-string iterable becomes a frozenset; idempotent.

    >>> sorted(to_frozenset("actions", ["sms", "call"]))
    ['call', 'sms']
    """
    if type(value) is frozenset:
        return value
    return frozenset(_collection(field, value, "a set or sequence (not a string)"))


@typing.final
@attrs.frozen(repr=False)
class OptionalCheck:
    """``None``, or a value that passes ``inner``.

    >>> OptionalCheck(PLAIN_DATE)
    OptionalCheck(PLAIN_DATE)
    """

    inner: _PlainDate

    def __repr__(self) -> str:
        return f"OptionalCheck({self.inner!r})"

    def check(self, value: object, field: str) -> object:
        """Return ``value`` if it is ``None`` or passes ``inner``."""
        return None if value is None else self.inner.check(value, field)

    def __call__(self, _instance: object, attribute: Any, value: Any) -> None:
        self.check(value, _field_name(attribute))


@typing.final
@attrs.frozen(repr=False)
class AsDecimal:
    """A converter to a finite ``Decimal`` (from ``Decimal``, ``int`` or a decimal string) naming ``field``.

    Idempotent, so ``attrs.evolve`` may run it again. Use
    :meth:`converter` for an attrs field: it reads the field's name (its
    alias) from attrs, so a message names what the user passed.

    >>> AsDecimal("principal")("1e3")
    Decimal('1E+3')
    >>> AsDecimal("principal")(1.5)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'principal' must be a Decimal, an int or a decimal string (a float is inexact), got 1.5
    """

    field: str

    def __repr__(self) -> str:
        return f"AsDecimal({self.field!r})"

    def __call__(self, value: object) -> Decimal:
        return to_decimal(value, self.field)

    @staticmethod
    def converter() -> attrs.Converter[Any, Decimal]:
        """An :class:`attrs.Converter` that converts to ``Decimal`` under the field's own name."""
        return attrs.Converter(_convert_decimal, takes_field=True)


def _convert_decimal(value: object, field: Any) -> Decimal:
    return to_decimal(value, _field_name(field))
