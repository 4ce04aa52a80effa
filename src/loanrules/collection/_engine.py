"""The escalation engine: ``next_step(policy, case, now) -> Decision``.

Pure and deterministic: the same policy, case and moment give the same
decision, with its reasons (short sentences a collector reads) and its
trace (every condition evaluated, with its facts and result). The engine
decides; the caller acts and records what it did.

Evaluation order: a settled loan, then the holds, then the stage (the most
advanced one whose entry holds: entries are tried from the last stage back,
and the first that holds is chosen), then an open promise, then the stage's
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
from bisect import bisect_left, bisect_right
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

import attrs

from loanrules._checks import member_repr, pretty_repr, to_tuple, value_repr
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.ledger._ledger import Status

from ._compiler import CompiledStage, Rule, _Context, compiled, since
from ._policy import Cap, CollectionPolicy, Constraint, ContactWindow, Counting, Period, Step
from ._records import REACHED_OUTCOMES, Action, Case

__all__ = ["Decision", "DecisionStatus", "TraceEntry", "next_step"]

_DAY: Final = timedelta(days=1)


class DecisionStatus(enum.Enum):
    """What the caller should do with the decision's action."""

    __repr__ = member_repr

    ACT = "act"
    """Take the action now."""
    DEFER = "defer"
    """Take the action at ``not_before`` (contact window, frequency cap, cool-down or an open promise)."""
    HOLD = "hold"
    """Do nothing: collection is suppressed (a dispute, a cease request, a plan being kept)."""
    NONE = "none"
    """Nothing to do (settled, current with nothing due soon, or every step of the stage taken)."""


class TraceEntry(NamedTuple):
    """One rule evaluated: where in the policy, what it says, the facts it read, and the result."""

    rule: str
    """The path of the rule in the policy (``stages[2].entry``, ``constraints[1]``)."""
    condition: str
    """The rule as text (``dpd >= 16``)."""
    facts: tuple[tuple[str, object], ...]
    """The facts it read, with their values."""
    result: bool
    """Whether it held (for a constraint: whether it allowed the step now)."""


def _reasons_tuple(value: typing.Iterable[str]) -> tuple[str, ...]:
    # A frozen value keeps no container of the caller's: a list passed in becomes a tuple.
    return to_tuple("reasons", value)


def _trace_tuple(value: typing.Iterable[TraceEntry]) -> tuple[TraceEntry, ...]:
    return to_tuple("trace", value)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class Decision:
    """The engine's answer: what to do, whether now, at which stage, and why."""

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    action: Action
    status: DecisionStatus
    stage: str | None
    not_before: datetime | None
    """For DEFER: the first moment the action is allowed, in the debtor's time zone."""
    reasons: tuple[str, ...] = attrs.field(converter=_reasons_tuple)
    trace: tuple[TraceEntry, ...] = attrs.field(converter=_trace_tuple)

    def to_records(self) -> list[dict[str, object]]:
        """The trace as flat, JSON-safe dicts (rule, condition, facts as text and as plain values, result).

        Fact values become JSON values: amounts decimal strings, dates and moments ISO 8601, actions
        and outcomes their values.

        >>> from loanrules import Action
        >>> entry = TraceEntry("stages[1].entry", "dpd >= 1", (("dpd", 4),), True)
        >>> Decision(action=Action.CALL, status=DecisionStatus.ACT, stage="early", not_before=None,
        ...          reasons=(), trace=(entry,)).to_records()
        [{'rule': 'stages[1].entry', 'condition': 'dpd >= 1', 'facts': {'dpd': 4}, 'facts_text': 'dpd=4', 'result': True}]
        """
        return [{"rule": e.rule, "condition": e.condition,
                 "facts": {name: _plain(value) for name, value in e.facts},
                 "facts_text": ", ".join(f"{name}={_plain(value)}" for name, value in e.facts),
                 "result": e.result} for e in self.trace]

    def _repr_html_(self) -> str:
        """The decision as HTML for notebooks: what to do, why, and the trace."""
        import html  # noqa: PLC0415 - only notebooks ask for it

        from loanrules import _html  # noqa: PLC0415

        summary = _html.facts((("action", self.action.value), ("status", self.status.value),
                               ("stage", self.stage), ("not before", self.not_before)))
        reasons = "<ol>" + "".join(f"<li>{html.escape(r)}</li>" for r in self.reasons) + "</ol>"
        rows = [((r["rule"], r["condition"], r["facts_text"], "yes" if r["result"] else "no"),
                 "" if r["result"] else "loanrules-false") for r in self.to_records()]
        return _html.page(summary, reasons, _html.table(("rule", "condition", "facts", "held"), rows,
                                                        caption="trace"))


