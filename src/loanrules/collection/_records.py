"""The records of collection steps taken, and the case the engine decides on.

:class:`Action` and :class:`Outcome` name steps and how they ended; a
:class:`Record` is one step on record; a :class:`Case` is a loan's state,
its records, flags and the debtor's time zone. Plain data: nothing here
knows the engine.
"""

from __future__ import annotations

import enum
import itertools
import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from loanrules._checks import member_repr, pretty_repr, value_repr
from loanrules.conventions._dates import check_date
from loanrules.conventions._money import to_decimal
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.ledger._ledger import Amounts, LoanState, Status
from loanrules.ledger._line import CreditLineState

__all__ = ["ACCOUNT_STATES", "CONTACT_ACTIONS", "KNOWN_FLAGS", "REACHED_OUTCOMES", "REACHING", "AccountState", "Action", "Case",
           "Outcome", "Record"]


class Action(enum.Enum):
    """A collection step. The engine says which; the caller takes it and records it."""

    __repr__ = member_repr

    NONE = "none"
    """Nothing to do."""
    REMIND = "remind"
    """A reminder before the due date (还款提醒)."""
    CALL = "call"
    """A phone call."""
    SMS = "sms"
    """A text message."""
    EMAIL = "email"
    """An email."""
    LETTER = "letter"
    """An overdue notice letter (逾期提醒函): penalty and legal consequences."""
    OFFER_PLAN = "offer_plan"
    """Offer a negotiated plan (协商还款) to a customer in hardship."""
    LEGAL_REVIEW = "legal_review"
    """Ask the legal department to review the case (法务审核)."""
    REFER_AGENCY = "refer_agency"
    """Refer the case to a third-party collection agency (委外催收)."""
    LITIGATE = "litigate"
    """File a lawsuit (诉讼)."""

    # Members are singletons compared by identity, so identity hashing is
    # consistent with equality, and much faster than Enum's hash of the name
    # (the engine tests set membership of actions many times per decision).
    __hash__ = object.__hash__


REACHING: Final = frozenset({Action.REMIND, Action.CALL, Action.SMS, Action.EMAIL, Action.OFFER_PLAN})
"""The steps that reach the debtor: the contact window applies to these."""


class Outcome(enum.Enum):
    """How a recorded step ended."""

    __repr__ = member_repr

    NO_ANSWER = "no_answer"
    REACHED = "reached"
    PROMISED = "promised"
    """Reached; the customer promised to pay (``promise_amount`` by ``promise_date``)."""
    HARDSHIP = "hardship"
    """Reached; the customer reported a hardship."""
    DISPUTED = "disputed"
    """Reached; the customer disputes the debt."""
    REFUSED = "refused"
    """Reached; the customer refused to pay."""
    WRONG_PARTY = "wrong_party"
    """The person reached is not the debtor (never disclose anything to them)."""
    SENT = "sent"
    """A letter, message or referral was sent."""
    APPROVED = "approved"
    """A review was approved."""
    REJECTED = "rejected"
    """A review or an offer was rejected."""

    __hash__ = object.__hash__  # identity: see Action


REACHED_OUTCOMES: Final = frozenset({Outcome.REACHED, Outcome.PROMISED, Outcome.HARDSHIP, Outcome.DISPUTED,
                                     Outcome.REFUSED})
"""Outcomes of a call that reached the customer (a conversation)."""

CONTACT_ACTIONS: Final = frozenset({Action.CALL, Action.SMS, Action.EMAIL})
"""The steps that count as contact attempts, whatever their outcome."""


def _promise_amount(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "promise_amount")


