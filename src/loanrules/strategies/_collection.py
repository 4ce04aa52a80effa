"""Strategies for the collection layer.

Timezone-aware moments, actions and outcomes, records and histories of
collection steps, cases and collection policies.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from types import EllipsisType
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from loanrules.collection import (
    KNOWN_FLAGS,
    REACHING,
    TRUE,
    Action,
    All,
    Cap,
    Case,
    CollectionPolicy,
    Compare,
    Condition,
    ContactWindow,
    Cooldown,
    Counting,
    Decision,
    Fact,
    FactName,
    Hold,
    Not,
    Op,
    Outcome,
    Period,
    Prerequisite,
    Record,
    Stage,
    Step,
    TraceEntry,
    next_step,
)
from loanrules.collection import Any as AnyOf  # ``Any`` here is typing's
from loanrules.collection._policy import Constraint  # not on the face: the union of the constraint classes
from loanrules.collection._presets import standard, us_reg_f
from loanrules.conventions import Rate
from loanrules.ledger import Loan, LoanState
from loanrules.schedule import LoanTerms, RepaymentMethod
from loanrules.strategies._conventions import money, rates
from loanrules.strategies._ledger import loan_states, loans, penalty_terms
from loanrules.strategies._schedule import loan_terms
from loanrules.strategies._validation import _arg, _bool, _fail, _int, described

_TIMEZONES: Final = ("Asia/Shanghai", "America/New_York", "UTC", "Europe/London", "Asia/Kolkata",
                     "Australia/Lord_Howe", "America/Santiago")
"""The debtors' zones drawn by default. Shanghai first (the ``Case`` default, no daylight saving);
New York and London (daylight saving in spring and autumn); UTC; Kolkata (+05:30); Lord Howe
(a half-hour daylight-saving shift); Santiago (southern daylight saving, switched at midnight, so
that some local days start at 01:00 and others repeat their last hour)."""
_EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
_LATEST: Final = datetime(2075, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
_SCAN: Final = timedelta(days=7)
"""The step of the search for offset changes (an offset changed and changed back within a week is missed)."""
_NEAR_SECONDS: Final = 7200
"""Moments drawn near an offset change fall within this many seconds of it."""
_STEP_ACTIONS: Final = (Action.CALL, Action.SMS, Action.EMAIL, Action.REMIND, Action.LETTER, Action.OFFER_PLAN,
                        Action.LEGAL_REVIEW, Action.REFER_AGENCY, Action.LITIGATE)
"""Every action but ``NONE``: the steps a record or a ladder holds, the commonest (a call) first."""
_SENT: Final = (Outcome.SENT,)
_FITTING: Final[dict[Action, tuple[Outcome, ...]]] = {
    Action.NONE: tuple(Outcome),
    Action.REMIND: _SENT,
    Action.CALL: (Outcome.NO_ANSWER, Outcome.REACHED, Outcome.PROMISED, Outcome.HARDSHIP, Outcome.DISPUTED,
                  Outcome.REFUSED, Outcome.WRONG_PARTY),
    Action.SMS: _SENT,
    Action.EMAIL: _SENT,
    Action.LETTER: _SENT,
    Action.OFFER_PLAN: (Outcome.SENT, Outcome.APPROVED, Outcome.REJECTED),
    Action.LEGAL_REVIEW: (Outcome.APPROVED, Outcome.REJECTED),
    Action.REFER_AGENCY: _SENT,
    Action.LITIGATE: _SENT,
}
"""The outcomes each step usually ends with (a call that was not answered, a letter sent)."""
_PROMISE_DAYS: Final = 30
"""A promise drawn falls due from the day of the call to this many days later."""


def _aware(func: str, name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise _fail(func, f"{name}={value!r} must be a timezone-aware datetime")
    return value


def _zone(func: str, name: str, value: object) -> str:
    if type(value) is not str:
        raise _fail(func, f"{name}={value!r} must be an IANA time zone name or a strategy of them")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(func, f"{name}={value!r} is not an IANA time zone name") from None
    return value


def _zones(func: str, name: str, value: str | SearchStrategy[str] | EllipsisType) -> SearchStrategy[str]:
    if isinstance(value, EllipsisType):
        return st.sampled_from(_TIMEZONES)
    if isinstance(value, SearchStrategy):
        return value
    return st.just(_zone(func, name, value))


def _utc(moment: datetime) -> datetime:
    """``moment`` as a naive UTC datetime: the instant, free of wall-clock comparisons."""
    return moment.astimezone(UTC).replace(tzinfo=None)


@functools.lru_cache(maxsize=512)
def _transitions(zone: str, low: datetime, high: datetime) -> tuple[datetime, ...]:
    """The instants (naive UTC, to the second) in ``[low, high]`` at which ``zone`` changes its UTC offset."""
    tz = ZoneInfo(zone)

    def offset(instant: datetime) -> timedelta | None:
        return instant.replace(tzinfo=UTC).astimezone(tz).utcoffset()

    found: list[datetime] = []
    here, before = low, offset(low)
    while here < high:
        there = min(here + _SCAN, high)
        after = offset(there)
        if after != before:
            a, b = here, there
            while b - a > timedelta(seconds=1):
                middle = a + (b - a) / 2
                a, b = (middle, b) if offset(middle) == before else (a, middle)
            found.append(b.replace(microsecond=0))
            before = after
        here = there
    return tuple(found)


_NEAR_CHANGE: Final = st.integers(0, 7).map(lambda n: n == 7)
"""Whether a moment is drawn near an offset change: one time in eight or so; shrinks to no."""


@described
def aware_datetimes(
    *,
    min_value: datetime = _EARLIEST,
    max_value: datetime = _LATEST,
    timezone: str | SearchStrategy[str] | EllipsisType = ...,
) -> SearchStrategy[datetime]:
    """A strategy for timezone-aware moments, in IANA zones.

    Each value is a real instant in ``[min_value, max_value]``, expressed in
    the drawn zone (a ``ZoneInfo``), with ``fold`` set right: never a wall
    time that does not exist. Now and then the moment falls within two hours
    of a change of the zone's UTC offset (a daylight-saving transition), the
    change itself included, where wall-clock arithmetic and comparisons go
    wrong.

    Args:
        min_value: The earliest instant (aware); 2000-01-01 00:00 UTC by default.
        max_value: The latest instant (aware); the end of 2075 UTC by default.
        timezone: An IANA zone name or a strategy of them; ``...`` draws from
            Asia/Shanghai, America/New_York, UTC, Europe/London, Asia/Kolkata,
            Australia/Lord_Howe and America/Santiago.

    Returns:
        A strategy of aware :class:`~datetime.datetime`. Examples shrink
        towards ``min_value``, in Asia/Shanghai.

    >>> from datetime import datetime
    >>> aware_datetimes(min_value=datetime(2026, 1, 1))
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: aware_datetimes(): min_value=datetime.datetime(2026, 1, 1, 0, 0) must be a timezone-aware datetime
    """
    func = "aware_datetimes"
    low = _utc(_aware(func, "min_value", min_value))
    high = _utc(_aware(func, "max_value", max_value))
    if low > high:
        raise _fail(func, f"min_value={min_value.isoformat()} must not be after max_value={max_value.isoformat()}")
    zone_st = _zones(func, "timezone", timezone)
    instants = st.datetimes(low, high)
    nudges = st.integers(-_NEAR_SECONDS, _NEAR_SECONDS).map(lambda n: timedelta(seconds=n))

    @st.composite
    def _aware_datetimes(draw: st.DrawFn) -> datetime:
        zone = draw(zone_st)
        changes = _transitions(zone, low, high)
        near: bool = draw(_NEAR_CHANGE) if changes else False
        if near:
            instant = min(high, max(low, draw(st.sampled_from(changes)) + draw(nudges)))
        else:
            instant = draw(instants)
        return instant.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))

    return _aware_datetimes()


@described
def actions() -> SearchStrategy[Action]:
    """A strategy for collection steps.

    Returns:
        A strategy of :class:`~loanrules.Action` members, ``NONE`` included.
        Examples shrink towards ``NONE``.

    >>> actions().validate()
    """
    return st.sampled_from(Action)


@described
def outcomes() -> SearchStrategy[Outcome]:
    """A strategy for how a recorded step ended.

    Returns:
        A strategy of :class:`~loanrules.Outcome` members. Examples shrink
        towards ``NO_ANSWER``.

    >>> outcomes().validate()
    """
    return st.sampled_from(Outcome)


_PROMISE_AMOUNTS: Final = st.none() | money(min_value="0.01", max_value=100_000)
_PROMISE_DELAYS: Final = st.integers(0, _PROMISE_DAYS)
_ANY_OUTCOME: Final = outcomes()
_FITTING_ST: Final = {action: st.sampled_from(fitting) for action, fitting in _FITTING.items()}
_UNUSUAL: Final = st.integers(0, 3).map(lambda n: n == 3)
"""Whether a record's outcome is drawn among all outcomes (one time in four or so), not the usual ones."""


