"""The engine's compiled form of a policy: closures made once per policy, so that evaluating a case builds
no text and hashes no enum. The engine (``_engine``) drives them; the policy data never imports this module.

:func:`compiled` is the only way in: it compiles a policy on first use and
keeps the result in a bounded memo keyed by the policy *value*
(``functools.lru_cache``; a ``CollectionPolicy`` is frozen, hashable and
caches its hash). The memo is invisible: equal policies compile to equal
rules, so a hit and a miss give the same decisions; it only saves the
compile. An ``lru_cache`` was chosen over a ``WeakKeyDictionary`` because a
policy read again from the same TOML (an equal value, a new object) then
finds its compiled form too, and the bound (:data:`CACHE_SIZE` policies)
keeps memory flat when a caller makes policies by the thousand (the
property tests do).

>>> from loanrules import policies
>>> compiled(policies.standard()) is compiled(policies.standard())
True
>>> [stage.stage.name for stage in compiled(policies.standard()).stages]
['pre_due', 'early', 'formal', 'enforcement']
"""

from __future__ import annotations

import bisect
import functools
import operator
import typing
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from loanrules.ledger._ledger import Status

from ._conditions import _PARAMETRIC, NEVER, TRUE, AllOf, Compare, Condition, Fact, FactName, Not, Op
from ._policy import (
    Cap,
    CollectionPolicy,
    Constraint,
    ContactWindow,
    Counting,
    Hold,
    Period,
    Prerequisite,
    Stage,
    Step,
)
from ._records import Action, Case, Outcome, Record

__all__ = ["CACHE_SIZE", "EARLIEST", "Compiled", "CompiledStage", "Rule", "compile_condition", "compile_policy", "compiled",
           "describe_constraint"]

CACHE_SIZE: Final = 256
"""How many compiled policies the memo of :func:`compiled` keeps (least recently used dropped first)."""


EARLIEST: Final = datetime.min.replace(tzinfo=UTC)
"""The earliest instant: a window of days reaching back past it counts from here (saturated, no overflow)."""


def since(utc_now: datetime, days: int) -> datetime:
    """``utc_now`` minus ``days`` days, or :data:`EARLIEST` when that lies before datetime's range."""
    try:
        return utc_now - timedelta(days=days)
    except OverflowError:
        return EARLIEST


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
        index = case._index
        if index is None:  # built once per case: the case is immutable, so its index is too
            index = _index(history)
            object.__setattr__(case, "_index", index)
        rows, by_action, by_outcome = typing.cast(_Index, index)
        if history and history[-1].instant > utc_now:  # records after now do not count: cut each list
            rows = rows[:bisect.bisect_right(rows, utc_now, key=_first)]
            by_action = _cut(by_action, utc_now)
            by_outcome = _cut(by_outcome, utc_now)
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

    def broken_promise(self) -> bool:
        """Whether some promise on record has a date before today (the caller checks the loan is overdue)."""
        today = self.today
        return any(row[3].promise_date < today for row in self.by_outcome.get(Outcome.PROMISED, ()))


_INDEXED_OUTCOMES: Final = frozenset({Outcome.PROMISED, Outcome.HARDSHIP, Outcome.DISPUTED})

_K = typing.TypeVar("_K", Action, Outcome)
_Index = tuple[list[typing.Any], dict[Action, list[typing.Any]], dict[Outcome, list[typing.Any]]]


def _cut(index: dict[_K, list[typing.Any]], utc_now: datetime) -> dict[_K, list[typing.Any]]:
    """The rows of each key up to ``utc_now``; a key with none left is dropped (facts test for presence)."""
    cut = {}
    for key, found in index.items():
        if found[0][0] <= utc_now:
            cut[key] = found if found[-1][0] <= utc_now else found[:bisect.bisect_right(found, utc_now, key=_first)]
    return cut


def _index(history: tuple[Record, ...]) -> _Index:
    """A case's history as rows ``(instant, action, outcome, record)``, by action and by outcome, oldest first.

    Read-only once built: a context cuts copies of the lists, never changes them.
    """
    rows: list[typing.Any] = []
    by_action: dict[Action, list[typing.Any]] = {}
    by_outcome: dict[Outcome, list[typing.Any]] = {}
    indexed = _INDEXED_OUTCOMES
    for record in history:
        row = (record.instant, action := record.action, outcome := record.outcome, record)
        rows.append(row)
        found = by_action.get(action)
        if found is None:
            by_action[action] = [row]
        else:
            found.append(row)
        if outcome in indexed:
            by_outcome.setdefault(outcome, []).append(row)
    return rows, by_action, by_outcome


def _first(row: tuple[typing.Any, ...]) -> typing.Any:
    return row[0]


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
            # Any promise whose date has passed while the loan is still overdue: a later promise does not
            # mend it (only the latest one was judged before, so a new promise moved the stage back).
            return ctx.state.days_past_due > 0 and ctx.broken_promise()
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
            start = since(ctx.utc_now, within)
            rows = [row for row in rows if row[0] > start]
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
    every = isinstance(condition, AllOf)

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


@functools.lru_cache(maxsize=CACHE_SIZE)
def compiled(policy: CollectionPolicy) -> Compiled:
    """The compiled form of ``policy``, made on first use and kept in a bounded memo (see the module)."""
    return compile_policy(policy)
