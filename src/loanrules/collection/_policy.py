"""Collection policies as data: stages, conditions over facts, ladders, holds and constraints.

A :class:`CollectionPolicy` is plain, validated, immutable data. Conditions
form a closed, typed tree (:class:`All`, :class:`Any`, :class:`Not`,
:class:`Compare` over a named :class:`Fact`): no ``eval``, no strings of code.
A policy round-trips through plain dicts and reads TOML written by a person:

>>> from loanrules.policy import CollectionPolicy
>>> from loanrules import policies
>>> policy = policies.standard()
>>> CollectionPolicy.from_dict(policy.to_dict()) == policy
True
>>> [stage.name for stage in policy.stages]
['pre_due', 'early', 'formal', 'enforcement']

A bad policy is refused with an error naming the path of the bad field:

>>> CollectionPolicy.from_dict({"name": "x", "stages": [{"name": "a", "entry": {"fact": "dpdd", "op": ">=", "value": 1}, "ladder": [{"action": "call"}]}]})
Traceback (most recent call last):
...
loanrules.errors.InvalidPolicyError: stages[0].entry.fact: unknown fact 'dpdd'; known: broken_promise, cease_requested, contact_attempts, count, days_since, days_to_due, dispute_open, dpd, hardship, open_promise, overdue_amount, plan_active, settled
"""

from __future__ import annotations

import bisect
import enum
import itertools
import operator
import tomllib
import typing
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from loanrules.conventions._dates import check_date
from loanrules.conventions._money import to_decimal
from loanrules.errors import InvalidPolicyError, InvalidTypeError, InvalidValueError
from loanrules.ledger._ledger import LoanState, Status

__all__ = [
    "KNOWN_FLAGS",
    "REACHED_OUTCOMES",
    "REACHING",
    "TRUE",
    "Action",
    "All",
    "Any",
    "Cap",
    "Case",
    "CollectionPolicy",
    "Compare",
    "Condition",
    "ContactWindow",
    "Cooldown",
    "Counting",
    "Fact",
    "FactName",
    "Hold",
    "Not",
    "Op",
    "Outcome",
    "Period",
    "Prerequisite",
    "Record",
    "Stage",
    "Step",
]


class Action(enum.Enum):
    """A collection step. The engine says which; the caller takes it and records it."""

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
    return value


@typing.final
@attrs.frozen(kw_only=True)
class Record:
    """The record of one collection step taken: when, what, and how it ended.

    It holds no personal data: no names, numbers or notes.

    >>> from datetime import timezone
    >>> Record(at=datetime(2026, 3, 1, 2, tzinfo=timezone.utc), action=Action.CALL, outcome=Outcome.NO_ANSWER)
    Record(at=datetime.datetime(2026, 3, 1, 2, 0, tzinfo=datetime.timezone.utc), action=<Action.CALL: 'call'>, outcome=<Outcome.NO_ANSWER: 'no_answer'>, promise_amount=None, promise_date=None)
    """

    at: datetime
    action: Action
    outcome: Outcome
    promise_amount: Decimal | None = attrs.field(default=None, converter=_promise_amount)
    promise_date: typing.Any = attrs.field(default=None)
    instant: datetime = attrs.field(init=False, eq=False, repr=False)
    """``at`` in UTC: records are compared and counted as instants, never by wall clock."""

    @promise_date.validator
    def _check(self, _attribute: object, promise_date: object) -> None:
        _check_aware("at", self.at)
        object.__setattr__(self, "instant", self.at.astimezone(UTC))
        if not isinstance(self.action, Action):
            raise InvalidTypeError("action", "must be an Action", self.action)
        if not isinstance(self.outcome, Outcome):
            raise InvalidTypeError("outcome", "must be an Outcome", self.outcome)
        if self.outcome is Outcome.PROMISED and promise_date is None:
            raise InvalidValueError("promise_date", "is required when the outcome is PROMISED", None)
        if promise_date is not None:
            check_date(promise_date, "promise_date")
        if self.promise_amount is not None and self.promise_amount <= 0:
            raise InvalidValueError("promise_amount", "must be > 0", self.promise_amount)


def _to_records(value: Sequence[Record]) -> tuple[Record, ...]:
    records = tuple(value)
    for index, record in enumerate(records):
        if not isinstance(record, Record):
            raise InvalidTypeError(f"history[{index}]", "must be a Record", record)
    # Kept in time order, compared as instants (UTC): two aware datetimes with one
    # tzinfo compare by wall clock, which is wrong in the hour a zone falls back.
    # A stable sort: records of one moment keep their order.
    return records if all(_at(a) <= _at(b) for a, b in itertools.pairwise(records)) \
        else tuple(sorted(records, key=_at))


def _tuple(value: typing.Iterable[typing.Any]) -> tuple[typing.Any, ...]:
    """Lists become tuples, so that policies stay hashable values."""
    if isinstance(value, (str, bytes)) or not isinstance(value, typing.Iterable):
        raise InvalidPolicyError("<policy>", f"expected a sequence, got {value!r}")
    return tuple(value)


def _frozen(value: typing.Iterable[Action]) -> frozenset[Action]:
    """Sets and lists of actions become frozensets."""
    if isinstance(value, (str, bytes)) or not isinstance(value, typing.Iterable):
        raise InvalidPolicyError("<policy>", f"expected a set of actions, got {value!r}")
    return frozenset(value)


def _to_flags(value: typing.Iterable[str]) -> frozenset[str]:
    return frozenset(value)


KNOWN_FLAGS: Final = frozenset({"cease_request", "dispute_resolved"})
"""Flags the standard policies read: ``cease_request`` (the debtor asked that
collection contact stop) and ``dispute_resolved`` (a dispute was settled)."""