def _record_at(draw: st.DrawFn, at: datetime, action_st: SearchStrategy[Action],
               outcome_st: SearchStrategy[Outcome] | None) -> Record:
    """A record at ``at``: a promise (PROMISED) falls due on the day of ``at`` (its own zone) or up to 30 days later."""
    action = draw(action_st)
    if outcome_st is None:
        outcome_st = _ANY_OUTCOME if draw(_UNUSUAL) else _FITTING_ST[action]
    outcome = draw(outcome_st)
    if outcome is not Outcome.PROMISED:
        return Record(at=at, action=action, outcome=outcome)
    return Record(at=at, action=action, outcome=outcome, promise_amount=draw(_PROMISE_AMOUNTS),
                  promise_date=at.date() + timedelta(days=draw(_PROMISE_DELAYS)))


def _step_args(
    func: str,
    action: Action | SearchStrategy[Action] | EllipsisType,
    outcome: Outcome | SearchStrategy[Outcome] | EllipsisType,
) -> tuple[SearchStrategy[Action], SearchStrategy[Outcome] | None]:
    action_st = _arg(func, "action", action, Action, lambda: st.sampled_from(_STEP_ACTIONS))
    outcome_st = None if isinstance(outcome, EllipsisType) else _arg(func, "outcome", outcome, Outcome, st.nothing)
    return action_st, outcome_st