def _check_aware(field: str, value: object) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidTypeError(field, "must be a timezone-aware datetime", value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(field, "must be timezone-aware (naive datetimes are ambiguous)", value)
    if type(value) is not datetime:  # a subclass keeps only its moment
        value = datetime.combine(datetime.date(value), datetime.timetz(value))
    return value


def plain_str(value: str) -> str:
    """``value`` as an exact ``str`` (a subclass's own ``__str__`` and attributes left behind)."""
    return value if type(value) is str else str.__str__(value)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Record:
    """The record of one collection step taken: when, what, and how it ended.

    It holds no personal data: no names, numbers or notes.

    >>> from datetime import timezone
    >>> Record(at=datetime(2026, 3, 1, 2, tzinfo=timezone.utc), action=Action.CALL, outcome=Outcome.NO_ANSWER)
    Record(at=datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.timezone.utc), action=Action.CALL, outcome=Outcome.NO_ANSWER)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    at: datetime
    action: Action
    outcome: Outcome
    promise_amount: Decimal | None = attrs.field(default=None, converter=_promise_amount)
    promise_date: typing.Any = attrs.field(default=None)
    instant: datetime = attrs.field(init=False, eq=False, repr=False)
    """``at`` in UTC: records are compared and counted as instants, never by wall clock."""

    @promise_date.validator
    def _check(self, _attribute: object, promise_date: object) -> None:
        at = _check_aware("at", self.at)
        if at is not self.at:
            object.__setattr__(self, "at", at)
        try:
            object.__setattr__(self, "instant", at.astimezone(UTC))
        except OverflowError:
            raise InvalidValueError("at", "must lie inside datetime's range in UTC", at) from None
        if not isinstance(self.action, Action):
            raise InvalidTypeError("action", "must be an Action", self.action)
        if not isinstance(self.outcome, Outcome):
            raise InvalidTypeError("outcome", "must be an Outcome", self.outcome)
        if self.outcome is Outcome.PROMISED and promise_date is None:
            raise InvalidValueError("promise_date", "is required when the outcome is PROMISED", None)
        if promise_date is not None and type(promise_date) is not date:
            object.__setattr__(self, "promise_date", check_date(promise_date, "promise_date"))
        if self.promise_amount is not None and self.promise_amount <= 0:
            raise InvalidValueError("promise_amount", "must be > 0", self.promise_amount)


def _to_records(value: Iterable[Record]) -> tuple[Record, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError("history", "must be a sequence of Records", value)
    records = tuple(value)
    for index, record in enumerate(records):
        if not isinstance(record, Record):
            raise InvalidTypeError(f"history[{index}]", "must be a Record", record)
    # Kept in time order, compared as instants (UTC): two aware datetimes with one
    # tzinfo compare by wall clock, which is wrong in the hour a zone falls back.
    # A stable sort: records of one moment keep their order.
    return records if all(_at(a) <= _at(b) for a, b in itertools.pairwise(records)) \
        else tuple(sorted(records, key=_at))


def _at(record: Record) -> datetime:
    return record.instant


def _to_flags(value: Iterable[str]) -> frozenset[str]:
    # A string is iterable, but its letters are not flags: ``flags="cease_request"`` is refused.
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError("flags", "must be a set of flag names (not a string)", value)
    if type(value) is frozenset and all(type(flag) is str for flag in value):
        return value
    items = tuple(value)
    for flag in items:  # checked before hashing: an unhashable flag is refused like any other non-string
        if not isinstance(flag, str):
            raise InvalidTypeError("flags", "must hold strings", flag)
    return frozenset(plain_str(flag) for flag in items)  # a subclass becomes the plain word


_MAX_ZONE_NAME: Final = 64
"""The longest time zone name a case accepts (the longest IANA name has 32 characters)."""

KNOWN_FLAGS: Final = frozenset({"cease_request", "dispute_resolved"})
"""Flags the standard policies read: ``cease_request`` (the debtor asked that
collection contact stop) and ``dispute_resolved`` (a dispute was settled)."""


class AccountState(typing.Protocol):
    """What the engine and the policies read of an account's state: a loan's (:class:`~loanrules.LoanState`)
    and a credit line's (:class:`~loanrules.CreditLineState`) both have it.

    >>> from loanrules import LoanState, CreditLineState
    >>> all(name in attrs.fields_dict(kind) for kind in (LoanState, CreditLineState)
    ...     for name in ("as_of", "days_past_due", "status", "overdue", "next_due_date", "restructured_on"))
    True
    """

    @property
    def as_of(self) -> date: ...
    @property
    def days_past_due(self) -> int: ...
    @property
    def status(self) -> Status: ...
    @property
    def overdue(self) -> Amounts: ...
    @property
    def due_now(self) -> Amounts: ...
    @property
    def payoff(self) -> Decimal: ...
    @property
    def principal_outstanding(self) -> Decimal: ...
    @property
    def next_due_date(self) -> date | None: ...
    @property
    def next_due_amount(self) -> Decimal: ...
    @property
    def restructured_on(self) -> date | None: ...


ACCOUNT_STATES: Final = (LoanState, CreditLineState)
"""The state types a :class:`Case` takes (exactly these: their values reach the trace)."""


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Case:
    """What the engine decides on: a loan's state, the steps on record, flags, the debtor's time zone.

    A case is one collection case: ``history`` holds the steps taken since
    the loan last fell overdue (start a new case when it is current again),
    so an old letter or a kept promise of an earlier delinquency does not
    count. ``state`` must be as of the debtor's local date of ``now``
    (:func:`~loanrules.next_step` refuses another date).
    The case carries no personal data: the state is amounts and dates, the
    history is actions and outcomes, the flags are plain words from
    :data:`KNOWN_FLAGS`.

    >>> Case(state=None)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'state' must be a LoanState or a CreditLineState, got None
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    state: LoanState | CreditLineState
    history: tuple[Record, ...] = attrs.field(default=(), converter=_to_records)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_to_flags)
    timezone: str = attrs.field(default="Asia/Shanghai")
    _index: object = attrs.field(init=False, default=None, eq=False, hash=False, repr=False)
    """The engine's index of the whole history, built on the first ``next_step`` (private; see ``_compiler``)."""

    @timezone.validator
    def _check(self, _attribute: object, timezone: str) -> None:
        if type(self.state) not in ACCOUNT_STATES:  # exactly: the engine reads it, and its values reach the trace
            raise InvalidTypeError("state", "must be a LoanState or a CreditLineState", self.state)
        for index, record in enumerate(self.history):
            if not isinstance(record, Record):
                raise InvalidTypeError(f"history[{index}]", "must be a Record", record)
        for flag in self.flags:  # each a plain str (the converter saw to it)
            if flag not in KNOWN_FLAGS:
                raise InvalidValueError("flags", f"must hold known flags only ({', '.join(sorted(KNOWN_FLAGS))})",
                                        flag)
        if not isinstance(timezone, str):
            raise InvalidTypeError("timezone", "must be an IANA time zone name", timezone)
        if type(timezone) is not str:  # the name reaches the reasons: keep only its text
            object.__setattr__(self, "timezone", timezone := plain_str(timezone))
        if len(timezone) > _MAX_ZONE_NAME:
            raise InvalidValueError("timezone", f"must be an IANA time zone name (at most {_MAX_ZONE_NAME} "
                                                "characters)", timezone)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory, a name too long for the OS
            raise InvalidValueError("timezone", "must be an IANA time zone name", timezone) from None