@typing.final
@attrs.frozen(kw_only=True)
class Case:
    """What the engine decides on: a loan's state, the steps on record, flags, the debtor's time zone.

    A case is one collection case: ``history`` holds the steps taken since
    the loan last fell overdue (start a new case when it is current again),
    so an old letter or a kept promise of an earlier delinquency does not
    count. ``state`` should be as of the debtor's local date of ``now``.
    The case carries no personal data: the state is amounts and dates, the
    history is actions and outcomes, the flags are plain words from
    :data:`KNOWN_FLAGS`.
    """

    state: LoanState
    history: tuple[Record, ...] = attrs.field(default=(), converter=_to_records)
    flags: frozenset[str] = attrs.field(default=frozenset(), converter=_to_flags)
    timezone: str = attrs.field(default="Asia/Shanghai")

    @timezone.validator
    def _check(self, _attribute: object, timezone: str) -> None:
        if not isinstance(self.state, LoanState):
            raise InvalidTypeError("state", "must be a LoanState", self.state)
        for index, record in enumerate(self.history):
            if not isinstance(record, Record):
                raise InvalidTypeError(f"history[{index}]", "must be a Record", record)
        for flag in self.flags:
            if not isinstance(flag, str):
                raise InvalidTypeError("flags", "must hold strings", flag)
            if flag not in KNOWN_FLAGS:
                raise InvalidValueError("flags", f"must hold known flags only ({', '.join(sorted(KNOWN_FLAGS))})",
                                        flag)
        if not isinstance(timezone, str):
            raise InvalidTypeError("timezone", "must be an IANA time zone name", timezone)
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidValueError("timezone", "must be an IANA time zone name", timezone) from None


# ---------------------------------------------------------------------------
# Facts and conditions


class FactName(enum.Enum):
    """The facts conditions can speak of. Each is computed from the case and ``now``."""

    DPD = "dpd"
    """Days past due (int)."""
    OVERDUE_AMOUNT = "overdue_amount"
    """Total overdue (Decimal)."""
    DAYS_TO_DUE = "days_to_due"
    """Days from today (the debtor's local date) to the next unpaid due date; 9999 if none."""
    OPEN_PROMISE = "open_promise"
    """A promise to pay whose date has not passed (bool)."""
    BROKEN_PROMISE = "broken_promise"
    """A promise whose date has passed while the loan is still overdue (bool)."""
    HARDSHIP = "hardship"
    """A hardship was reported (bool)."""
    DISPUTE_OPEN = "dispute_open"
    """A dispute was raised and the ``dispute_resolved`` flag is not set (bool)."""
    CEASE_REQUESTED = "cease_requested"
    """The ``cease_request`` flag is set (bool)."""
    PLAN_ACTIVE = "plan_active"
    """A restructure plan is in force and being kept: restructured, nothing past due (bool)."""
    SETTLED = "settled"
    """The loan is settled (bool)."""
    CONTACT_ATTEMPTS = "contact_attempts"
    """Recorded CALL, SMS and EMAIL steps, whatever their outcome (int)."""
    COUNT = "count"
    """Records matching ``action`` / ``outcomes`` within ``within_days`` (int)."""
    DAYS_SINCE = "days_since"
    """Whole days since the latest record matching ``action`` / ``outcomes``; 9999 if none."""


NEVER: Final = 9999
"""The value of ``days_since`` and ``days_to_due`` when there is no such record or date."""

_PARAMETRIC: Final = frozenset({FactName.COUNT, FactName.DAYS_SINCE})
_BOOLEAN: Final = frozenset({FactName.OPEN_PROMISE, FactName.BROKEN_PROMISE, FactName.HARDSHIP,
                             FactName.DISPUTE_OPEN, FactName.CEASE_REQUESTED, FactName.PLAN_ACTIVE,
                             FactName.SETTLED})


def _to_outcomes(value: typing.Iterable[Outcome]) -> frozenset[Outcome]:
    return frozenset(value)


@typing.final
@attrs.frozen(kw_only=True)
class Fact:
    """A named fact, with the parameters of ``count`` and ``days_since``.

    >>> Fact(name=FactName.COUNT, action=Action.CALL, outcomes=frozenset({Outcome.REACHED}), within_days=1).label
    'count(call, reached, 1d)'
    """

    name: FactName
    action: Action | None = None
    outcomes: frozenset[Outcome] = attrs.field(default=frozenset(), converter=_to_outcomes)
    within_days: int | None = attrs.field(default=None)

    @within_days.validator
    def _check(self, _attribute: object, within_days: int | None) -> None:
        if not isinstance(self.name, FactName):
            raise InvalidTypeError("name", "must be a FactName", self.name)
        if self.name not in _PARAMETRIC and (self.action or self.outcomes or within_days is not None):
            raise InvalidValueError("name", "takes no action, outcomes or within_days", self.name.value)
        if within_days is not None and (type(within_days) is not int or within_days < 1):
            raise InvalidValueError("within_days", "must be an int >= 1", within_days)

    @property
    def label(self) -> str:
        """How the fact is named in reasons and traces."""
        if self.name not in _PARAMETRIC:
            return self.name.value
        parts = [self.action.value if self.action else "any"]
        if self.outcomes:
            parts.append("|".join(sorted(o.value for o in self.outcomes)))
        if self.within_days is not None:
            parts.append(f"{self.within_days}d")
        return f"{self.name.value}({', '.join(parts)})"


class Op(enum.Enum):
    """A comparison."""

    LT = "<"
    LE = "<="
    EQ = "=="
    NE = "!="
    GE = ">="
    GT = ">"

    def apply(self, left: object, right: object) -> bool:
        """``left <op> right``.

        >>> Op.GE.apply(16, 16)
        True
        """
        a = typing.cast(typing.Any, left)
        if self is Op.LT:
            return bool(a < right)
        if self is Op.LE:
            return bool(a <= right)
        if self is Op.EQ:
            return bool(a == right)
        if self is Op.NE:
            return bool(a != right)
        if self is Op.GE:
            return bool(a >= right)
        return bool(a > right)