@described
def records(
    *,
    at: datetime | SearchStrategy[datetime] | EllipsisType = ...,
    action: Action | SearchStrategy[Action] | EllipsisType = ...,
    outcome: Outcome | SearchStrategy[Outcome] | EllipsisType = ...,
) -> SearchStrategy[Record]:
    """A strategy for records of collection steps taken.

    Args:
        at: An aware datetime or a strategy of them; ``...`` draws
            :func:`aware_datetimes`.
        action: An action or a strategy of them; ``...`` draws any action but
            ``NONE`` (a record is of a step taken).
        outcome: An outcome or a strategy of them; ``...`` draws an outcome
            the step usually ends with (``SENT`` for a letter, ``APPROVED`` or
            ``REJECTED`` for a legal review, any call outcome for a call), and
            now and then any outcome at all (a letter disputed, an SMS promised).

    A ``PROMISED`` record carries a ``promise_date`` from the day of ``at``
    (in its own zone) to 30 days later, and sometimes a ``promise_amount``;
    other records carry neither.

    Returns:
        A strategy of :class:`~loanrules.Record`. Examples shrink towards an
        unanswered call at the earliest moment.

    >>> from datetime import datetime
    >>> records(at=datetime(2026, 3, 1, 9))
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: records(): at=datetime.datetime(2026, 3, 1, 9, 0) must be a timezone-aware datetime
    """
    func = "records"
    if isinstance(at, (EllipsisType, SearchStrategy)):
        at_st = aware_datetimes() if isinstance(at, EllipsisType) else at
    else:
        at_st = st.just(_aware(func, "at", at))
    action_st, outcome_st = _step_args(func, action, outcome)

    @st.composite
    def _records(draw: st.DrawFn) -> Record:
        return _record_at(draw, draw(at_st), action_st, outcome_st)

    return _records()


@described
def histories(
    *,
    start: datetime = _EARLIEST,
    end: datetime = _LATEST,
    min_size: int = 0,
    max_size: int = 20,
    action: Action | SearchStrategy[Action] | EllipsisType = ...,
    outcome: Outcome | SearchStrategy[Outcome] | EllipsisType = ...,
    timezone: str | SearchStrategy[str] | EllipsisType = ...,
) -> SearchStrategy[tuple[Record, ...]]:
    """A strategy for histories of a case: records in time order.

    Args:
        start: The earliest moment of a record (aware).
        end: The latest moment of a record (aware).
        min_size: The fewest records (0 to 1000).
        max_size: The most records (0 to 1000); 20 by default.
        action: As for :func:`records`, for every record.
        outcome: As for :func:`records`, for every record.
        timezone: The zones the records' moments are expressed in, as for
            :func:`aware_datetimes`; each record draws its own.

    The records are in the order of their instants (the time line, not the
    wall clock: around a daylight-saving change a later record may show an
    earlier local time); several may share an instant.

    Returns:
        A strategy of tuples of :class:`~loanrules.Record`. Examples shrink
        towards the empty history.

    >>> histories(min_size=3, max_size=2)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: histories(): min_size=3 must be <= max_size=2
    """
    func = "histories"
    low = _aware(func, "start", start)
    high = _aware(func, "end", end)
    fewest = _int(func, "min_size", min_size, 0, 1000)
    most = _int(func, "max_size", max_size, 0, 1000)
    if fewest > most:
        raise _fail(func, f"min_size={fewest} must be <= max_size={most}")
    if low > high:
        raise _fail(func, f"start={low.isoformat()} must not be after end={high.isoformat()}")
    moments = st.lists(aware_datetimes(min_value=low, max_value=high, timezone=_zones(func, "timezone", timezone)),
                       min_size=fewest, max_size=most)
    action_st, outcome_st = _step_args(func, action, outcome)

    @st.composite
    def _histories(draw: st.DrawFn) -> tuple[Record, ...]:
        return tuple(_record_at(draw, at, action_st, outcome_st) for at in sorted(draw(moments), key=_utc))

    return _histories()


