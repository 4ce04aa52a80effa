"""Reusable validators and converters of the collection data types (in the manner of ``attrs.validators``).

Each is a small frozen object with a repr, used as an ``attrs`` field's
``validator`` or ``converter``; each raises the library's errors, naming
the field, the rule and the value:

>>> import attrs
>>> @attrs.frozen
... class Limit:
...     limit: int = attrs.field(validator=int_at_least(0))
>>> Limit(-1)
Traceback (most recent call last):
...
loanrules.errors.InvalidValueError: 'limit' must be an int >= 0, got -1
>>> Limit(True)
Traceback (most recent call last):
...
loanrules.errors.InvalidTypeError: 'limit' must be an int >= 0 (not a bool), got True
>>> int_at_least(1, optional=True)
int_at_least(1, optional=True)
"""

from __future__ import annotations

import typing
from collections.abc import Iterable
from datetime import time

import attrs

from loanrules.errors import InvalidTypeError, InvalidValueError

_T = typing.TypeVar("_T")

__all__ = ["instance_of", "int_at_least", "members_of", "naive_time", "non_empty_str", "to_frozenset", "to_tuple"]


def _field(attribute: typing.Any) -> str:
    return str(attribute.name).lstrip("_")


@typing.final
@attrs.frozen(repr=False)
class _InstanceOf:
    kinds: tuple[type, ...]
    what: str

    def __call__(self, _instance: object, attribute: typing.Any, value: object) -> None:
        if not isinstance(value, self.kinds):
            raise InvalidTypeError(_field(attribute), f"must be {self.what}", value)

    def __repr__(self) -> str:
        return f"instance_of({', '.join(k.__name__ for k in self.kinds)})"


def instance_of(*kinds: type, what: str | None = None) -> typing.Any:
    """A validator: the value is an instance of one of ``kinds`` (else :class:`InvalidTypeError`)."""
    names = " or ".join(k.__name__ for k in kinds)
    return _InstanceOf(kinds, what or ("an " if names[0] in "AEIOU" else "a ") + names)


@typing.final
@attrs.frozen(repr=False)
class _IntAtLeast:
    low: int
    optional: bool

    def __call__(self, _instance: object, attribute: typing.Any, value: object) -> None:
        if value is None and self.optional:
            return
        rule = f"must be an int >= {self.low}" + (" or None" if self.optional else "")
        if type(value) is not int:
            raise InvalidTypeError(_field(attribute), rule + (" (not a bool)" if isinstance(value, bool) else ""),
                                   value)
        if value < self.low:
            raise InvalidValueError(_field(attribute), rule, value)

    def __repr__(self) -> str:
        return f"int_at_least({self.low}{', optional=True' if self.optional else ''})"


def int_at_least(low: int, *, optional: bool = False) -> typing.Any:
    """A validator: an ``int`` (never a ``bool``) ``>= low``; with ``optional``, ``None`` too."""
    return _IntAtLeast(low, optional)


@typing.final
@attrs.frozen(repr=False)
class _MembersOf:
    kind: type

    def __call__(self, _instance: object, attribute: typing.Any, value: Iterable[object]) -> None:
        for item in value:
            if not isinstance(item, self.kind):
                raise InvalidTypeError(_field(attribute), f"must hold {self.kind.__name__} members only", item)

    def __repr__(self) -> str:
        return f"members_of({self.kind.__name__})"


def members_of(kind: type) -> typing.Any:
    """A validator: every member of the collection is an instance of ``kind``."""
    return _MembersOf(kind)


@typing.final
@attrs.frozen(repr=False)
class _NaiveTime:
    def __call__(self, _instance: object, attribute: typing.Any, value: object) -> None:
        if not isinstance(value, time):
            raise InvalidTypeError(_field(attribute), "must be a datetime.time", value)
        if value.tzinfo is not None:
            raise InvalidValueError(_field(attribute), "must be a naive time of day (the debtor's local time; "
                                                       "an offset is refused)", value)

    def __repr__(self) -> str:
        return "naive_time()"


def naive_time() -> typing.Any:
    """A validator: a ``datetime.time`` without ``tzinfo`` (a local time of day)."""
    return _NaiveTime()


@typing.final
@attrs.frozen(repr=False)
class _NonEmptyStr:
    def __call__(self, _instance: object, attribute: typing.Any, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(_field(attribute), "must be a non-empty string", value)
        if not value:
            raise InvalidValueError(_field(attribute), "must be a non-empty string", value)

    def __repr__(self) -> str:
        return "non_empty_str()"


def non_empty_str() -> typing.Any:
    """A validator: a non-empty ``str``."""
    return _NonEmptyStr()


def _collection(field: str, value: Iterable[_T], what: str) -> Iterable[_T]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, f"must be {what}", value)
    return value


def to_tuple(field: str, value: Iterable[_T]) -> tuple[_T, ...]:
    """Lists (any non-string iterable) become tuples, so values stay hashable; idempotent.

    A converter is a named function per field (``attrs``' mypy plugin reads its
    signature), calling this with the field's name.
    """
    return value if type(value) is tuple else tuple(_collection(field, value, "a sequence (not a string)"))


def to_frozenset(field: str, value: Iterable[_T]) -> frozenset[_T]:
    """Sets and lists (any non-string iterable) become frozensets; idempotent."""
    if type(value) is frozenset:
        return value
    return frozenset(_collection(field, value, "a set or sequence (not a string)"))