Value = bool | int | Decimal
"""What a comparison compares a fact with."""


@typing.final
@attrs.frozen
class Compare:
    """``fact <op> value``: the only leaf of a condition.

    >>> Compare(Fact(name=FactName.DPD), Op.GE, 16).text
    'dpd >= 16'
    """

    fact: Fact
    op: Op
    value: Value

    @property
    def text(self) -> str:
        """The comparison as a person reads it."""
        value = str(self.value).lower() if isinstance(self.value, bool) else str(self.value)
        return f"{self.fact.label} {self.op.value} {value}"


@typing.final
@attrs.frozen
class All:
    """True when every condition is (and, for none, true)."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_tuple)

    @property
    def text(self) -> str:
        """The conjunction as a person reads it."""
        return "(" + " and ".join(c.text for c in self.conditions) + ")" if self.conditions else "true"


@typing.final
@attrs.frozen
class Any:
    """True when some condition is."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_tuple)

    @property
    def text(self) -> str:
        """The disjunction as a person reads it."""
        return "(" + " or ".join(c.text for c in self.conditions) + ")" if self.conditions else "false"


@typing.final
@attrs.frozen
class Not:
    """True when the condition is not."""

    condition: Condition

    @property
    def text(self) -> str:
        """The negation as a person reads it."""
        return f"not {self.condition.text}"


Condition = Compare | All | Any | Not
"""A condition: a closed tree of :class:`All`, :class:`Any`, :class:`Not` and :class:`Compare`."""

TRUE: Final = All(())
"""The condition that always holds."""


# ---------------------------------------------------------------------------
# Stages, holds, constraints


@typing.final
@attrs.frozen(kw_only=True)
class Step:
    """A rung of a stage's ladder: take ``action`` when ``when`` holds, at most ``max_times``.

    Args:
        action: The step.
        when: When it is due (always by default).
        max_times: How often it may be on record (within ``within_days``) before it
            counts as taken; ``None`` repeats it without limit (within the caps).
        within_days: The window for ``max_times``; ``None`` counts the whole history.
    """

    action: Action
    when: Condition = TRUE
    max_times: int | None = None
    within_days: int | None = None


@typing.final
@attrs.frozen(kw_only=True)
class Prerequisite:
    """A condition that must hold before a stage may act, and the step that supplies it."""

    name: str
    condition: Condition
    supply: Action


@typing.final
@attrs.frozen(kw_only=True)
class Stage:
    """A collection stage: entered when ``entry`` holds; acts by its ladder.

    >>> Stage(name="late", entry=Compare(Fact(name=FactName.DPD), Op.GE, 1), ladder=[Step(action=Action.CALL)]).ladder
    (Step(action=<Action.CALL: 'call'>, when=All(conditions=()), max_times=None, within_days=None),)
    """

    name: str
    entry: Condition
    ladder: tuple[Step, ...] = attrs.field(converter=_tuple)
    prerequisites: tuple[Prerequisite, ...] = attrs.field(default=(), converter=_tuple)


@typing.final
@attrs.frozen(kw_only=True)
class Hold:
    """A suppression: while ``condition`` holds, nothing is done (status HOLD)."""

    name: str
    condition: Condition


@typing.final
@attrs.frozen(kw_only=True)
class ContactWindow:
    """Steps in ``actions`` only from ``start`` to ``end`` in the debtor's local time.

    >>> describe_constraint(ContactWindow(start=time(8), end=time(22), actions={Action.CALL}))
    'call only 08:00-22:00 local time'
    """

    start: time
    end: time
    actions: frozenset[Action] = attrs.field(default=REACHING, converter=_frozen)


class Counting(enum.Enum):
    """What a frequency cap counts."""

    ATTEMPTS = "attempts"
    """Every recorded step."""
    REACHED = "reached"
    """Only steps that reached the customer."""


class Period(enum.Enum):
    """The window of a frequency cap."""

    CALENDAR_DAY = "calendar_day"
    """The debtor's local calendar day."""
    ROLLING = "rolling"
    """The last ``days`` days up to now."""


@typing.final
@attrs.frozen(kw_only=True)
class Cap:
    """At most ``limit`` steps in ``actions`` per ``period``, counting ``counting``.

    >>> describe_constraint(Cap(actions={Action.CALL}, limit=7, period=Period.ROLLING, days=7))
    'call: at most 7 in any 7 days'
    """

    actions: frozenset[Action] = attrs.field(converter=_frozen)
    limit: int
    counting: Counting = Counting.ATTEMPTS
    period: Period = Period.CALENDAR_DAY
    days: int = 1


@typing.final
@attrs.frozen(kw_only=True)
class Cooldown:
    """No step in ``actions`` within ``days`` after a step in ``after`` that reached the customer.

    >>> describe_constraint(Cooldown(actions={Action.CALL}, after={Action.CALL}, days=7))
    'no call within 7 days after a call that reached the customer'
    """

    actions: frozenset[Action] = attrs.field(converter=_frozen)
    after: frozenset[Action] = attrs.field(converter=_frozen)
    days: int


Constraint = ContactWindow | Cap | Cooldown
"""A constraint on when a step may be taken."""


