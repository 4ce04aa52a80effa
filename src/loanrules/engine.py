"""The escalation engine: ``next_step(policy, case, now) -> Decision``.

Pure and deterministic: the same policy, case and moment give the same
decision, with its reasons (short sentences a collector reads) and its
trace (every condition evaluated, with its facts and result). The engine
decides; the caller acts and records what it did.

Evaluation order: a settled loan, then the holds, then the stage (the most
advanced one whose entry holds), then an open promise, then the stage's
prerequisites (a missing one turns the decision into the step that
supplies it), then the first step of the ladder that is due and not yet
taken, then the constraints (a constrained step is deferred to the first
moment it is allowed, or replaced by a later step of the ladder that is
allowed now).

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> from loanrules import Loan, LoanTerms, Rate, policies, Case
>>> loan = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
>>> case = Case(state=loan.state(as_of=date(2026, 2, 16)), timezone="Asia/Shanghai")
>>> decision = next_step(policies.standard(), case, now=datetime(2026, 2, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
>>> decision.status.name, decision.action.name, decision.stage
('ACT', 'CALL', 'early')
>>> decision.reasons[0]
'stage early: (dpd >= 1 and dpd <= 15)'
"""

from __future__ import annotations

import enum
import typing
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from .errors import InvalidTypeError
from .ledger import Status
from .policy import (
    CONTACT_ACTIONS,
    NEVER,
    REACHED_OUTCOMES,
    Action,
    All,
    Cap,
    Case,
    CollectionPolicy,
    Compare,
    Condition,
    Constraint,
    ContactWindow,
    Counting,
    Fact,
    FactName,
    Not,
    Op,
    Outcome,
    Period,
    Record,
    Stage,
    Step,
)

__all__ = ["Decision", "DecisionStatus", "TraceEntry", "next_step"]

_DAY: Final = timedelta(days=1)


class DecisionStatus(enum.Enum):
    """What the caller should do with the decision's action."""

    ACT = "act"
    """Take the action now."""
    DEFER = "defer"
    """Take the action at ``not_before`` (contact window, frequency cap, cool-down or an open promise)."""
    HOLD = "hold"
    """Do nothing: collection is suppressed (a dispute, a cease request, a plan being kept)."""
    NONE = "none"
    """Nothing to do (settled, current with nothing due soon, or every step of the stage taken)."""


@typing.final
@attrs.frozen(kw_only=True)
class TraceEntry:
    """One rule evaluated: where in the policy, what it says, the facts it read, and the result."""

    rule: str
    """The path of the rule in the policy (``stages[2].entry``, ``constraints[1]``)."""
    condition: str
    """The rule as text (``dpd >= 16``)."""
    facts: tuple[tuple[str, object], ...]
    """The facts it read, with their values."""
    result: bool
    """Whether it held (for a constraint: whether it allowed the step now)."""


@typing.final
@attrs.frozen(kw_only=True)
class Decision:
    """The engine's answer: what to do, whether now, at which stage, and why."""

    action: Action
    status: DecisionStatus
    stage: str | None
    not_before: datetime | None
    """For DEFER: the first moment the action is allowed, in the debtor's time zone."""
    reasons: tuple[str, ...]
    trace: tuple[TraceEntry, ...]


