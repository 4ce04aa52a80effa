"""Collection policies as data: stages, holds and constraints, validated, and read from dicts and TOML.

A :class:`CollectionPolicy` is plain, validated, immutable data (it pickles
and hashes); each part validates its own fields on construction. Conditions
form a closed, typed tree (:class:`AllOf`, :class:`AnyOf`, :class:`Not`,
:class:`Compare` over a named :class:`Fact`): no ``eval``, no strings of
code. The engine compiles a policy into closures of its own, kept apart
(``collection/_compiler.py``). A policy round-trips through plain dicts and
reads TOML written by a person:

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
import typing
from collections.abc import Callable, Mapping
from datetime import time
from decimal import Decimal
from typing import Final

import attrs

from loanrules._checks import (
    NAIVE_TIME,
    NON_EMPTY_STR,
    InstanceOf,
    IntIn,
    MembersOf,
    member_repr,
    pretty_repr,
    to_frozenset,
    to_tuple,
    value_repr,
)
from loanrules.errors import MAX_SHOWN, InvalidPolicyError, InvalidTypeError, InvalidValueError, describe

from ._conditions import (
    _PARAMETRIC,
    CONDITION_TYPES,
    MAX_CONDITIONS,
    MAX_DAYS,
    MAX_DEPTH,
    TRUE,
    All,
    AllOf,
    Any,
    AnyOf,
    Compare,
    Condition,
    Fact,
    FactName,
    Not,
    Op,
    Value,
)
from ._records import (
    KNOWN_FLAGS,
    REACHED_OUTCOMES,
    REACHING,
    Action,
    Case,
    Outcome,
    Record,
)

__all__ = [
    "KNOWN_FLAGS",
    "MAX_ITEMS",
    "REACHED_OUTCOMES",
    "REACHING",
    "TRUE",
    "Action",
    "All",
    "AllOf",
    "Any",
    "AnyOf",
    "Cap",
    "Case",
    "CollectionPolicy",
    "Compare",
    "Condition",
    "Constraint",
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
# The records, the case and the conditions live in ``_records`` and ``_conditions``; they are named here
# too (in ``__all__``) because ``loanrules.strategies`` and older code import them from this module.

MAX_ITEMS: Final = 1_000
"""The most stages, holds or constraints a policy, and the most steps or prerequisites a stage, may hold."""

_condition = InstanceOf(CONDITION_TYPES, what="a condition (AllOf, AnyOf, Not or Compare)")
_action = InstanceOf(Action)


def _not_none_action(_instance: object, _attribute: object, action: Action) -> None:
    if action is Action.NONE:
        raise InvalidValueError("action", "must be a step other than NONE", action)


def _non_empty(_instance: object, attribute: typing.Any, value: frozenset[Action]) -> None:
    if not value:
        raise InvalidValueError(attribute.name, "must name at least one action", value)


def _at_most(_instance: object, attribute: typing.Any, value: tuple[object, ...]) -> None:
    if len(value) > MAX_ITEMS:
        raise InvalidValueError(attribute.name, f"must hold at most {MAX_ITEMS} items", len(value))


def _ladder_tuple(value: typing.Iterable[Step]) -> tuple[Step, ...]:
    return to_tuple("ladder", value)


def _prerequisites_tuple(value: typing.Iterable[Prerequisite]) -> tuple[Prerequisite, ...]:
    return to_tuple("prerequisites", value)


def _actions_frozenset(value: typing.Iterable[Action]) -> frozenset[Action]:
    return to_frozenset("actions", value)


def _after_frozenset(value: typing.Iterable[Action]) -> frozenset[Action]:
    return to_frozenset("after", value)


def _stages_tuple(value: typing.Iterable[Stage]) -> tuple[Stage, ...]:
    return to_tuple("stages", value)


def _holds_tuple(value: typing.Iterable[Hold]) -> tuple[Hold, ...]:
    return to_tuple("holds", value)


def _constraints_tuple(value: typing.Iterable[Constraint]) -> tuple[Constraint, ...]:
    return to_tuple("constraints", value)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Step:
    """A rung of a stage's ladder: take ``action`` when ``when`` holds, at most ``max_times``.

    Args:
        action: The step (an :class:`Action` other than ``NONE``).
        when: When it is due (always by default).
        max_times: How often it may be on record (within ``within_days``) before it
            counts as taken; ``None`` repeats it without limit (within the caps).
        within_days: The window for ``max_times``; ``None`` counts the whole history.

    Raises:
        InvalidTypeError: For a field of the wrong type (``max_times=True``).
        InvalidValueError: For ``Action.NONE`` or a count below 1.

    >>> Step(action=Action.CALL, max_times=0)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'max_times' must be >= 1, got 0
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    action: Action = attrs.field(validator=attrs.validators.and_(_action, _not_none_action))
    when: Condition = attrs.field(default=TRUE, validator=_condition)
    max_times: int | None = attrs.field(default=None, validator=IntIn(1, optional=True))
    within_days: int | None = attrs.field(default=None, validator=IntIn(1, MAX_DAYS, optional=True))


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Prerequisite:
    """A condition that must hold before a stage may act, and the step that supplies it (``NONE``: none does)."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    name: str = attrs.field(validator=NON_EMPTY_STR)
    condition: Condition = attrs.field(validator=_condition)
    supply: Action = attrs.field(validator=_action)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Stage:
    """A collection stage: entered when ``entry`` holds; acts by its ladder.

    >>> Stage(name="late", entry=Compare(Fact(name=FactName.DPD), Op.GE, 1), ladder=[Step(action=Action.CALL)]).ladder
    (Step(action=Action.CALL),)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    name: str = attrs.field(validator=NON_EMPTY_STR)
    entry: Condition = attrs.field(validator=_condition)
    ladder: tuple[Step, ...] = attrs.field(converter=_ladder_tuple, validator=[_at_most, MembersOf(Step)])
    prerequisites: tuple[Prerequisite, ...] = attrs.field(default=(), converter=_prerequisites_tuple,
                                                         validator=[_at_most, MembersOf(Prerequisite)])


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Hold:
    """A suppression: while ``condition`` holds, nothing is done (status HOLD)."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    name: str = attrs.field(validator=NON_EMPTY_STR)
    condition: Condition = attrs.field(validator=_condition)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class ContactWindow:
    """Steps in ``actions`` only from ``start`` to ``end`` in the debtor's local time.

    ``start`` and ``end`` are naive times of day (the debtor's zone is the
    case's); ``end`` must be after ``start``.

    >>> from loanrules.collection._compiler import describe_constraint
    >>> describe_constraint(ContactWindow(start=time(8), end=time(22), actions={Action.CALL}))
    'call only 08:00-22:00 local time'
    >>> ContactWindow(start=time(22), end=time(8))
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'end' must be after start (22:00:00), got datetime.time(8, 0)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    start: time = attrs.field(validator=NAIVE_TIME)
    end: time = attrs.field(validator=NAIVE_TIME)
    actions: frozenset[Action] = attrs.field(default=REACHING, converter=_actions_frozenset,
                                             validator=[MembersOf(Action), _non_empty])

    @end.validator
    def _check(self, _attribute: object, end: time) -> None:
        if end <= self.start:
            raise InvalidValueError("end", f"must be after start ({self.start})", end)


class Counting(enum.Enum):
    """What a frequency cap counts."""

    __repr__ = member_repr

    ATTEMPTS = "attempts"
    """Every recorded step."""
    REACHED = "reached"
    """Only steps that reached the customer."""


class Period(enum.Enum):
    """The window of a frequency cap."""

    __repr__ = member_repr

    CALENDAR_DAY = "calendar_day"
    """The debtor's local calendar day."""
    ROLLING = "rolling"
    """The last ``days`` days up to now."""


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Cap:
    """At most ``limit`` steps in ``actions`` per ``period``, counting ``counting``.

    >>> from loanrules.collection._compiler import describe_constraint
    >>> describe_constraint(Cap(actions={Action.CALL}, limit=7, period=Period.ROLLING, days=7))
    'call: at most 7 in any 7 days'
    >>> Cap(actions={Action.CALL}, limit=-1)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'limit' must be >= 0, got -1
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    actions: frozenset[Action] = attrs.field(converter=_actions_frozenset,
                                             validator=[MembersOf(Action), _non_empty])
    limit: int = attrs.field(validator=IntIn(0))
    counting: Counting = attrs.field(default=Counting.ATTEMPTS, validator=InstanceOf(Counting))
    period: Period = attrs.field(default=Period.CALENDAR_DAY, validator=InstanceOf(Period))
    days: int = attrs.field(default=1, validator=IntIn(1, MAX_DAYS))


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Cooldown:
    """No step in ``actions`` within ``days`` after a step in ``after`` that reached the customer.

    >>> from loanrules.collection._compiler import describe_constraint
    >>> describe_constraint(Cooldown(actions={Action.CALL}, after={Action.CALL}, days=7))
    'no call within 7 days after a call that reached the customer'
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    actions: frozenset[Action] = attrs.field(converter=_actions_frozenset,
                                             validator=[MembersOf(Action), _non_empty])
    after: frozenset[Action] = attrs.field(converter=_after_frozenset,
                                           validator=[MembersOf(Action), _non_empty])
    days: int = attrs.field(validator=IntIn(1, MAX_DAYS))


Constraint = ContactWindow | Cap | Cooldown
"""A constraint on when a step may be taken."""


@typing.final
@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class CollectionPolicy:
    """A collection policy: ordered stages, holds and constraints. Data, validated; it pickles and hashes.

    Build one in code, with :meth:`from_dict`, or with :meth:`from_toml`;
    :func:`loanrules.policies.standard` is the process of the source article.
    The policy holds no compiled form: the engine compiles it (once per
    policy value, in a bounded memo) when it first decides with it. The hash
    is computed once and kept (``cache_hash``), so that finding the compiled
    form costs one dictionary look-up.

    >>> import pickle
    >>> from loanrules import policies
    >>> pickle.loads(pickle.dumps(policies.standard())) == policies.standard()
    True
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    name: str
    stages: tuple[Stage, ...] = attrs.field(converter=_stages_tuple)
    holds: tuple[Hold, ...] = attrs.field(default=(), converter=_holds_tuple)
    constraints: tuple[Constraint, ...] = attrs.field(default=(), converter=_constraints_tuple)

    def __attrs_post_init__(self) -> None:
        _validate(self)

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
        if not isinstance(text, str):
            raise InvalidPolicyError("<toml>", f"must be the text of a TOML document (a str), got {describe(text)}")
        import tomllib  # noqa: PLC0415 - lazily: only a policy read from TOML needs the parser

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InvalidPolicyError("<toml>", str(error)) from None
        except RecursionError:  # arrays or inline tables nested thousands deep
            raise InvalidPolicyError("<toml>", "nests too deep to read") from None
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
        key = "all" if isinstance(condition, AllOf) else "any"
        for index, child in enumerate(condition.conditions):
            yield from _walk(child, f"{path}.{key}[{index}]")


def _validate(policy: CollectionPolicy) -> None:
    if not isinstance(policy.name, str) or not policy.name:
        raise InvalidPolicyError("name", f"must be a non-empty string, got {describe(policy.name)}")
    if not policy.stages:
        raise InvalidPolicyError("stages", "must hold at least one stage")
    for key in ("stages", "holds", "constraints"):
        if len(getattr(policy, key)) > MAX_ITEMS:
            raise InvalidPolicyError(key, f"must hold at most {MAX_ITEMS} items, got {len(getattr(policy, key))}")
    names: dict[str, int] = {}
    for index, hold in enumerate(policy.holds):
        if not isinstance(hold, Hold):
            raise InvalidPolicyError(f"holds[{index}]", f"must be a Hold, got {describe(hold)}")
    entries: dict[Condition, int] = {}
    for index, stage in enumerate(policy.stages):
        path = f"stages[{index}]"
        if not isinstance(stage, Stage):
            raise InvalidPolicyError(path, f"must be a Stage, got {describe(stage)}")
        if stage.name in names:
            raise InvalidPolicyError(f"{path}.name", f"stage {describe(stage.name)} is already stages[{names[stage.name]}]")
        names[stage.name] = index
        if stage.entry in entries:
            raise InvalidPolicyError(f"{path}.entry", f"overlaps stages[{entries[stage.entry]}]: the same entry "
                                                      "condition, so the earlier stage is never chosen")
        entries[stage.entry] = index
        if not stage.ladder:  # a Stage may be made with an empty ladder; a policy's stages act
            raise InvalidPolicyError(f"{path}.ladder", "must hold at least one step")
    taken = policy.actions()
    for index, stage in enumerate(policy.stages):
        for number, prerequisite in enumerate(stage.prerequisites):
            path = f"stages[{index}].prerequisites[{number}]"
            if prerequisite.supply is not Action.NONE and prerequisite.supply not in taken:
                raise InvalidPolicyError(f"{path}.supply", f"names {describe(prerequisite.supply.value)}, a step no stage "
                                                           "takes")
    for index, constraint in enumerate(policy.constraints):
        _check_constraint(constraint, f"constraints[{index}]")
    _check_reachable(policy)


def _check_constraint(constraint: object, path: str) -> None:
    # Each constraint checked its own fields when it was made; here only its type, to name the path.
    if not isinstance(constraint, (ContactWindow, Cap, Cooldown)):
        raise InvalidPolicyError(path, f"must be a ContactWindow, Cap or Cooldown, got {describe(constraint)}")


def _dpd_points(policy: CollectionPolicy) -> list[int]:
    """Every DPD at which some stage entry can change: each threshold, and either side of it."""
    points = {0}
    for stage in policy.stages:
        for compare, _path in _walk(stage.entry, ""):
            if compare.fact.name is FactName.DPD:
                threshold = int(compare.value)  # a whole number within MAX_DAYS (Compare checked it)
                points.update({max(0, threshold - 1), max(0, threshold), threshold + 1})
    return sorted(points)


def _masks(condition: Condition, points: list[int], every: int) -> tuple[int, int]:
    """(may hold, must hold) at each of ``points``, as bit masks (bit i: ``points[i]``), other facts left free."""
    if isinstance(condition, Compare):
        if condition.fact.name is not FactName.DPD:
            return every, 0
        value, op = condition.value, condition.op
        below = bisect.bisect_left(points, value)  # points[i] < value for i < below
        upto = bisect.bisect_right(points, value)  # points[i] <= value for i < upto
        ranges = {Op.LT: (0, below), Op.LE: (0, upto), Op.GE: (below, len(points)), Op.GT: (upto, len(points)),
                  Op.EQ: (below, upto)}
        if op is Op.NE:
            low, high = below, upto
            mask = every & ~(((1 << high) - 1) ^ ((1 << low) - 1))
        else:
            low, high = ranges[op]
            mask = ((1 << high) - 1) ^ ((1 << low) - 1)
        return mask, mask
    if isinstance(condition, Not):
        may, must = _masks(condition.condition, points, every)
        return every & ~must, every & ~may
    parts = [_masks(child, points, every) for child in condition.conditions]
    if isinstance(condition, AllOf):
        may, must = every, every
        for part_may, part_must in parts:
            may &= part_may
            must &= part_must
        return may, must
    may, must = 0, 0
    for part_may, part_must in parts:
        may |= part_may
        must |= part_must
    return may, must


def _check_reachable(policy: CollectionPolicy) -> None:
    """Refuse a stage that can never be chosen: whenever it may hold, a later stage must.

    One pass from the last stage back, over the DPDs at which an entry can
    change, each stage's entry evaluated once as bit masks over those DPDs:
    linear in the size of the policy (word-parallel in the number of points).
    """
    points = _dpd_points(policy)
    every = (1 << len(points)) - 1
    masks = [_masks(stage.entry, points, every) for stage in policy.stages]
    later = [0] * len(masks)  # later[i]: the points at which some stage after i must hold
    for index in range(len(masks) - 1, 0, -1):
        later[index - 1] = later[index] | masks[index][1]
    for index, stage in enumerate(policy.stages):
        if not masks[index][0] & ~later[index]:
            raise InvalidPolicyError(f"stages[{index}].entry", f"stage {describe(stage.name)} is unreachable: its "
                                     "entry never holds, or a later stage's holds whenever it does")


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
    key = "all" if isinstance(condition, AllOf) else "any"
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
            raise InvalidPolicyError(path or "<policy>", f"must be a table/mapping, got {describe(data)}")
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
            raise InvalidPolicyError(self.at(key), f"must be a non-empty string, got {describe(value)}")
        return value

    def integer(self, key: str, *, default: int | None = None, low: int = 0) -> int:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if type(value) is not int or value < low:
            raise InvalidPolicyError(self.at(key), f"must be an int >= {low}, got {describe(value)}")
        return value

    def optional_int(self, key: str, low: int) -> int | None:
        return None if self.get(key) is None else self.integer(key, low=low)

    def items(self, key: str, *, required: bool = True, limit: int = MAX_ITEMS) -> list[_Reader]:
        value = self.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list) or (required and not value):
            raise InvalidPolicyError(self.at(key), f"must be a non-empty list, got {describe(value)}" if required
                                     else f"must be a list, got {describe(value)}")
        if len(value) > limit:
            raise InvalidPolicyError(self.at(key), f"must hold at most {limit} items, got {len(value)}")
        return [_Reader(item, f"{self.at(key)}[{index}]") for index, item in enumerate(value)]

    def child(self, key: str) -> _Reader:
        return _Reader(self.get(key), self.at(key))

    def enum(self, key: str, kind: type[_E]) -> _E:
        value = self.get(key)
        try:
            return kind(value)
        except ValueError:
            known = ", ".join(sorted(str(m.value) for m in kind))
            raise InvalidPolicyError(self.at(key), f"unknown {kind.__name__.lower()} {describe(value)}; known: {known}") \
                from None

    def enums(self, key: str, kind: type[_E], *, default: frozenset[_E] | None = None) -> frozenset[_E]:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, list):
            raise InvalidPolicyError(self.at(key), f"must be a list, got {describe(value)}")
        out = set()
        for index, item in enumerate(value):
            try:
                out.add(kind(item))
            except ValueError:
                known = ", ".join(sorted(str(m.value) for m in kind))
                raise InvalidPolicyError(f"{self.at(key)}[{index}]",
                                         f"unknown {kind.__name__.lower()} {describe(item)}; known: {known}") from None
        return frozenset(out)

    def clock(self, key: str) -> time:
        value = self.get(key)
        try:
            return time.fromisoformat(value)
        except (TypeError, ValueError):
            raise InvalidPolicyError(self.at(key), f"must be a time of day like '08:00', got {describe(value)}") from None

    def build(self, kind: Callable[..., _T], *args: typing.Any, renamed: Mapping[str, str] | None = None,
              **kwargs: typing.Any) -> _T:
        """``kind(*args, **kwargs)``, its own field errors turned into errors naming this path."""
        try:
            return kind(*args, **kwargs)
        except (InvalidTypeError, InvalidValueError) as error:
            field = (renamed or {}).get(error.field, error.field)
            raise InvalidPolicyError(self.at(field), f"{error.rule}, got {describe(error.value)}") from None

    def done(self) -> None:
        # Keys of plain data may be anything (from_dict takes any mapping): order them without comparing types.
        unknown = sorted((key for key in self.data if key not in self.used),
                         key=lambda key: (type(key) is not str, key if type(key) is str else ""))
        if unknown:
            key = unknown[0]
            name = key if type(key) is str and len(key) <= MAX_SHOWN else describe(key)
            raise InvalidPolicyError(self.at(name), f"unknown field {describe(key)}")


_E = typing.TypeVar("_E", bound=enum.Enum)
_T = typing.TypeVar("_T")

_FACT_KEYS: Final = frozenset({"fact", "action", "outcomes", "within_days", "op", "value"})


def _condition_from(reader: _Reader, level: int = 0) -> Condition:
    keys = set(reader.data)
    if keys in ({"all"}, {"any"}, {"not"}) and level >= MAX_DEPTH:
        # Refused before reading further: a deeper tree would recurse without bound.
        raise InvalidPolicyError(reader.path, f"conditions must nest at most {MAX_DEPTH} levels deep (all, any, "
                                              f"not), got more")
    if keys in ({"all"}, {"any"}):
        key = next(iter(keys))
        children = tuple(_condition_from(item, level + 1)
                         for item in reader.items(key, required=False, limit=MAX_CONDITIONS))
        reader.done()
        if key == "all":
            return reader.build(AllOf, children, renamed={"conditions": key})
        return reader.build(AnyOf, children, renamed={"conditions": key})
    if keys == {"not"}:
        child = _condition_from(reader.child("not"), level + 1)
        reader.done()
        return reader.build(Not, child, renamed={"condition": "not"})
    if "fact" not in keys:
        raise InvalidPolicyError(reader.path, "must be {all: [...]}, {any: [...]}, {not: {...}} or a comparison "
                                              "{fact, op, value}")
    try:
        name = FactName(reader.get("fact"))
    except ValueError:
        known = ", ".join(sorted(f.value for f in FactName))
        raise InvalidPolicyError(reader.at("fact"), f"unknown fact {describe(reader.data['fact'])}; known: {known}") from None
    action = reader.enum("action", Action) if reader.has("action") else None
    outcomes = reader.enums("outcomes", Outcome, default=frozenset())
    within = reader.optional_int("within_days", 1)
    if name not in _PARAMETRIC and (action is not None or outcomes or within is not None):
        raise InvalidPolicyError(reader.path, f"fact {describe(name.value)} takes no action, outcomes or within_days")
    op = reader.enum("op", Op)
    raw = reader.get("value")
    value: Value
    if isinstance(raw, (bool, int)):
        value = raw
    elif isinstance(raw, str | float):
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            raise InvalidPolicyError(reader.at("value"), f"must be a number or true/false, got {describe(raw)}") from None
        if not value.is_finite():
            raise InvalidPolicyError(reader.at("value"), f"must be a finite number, got {describe(raw)}")
    else:
        raise InvalidPolicyError(reader.at("value"), f"must be a number or true/false, got {describe(raw)}")
    reader.done()
    fact = reader.build(Fact, name=name, action=action, outcomes=outcomes, within_days=within)
    return reader.build(Compare, fact, op, value)


def _hold_from(reader: _Reader) -> Hold:
    hold = reader.build(Hold, name=reader.string("name"), condition=_condition_from(reader.child("when")),
                        renamed={"condition": "when"})
    reader.done()
    return hold


def _stage_from(reader: _Reader) -> Stage:
    name = reader.string("name")
    entry = _condition_from(reader.child("entry"))
    ladder = []
    for item in reader.items("ladder"):
        action = item.enum("action", Action)
        when = _condition_from(item.child("when")) if item.has("when") else TRUE
        ladder.append(item.build(Step, action=action, when=when, max_times=item.optional_int("max_times", 1),
                                 within_days=item.optional_int("within_days", 1)))
        item.done()
    prerequisites = []
    for item in reader.items("prerequisites", required=False):
        prerequisites.append(item.build(Prerequisite, name=item.string("name"),
                                        condition=_condition_from(item.child("when")),
                                        supply=item.enum("supply", Action), renamed={"condition": "when"}))
        item.done()
    reader.done()
    return reader.build(Stage, name=name, entry=entry, ladder=tuple(ladder), prerequisites=tuple(prerequisites))


def _constraint_from(reader: _Reader) -> Constraint:
    kind = reader.get("type")
    constraint: Constraint
    if kind == "window":
        constraint = reader.build(ContactWindow, start=reader.clock("start"), end=reader.clock("end"),
                                  actions=reader.enums("actions", Action, default=REACHING))
    elif kind == "cap":
        constraint = reader.build(Cap, actions=reader.enums("actions", Action), limit=reader.get("limit"),
                                  counting=reader.enum("counting", Counting) if reader.has("counting")
                                  else Counting.ATTEMPTS,
                                  period=reader.enum("period", Period) if reader.has("period")
                                  else Period.CALENDAR_DAY,
                                  days=reader.integer("days", default=1, low=1))
    elif kind == "cooldown":
        constraint = reader.build(Cooldown, actions=reader.enums("actions", Action),
                                  after=reader.enums("after", Action), days=reader.integer("days", low=1))
    else:
        raise InvalidPolicyError(reader.at("type"), f"must be 'window', 'cap' or 'cooldown', got {describe(kind)}")
    reader.done()
    return constraint