@typing.final
@attrs.frozen(kw_only=True)
class CollectionPolicy:
    """A collection policy: ordered stages, holds and constraints. Data, validated.

    Build one in code, with :meth:`from_dict`, or with :meth:`from_toml`;
    :func:`loanrules.policies.standard` is the process of the source article.
    """

    name: str
    stages: tuple[Stage, ...] = attrs.field(converter=_tuple)
    holds: tuple[Hold, ...] = attrs.field(default=(), converter=_tuple)
    constraints: tuple[Constraint, ...] = attrs.field(default=(), converter=_tuple)

    _compiled: Compiled = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        _validate(self)
        object.__setattr__(self, "_compiled", compile_policy(self))

    @property
    def compiled(self) -> Compiled:
        """The policy's conditions compiled into closures (made once, at construction)."""
        return self._compiled

    # -- plain data ----------------------------------------------------------

    def to_dict(self) -> dict[str, typing.Any]:
        """The policy as plain dicts, lists, strings and numbers (round-trips with :meth:`from_dict`)."""
        return {
            "name": self.name,
            "holds": [{"name": h.name, "when": _condition_to_dict(h.condition)} for h in self.holds],
            "stages": [_stage_to_dict(s) for s in self.stages],
            "constraints": [_constraint_to_dict(c) for c in self.constraints],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, typing.Any]) -> CollectionPolicy:
        """Read a policy from plain data; errors name the path of the bad field.

        Raises:
            InvalidPolicyError: With ``path`` set to the bad field (``stages[1].entry.op``).
        """
        reader = _Reader(data, "")
        name = reader.string("name")
        holds = tuple(_hold_from(item) for item in reader.items("holds", required=False))
        stages = tuple(_stage_from(item) for item in reader.items("stages"))
        constraints = tuple(_constraint_from(item) for item in reader.items("constraints", required=False))
        reader.done()
        try:
            return cls(name=name, stages=stages, holds=holds, constraints=constraints)
        except InvalidPolicyError:
            raise
        except (TypeError, ValueError) as error:  # pragma: no cover - every field is checked above
            raise InvalidPolicyError("", str(error)) from None

    @classmethod
    def from_toml(cls, text: str) -> CollectionPolicy:
        """Read a policy written in TOML (the format of ``docs/how-to/policy-toml.md``).

        >>> CollectionPolicy.from_toml('''
        ... name = "tiny"
        ... [[stages]]
        ... name = "late"
        ... entry = { fact = "dpd", op = ">=", value = 1 }
        ... ladder = [ { action = "call" } ]
        ... ''').stages[0].name
        'late'
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InvalidPolicyError("<toml>", str(error)) from None
        return cls.from_dict(data)

    def actions(self) -> frozenset[Action]:
        """Every action some stage's ladder takes."""
        return frozenset(step.action for stage in self.stages for step in stage.ladder)


# ---------------------------------------------------------------------------
# Validation


def _walk(condition: Condition, path: str) -> typing.Iterator[tuple[Compare, str]]:
    if isinstance(condition, Compare):
        yield condition, path
    elif isinstance(condition, Not):
        yield from _walk(condition.condition, f"{path}.not")
    else:
        key = "all" if isinstance(condition, All) else "any"
        for index, child in enumerate(condition.conditions):
            yield from _walk(child, f"{path}.{key}[{index}]")


def _check_condition(condition: object, path: str) -> None:
    if not isinstance(condition, (Compare, All, Any, Not)):
        raise InvalidPolicyError(path, f"must be a condition (All, Any, Not or Compare), got {condition!r}")
    if isinstance(condition, Not):
        _check_condition(condition.condition, f"{path}.not")
        return
    if isinstance(condition, (All, Any)):
        key = "all" if isinstance(condition, All) else "any"
        for index, child in enumerate(condition.conditions):
            _check_condition(child, f"{path}.{key}[{index}]")
        return
    fact, op, value = condition.fact, condition.op, condition.value
    if not isinstance(fact, Fact):
        raise InvalidPolicyError(f"{path}.fact", f"must be a Fact, got {fact!r}")
    if not isinstance(op, Op):
        raise InvalidPolicyError(f"{path}.op", f"must be an Op, got {op!r}")
    if fact.name in _BOOLEAN:
        if not isinstance(value, bool):
            raise InvalidPolicyError(f"{path}.value", f"fact {fact.name.value!r} is true or false, got {value!r}")
        if op not in (Op.EQ, Op.NE):
            raise InvalidPolicyError(f"{path}.op", f"a true/false fact compares with == or != only, got {op.value!r}")
    elif isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise InvalidPolicyError(f"{path}.value", f"fact {fact.label!r} is a number, got {value!r}")


def _validate(policy: CollectionPolicy) -> None:
    if not isinstance(policy.name, str) or not policy.name:
        raise InvalidPolicyError("name", f"must be a non-empty string, got {policy.name!r}")
    if not policy.stages:
        raise InvalidPolicyError("stages", "must hold at least one stage")
    names: dict[str, int] = {}
    for index, hold in enumerate(policy.holds):
        if not isinstance(hold, Hold):
            raise InvalidPolicyError(f"holds[{index}]", f"must be a Hold, got {hold!r}")
        _check_condition(hold.condition, f"holds[{index}].when")
    entries: dict[Condition, int] = {}
    for index, stage in enumerate(policy.stages):
        path = f"stages[{index}]"
        if not isinstance(stage, Stage):
            raise InvalidPolicyError(path, f"must be a Stage, got {stage!r}")
        if not stage.name or not isinstance(stage.name, str):
            raise InvalidPolicyError(f"{path}.name", f"must be a non-empty string, got {stage.name!r}")
        if stage.name in names:
            raise InvalidPolicyError(f"{path}.name", f"stage {stage.name!r} is already stages[{names[stage.name]}]")
        names[stage.name] = index
        _check_condition(stage.entry, f"{path}.entry")
        if stage.entry in entries:
            raise InvalidPolicyError(f"{path}.entry", f"overlaps stages[{entries[stage.entry]}]: the same entry "
                                                      "condition, so the earlier stage is never chosen")
        entries[stage.entry] = index
        if not stage.ladder:
            raise InvalidPolicyError(f"{path}.ladder", "must hold at least one step")
        for number, step in enumerate(stage.ladder):
            step_path = f"{path}.ladder[{number}]"
            if not isinstance(step, Step) or not isinstance(step.action, Action) or step.action is Action.NONE:
                raise InvalidPolicyError(step_path, f"must be a Step with an action other than none, got {step!r}")
            _check_condition(step.when, f"{step_path}.when")
            for field in ("max_times", "within_days"):
                value = getattr(step, field)
                if value is not None and (type(value) is not int or value < 1):
                    raise InvalidPolicyError(f"{step_path}.{field}", f"must be an int >= 1, got {value!r}")
    taken = policy.actions()
    for index, stage in enumerate(policy.stages):
        for number, prerequisite in enumerate(stage.prerequisites):
            path = f"stages[{index}].prerequisites[{number}]"
            if not isinstance(prerequisite, Prerequisite):
                raise InvalidPolicyError(path, f"must be a Prerequisite, got {prerequisite!r}")
            _check_condition(prerequisite.condition, f"{path}.when")
            if prerequisite.supply is not Action.NONE and prerequisite.supply not in taken:
                raise InvalidPolicyError(f"{path}.supply", f"names {prerequisite.supply.value!r}, a step no stage "
                                                           "takes")
    for index, constraint in enumerate(policy.constraints):
        _check_constraint(constraint, f"constraints[{index}]")
    _check_reachable(policy)