class _Evaluation:
    """Facts of one case at one moment, computed on demand, and the trace (private, per call)."""

    def __init__(self, case: Case, now: datetime, pre_due_days: int) -> None:
        self.case = case
        self.zone = ZoneInfo(case.timezone)
        self.now = now.astimezone(self.zone)
        self.today = self.now.date()
        self.history: tuple[Record, ...] = tuple(
            sorted((r for r in case.history if r.at <= now), key=lambda r: r.at))
        self.trace: list[TraceEntry] = []
        self.reasons: list[str] = []
        self.cache: dict[Fact, object] = {}
        self.pre_due_days = pre_due_days

    # -- facts ----------------------------------------------------------------

    def matching(self, action: Action | None, outcomes: typing.AbstractSet[Outcome]) -> list[Record]:
        return [r for r in self.history
                if (action is None or r.action is action) and (not outcomes or r.outcome in outcomes)]

    def promise(self) -> Record | None:
        promises = [r for r in self.history if r.outcome is Outcome.PROMISED]
        return promises[-1] if promises else None

    def fact(self, fact: Fact) -> object:
        if fact in self.cache:
            return self.cache[fact]
        value = self._compute(fact)
        self.cache[fact] = value
        return value

    def _compute(self, fact: Fact) -> object:
        state, name = self.case.state, fact.name
        if name is FactName.DPD:
            return state.days_past_due
        if name is FactName.OVERDUE_AMOUNT:
            return state.overdue.total
        if name is FactName.DAYS_TO_DUE:
            return NEVER if state.next_due_date is None else (state.next_due_date - self.today).days
        if name is FactName.OPEN_PROMISE:
            promise = self.promise()
            return promise is not None and promise.promise_date >= self.today
        if name is FactName.BROKEN_PROMISE:
            promise = self.promise()
            return promise is not None and promise.promise_date < self.today and state.days_past_due > 0
        if name is FactName.HARDSHIP:
            return bool(self.matching(None, {Outcome.HARDSHIP}))
        if name is FactName.DISPUTE_OPEN:
            return bool(self.matching(None, {Outcome.DISPUTED})) and "dispute_resolved" not in self.case.flags
        if name is FactName.CEASE_REQUESTED:
            return "cease_request" in self.case.flags
        if name is FactName.PLAN_ACTIVE:
            return (state.restructured_on is not None and state.days_past_due == 0
                    and state.status is not Status.SETTLED)
        if name is FactName.SETTLED:
            return state.status is Status.SETTLED
        if name is FactName.CONTACT_ATTEMPTS:
            return sum(1 for r in self.history if r.action in CONTACT_ACTIONS)
        records = self.matching(fact.action, fact.outcomes)
        if name is FactName.COUNT:
            if fact.within_days is not None:
                since = self.now - timedelta(days=fact.within_days)
                records = [r for r in records if r.at > since]
            return len(records)
        # DAYS_SINCE
        if not records:
            return NEVER
        return (self.today - records[-1].at.astimezone(self.zone).date()).days

    # -- conditions -----------------------------------------------------------

    def holds(self, condition: Condition, rule: str) -> bool:
        """Evaluate ``condition`` and put it on the trace as ``rule``."""
        facts: dict[str, object] = {}
        result = self._evaluate(condition, facts)
        self.trace.append(TraceEntry(rule=rule, condition=condition.text, facts=tuple(facts.items()),
                                     result=result))
        return result

    def _evaluate(self, condition: Condition, facts: dict[str, object]) -> bool:
        if isinstance(condition, Compare):
            value = self.fact(condition.fact)
            facts[condition.fact.label] = value
            return condition.op.apply(value, condition.value)
        if isinstance(condition, Not):
            return not self._evaluate(condition.condition, facts)
        # Lists, not generators: every branch is evaluated so that the trace shows every fact.
        if isinstance(condition, All):
            return all([self._evaluate(c, facts) for c in condition.conditions])  # noqa: C419
        return any([self._evaluate(c, facts) for c in condition.conditions])  # noqa: C419

    # -- time -----------------------------------------------------------------

    def at_local(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.zone)

    def allowed_at(self, action: Action, moment: datetime, constraints: tuple[Constraint, ...],
                   record: bool) -> datetime | None:
        """The first moment at or after ``moment`` when every constraint allows ``action``; ``None``: never."""
        for _ in range(64):
            moved = moment
            for index, constraint in enumerate(constraints):
                allowed = self._constraint(constraint, action, moved)
                if record and moved == moment:
                    self.trace.append(TraceEntry(
                        rule=f"constraints[{index}]", condition=_describe(constraint),
                        facts=(("action", action.value), ("at", moved.isoformat())),
                        result=allowed is not None and allowed == moved))
                if allowed is None:
                    return None
                moved = allowed
            record = False
            if moved == moment:
                return moment
            moment = moved
        return None  # pragma: no cover - constraints that never agree within 64 rounds

    def _constraint(self, constraint: Constraint, action: Action, moment: datetime) -> datetime | None:
        local = moment.astimezone(self.zone)
        if isinstance(constraint, ContactWindow):
            if action not in constraint.actions:
                return moment
            if constraint.start <= local.time() < constraint.end:
                return moment
            day = local.date() if local.time() < constraint.start else local.date() + _DAY
            return self.at_local(day, constraint.start)
        if isinstance(constraint, Cap):
            if action not in constraint.actions:
                return moment
            if constraint.limit == 0:
                return None
            counted = [r for r in self.history if r.action in constraint.actions
                       and (constraint.counting is Counting.ATTEMPTS or r.outcome in REACHED_OUTCOMES)]
            if constraint.period is Period.CALENDAR_DAY:
                today = [r for r in counted if r.at.astimezone(self.zone).date() == local.date()]
                if len(today) < constraint.limit:
                    return moment
                return self.at_local(local.date() + _DAY, time(0))
            window = timedelta(days=constraint.days)
            recent = [r.at for r in counted if moment - window < r.at <= moment]
            if len(recent) < constraint.limit:
                return moment
            oldest_to_drop = sorted(recent)[len(recent) - constraint.limit]
            return (oldest_to_drop + window).astimezone(self.zone)
        # Cooldown
        if action not in constraint.actions:
            return moment
        talks = [r.at for r in self.history if r.action in constraint.after and r.outcome in REACHED_OUTCOMES]
        if not talks:
            return moment
        until = (talks[-1] + timedelta(days=constraint.days)).astimezone(self.zone)
        return moment if moment >= until else until


