"""Conditions: a closed, typed tree of :class:`AllOf`, :class:`AnyOf`, :class:`Not` and :class:`Compare`.

A :class:`Compare` compares a named :class:`Fact` with a value; no ``eval``,
no strings of code. Each node validates its own fields on construction:

>>> dpd = Fact(name=FactName.DPD)
>>> AllOf([Compare(dpd, Op.GE, 1), Not(Compare(Fact(name=FactName.HARDSHIP), Op.EQ, True))]).text
'(dpd >= 1 and not hardship == true)'
>>> Compare(Fact(name=FactName.SETTLED), Op.GE, True)
Traceback (most recent call last):
...
loanrules.errors.InvalidValueError: 'op' must be == or != for the true/false fact 'settled', got '>='

``All`` and ``Any`` are the names of 0.1, kept as aliases (the same classes).
"""

from __future__ import annotations

import enum
import typing
from decimal import Decimal
from typing import Final

import attrs

from loanrules._checks import (
    InstanceOf,
    IntIn,
    MembersOf,
    member_repr,
    pretty_repr,
    to_frozenset,
    to_tuple,
    value_repr,
)
from loanrules.errors import InvalidTypeError, InvalidValueError

from ._records import Action, Outcome

__all__ = ["CONDITION_TYPES", "MAX_AMOUNT", "MAX_CONDITIONS", "MAX_DAYS", "MAX_DEPTH", "NEVER", "TRUE", "All", "AllOf", "Any", "AnyOf", "Compare", "Condition", "Fact", "FactName", "Not", "Op",
           "Value", "depth"]


class FactName(enum.Enum):
    """The facts conditions can speak of. Each is computed from the case and ``now``."""

    __repr__ = member_repr

    DPD = "dpd"
    """Days past due (int)."""
    OVERDUE_AMOUNT = "overdue_amount"
    """Total overdue (Decimal)."""
    DAYS_TO_DUE = "days_to_due"
    """Days from today (the debtor's local date) to the next unpaid due date; 9999 if none."""
    OPEN_PROMISE = "open_promise"
    """A promise to pay whose date has not passed (bool)."""
    BROKEN_PROMISE = "broken_promise"
    """Some promise on record has a date that has passed, and the loan is still overdue (bool).

    Any such promise counts, whatever came after: a new promise does not mend a broken one."""
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

MAX_DAYS: Final = 36_500
"""The bound of a span of days (``within_days``, a cap's or a cool-down's ``days``) and of a value compared
with a day or count fact (``dpd``, ``days_to_due``, ``days_since``, ``count``, ``contact_attempts``): about
100 years, so that every date the engine derives stays inside ``datetime``'s range."""
MAX_AMOUNT: Final = Decimal("1E18")
"""A value compared with ``overdue_amount`` is less than this in magnitude (and has at most 34 digits)."""
MAX_DEPTH: Final = 32
"""How deep ``AllOf`` / ``AnyOf`` / ``Not`` may nest (a comparison alone has depth 0)."""
MAX_CONDITIONS: Final = 1_000
"""How many conditions one ``AllOf`` or ``AnyOf`` may hold."""

_PARAMETRIC: Final = frozenset({FactName.COUNT, FactName.DAYS_SINCE})
_BOOLEAN: Final = frozenset({FactName.OPEN_PROMISE, FactName.BROKEN_PROMISE, FactName.HARDSHIP,
                             FactName.DISPUTE_OPEN, FactName.CEASE_REQUESTED, FactName.PLAN_ACTIVE,
                             FactName.SETTLED})


def _outcomes(value: typing.Iterable[Outcome]) -> frozenset[Outcome]:
    return to_frozenset("outcomes", value)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Fact:
    """A named fact, with the parameters of ``count`` and ``days_since``.

    >>> Fact(name=FactName.COUNT, action=Action.CALL, outcomes=[Outcome.REACHED], within_days=1).label
    'count(call, reached, 1d)'
    >>> Fact(name=FactName.DPD, within_days=1)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'name' takes no action, outcomes or within_days, got 'dpd'
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    name: FactName = attrs.field(validator=InstanceOf(FactName))
    action: Action | None = attrs.field(default=None, validator=attrs.validators.optional(InstanceOf(Action)))
    outcomes: frozenset[Outcome] = attrs.field(default=frozenset(), converter=_outcomes,
                                               validator=MembersOf(Outcome))
    within_days: int | None = attrs.field(default=None, validator=IntIn(1, MAX_DAYS, optional=True))

    def __attrs_post_init__(self) -> None:
        if self.name not in _PARAMETRIC and (self.action or self.outcomes or self.within_days is not None):
            raise InvalidValueError("name", "takes no action, outcomes or within_days", self.name.value)

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

    __repr__ = member_repr

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
@attrs.frozen(repr=False)
class Compare:
    """``fact <op> value``: the only leaf of a condition.

    A true/false fact compares with ``==`` or ``!=`` and a ``bool``; a number
    fact with an ``int`` or a finite ``Decimal`` (never a ``bool`` or a ``float``).

    >>> Compare(Fact(name=FactName.DPD), Op.GE, 16).text
    'dpd >= 16'
    >>> Compare(Fact(name=FactName.DPD), Op.GE, 1.5)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'value' must be an int or a Decimal for the number fact 'dpd', got 1.5
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    fact: Fact = attrs.field(validator=InstanceOf(Fact))
    op: Op = attrs.field(validator=InstanceOf(Op))
    value: Value = attrs.field()

    @value.validator
    def _check(self, _attribute: object, value: object) -> None:
        label = self.fact.label
        if self.fact.name in _BOOLEAN:
            if not isinstance(value, bool):
                raise InvalidTypeError("value", f"must be true or false (a bool) for the true/false fact {label!r}",
                                       value)
            if self.op not in (Op.EQ, Op.NE):
                raise InvalidValueError("op", f"must be == or != for the true/false fact {label!r}", self.op.value)
        elif isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise InvalidTypeError("value", f"must be an int or a Decimal for the number fact {label!r}", value)
        elif isinstance(value, Decimal) and not value.is_finite():
            raise InvalidValueError("value", "must be a finite number", value)
        elif self.fact.name is FactName.OVERDUE_AMOUNT:
            if not -MAX_AMOUNT < value < MAX_AMOUNT or (
                    isinstance(value, Decimal) and (len(value.as_tuple().digits) > 34 or value.adjusted() < -34)):
                raise InvalidValueError("value", f"must lie in (-{MAX_AMOUNT:,}, {MAX_AMOUNT:,}) with at most 34 "
                                                 f"digits for the amount fact {label!r}", value)
        elif not -MAX_DAYS <= value <= MAX_DAYS or value != int(value):  # bounded first: int() of 1E+1000000 is slow
            raise InvalidValueError("value", f"must be a whole number in [-{MAX_DAYS}, {MAX_DAYS}] for the day or "
                                             f"count fact {label!r}", value)

    @property
    def text(self) -> str:
        """The comparison as a person reads it."""
        value = str(self.value).lower() if isinstance(self.value, bool) else str(self.value)
        return f"{self.fact.label} {self.op.value} {value}"