def _plain(value: object) -> object:
    """A fact value as a JSON value."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return str(value)  # Decimal


_entry: typing.Any = tuple.__new__  # builds a TraceEntry without its Python-level __new__
_NEXT_STEP: Final = {action: f"next step: {action.name}" for action in Action}


class _Evaluation:
    """One call's context, trace and reasons (private, per call)."""

    def __init__(self, policy: CollectionPolicy, case: Case, now: datetime) -> None:
        self.ctx = _Context(case, now)
        self.policy = policy
        self.compiled = compiled(policy)
        self.trace: list[TraceEntry] = []
        self.reasons: list[str] = []

    def holds(self, rule: Rule) -> bool:
        """Evaluate a compiled rule and put it on the trace."""
        facts: list[tuple[str, object]] = []
        result = rule.evaluate(self.ctx, facts)
        read = tuple(facts) if len(facts) < 2 else tuple(dict(facts).items())  # each fact once
        self.trace.append(_entry(TraceEntry, (rule.path, rule.text, read, result)))
        return result

    def times(self, actions: frozenset[Action], reached_only: bool) -> list[datetime]:
        """When the steps in ``actions`` were taken (only those that reached the customer), in order."""
        key = ("times", actions, reached_only)
        found = self.ctx.cache.get(key)
        if found is None:
            rows = self.ctx.actions(actions)
            found = self.ctx.cache[key] = [row[0] for row in rows
                                           if not reached_only or row[2] in REACHED_OUTCOMES]
        return typing.cast(list[datetime], found)

    def day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """The first moments of the debtor's ``day`` and of the next day, as instants (UTC)."""
        key = ("day", day)
        bounds = self.ctx.cache.get(key)
        if bounds is None:
            bounds = self.ctx.cache[key] = (self.at_local(day, time(0)).astimezone(UTC),
                                            self.at_local(day + _DAY, time(0)).astimezone(UTC))
        return typing.cast(tuple[datetime, datetime], bounds)

    def at_local(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.ctx.zone)

    def allowed_at(self, action: Action, moment: datetime) -> datetime | None:
        """The first moment at or after ``moment`` when every constraint allows ``action``; ``None``: never.

        A moment past the end of datetime's range (9999-12-31) counts as never.
        """
        try:
            return self._allowed_at(action, moment)
        except OverflowError:
            return None

    def _allowed_at(self, action: Action, moment: datetime) -> datetime | None:
        constraints = self.policy.constraints
        texts, paths = self.compiled.constraint_texts, self.compiled.constraint_paths
        record = True
        for _ in range(64):
            moved = moment
            local = moment.astimezone(self.ctx.zone)
            for index, constraint in enumerate(constraints):
                if action not in constraint.actions:
                    continue
                allowed = self._constraint(constraint, moved, local)
                if record:
                    self.trace.append(_entry(TraceEntry, (paths[index], texts[index],
                                                          (("action", action), ("at", moved)), allowed == moved)))
                if allowed is None:
                    return None
                if allowed is not moved:
                    moved = allowed
                    local = moved.astimezone(self.ctx.zone)
            record = False
            if moved == moment:
                return moment
            moment = moved
        return None  # pragma: no cover - constraints that never agree within 64 rounds

    def _constraint(self, constraint: Constraint, moment: datetime, local: datetime) -> datetime | None:
        ctx = self.ctx
        if isinstance(constraint, ContactWindow):
            if constraint.start <= local.time() < constraint.end:
                return moment
            day = local.date() if local.time() < constraint.start else local.date() + _DAY
            return self.at_local(day, constraint.start)
        if isinstance(constraint, Cap):
            if constraint.limit == 0:
                return None
            times = self.times(constraint.actions, constraint.counting is Counting.REACHED)
            if constraint.period is Period.CALENDAR_DAY:
                day_start, day_end = self.day_bounds(local.date())
                if bisect_left(times, day_end) - bisect_left(times, day_start) < constraint.limit:
                    return moment
                return day_end.astimezone(ctx.zone)
            window = timedelta(days=constraint.days)
            instant = moment.astimezone(UTC)
            first, last = bisect_right(times, instant - window), bisect_right(times, instant)
            if last - first < constraint.limit:
                return moment
            return (times[last - constraint.limit] + window).astimezone(ctx.zone)
        talks: list[datetime] = [row[0] for row in ctx.actions(constraint.after) if row[2] in REACHED_OUTCOMES]
        if not talks:
            return moment
        until = talks[-1] + timedelta(days=constraint.days)
        return moment if moment.astimezone(UTC) >= until else until.astimezone(ctx.zone)