def _check_constraint(constraint: object, path: str) -> None:
    if isinstance(constraint, ContactWindow):
        if not isinstance(constraint.start, time) or not isinstance(constraint.end, time):
            raise InvalidPolicyError(path, "start and end must be times of day")
        if constraint.end <= constraint.start:
            raise InvalidPolicyError(f"{path}.end", f"ends ({constraint.end}) before it starts ({constraint.start})")
    elif isinstance(constraint, Cap):
        if type(constraint.limit) is not int or constraint.limit < 0:
            raise InvalidPolicyError(f"{path}.limit", f"must be an int >= 0, got {constraint.limit!r}")
        if type(constraint.days) is not int or constraint.days < 1:
            raise InvalidPolicyError(f"{path}.days", f"must be an int >= 1, got {constraint.days!r}")
        if not constraint.actions:
            raise InvalidPolicyError(f"{path}.actions", "must name at least one action")
    elif isinstance(constraint, Cooldown):
        if type(constraint.days) is not int or constraint.days < 1:
            raise InvalidPolicyError(f"{path}.days", f"must be an int >= 1, got {constraint.days!r}")
    else:
        raise InvalidPolicyError(path, f"must be a ContactWindow, Cap or Cooldown, got {constraint!r}")


def _possible(condition: Condition, dpd: int) -> tuple[bool, bool]:
    """(may hold, must hold) at ``dpd``, every other fact left free."""
    if isinstance(condition, Compare):
        if condition.fact.name is FactName.DPD:
            result = condition.op.apply(dpd, condition.value)
            return result, result
        return True, False
    if isinstance(condition, Not):
        may, must = _possible(condition.condition, dpd)
        return not must, not may
    parts = [_possible(child, dpd) for child in condition.conditions]
    if isinstance(condition, All):
        return all(p[0] for p in parts), all(p[1] for p in parts)
    return any(p[0] for p in parts), any(p[1] for p in parts)


def _dpd_points(policy: CollectionPolicy) -> list[int]:
    """Every DPD at which some stage entry can change: each threshold, and either side of it."""
    points = {0}
    for stage in policy.stages:
        for compare, _path in _walk(stage.entry, ""):
            if compare.fact.name is FactName.DPD and not isinstance(compare.value, bool):
                threshold = int(compare.value)
                points.update({max(0, threshold - 1), max(0, threshold), threshold + 1})
    return sorted(points)


def _check_reachable(policy: CollectionPolicy) -> None:
    """Refuse a stage that can never be chosen: whenever it may hold, a later stage must."""
    stages = policy.stages
    points = _dpd_points(policy)
    for index, stage in enumerate(stages):
        reachable = any(
            _possible(stage.entry, dpd)[0]
            and not any(_possible(later.entry, dpd)[1] for later in stages[index + 1:])
            for dpd in points
        )
        if not reachable:
            raise InvalidPolicyError(f"stages[{index}].entry", f"stage {stage.name!r} is unreachable: its entry "
                                                               "never holds, or a later stage's holds whenever it does")


# ---------------------------------------------------------------------------
# Plain data in and out


def _fact_to_dict(fact: Fact) -> dict[str, typing.Any]:
    data: dict[str, typing.Any] = {"fact": fact.name.value}
    if fact.action is not None:
        data["action"] = fact.action.value
    if fact.outcomes:
        data["outcomes"] = sorted(o.value for o in fact.outcomes)
    if fact.within_days is not None:
        data["within_days"] = fact.within_days
    return data


def _value_to_plain(value: Value) -> typing.Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def _condition_to_dict(condition: Condition) -> dict[str, typing.Any]:
    if isinstance(condition, Compare):
        return {**_fact_to_dict(condition.fact), "op": condition.op.value, "value": _value_to_plain(condition.value)}
    if isinstance(condition, Not):
        return {"not": _condition_to_dict(condition.condition)}
    key = "all" if isinstance(condition, All) else "any"
    return {key: [_condition_to_dict(c) for c in condition.conditions]}


def _stage_to_dict(stage: Stage) -> dict[str, typing.Any]:
    data: dict[str, typing.Any] = {"name": stage.name, "entry": _condition_to_dict(stage.entry), "ladder": []}
    for step in stage.ladder:
        item: dict[str, typing.Any] = {"action": step.action.value}
        if step.when != TRUE:
            item["when"] = _condition_to_dict(step.when)
        if step.max_times is not None:
            item["max_times"] = step.max_times
        if step.within_days is not None:
            item["within_days"] = step.within_days
        data["ladder"].append(item)
    if stage.prerequisites:
        data["prerequisites"] = [{"name": p.name, "when": _condition_to_dict(p.condition), "supply": p.supply.value}
                                 for p in stage.prerequisites]
    return data