def _flags(func: str, value: object) -> frozenset[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _fail(func, f"flags={value!r} must be a collection of flags or a strategy of them")
    flags = frozenset(value)
    unknown = sorted(str(flag) for flag in flags - KNOWN_FLAGS)
    if unknown:
        raise _fail(func, f"flags: unknown flag {unknown[0]!r}; known: {', '.join(sorted(KNOWN_FLAGS))}")
    return flags


def _history(func: str, value: object) -> tuple[Record, ...]:
    if not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        raise _fail(func, f"history={value!r} must be a sequence of Records or a strategy of them")
    history = tuple(value)
    for index, record in enumerate(history):
        if not isinstance(record, Record):
            raise _fail(func, f"history[{index}]={record!r} must be a Record")
    return history


_HISTORY_DAYS: Final = 180
"""A default case history reaches back this many days before the state's day."""


@described
def cases(
    *,
    state: LoanState | SearchStrategy[LoanState] | EllipsisType = ...,
    history: Iterable[Record] | SearchStrategy[tuple[Record, ...]] | EllipsisType = ...,
    flags: Iterable[str] | SearchStrategy[frozenset[str]] | EllipsisType = ...,
    timezone: str | SearchStrategy[str] | EllipsisType = ...,
    stage: str | None = None,
    policy: CollectionPolicy | None = None,
) -> SearchStrategy[Case]:
    """A strategy for collection cases: what ``next_step`` decides on.

    Aim it at a stage: ``cases(stage="formal", policy=policies.standard())``
    draws cases that ``next_step`` places in that stage on the state's day:
    unpaid loans on the days past due the stage covers, found by
    construction (the days are worked out once per policy and stage).

    Args:
        state: A loan state or a strategy of them; ``...`` draws :func:`loan_states`.
        history: Records or a strategy of tuples of them; ``...`` draws
            :func:`histories` from 180 days before the state's day to the end
            of that day in the case's zone, each record in that zone, UTC or
            another zone.
        flags: Flags (from :data:`~loanrules.policy.KNOWN_FLAGS`) or a
            strategy of frozensets of them; ``...`` draws none, mostly, or
            some of the known flags.
        timezone: The debtor's zone, as for :func:`aware_datetimes`.
        stage: The name of a stage of ``policy``; the state is then drawn for
            it (not with ``state``), the history is empty and there are no flags
            unless given, and a drawn case is kept only if it is in that stage.
        policy: The policy ``stage`` belongs to; the standard policy by default.

    Returns:
        A strategy of :class:`~loanrules.Case`. Examples shrink towards the
        plainest loan's state on its first due date, an empty history, no
        flags, in Asia/Shanghai.

    >>> cases(flags={"cease_requested"})
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: cases(): flags: unknown flag 'cease_requested'; known: cease_request, dispute_resolved
    """
    func = "cases"
    staged: tuple[CollectionPolicy, tuple[int, ...]] | None = None
    if stage is not None:
        if not isinstance(state, EllipsisType):
            raise _fail(func, "state is chosen by stage: give one or the other")
        staged = _staged(func, standard() if policy is None else policy, stage)
        state_st: SearchStrategy[LoanState] = _staged_states(*staged)
        history = () if isinstance(history, EllipsisType) else history
        flags = () if isinstance(flags, EllipsisType) else flags
    elif policy is not None:
        raise _fail(func, "policy is the policy of stage: give a stage too")
    else:
        state_st = _arg(func, "state", state, LoanState, loan_states)
    history_st: SearchStrategy[tuple[Record, ...]] | None = (
        None if isinstance(history, EllipsisType)
        else history if isinstance(history, SearchStrategy)
        else st.just(_history(func, history))
    )
    flags_st: SearchStrategy[frozenset[str]] = (
        st.just(frozenset[str]()) | st.frozensets(st.sampled_from(sorted(KNOWN_FLAGS)))
        if isinstance(flags, EllipsisType)
        else flags if isinstance(flags, SearchStrategy)
        else st.just(_flags(func, flags))
    )
    zone_st = _zones(func, "timezone", timezone)

    @st.composite
    def _cases(draw: st.DrawFn) -> Case:
        zone = draw(zone_st)
        drawn_state = draw(state_st)
        if history_st is None:
            # The day's last instant, found on the time line: on a day whose last hour repeats, a wall-clock
            # 23:59:59.999999 would be the first of the two.
            tz = ZoneInfo(zone)
            end = datetime.combine(drawn_state.as_of + timedelta(days=1), time(0), tzinfo=tz).astimezone(
                UTC) - timedelta(microseconds=1)
            start = datetime.combine(drawn_state.as_of - timedelta(days=_HISTORY_DAYS), time(0), tzinfo=tz)
            drawn_history = draw(histories(start=start, end=end, timezone=st.just(zone) | st.sampled_from(_TIMEZONES)))
        else:
            drawn_history = draw(history_st)
        case = Case(state=drawn_state, history=drawn_history, flags=draw(flags_st), timezone=zone)
        if staged is not None:
            noon = datetime.combine(drawn_state.as_of, time(12), tzinfo=ZoneInfo(zone))
            if next_step(staged[0], case, noon).stage != stage:
                reject()  # a flag, record or amount given or drawn took the case elsewhere
        return case

    return _cases()


_MISSABLE: Final = st.sampled_from([RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL])


def _staged_states(policy: CollectionPolicy, offsets: tuple[int, ...]) -> SearchStrategy[LoanState]:
    """States of unpaid loans on a day, relative to their first due date, that puts them in the stage."""
    unpaid = loans(terms=loan_terms(term=st.integers(2, 24), method=_MISSABLE, rate=rates(min_value="0.01"),
                                    min_principal=1000, max_principal=200_000),
                   histories=False, penalty=penalty_terms(grace_days=0), tolerance=0)

    @st.composite
    def states(draw: st.DrawFn) -> LoanState:
        loan = draw(unpaid)
        day = loan.schedule[0].due_date + timedelta(days=draw(st.sampled_from(offsets)))
        if day < loan.terms.start:
            reject()
        return loan.state(as_of=day)

    return states()


# Parts of random policies. Conditions without a ``dpd`` comparison may hold at any DPD and never
# must, so that stage entries built on increasing DPD thresholds stay reachable.
_OPS: Final = st.sampled_from(Op)
_BOOLEAN_FACTS: Final = (FactName.HARDSHIP, FactName.OPEN_PROMISE, FactName.BROKEN_PROMISE, FactName.DISPUTE_OPEN,
                         FactName.CEASE_REQUESTED, FactName.PLAN_ACTIVE, FactName.SETTLED)
_STAGE_NAMES: Final = ("early", "formal", "enforcement", "pre_due", "late", "severe", "final", "legal")
"""Names for the (at most 8) stages of a random policy, drawn as a permutation: distinct, never filtered."""
_NAMES: Final = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10)
_LABELS: Final = st.text(alphabet=string.ascii_lowercase + " ", min_size=1, max_size=20)
_SOME_ACTIONS: Final = st.frozensets(st.sampled_from(_STEP_ACTIONS), min_size=1, max_size=3)
_WITHIN: Final = st.none() | st.integers(1, 30)