def _taken(ctx: _Context, step: Step) -> bool:
    if step.max_times is None:
        return False
    rows = ctx.by_action.get(step.action, [])
    if step.within_days is not None:
        start = since(ctx.utc_now, step.within_days)
        rows = [row for row in rows if row[0] > start]
    return len(rows) >= step.max_times


def _decision(ev: _Evaluation, action: Action, status: DecisionStatus, stage: str | None,
              not_before: datetime | None = None) -> Decision:
    return Decision(action=action, status=status, stage=stage, not_before=not_before,
                    reasons=tuple(ev.reasons), trace=tuple(ev.trace))


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
        InvalidTypeError: For arguments of the wrong type.
        InvalidValueError: For a naive ``now``, or a ``case.state`` whose ``as_of``
            is not the debtor's local date of ``now`` (in ``case.timezone``): a
            state of another day would decide on stale or future amounts.

    >>> from datetime import date, datetime, timezone
    >>> from loanrules import Loan, LoanTerms, Rate, policies, Case
    >>> loan = Loan(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1)))
    >>> late = Case(state=loan.state(as_of=date(2026, 2, 3)), timezone="Asia/Shanghai")
    >>> night = datetime(2026, 2, 3, 15, 0, tzinfo=timezone.utc)   # 23:00 in Shanghai
    >>> d = next_step(policies.standard(), late, now=night)
    >>> d.status.name, d.action.name, d.not_before.isoformat()
    ('DEFER', 'CALL', '2026-02-04T08:00:00+08:00')
    >>> next_step(policies.standard(), late, now=datetime(2026, 2, 3, 16, 0, tzinfo=timezone.utc))  # 00:00, Feb 4
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'case.state.as_of' must be the debtor's local date of now (2026-02-04 in Asia/Shanghai), got datetime.date(2026, 2, 3)
    """
    if not isinstance(policy, CollectionPolicy):
        raise InvalidTypeError("policy", "must be a CollectionPolicy", policy)
    if not isinstance(case, Case):
        raise InvalidTypeError("case", "must be a Case", case)
    if not isinstance(now, datetime):
        raise InvalidTypeError("now", "must be a timezone-aware datetime", now)
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidValueError("now", "must be timezone-aware (naive datetimes are ambiguous)", now)
    if type(now) is not datetime:  # a subclass may carry data of its own into the trace: keep only the moment
        now = datetime.combine(datetime.date(now), datetime.timetz(now))
    try:
        today = now.astimezone(ZoneInfo(case.timezone)).date()
        now.astimezone(UTC)
    except OverflowError:
        raise InvalidValueError("now", f"must lie inside datetime's range in {case.timezone} and in UTC",
                                now) from None
    if case.state.as_of != today:
        raise InvalidValueError("case.state.as_of", f"must be the debtor's local date of now ({today} in "
                                                    f"{case.timezone})", case.state.as_of)
    ev = _Evaluation(policy, case, now)
    rules = ev.compiled
    settled = case.state.status is Status.SETTLED
    ev.trace.append(_entry(TraceEntry, ("settled", "settled == true", (("settled", settled),), settled)))
    if settled:
        ev.reasons.append("the loan is settled")
        return _decision(ev, Action.NONE, DecisionStatus.NONE, None)
    for hold, rule in rules.holds:
        if ev.holds(rule):
            ev.reasons.append(f"hold: {hold.name}")
            return _decision(ev, Action.NONE, DecisionStatus.HOLD, None)
    # The most advanced stage whose entry holds: try them from the last one back.
    chosen: CompiledStage | None = None
    for candidate in reversed(rules.stages):
        if ev.holds(candidate.entry):
            chosen = candidate
            break
    if chosen is None:
        ev.reasons.append("no stage applies: nothing is overdue or due soon")
        return _decision(ev, Action.NONE, DecisionStatus.NONE, None)
    ev.reasons.append(chosen.reason)
    return _act_in_stage(ev, chosen)


def _act_in_stage(ev: _Evaluation, compiled: CompiledStage) -> Decision:
    stage = compiled.stage
    candidates: list[Action] = []
    supplied = False
    for prerequisite, rule in compiled.prerequisites:
        if not ev.holds(rule):
            if prerequisite.supply is Action.NONE:
                ev.reasons.append(f"prerequisite missing: {prerequisite.name}; nothing may be done until it holds")
                return _decision(ev, Action.NONE, DecisionStatus.HOLD, stage.name)
            ev.reasons.append(f"prerequisite missing: {prerequisite.name}; "
                              f"{prerequisite.supply.name} supplies it")
            candidates = [prerequisite.supply]
            supplied = True
            break
    ladder = iter(compiled.ladder)
    ctx = ev.ctx
    promise = ctx.promise()
    promised = promise is not None and promise.promise_date >= ctx.today
    if not candidates:
        rung = _next_rung(ev, ladder)
        if rung is None and not promised:
            ev.reasons.append(f"every step of stage {stage.name} is taken or not yet due")
            return _decision(ev, Action.NONE, DecisionStatus.NONE, stage.name)
        # With a promise open the stage's first step waits for the day after it.
        candidates.append(rung if rung is not None else stage.ladder[0].action)
        ev.reasons.append(_NEXT_STEP[candidates[0]])
    if promised and promise is not None:
        # A promise to 9999-12-31 (a common "no date" value) has no day after: deferred for good (never).
        moment = None if promise.promise_date == date.max else ev.allowed_at(
            candidates[0], max(ev.at_local(promise.promise_date + _DAY, time(0)), ctx.now))
        ev.reasons.append(f"a promise to pay by {promise.promise_date} is open: deferred to the day after")
        return _decision(ev, candidates[0], DecisionStatus.DEFER, stage.name, moment)
    # The first step that is allowed now acts; only when a step is constrained is
    # the rest of the ladder looked at (a prerequisite's step has no stand-in).
    first: Action = candidates[0]
    action: Action | None = first
    best: tuple[datetime, Action] | None = None
    while action is not None:
        moment = ev.allowed_at(action, ctx.now)
        if moment == ctx.now:
            if action is not first:
                ev.reasons.append(f"{action.name} instead: the steps before it are constrained now")
            return _decision(ev, action, DecisionStatus.ACT, stage.name)
        if moment is None:
            ev.reasons.append(f"{action.name} is never allowed by the constraints")
        else:
            ev.reasons.append(f"{action.name} is constrained until {moment:%Y-%m-%d %H:%M} ({ctx.case.timezone})")
            if best is None or moment < best[0]:
                best = (moment, action)
        action = None if supplied else _next_rung(ev, ladder)
    if best is None:
        return _decision(ev, Action.NONE, DecisionStatus.NONE, stage.name)
    ev.reasons.append(f"deferred: {best[1].name} at {best[0]:%Y-%m-%d %H:%M}")
    return _decision(ev, best[1], DecisionStatus.DEFER, stage.name, best[0])


def _next_rung(ev: _Evaluation, ladder: typing.Iterator[tuple[Step, Rule, Rule]]) -> Action | None:
    """The next step of the ladder that is due and not yet taken (``None`` at the end)."""
    for step, rule, taken in ladder:
        if rule.text != "true" and not ev.holds(rule):
            continue
        if _taken(ev.ctx, step):
            ev.trace.append(_entry(TraceEntry, (taken.path, taken.text, (), False)))
            continue
        return step.action
    return None