def _constraint_to_dict(constraint: Constraint) -> dict[str, typing.Any]:
    if isinstance(constraint, ContactWindow):
        return {"type": "window", "start": constraint.start.strftime("%H:%M"),
                "end": constraint.end.strftime("%H:%M"), "actions": sorted(a.value for a in constraint.actions)}
    if isinstance(constraint, Cap):
        return {"type": "cap", "actions": sorted(a.value for a in constraint.actions), "limit": constraint.limit,
                "counting": constraint.counting.value, "period": constraint.period.value, "days": constraint.days}
    return {"type": "cooldown", "actions": sorted(a.value for a in constraint.actions),
            "after": sorted(a.value for a in constraint.after), "days": constraint.days}


class _Reader:
    """Reads one mapping of plain policy data, naming paths in errors."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise InvalidPolicyError(path or "<policy>", f"must be a table/mapping, got {data!r}")
        self.data = data
        self.path = path
        self.used: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> typing.Any:
        self.used.add(key)
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def string(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value:
            raise InvalidPolicyError(self.at(key), f"must be a non-empty string, got {value!r}")
        return value

    def integer(self, key: str, *, default: int | None = None, low: int = 0) -> int:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if type(value) is not int or value < low:
            raise InvalidPolicyError(self.at(key), f"must be an int >= {low}, got {value!r}")
        return value

    def optional_int(self, key: str, low: int) -> int | None:
        return None if self.get(key) is None else self.integer(key, low=low)

    def items(self, key: str, *, required: bool = True) -> list[_Reader]:
        value = self.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise InvalidPolicyError(self.at(key), f"must be a non-empty list, got {value!r}" if required
                                     else f"must be a list, got {value!r}")
        return [_Reader(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    def child(self, key: str) -> _Reader:
        return _Reader(self.get(key), self.at(key))

    def enum(self, key: str, kind: type[_E]) -> _E:
        value = self.get(key)
        try:
            return kind(value)
        except ValueError:
            known = ", ".join(sorted(str(m.value) for m in kind))
            raise InvalidPolicyError(self.at(key), f"unknown {kind.__name__.lower()} {value!r}; known: {known}") \
                from None

    def enums(self, key: str, kind: type[_E], *, default: frozenset[_E] | None = None) -> frozenset[_E]:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, list):
            raise InvalidPolicyError(self.at(key), f"must be a list, got {value!r}")
        out = set()
        for index, item in enumerate(value):
            try:
                out.add(kind(item))
            except ValueError:
                known = ", ".join(sorted(str(m.value) for m in kind))
                raise InvalidPolicyError(f"{self.at(key)}[{index}]",
                                         f"unknown {kind.__name__.lower()} {item!r}; known: {known}") from None
        return frozenset(out)

    def clock(self, key: str) -> time:
        value = self.get(key)
        try:
            return time.fromisoformat(value)
        except (TypeError, ValueError):
            raise InvalidPolicyError(self.at(key), f"must be a time of day like '08:00', got {value!r}") from None

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise InvalidPolicyError(self.at(unknown[0]), f"unknown field {unknown[0]!r}")


_E = typing.TypeVar("_E", bound=enum.Enum)

_FACT_KEYS: Final = frozenset({"fact", "action", "outcomes", "within_days", "op", "value"})


def _condition_from(reader: _Reader) -> Condition:
    keys = set(reader.data)
    if keys in ({"all"}, {"any"}):
        key = next(iter(keys))
        children = tuple(_condition_from(item) for item in reader.items(key, required=False))
        reader.done()
        return All(children) if key == "all" else Any(children)
    if keys == {"not"}:
        child = _condition_from(reader.child("not"))
        reader.done()
        return Not(child)
    if "fact" not in keys:
        raise InvalidPolicyError(reader.path, "must be {all: [...]}, {any: [...]}, {not: {...}} or a comparison "
                                              "{fact, op, value}")
    try:
        name = FactName(reader.get("fact"))
    except ValueError:
        known = ", ".join(sorted(f.value for f in FactName))
        raise InvalidPolicyError(reader.at("fact"), f"unknown fact {reader.data['fact']!r}; known: {known}") from None
    action = reader.enum("action", Action) if reader.has("action") else None
    outcomes = reader.enums("outcomes", Outcome, default=frozenset())
    within = reader.optional_int("within_days", 1)
    if name not in _PARAMETRIC and (action is not None or outcomes or within is not None):
        raise InvalidPolicyError(reader.path, f"fact {name.value!r} takes no action, outcomes or within_days")
    op = reader.enum("op", Op)
    raw = reader.get("value")
    value: Value
    if isinstance(raw, (bool, int)):
        value = raw
    elif isinstance(raw, str | float):
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            raise InvalidPolicyError(reader.at("value"), f"must be a number or true/false, got {raw!r}") from None
        if not value.is_finite():
            raise InvalidPolicyError(reader.at("value"), f"must be a finite number, got {raw!r}")
    else:
        raise InvalidPolicyError(reader.at("value"), f"must be a number or true/false, got {raw!r}")
    reader.done()
    condition = Compare(Fact(name=name, action=action, outcomes=outcomes, within_days=within), op, value)
    _check_condition(condition, reader.path)
    return condition


def _hold_from(reader: _Reader) -> Hold:
    hold = Hold(name=reader.string("name"), condition=_condition_from(reader.child("when")))
    reader.done()
    return hold


def _stage_from(reader: _Reader) -> Stage:
    name = reader.string("name")
    entry = _condition_from(reader.child("entry"))
    ladder = []
    for item in reader.items("ladder"):
        action = item.enum("action", Action)
        when = _condition_from(item.child("when")) if item.has("when") else TRUE
        ladder.append(Step(action=action, when=when, max_times=item.optional_int("max_times", 1),
                           within_days=item.optional_int("within_days", 1)))
        item.done()
    prerequisites = []
    for item in reader.items("prerequisites", required=False):
        prerequisites.append(Prerequisite(name=item.string("name"), condition=_condition_from(item.child("when")),
                                          supply=item.enum("supply", Action)))
        item.done()
    reader.done()
    return Stage(name=name, entry=entry, ladder=tuple(ladder), prerequisites=tuple(prerequisites))


def _constraint_from(reader: _Reader) -> Constraint:
    kind = reader.get("type")
    constraint: Constraint
    if kind == "window":
        constraint = ContactWindow(start=reader.clock("start"), end=reader.clock("end"),
                                   actions=reader.enums("actions", Action, default=REACHING))
    elif kind == "cap":
        limit = reader.get("limit")
        if type(limit) is not int or limit < 0:
            raise InvalidPolicyError(reader.at("limit"), f"must be an int >= 0, got {limit!r}")
        constraint = Cap(actions=reader.enums("actions", Action), limit=limit,
                         counting=reader.enum("counting", Counting) if reader.has("counting") else Counting.ATTEMPTS,
                         period=reader.enum("period", Period) if reader.has("period") else Period.CALENDAR_DAY,
                         days=reader.integer("days", default=1, low=1))
    elif kind == "cooldown":
        constraint = Cooldown(actions=reader.enums("actions", Action), after=reader.enums("after", Action),
                              days=reader.integer("days", low=1))
    else:
        raise InvalidPolicyError(reader.at("type"), f"must be 'window', 'cap' or 'cooldown', got {kind!r}")
    reader.done()
    _check_constraint(constraint, reader.path)
    return constraint


# ---------------------------------------------------------------------------
# Compiled form: closures made once per policy, so that evaluating a case
# builds no text and hashes no enum. The engine drives them.


class _Context:
    """The facts of one case at one moment (private; made by the engine for one call).

    ``rows`` are the records up to ``now``, oldest first, as
    ``(at, action, outcome, record)``; ``by_action`` indexes them, so that a
    fact reads only the rows it needs.
    """

    __slots__ = ("by_action", "by_outcome", "cache", "case", "now", "rows", "state", "today", "utc_now", "zone")

    def __init__(self, case: Case, now: datetime) -> None:
        self.case = case
        self.state = case.state
        self.zone = zone = ZoneInfo(case.timezone)
        self.now = now.astimezone(zone)
        self.today = self.now.date()
        # Every comparison and every span of days is taken on instants (UTC).
        self.utc_now = utc_now = now.astimezone(UTC)
        history = case.history  # in time order
        records = history if not history or history[-1].instant <= utc_now else \
            history[:bisect.bisect_right(history, utc_now, key=_at)]
        rows: list[typing.Any] = []
        by_action: dict[Action, list[typing.Any]] = {}
        by_outcome: dict[Outcome, list[typing.Any]] = {}
        indexed = _INDEXED_OUTCOMES
        for record in records:
            row = (record.instant, action := record.action, outcome := record.outcome, record)
            rows.append(row)
            found = by_action.get(action)
            if found is None:
                by_action[action] = [row]
            else:
                found.append(row)
            if outcome in indexed:
                by_outcome.setdefault(outcome, []).append(row)
        self.rows = rows
        self.by_action = by_action
        self.by_outcome = by_outcome  # the outcomes facts look for by name only
        self.cache: dict[typing.Hashable, object] = {}

    def local_date(self, moment: datetime) -> date:
        """The debtor's calendar date at ``moment``."""
        return moment.astimezone(self.zone).date()

    def actions(self, actions: frozenset[Action]) -> list[typing.Any]:
        """The rows of any of ``actions``, oldest first."""
        key = ("actions", actions)
        found = self.cache.get(key)
        if found is None:
            found = [row for action in actions for row in self.by_action.get(action, ())]
            if len(actions) > 1:
                found.sort(key=_first)
            self.cache[key] = found
        return typing.cast(list[typing.Any], found)

    def promise(self) -> Record | None:
        """The latest promise to pay on record."""
        promises = self.by_outcome.get(Outcome.PROMISED)
        return promises[-1][3] if promises else None


