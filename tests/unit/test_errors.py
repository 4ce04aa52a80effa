"""Unit tests for loanrules.errors: the hierarchy, the messages, the attributes."""

from __future__ import annotations

from datetime import date

import pytest

from loanrules.errors import (
    CalendarCoverageError,
    InvalidPolicyError,
    InvalidTermsError,
    InvalidTypeError,
    InvalidValueError,
    LoanRulesError,
    RefusedEventError,
)


class TestHierarchy:
    """Every error is a LoanRulesError and also the builtin it resembles."""

    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (InvalidValueError, ValueError),
            (InvalidTypeError, TypeError),
            (InvalidTermsError, ValueError),
            (CalendarCoverageError, LookupError),
            (RefusedEventError, ValueError),
            (InvalidPolicyError, ValueError),
        ],
    )
    def test_subclasses_root_and_builtin(self, error: type[Exception], builtin: type[Exception]) -> None:
        """Each specific error derives from both LoanRulesError and its builtin."""
        assert issubclass(error, LoanRulesError)
        assert issubclass(error, builtin)

    def test_root_is_an_exception(self) -> None:
        """The root derives from Exception, so a bare ``except Exception`` catches it."""
        assert LoanRulesError.__mro__[1] is Exception

    def test_terms_error_is_a_value_error_subclass(self) -> None:
        """InvalidTermsError is a kind of InvalidValueError (same attributes)."""
        assert issubclass(InvalidTermsError, InvalidValueError)

    def test_type_error_is_not_a_value_error(self) -> None:
        """A wrong type and a bad value stay distinct for callers."""
        assert not issubclass(InvalidTypeError, ValueError)
        assert not issubclass(InvalidValueError, TypeError)

    def test_all_is_sorted_and_complete(self) -> None:
        """``__all__`` lists the eight errors, ``describe`` and its ``MAX_SHOWN``, sorted isort-style."""
        from loanrules import errors

        assert errors.__all__ == sorted(errors.__all__, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
        assert len(errors.__all__) == 10
        assert {"describe", "MAX_SHOWN"} <= set(errors.__all__)


class TestInvalidValueError:
    """A bad value names the field, the rule and the value."""

    def test_message(self) -> None:
        """The message is ``'field' rule, got value`` with the value's repr."""
        err = InvalidValueError("principal", "must be > 0", "-5")
        assert str(err) == "'principal' must be > 0, got '-5'"

    def test_attributes(self) -> None:
        """field, rule and value are kept as attributes, not only in the text."""
        err = InvalidValueError("term", "must be >= 1", 0)
        assert (err.field, err.rule, err.value) == ("term", "must be >= 1", 0)

    def test_caught_as_value_error(self) -> None:
        """``except ValueError`` catches it."""
        with pytest.raises(ValueError, match="'term' must be >= 1, got 0"):
            raise InvalidValueError("term", "must be >= 1", 0)


class TestInvalidTypeError:
    """A wrong type names the field, what was expected and the value."""

    def test_message_and_attributes(self) -> None:
        """The float is shown by repr, and kept as ``value``."""
        err = InvalidTypeError("rate", "must be a Decimal", 0.1)
        assert str(err) == "'rate' must be a Decimal, got 0.1"
        assert (err.field, err.rule, err.value) == ("rate", "must be a Decimal", 0.1)

    def test_caught_as_type_error(self) -> None:
        """``except TypeError`` catches it."""
        with pytest.raises(TypeError, match="'start' must be a date"):
            raise InvalidTypeError("start", "must be a date", "2026-01-01")


class TestInvalidTermsError:
    """Cross-field errors carry the same attributes as InvalidValueError."""

    def test_message_with_interval(self) -> None:
        """An interval rule reads as in the style guide."""
        err = InvalidTermsError(
            "first_due", "must lie in (start, maturity] = (2025-01-15, 2026-01-15]", date(2025, 1, 31)
        )
        assert str(err) == (
            "'first_due' must lie in (start, maturity] = (2025-01-15, 2026-01-15], "
            "got datetime.date(2025, 1, 31)"
        )
        assert err.field == "first_due"
        assert err.value == date(2025, 1, 31)


class TestCalendarCoverageError:
    """A date outside a calendar's data says which calendar, which date, which years."""

    def test_attributes(self) -> None:
        """calendar, day, first_year and last_year are attributes."""
        err = CalendarCoverageError("CHINA", date(2040, 1, 1), 2004, 2026)
        assert (err.calendar, err.day, err.first_year, err.last_year) == (
            "CHINA", date(2040, 1, 1), 2004, 2026,
        )

    def test_message_suggests_remedies(self) -> None:
        """The message names the years and both ways out."""
        err = CalendarCoverageError("CHINA", date(2040, 1, 1), 2004, 2026)
        assert str(err) == (
            "calendar 'CHINA' has holiday data for 2004-2026 only, got 2040-01-01; "
            "extend it with Calendar.with_year() or choose outside=Outside.WEEKENDS_ONLY "
            "to treat only weekends as closed there"
        )

    def test_caught_as_lookup_error(self) -> None:
        """``except LookupError`` catches it."""
        with pytest.raises(LookupError, match="2004-2026"):
            raise CalendarCoverageError("CHINA", date(2003, 12, 31), 2004, 2026)


class TestRefusedEventError:
    """A refused event names the rule and says how it was broken."""

    def test_message_and_attributes(self) -> None:
        """rule and detail are attributes; the message quotes the rule."""
        err = RefusedEventError("lockout_periods", "prepayment before period 3")
        assert str(err) == "refused by rule 'lockout_periods': prepayment before period 3"
        assert (err.rule, err.detail) == ("lockout_periods", "prepayment before period 3")


class TestInvalidPolicyError:
    """A bad policy names the dotted path of the bad field."""

    def test_message_and_attributes(self) -> None:
        """path and detail are attributes; the message starts with the path."""
        err = InvalidPolicyError("stages[1].entry.fact", "unknown fact 'dpdd'")
        assert str(err) == "stages[1].entry.fact: unknown fact 'dpdd'"
        assert (err.path, err.detail) == ("stages[1].entry.fact", "unknown fact 'dpdd'")