def _parametric(name: FactName) -> SearchStrategy[Fact]:
    return st.builds(Fact, name=st.just(name), action=st.none() | actions(),
                     outcomes=st.frozensets(outcomes(), max_size=3), within_days=_WITHIN)


def _compare(fact: SearchStrategy[Fact], values: SearchStrategy[Any]) -> SearchStrategy[Condition]:
    return st.builds(Compare, fact, _OPS, values)


def _fact(name: FactName) -> SearchStrategy[Fact]:
    return st.just(Fact(name=name))


def _tree(leaves: SearchStrategy[Condition]) -> SearchStrategy[Condition]:
    def branches(children: SearchStrategy[Condition]) -> SearchStrategy[Condition]:
        parts = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(parts.map(All), parts.map(AnyOf), children.map(Not))

    return st.recursive(leaves, branches, max_leaves=4)


_FREE_LEAVES: Final = st.one_of(
    st.builds(Compare, st.sampled_from(_BOOLEAN_FACTS).map(lambda name: Fact(name=name)),
              st.sampled_from((Op.EQ, Op.NE)), st.booleans()),
    _compare(_fact(FactName.CONTACT_ATTEMPTS), st.integers(0, 10)),
    _compare(_fact(FactName.DAYS_TO_DUE), st.integers(-5, 30)),
    _compare(_fact(FactName.OVERDUE_AMOUNT), st.integers(0, 10_000) | money(max_value=10_000)),
    _compare(_parametric(FactName.COUNT), st.integers(0, 5)),
    _compare(_parametric(FactName.DAYS_SINCE), st.integers(0, 60)),
)
_COMPARISONS: Final = _FREE_LEAVES | _compare(_fact(FactName.DPD), st.integers(0, 200))
_FREE: Final = _tree(_FREE_LEAVES)
"""Conditions that do not compare the DPD."""
_ANY_CONDITION: Final = _tree(_COMPARISONS)
_STEPS: Final = st.builds(Step, action=st.sampled_from(_STEP_ACTIONS), when=st.just(TRUE) | _ANY_CONDITION,
                          max_times=st.none() | st.integers(1, 3), within_days=_WITHIN)