def _describe(constraint: Constraint) -> str:
    actions = ", ".join(sorted(a.value for a in constraint.actions))
    if isinstance(constraint, ContactWindow):
        return f"{actions} only {constraint.start:%H:%M}-{constraint.end:%H:%M} local time"
    if isinstance(constraint, Cap):
        what = "reached" if constraint.counting is Counting.REACHED else "attempts"
        period = "per calendar day" if constraint.period is Period.CALENDAR_DAY else \
            f"in any {constraint.days} days"
        return f"at most {constraint.limit} {actions} {what} {period}"
    after = ", ".join(sorted(a.value for a in constraint.after))
    return f"no {actions} within {constraint.days} days after a {after} that reached the customer"


def _taken(evaluation: _Evaluation, step: Step) -> bool:
    if step.max_times is None:
        return False
    records = evaluation.matching(step.action, frozenset())
    if step.within_days is not None:
        since = evaluation.now - timedelta(days=step.within_days)
        records = [r for r in records if r.at > since]
    return len(records) >= step.max_times


def _decision(evaluation: _Evaluation, action: Action, status: DecisionStatus, stage: str | None,
              not_before: datetime | None = None) -> Decision:
    return Decision(action=action, status=status, stage=stage, not_before=not_before,
                    reasons=tuple(evaluation.reasons), trace=tuple(evaluation.trace))


def next_step(policy: CollectionPolicy, case: Case, now: datetime) -> Decision:
    """The next collection step for ``case`` at ``now`` under ``policy``.

    Args:
        policy: The collection policy.
        case: The loan's state (as of the debtor's local today), the steps on
            record, flags, and the debtor's time zone.
        now: The current moment, timezone-aware (never read from a clock).

    Returns:
        A :class:`Decision` with the action, its status, the stage, ``not_before``
        for a deferral (in the debtor's zone), the reasons and the trace.

    Raises:
        InvalidTypeError: For a naive ``now`` or arguments of the wrong type.

    >>> from datetime import date, datetime, timezone
    >>> from loanrules import Loan, LoanTerms, Rate, policies, Case
    >>> loan = Loan(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1)))
    >>> late = Case(state=loan.state(as_of=date(2026, 2, 3)), timezone="Asia/Shanghai")
    >>> night = datetime(2026, 2, 3, 15, 0, tzinfo=timezone.utc)   # 23:00 in Shanghai
    >>> d = next_step(policies.standard(), late, now=night)
    >>> d.status.name, d.action.name, d.not_before.isoformat()
    ('DEFER', 'CALL', '2026-02-04T08:00:00+08:00')
    """
    if not isinstance(policy, CollectionPolicy):
        raise InvalidTypeError("policy", "must be a CollectionPolicy", policy)
    if not isinstance(case, Case):
        raise InvalidTypeError("case", "must be a Case", case)
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise InvalidTypeError("now", "must be a timezone-aware datetime", now)
    ev = _Evaluation(case, now, policy.pre_due_days)
    if ev.holds(Compare(Fact(name=FactName.SETTLED), Op.EQ, True), "settled"):
        ev.reasons.append("the loan is settled")
        return _decision(ev, Action.NONE, DecisionStatus.NONE, None)
    for index, hold in enumerate(policy.holds):
        if ev.holds(hold.condition, f"holds[{index}]"):
            ev.reasons.append(f"hold: {hold.name}")
            return _decision(ev, Action.NONE, DecisionStatus.HOLD, None)
    stage: Stage | None = None
    for index, candidate in enumerate(policy.stages):
        if ev.holds(candidate.entry, f"stages[{index}].entry"):
            stage = candidate
            stage_index = index
    if stage is None:
        ev.reasons.append("no stage applies: nothing is overdue or due soon")
        return _decision(ev, Action.NONE, DecisionStatus.NONE, None)
    ev.reasons.append(f"stage {stage.name}: {stage.entry.text}")
    return _act_in_stage(policy, ev, stage, stage_index)