def _conditions_tuple(value: typing.Iterable[Condition]) -> tuple[Condition, ...]:
    return to_tuple("conditions", value)


def depth(condition: Condition) -> int:
    """How deep ``condition`` nests: 0 for a comparison, 1 + the deepest child for the others.

    Walked without recursion, so that it answers for any tree (a built one
    never nests past :data:`MAX_DEPTH`).

    >>> depth(Not(Not(Compare(Fact(name=FactName.DPD), Op.GE, 1)))), depth(TRUE)
    (2, 1)
    """
    deepest, pending = 0, [(condition, 0)]
    while pending:
        node, level = pending.pop()
        if isinstance(node, Not):
            pending.append((node.condition, level + 1))
        elif isinstance(node, (AllOf, AnyOf)):
            deepest = max(deepest, level + 1)
            pending.extend((child, level + 1) for child in node.conditions)
        else:
            deepest = max(deepest, level)
    return deepest


def _check_depth(children: typing.Iterable[Condition]) -> None:
    level = 1 + max((depth(child) for child in children), default=0)
    if level > MAX_DEPTH:
        raise InvalidValueError("conditions", f"must nest at most {MAX_DEPTH} levels deep (all, any, not)", level)


def _conditions(_instance: object, _attribute: object, conditions: tuple[object, ...]) -> None:
    if len(conditions) > MAX_CONDITIONS:
        raise InvalidValueError("conditions", f"must hold at most {MAX_CONDITIONS} conditions", len(conditions))
    for index, condition in enumerate(conditions):
        if not isinstance(condition, (Compare, AllOf, AnyOf, Not)):
            raise InvalidTypeError(f"conditions[{index}]", "must be a condition (AllOf, AnyOf, Not or Compare)",
                                   condition)
    _check_depth(typing.cast(tuple[Condition, ...], conditions))


def _condition(_instance: object, _attribute: object, condition: typing.Any) -> None:
    if not isinstance(condition, (Compare, AllOf, AnyOf, Not)):
        raise InvalidTypeError("condition", "must be a condition (AllOf, AnyOf, Not or Compare)", condition)
    _check_depth((condition,))


@typing.final
@attrs.frozen(repr=False)
class AllOf:
    """True when every condition is (and, for none, true).

    >>> AllOf([]).text, AllOf(()) == TRUE
    ('true', True)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions_tuple, validator=_conditions)

    @property
    def text(self) -> str:
        """The conjunction as a person reads it."""
        return "(" + " and ".join(c.text for c in self.conditions) + ")" if self.conditions else "true"


@typing.final
@attrs.frozen(repr=False)
class AnyOf:
    """True when some condition is (and, for none, false).

    >>> AnyOf(()).text
    'false'
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions_tuple, validator=_conditions)

    @property
    def text(self) -> str:
        """The disjunction as a person reads it."""
        return "(" + " or ".join(c.text for c in self.conditions) + ")" if self.conditions else "false"


@typing.final
@attrs.frozen(repr=False)
class Not:
    """True when the condition is not."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    condition: Condition = attrs.field(validator=_condition)

    @property
    def text(self) -> str:
        """The negation as a person reads it."""
        return f"not {self.condition.text}"


Condition = Compare | AllOf | AnyOf | Not
"""A condition: a closed tree of :class:`AllOf`, :class:`AnyOf`, :class:`Not` and :class:`Compare`."""

CONDITION_TYPES: Final = (Compare, AllOf, AnyOf, Not)
"""The classes of a condition, for ``isinstance``."""

All = AllOf
"""The 0.1 name of :class:`AllOf` (the same class)."""
Any = AnyOf
"""The 0.1 name of :class:`AnyOf` (the same class)."""

TRUE: Final = AllOf(())
"""The condition that always holds."""