_INDEXED_OUTCOMES: Final = frozenset({Outcome.PROMISED, Outcome.HARDSHIP, Outcome.DISPUTED})


def _first(row: tuple[typing.Any, ...]) -> typing.Any:
    return row[0]


def _at(record: Record) -> datetime:
    return record.instant


Getter = typing.Callable[[_Context], object]
Evaluator = typing.Callable[[_Context, list[tuple[str, object]]], bool]


def _simple_getter(name: FactName) -> Getter:
    if name is FactName.DPD:
        return lambda ctx: ctx.state.days_past_due
    if name is FactName.OVERDUE_AMOUNT:
        return lambda ctx: ctx.state.overdue.total
    if name is FactName.DAYS_TO_DUE:
        return lambda ctx: NEVER if ctx.state.next_due_date is None else (ctx.state.next_due_date - ctx.today).days
    if name is FactName.OPEN_PROMISE:
        def open_promise(ctx: _Context) -> bool:
            promise = ctx.promise()
            return promise is not None and promise.promise_date >= ctx.today
        return open_promise
    if name is FactName.BROKEN_PROMISE:
        def broken_promise(ctx: _Context) -> bool:
            promise = ctx.promise()
            return promise is not None and promise.promise_date < ctx.today and ctx.state.days_past_due > 0
        return broken_promise
    if name is FactName.HARDSHIP:
        return lambda ctx: Outcome.HARDSHIP in ctx.by_outcome
    if name is FactName.DISPUTE_OPEN:
        return lambda ctx: Outcome.DISPUTED in ctx.by_outcome and "dispute_resolved" not in ctx.case.flags
    if name is FactName.CEASE_REQUESTED:
        return lambda ctx: "cease_request" in ctx.case.flags
    if name is FactName.PLAN_ACTIVE:
        return lambda ctx: (ctx.state.restructured_on is not None and ctx.state.days_past_due == 0
                            and ctx.state.status is not Status.SETTLED)
    if name is FactName.SETTLED:
        return lambda ctx: ctx.state.status is Status.SETTLED
    call, sms, email = Action.CALL, Action.SMS, Action.EMAIL

    def contact_attempts(ctx: _Context) -> int:
        get = ctx.by_action.get
        return len(get(call, ())) + len(get(sms, ())) + len(get(email, ()))

    return contact_attempts


