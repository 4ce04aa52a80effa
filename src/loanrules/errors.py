"""The exceptions raised by loanrules.

Every exception the library raises on purpose derives from
:class:`LoanRulesError`, and each specific one also derives from the
builtin it resembles, so ``except ValueError`` keeps working for callers
who do not know this library:

>>> from loanrules.errors import InvalidValueError, LoanRulesError
>>> issubclass(InvalidValueError, ValueError)
True
>>> err = InvalidValueError("principal", "must be > 0", "-5")
>>> str(err)
"'principal' must be > 0, got '-5'"
>>> err.field, err.rule, err.value
('principal', 'must be > 0', '-5')
>>> isinstance(err, LoanRulesError)
True

A message shows the offending value through :func:`describe`: short and
bounded, and only the text of values the library itself knows (exact
numbers, strings, dates, library values); another object is shown by its
type alone, so a caller's object that holds personal data does not reach
the message, or the logs the message is written to:

>>> from collections import namedtuple
>>> Customer = namedtuple("Customer", "name phone", module="crm")
>>> str(InvalidValueError("case", "must be a Case", Customer("Zhang San", "13800000000")))
"'case' must be a Case, got <a Customer object>"

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
from typing import Any, Final

__all__ = [
    "MAX_SHOWN",
    "NO_VALUE",
    "CalendarCoverageError",
    "InvalidDataError",
    "InvalidPolicyError",
    "InvalidTermsError",
    "InvalidTypeError",
    "InvalidValueError",
    "LoanRulesError",
    "RefusedEventError",
    "describe",
]

MAX_SHOWN: Final = 60
"""The most characters :func:`describe` shows of a value; a longer text is clipped, marked with ``...``."""

_PLAIN: Final = frozenset({type(None), bool, int, float, complex, str, bytes, _decimal.Decimal, _dt.date,
                           _dt.datetime, _dt.time, _dt.timedelta, _dt.timezone, range})
_CONTAINERS: Final[dict[type, tuple[str, str]]] = {tuple: ("(", ")"), list: ("[", "]"), set: ("{", "}"), frozenset: ("frozenset({", "})"),
                      dict: ("{", "}")}


def _known(value: object) -> bool:
    """Whether ``value``'s text is the library's to show: an exact builtin scalar, or a library value."""
    kind = type(value)
    if kind in _PLAIN:
        return True
    module = getattr(kind, "__module__", None)
    return isinstance(module, str) and (module == "loanrules" or module.startswith(("loanrules.", "zoneinfo")))


def _text(value: object, budget: int, depth: int = 0) -> str:
    """The text of ``value``, at most about ``budget`` characters (never raises, never recurses deep)."""
    kind = type(value)
    if kind is int:
        digits = value.bit_length() * 0.30103  # type: ignore[attr-defined]  # log10(2)
        if digits > budget:  # str() of a huge int is slow, and past 4,300 digits it raises
            return f"<an int of about {int(digits) + 1:,} digits>"
    if kind in _CONTAINERS:
        opening, closing = _CONTAINERS[kind]
        sized: Any = value
        if depth >= 8:  # containers inside containers: the text stays short, the walk stays shallow
            return opening + "..." + closing
        if not sized:
            return "frozenset()" if kind is frozenset else ("set()" if kind is set else opening + closing)
        parts: list[str] = []
        used = len(opening) + len(closing)
        items = sized.items() if kind is dict else sized
        for index, item in enumerate(items):
            if used > budget or index >= budget:
                parts.append("...")
                break
            if kind is dict:
                half = max(budget - used, 4) // 2
                text = f"{_text(item[0], half, depth + 1)}: {_text(item[1], half, depth + 1)}"
            else:
                text = _text(item, max(budget - used, 4), depth + 1)
            parts.append(text)
            used += len(text) + 2
        comma = "," if kind is tuple and len(sized) == 1 else ""
        return opening + ", ".join(parts) + comma + closing
    if not _known(value):
        name = kind.__qualname__ if isinstance(getattr(kind, "__qualname__", None), str) else "unknown"
        name = name if len(name) <= 40 else name[:37] + "..."
        article = "an" if name[:1] in "AEIOUaeiou" else "a"
        return f"<{article} {name} object>"
    if kind in (str, bytes) and len(value) > budget:  # type: ignore[arg-type]
        value = value[:budget]  # type: ignore[index]
    try:
        return repr(value)
    except Exception:  # a repr that fails must not hide the error being reported
        return f"<a {kind.__name__} object>"


def describe(value: object, limit: int = MAX_SHOWN) -> str:
    """A short description of ``value`` for an error message: at most ``limit`` characters.

    Exact builtin numbers, strings and dates, and the library's own values,
    show their repr; containers show their members so; any other object
    shows only its type (its repr may hold anything, personal data
    included); a subclass of a builtin counts as another object.

    >>> describe("-5"), describe([1, 2]), describe(None)
    ("'-5'", '[1, 2]', 'None')
    >>> describe("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx..."
    >>> describe(10 ** 5000)
    '<an int of about 5,001 digits>'
    >>> from enum import Enum
    >>> describe(Enum("Name", {"ZHANG_SAN": "13800000000"}, module="crm").ZHANG_SAN)
    '<a Name object>'
    """
    text = _text(value, limit)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class LoanRulesError(Exception):
    """The root of every error loanrules raises on purpose."""


class _FieldError(LoanRulesError):
    """An error about one field: it carries the field, the rule and the value."""

    def __init__(self, field: str, rule: str, value: Any) -> None:
        super().__init__(f"{field!r} {rule}, got {describe(value)}")
        self.field = field
        self.rule = rule
        self.value = value


class InvalidValueError(_FieldError, ValueError):
    """A value of the right type that breaks a rule (``principal <= 0``, NaN, ...).

    Attributes:
        field: The name of the offending field or argument.
        rule: The rule it breaks, as a phrase (``"must be > 0"``).
        value: The offending value itself.
    """


class InvalidTypeError(_FieldError, TypeError):
    """A value of the wrong type (a ``float`` for money, a ``datetime`` for a ``date``).

    Attributes:
        field: The name of the offending field or argument.
        rule: What was expected, as a phrase.
        value: The offending value itself.
    """


class InvalidTermsError(InvalidValueError):
    """Loan terms whose fields do not fit together (a first due date before the start)."""


class CalendarCoverageError(LoanRulesError, LookupError):
    """A calendar was asked about a date outside the years its data covers.

    Attributes:
        calendar: The calendar's name.
        day: The date asked about.
        first_year: The first year the calendar's data covers.
        last_year: The last year the calendar's data covers.
    """

    def __init__(self, calendar: str, day: object, first_year: int, last_year: int) -> None:
        super().__init__(
            f"calendar {calendar!r} has holiday data for {first_year}-{last_year} only, "
            f"got {day if type(day) is _dt.date else describe(day)}; extend it with Calendar.with_year() or choose "
            f"outside=Outside.WEEKENDS_ONLY to treat only weekends as closed there"
        )
        self.calendar = calendar
        self.day = day
        self.first_year = first_year
        self.last_year = last_year


class RefusedEventError(LoanRulesError, ValueError):
    """An event (a payment, a prepayment, ...) that the loan's terms refuse.

    Attributes:
        rule: The name of the rule it breaks (``"lockout_periods"``).
        detail: A sentence saying how.
        path: Where the event stands (``"events[3]"``) when a loan is rebuilt
            from stored events; ``""`` for the event a method was recording.
    """

    def __init__(self, rule: str, detail: str, *, path: str = "") -> None:
        super().__init__(f"{path}: refused by rule {rule!r}: {detail}" if path else f"refused by rule {rule!r}: {detail}")
        self.rule = rule
        self.detail = detail
        self.path = path


class InvalidPolicyError(LoanRulesError, ValueError):
    """A collection policy that is not well formed.

    Attributes:
        path: Where in the policy, as a dotted path (``"stages[1].entry.fact"``).
        detail: What is wrong there.
    """

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


class _NoValue:
    """The value of an :class:`InvalidDataError` about something absent (a missing field, a refused event)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Final = _NoValue()
"""``InvalidDataError.value`` when there is no single bad value to show (a field missing, an event refused)."""


class InvalidDataError(LoanRulesError, ValueError):
    """Plain data or JSON that does not read back as a loanrules value (:mod:`loanrules.serialize`).

    Attributes:
        path: Where in the document, as a JSON path without the root
            (``"events[3].amount"``; ``""`` for the document itself).
        rule: The rule the value breaks, as a phrase (``"must be a decimal string"``).
        value: The offending value itself, or :data:`NO_VALUE` (then the message shows none).
    """

    def __init__(self, path: str, rule: str, value: Any = NO_VALUE) -> None:
        got = "" if value is NO_VALUE else f", got {describe(value)}"
        super().__init__(f"{path or '<document>'}: {rule}{got}")
        self.path = path
        self.rule = rule
        self.value = value