def _act_in_stage(policy: CollectionPolicy, ev: _Evaluation, stage: Stage, stage_index: int) -> Decision:
    candidates: list[Action] = []
    path = f"stages[{stage_index}]"
    for number, prerequisite in enumerate(stage.prerequisites):
        if not ev.holds(prerequisite.condition, f"{path}.prerequisites[{number}]"):
            if prerequisite.supply is Action.NONE:
                ev.reasons.append(f"prerequisite missing: {prerequisite.name}; nothing may be done until it holds")
                return _decision(ev, Action.NONE, DecisionStatus.HOLD, stage.name)
            ev.reasons.append(f"prerequisite missing: {prerequisite.name}; "
                              f"{prerequisite.supply.name} supplies it")
            candidates = [prerequisite.supply]
            break
    if not candidates:
        for number, step in enumerate(stage.ladder):
            if not ev.holds(step.when, f"{path}.ladder[{number}].when"):
                continue
            if _taken(ev, step):
                ev.trace.append(TraceEntry(rule=f"{path}.ladder[{number}]", condition=f"{step.action.value} taken "
                                           f"fewer than {step.max_times} times", facts=(), result=False))
                continue
            candidates.append(step.action)
        if not candidates:
            ev.reasons.append(f"every step of stage {stage.name} is taken or not yet due")
            return _decision(ev, Action.NONE, DecisionStatus.NONE, stage.name)
        ev.reasons.append(f"next step: {candidates[0].name}")
    promise = ev.promise()
    if ev.fact(Fact(name=FactName.OPEN_PROMISE)) and promise is not None:
        day_after = ev.at_local(promise.promise_date + _DAY, time(0))
        start = max(day_after, ev.now)
        moment = ev.allowed_at(candidates[0], start, policy.constraints, record=True)
        ev.reasons.append(f"a promise to pay by {promise.promise_date} is open: deferred to the day after")
        return _decision(ev, candidates[0], DecisionStatus.DEFER, stage.name, moment)
    best: tuple[datetime, Action] | None = None
    for action in candidates:
        moment = ev.allowed_at(action, ev.now, policy.constraints, record=True)
        if moment is None:
            ev.reasons.append(f"{action.name} is never allowed by the constraints")
            continue
        if moment == ev.now:
            if action is not candidates[0]:
                ev.reasons.append(f"{action.name} instead: the steps before it are constrained now")
            return _decision(ev, action, DecisionStatus.ACT, stage.name)
        ev.reasons.append(f"{action.name} is constrained until {moment:%Y-%m-%d %H:%M} ({ev.case.timezone})")
        if best is None or moment < best[0]:
            best = (moment, action)
    if best is None:
        return _decision(ev, Action.NONE, DecisionStatus.NONE, stage.name)
    ev.reasons.append(f"deferred: {best[1].name} at {best[0]:%Y-%m-%d %H:%M}")
    return _decision(ev, best[1], DecisionStatus.DEFER, stage.name, best[0])