def _getter(fact: Fact) -> Getter:
    if fact.name not in _PARAMETRIC:
        return _simple_getter(fact.name)
    action, outcomes, within = fact.action, fact.outcomes, fact.within_days

    def matching(ctx: _Context) -> list[typing.Any]:
        rows = ctx.rows if action is None else ctx.by_action.get(action, [])
        if outcomes:
            rows = [row for row in rows if row[2] in outcomes]
        if within is not None:
            since = ctx.utc_now - timedelta(days=within)
            rows = [row for row in rows if row[0] > since]
        return rows

    if fact.name is FactName.COUNT:
        return lambda ctx: len(matching(ctx))

    def days_since(ctx: _Context) -> int:
        rows = matching(ctx)
        return (ctx.today - ctx.local_date(rows[-1][0])).days if rows else NEVER

    return days_since


_OPERATORS: Final = {Op.LT: operator.lt, Op.LE: operator.le, Op.EQ: operator.eq, Op.NE: operator.ne,
                     Op.GE: operator.ge, Op.GT: operator.gt}
_MISSING: Final = object()


def compile_condition(condition: Condition) -> Evaluator:
    """A closure that evaluates ``condition`` on a context, noting every fact it reads."""
    if isinstance(condition, Compare):
        label, get = condition.fact.label, _getter(condition.fact)
        compare, value = _OPERATORS[condition.op], condition.value

        def leaf(ctx: _Context, facts: list[tuple[str, object]]) -> bool:
            found: typing.Any = ctx.cache.get(label, _MISSING)
            if found is _MISSING:
                found = ctx.cache[label] = get(ctx)
            facts.append((label, found))
            return compare(found, value)  # type: ignore[no-any-return]

        return leaf
    if isinstance(condition, Not):
        inner = compile_condition(condition.condition)
        return lambda ctx, facts: not inner(ctx, facts)
    parts = tuple(compile_condition(c) for c in condition.conditions)
    every = isinstance(condition, All)

    def branch(ctx: _Context, facts: list[tuple[str, object]]) -> bool:
        # Every part is evaluated (no short cut) so that the trace shows every fact.
        results = [part(ctx, facts) for part in parts]
        return all(results) if every else any(results)

    return branch


class Rule(typing.NamedTuple):
    """A compiled rule: its path in the policy, its text, and its evaluator."""

    path: str
    text: str
    evaluate: Evaluator


class CompiledStage(typing.NamedTuple):
    """A stage's compiled rules."""

    stage: Stage
    entry: Rule
    reason: str
    prerequisites: tuple[tuple[Prerequisite, Rule], ...]
    ladder: tuple[tuple[Step, Rule, Rule], ...]
    """Each step, its ``when`` rule, and the rule "taken fewer than max_times" (for the trace)."""


class Compiled(typing.NamedTuple):
    """A policy's compiled rules and constraint texts."""

    holds: tuple[tuple[Hold, Rule], ...]
    stages: tuple[CompiledStage, ...]
    constraint_texts: tuple[str, ...]
    constraint_paths: tuple[str, ...]


def describe_constraint(constraint: Constraint) -> str:
    """A constraint as a person reads it.

    >>> describe_constraint(Cap(actions=frozenset({Action.CALL}), limit=6))
    'call: at most 6 per calendar day'
    """
    actions = ", ".join(sorted(a.value for a in constraint.actions))
    if isinstance(constraint, ContactWindow):
        return f"{actions} only {constraint.start:%H:%M}-{constraint.end:%H:%M} local time"
    if isinstance(constraint, Cap):
        what = " that reached the customer" if constraint.counting is Counting.REACHED else ""
        period = "per calendar day" if constraint.period is Period.CALENDAR_DAY else f"in any {constraint.days} days"
        return f"{actions}: at most {constraint.limit}{what} {period}"
    after = ", ".join(sorted(a.value for a in constraint.after))
    return f"no {actions} within {constraint.days} days after a {after} that reached the customer"


def _taken_rule(path: str, step: Step) -> Rule:
    """The trace line of a step already taken as often as allowed (never evaluated as a condition)."""
    return Rule(path, f"{step.action.value} on record fewer than {step.max_times} times", compile_condition(TRUE))


def _rule(path: str, condition: Condition) -> Rule:
    return Rule(path, condition.text, compile_condition(condition))


def compile_policy(policy: CollectionPolicy) -> Compiled:
    """Compile a validated policy's conditions into closures."""
    stages = tuple(
        CompiledStage(
            stage=stage,
            entry=_rule(f"stages[{i}].entry", stage.entry),
            reason=f"stage {stage.name}: {stage.entry.text}",
            prerequisites=tuple((p, _rule(f"stages[{i}].prerequisites[{j}]", p.condition))
                                for j, p in enumerate(stage.prerequisites)),
            ladder=tuple((s, _rule(f"stages[{i}].ladder[{j}].when", s.when), _taken_rule(f"stages[{i}].ladder[{j}]", s))
                         for j, s in enumerate(stage.ladder)),
        )
        for i, stage in enumerate(policy.stages)
    )
    holds = tuple((h, _rule(f"holds[{i}]", h.condition)) for i, h in enumerate(policy.holds))
    return Compiled(holds, stages, tuple(describe_constraint(c) for c in policy.constraints),
                    tuple(f"constraints[{i}]" for i in range(len(policy.constraints))))