_HOLDS: Final = st.builds(Hold, name=_LABELS, condition=_ANY_CONDITION)


def _window(minutes: list[int], actions: frozenset[Action] | None) -> ContactWindow:
    start, end = sorted(minutes)
    return ContactWindow(start=time(start // 60, start % 60), end=time(end // 60, end % 60),
                         actions=REACHING if actions is None else actions)


_WINDOWS: Final = st.builds(_window, st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2, unique=True),
                           st.none() | _SOME_ACTIONS)
_CAPS: Final = st.builds(Cap, actions=_SOME_ACTIONS, limit=st.integers(0, 6), counting=st.sampled_from(Counting),
                         period=st.sampled_from(Period), days=st.integers(1, 10))
_COOLDOWNS: Final = st.builds(Cooldown, actions=_SOME_ACTIONS, after=_SOME_ACTIONS, days=st.integers(1, 10))
_CONSTRAINTS: Final = st.one_of(_WINDOWS, _CAPS, _COOLDOWNS)


def _entry(draw: st.DrawFn, threshold: int) -> Condition:
    """A stage entry that holds from DPD ``threshold`` on (up to a bound, or given more conditions)."""
    dpd = Compare(Fact(name=FactName.DPD), Op.GE, threshold)
    shape = draw(st.sampled_from(("plain", "all", "any")))
    if shape == "plain":
        return dpd
    extra = draw(st.lists(_FREE, max_size=2))
    if shape == "any":  # an upper bound in an ``any`` would make the later stages' entries hold here too
        return AnyOf((dpd, *extra))
    upper = draw(st.none() | st.integers(threshold, threshold + 60))
    bound = [] if upper is None else [Compare(Fact(name=FactName.DPD), Op.LE, upper)]
    return All((dpd, *bound, *extra))


def _custom_policies(most: int) -> SearchStrategy[CollectionPolicy]:
    @st.composite
    def custom(draw: st.DrawFn) -> CollectionPolicy:
        count = draw(st.integers(1, most))
        thresholds = sorted(draw(st.sets(st.integers(0, 150), min_size=count, max_size=count)))
        names = draw(st.permutations(_STAGE_NAMES))[:count]
        ladders = [tuple(draw(st.lists(_STEPS, min_size=1, max_size=3))) for _ in range(count)]
        supplies = st.sampled_from([Action.NONE, *sorted({step.action for ladder in ladders for step in ladder},
                                                         key=_STEP_ACTIONS.index)])
        prerequisites = st.lists(st.builds(Prerequisite, name=_LABELS, condition=_ANY_CONDITION, supply=supplies),
                                 max_size=2)
        stages = tuple(
            Stage(name=name, entry=_entry(draw, threshold), ladder=ladder,
                  prerequisites=tuple(draw(prerequisites)))
            for name, threshold, ladder in zip(names, thresholds, ladders, strict=True)
        )
        holds: list[Hold] = draw(st.just([]) | st.lists(_HOLDS, min_size=1, max_size=2))
        constraints: list[Constraint] = draw(st.lists(_CONSTRAINTS, max_size=4))
        return CollectionPolicy(name=draw(_NAMES), stages=stages, holds=tuple(holds), constraints=tuple(constraints))

    return custom()


