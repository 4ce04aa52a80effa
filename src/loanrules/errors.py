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

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CalendarCoverageError",
    "InvalidPolicyError",
    "InvalidTermsError",
    "InvalidTypeError",
    "InvalidValueError",
    "LoanRulesError",
    "RefusedEventError",
]


class LoanRulesError(Exception):
    """The root of every error loanrules raises on purpose."""


class _FieldError(LoanRulesError):
    """An error about one field: it carries the field, the rule and the value."""

    def __init__(self, field: str, rule: str, value: Any) -> None:
        super().__init__(f"{field!r} {rule}, got {value!r}")
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
            f"got {day}; extend it with Calendar.with_year() or choose "
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