@described
def collection_policies(*, presets: bool = True, custom: bool = True, max_stages: int = 4) -> SearchStrategy[
        CollectionPolicy]:
    """A strategy for collection policies: the two presets and small random ones.

    Args:
        presets: Draw :func:`loanrules.policies.standard` and
            :func:`~loanrules.policies.us_reg_f`.
        custom: Draw random policies built from the policy data classes:
            1 to ``max_stages`` stages entered from increasing DPD thresholds
            (alone, with an upper bound, or with other conditions), so that
            every stage is reachable; ladders of 1 to 3 steps (any action
            but ``NONE``, when a condition holds, some at most 1 to 3 times);
            up to 2 prerequisites a stage, supplied by a step some ladder
            takes or by none; no holds half the time, else 1 or 2; up to
            4 constraints (contact
            windows in whole minutes, caps of 0 to 6 per day or per 1 to 10
            days, cool-downs of 1 to 10 days). Conditions are trees of up
            to 4 comparisons of every fact. Each passes validation.
        max_stages: The most stages of a random policy (1 to 8).

    Returns:
        A strategy of :class:`~loanrules.CollectionPolicy`. Examples shrink
        towards the standard policy, then the Regulation F preset, then
        random policies of one stage entered at DPD 0 with a single step.

    >>> collection_policies(presets=False, custom=False)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: collection_policies(): presets and custom cannot both be False
    """
    func = "collection_policies"
    draw_presets = _bool(func, "presets", presets)
    draw_custom = _bool(func, "custom", custom)
    if not (draw_presets or draw_custom):
        raise _fail(func, "presets and custom cannot both be False")
    most = _int(func, "max_stages", max_stages, 1, 8)
    options: list[SearchStrategy[CollectionPolicy]] = []
    if draw_presets:
        options += [st.just(standard()), st.just(us_reg_f())]
    if draw_custom:
        options.append(_custom_policies(most))
    return st.one_of(options)


# Policy parts, one strategy each, and the engine's outputs.


@described
def facts() -> SearchStrategy[Fact]:
    """A strategy for the facts a condition compares: every :class:`~loanrules.policy.FactName`.

    Returns:
        A strategy of :class:`~loanrules.policy.Fact`; the parametric ones
        (``count``, ``days_since``) with an action, outcomes and a span.
        Examples shrink towards ``Fact(name=FactName.DPD)``.

    >>> facts().validate()
    """
    plain = [name for name in FactName if name not in (FactName.COUNT, FactName.DAYS_SINCE)]
    plain.sort(key=lambda name: name is not FactName.DPD)
    return st.sampled_from(plain).map(lambda name: Fact(name=name)) | st.one_of(
        _parametric(FactName.COUNT), _parametric(FactName.DAYS_SINCE))


@described
def conditions() -> SearchStrategy[Condition]:
    """A strategy for conditions: trees of up to 4 comparisons under ``AllOf``, ``AnyOf`` and ``Not``.

    Returns:
        A strategy of conditions (:class:`~loanrules.policy.Compare`,
        ``AllOf``, ``AnyOf``, ``Not``) over every fact, each valid.
        Examples shrink towards a single comparison.

    >>> conditions().validate()
    """
    return _ANY_CONDITION


@described
def steps() -> SearchStrategy[Step]:
    """A strategy for ladder steps: any action but ``NONE``, a condition, at most 1 to 3 times, a span.

    >>> steps().validate()
    """
    return _STEPS


@described
def holds() -> SearchStrategy[Hold]:
    """A strategy for holds: a name and a condition.

    >>> holds().validate()
    """
    return _HOLDS


@described
def prerequisites() -> SearchStrategy[Prerequisite]:
    """A strategy for stage prerequisites: a name, a condition and the action that supplies it (or ``NONE``).

    >>> prerequisites().validate()
    """
    return st.builds(Prerequisite, name=_LABELS, condition=_ANY_CONDITION,
                     supply=st.just(Action.NONE) | st.sampled_from(_STEP_ACTIONS))


@described
def stages(*, policy: CollectionPolicy | SearchStrategy[CollectionPolicy] | EllipsisType = ...) -> SearchStrategy[
        Stage]:
    """A strategy for collection stages: the stages of drawn policies.

    Args:
        policy: A policy or a strategy of them; ``...`` draws :func:`collection_policies`.

    Returns:
        A strategy of :class:`~loanrules.policy.Stage`. Examples shrink
        towards the first stage of the standard policy.

    >>> stages(policy="standard")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: stages(): policy='standard' must be a CollectionPolicy or a strategy of them
    """
    policy_st = _arg("stages", "policy", policy, CollectionPolicy, collection_policies)
    return policy_st.flatmap(lambda p: st.sampled_from(p.stages))


@described
def contact_windows() -> SearchStrategy[ContactWindow]:
    """A strategy for contact windows in whole minutes, for the reaching actions or 1 to 3 actions.

    >>> contact_windows().validate()
    """
    return _WINDOWS


@described
def caps() -> SearchStrategy[Cap]:
    """A strategy for caps: 0 to 6 per calendar day or per 1 to 10 days, attempts or reached.

    >>> caps().validate()
    """
    return _CAPS


@described
def cooldowns() -> SearchStrategy[Cooldown]:
    """A strategy for cool-downs of 1 to 10 days after a conversation.

    >>> cooldowns().validate()
    """
    return _COOLDOWNS


def _moments_on(case: Case) -> SearchStrategy[datetime]:
    """Moments of the case's local day ``state.as_of``, in the debtor's zone (``now`` for ``next_step``)."""
    zone = ZoneInfo(case.timezone)
    first = datetime.combine(case.state.as_of, time(0), tzinfo=zone).astimezone(UTC)
    after = datetime.combine(case.state.as_of + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    seconds = int((after - first).total_seconds()) - 1
    return st.integers(0, seconds).map(lambda s: (first + timedelta(seconds=s)).astimezone(zone))


@described
def decisions(
    *,
    policy: CollectionPolicy | SearchStrategy[CollectionPolicy] | EllipsisType = ...,
    case: Case | SearchStrategy[Case] | EllipsisType = ...,
) -> SearchStrategy[Decision]:
    """A strategy for decisions: ``next_step(policy, case, now)`` at a moment of the case's local day.

    Args:
        policy: A policy or a strategy of them; ``...`` draws :func:`collection_policies`.
        case: A case or a strategy of them; ``...`` draws :func:`cases`.

    Returns:
        A strategy of :class:`~loanrules.Decision`, with its reasons and
        trace. A failing example shows the call it came from.

    >>> decisions(case=1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: decisions(): case=1 must be a Case or a strategy of them
    """
    func = "decisions"
    policy_st = _arg(func, "policy", policy, CollectionPolicy, collection_policies)
    case_st = _arg(func, "case", case, Case, cases)

    @st.composite
    def _decisions(draw: st.DrawFn) -> Decision:
        drawn = draw(case_st)
        return draw(st.builds(next_step, policy_st, st.just(drawn), _moments_on(drawn)))

    return _decisions()


@described
def trace_entries() -> SearchStrategy[TraceEntry]:
    """A strategy for trace entries: the rules ``next_step`` looked at in drawn decisions.

    >>> trace_entries().validate()
    """
    return decisions().filter(lambda d: bool(d.trace)).flatmap(lambda d: st.sampled_from(d.trace))


_CANONICAL: Final = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
_OFFSETS: Final = range(-31, 401)


@functools.cache
def _stage_offsets(policy: CollectionPolicy, name: str) -> tuple[int, ...]:
    """The days, relative to its first due date, on which an unpaid 12-month loan is in stage ``name``."""
    loan = Loan(_CANONICAL)
    due = loan.schedule[0].due_date
    found = []
    for offset in _OFFSETS:
        day = due + timedelta(days=offset)
        if day < loan.terms.start:
            continue
        now = datetime.combine(day, time(12), tzinfo=ZoneInfo("Asia/Shanghai"))
        if next_step(policy, Case(state=loan.state(as_of=day)), now).stage == name:
            found.append(offset)
    return tuple(found)


def _staged(func: str, policy: object, stage: object) -> tuple[CollectionPolicy, tuple[int, ...]]:
    if not isinstance(policy, CollectionPolicy):
        raise _fail(func, f"policy={policy!r} must be a CollectionPolicy (the one whose stage is asked for)")
    names = [s.name for s in policy.stages]
    if stage not in names:
        raise _fail(func, f"stage={stage!r} is not a stage of policy {policy.name!r}; its stages: {', '.join(names)}")
    offsets = _stage_offsets(policy, str(stage))
    if not offsets:
        raise _fail(func, f"stage {stage!r} of policy {policy.name!r} is not reached by an unpaid loan "
                          "with no history in its first 400 days past due")
    return policy, offsets
