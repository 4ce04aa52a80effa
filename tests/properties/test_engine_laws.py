"""Laws of the collection engine, checked on cases, policies and moments drawn by ``loanrules.strategies``.

The policies are the two presets (``standard`` and ``us_reg_f``) and, where
a law speaks of any policy, small random ones from
:func:`~loanrules.strategies.collection_policies`. Two kinds of situation
are drawn, as often each:

- ordinary ones: ``now`` first, from 2001 to 2039 in the debtor's zone
  (often near a daylight-saving change), expressed in that zone, in UTC or
  in New York time; then a loan that started up to 260 days before its
  local day, and its state on that day; then a history of the last 200
  days (a few records after ``now``: the engine must ignore them), contact
  steps of the same local day, records right by the edges the rules
  measure from (``now`` less 1, 7 and 180 days, the local midnight, and
  ``now`` itself, give or take two hours), and sometimes a kit of the
  enforcement stage's prerequisites;
- situations across an offset change: records of one step a span (1, 7 or
  180 days, or 2 to 30) before ``now``, give or take an hour, with a
  daylight-saving change of their zone in between, where a span counted on
  a wall clock is an hour longer or shorter than the same span on the time
  line.

Every comparison of moments here is made on instants (UTC), and every
"days" span is ``days`` × 24 hours, as the docs define the rolling caps,
cool-downs and ``within_days``.

The explicit examples are counterexamples these laws found in the engine
before commit ce2bd6b ("compare and count records as instants"), kept so
that they stay fixed; each says what is expected and what the engine did.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
from hypothesis import event, example, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from loanrules import (
    Action,
    Case,
    CollectionPolicy,
    Decision,
    DecisionStatus,
    Frequency,
    Loan,
    LoanTerms,
    Outcome,
    Rate,
    Record,
    RepaymentMethod,
    next_step,
    policies,
)
from loanrules.policy import REACHED_OUTCOMES, Cap, ContactWindow, Cooldown, Counting, Period
from loanrules.strategies import (
    aware_datetimes,
    cases,
    collection_policies,
    frequencies,
    histories,
    loan_terms,
    loans,
    records,
)

STANDARD = policies.standard()
REG_F = policies.us_reg_f()
PRESETS = st.sampled_from([STANDARD, REG_F])
ANY_POLICY = collection_policies()
CONTACTS = frozenset({Action.CALL, Action.SMS, Action.EMAIL})
ENFORCEMENT = frozenset({Action.REFER_AGENCY, Action.LITIGATE})
EDGES = (timedelta(days=1), timedelta(days=7), timedelta(days=180))
NEAR = 7200
"""Records by an edge fall within this many seconds of it."""


def instant(moment: datetime) -> datetime:
    """The moment in UTC: comparisons and differences on the time line, never on a wall clock."""
    return moment.astimezone(UTC)


def local_day(day: date, zone: str) -> tuple[datetime, datetime]:
    """The first and the last instant (to the microsecond) of ``day`` in ``zone``."""
    tz = ZoneInfo(zone)
    first = instant(datetime.combine(day, time(0), tzinfo=tz))
    after = instant(datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz))
    return first, after - timedelta(microseconds=1)


def up_to(case: Case, now: datetime) -> list[Record]:
    """The records on or before ``now``: the history the engine may read."""
    return [r for r in case.history if instant(r.at) <= instant(now)]


ZONES = ("Asia/Shanghai", "America/New_York", "UTC", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
         "America/Santiago")
"""The debtors' zones (those ``cases`` draws by default)."""
DST_ZONES = ("America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago")
FIRST = datetime(2001, 1, 1, tzinfo=UTC)
LAST = datetime(2039, 12, 31, tzinfo=UTC)


@functools.cache
def offset_changes(zone: str) -> tuple[datetime, ...]:
    """The instants from 2001 to 2039 (to the minute) at which ``zone`` changes its UTC offset."""
    tz = ZoneInfo(zone)
    found: list[datetime] = []
    here = FIRST
    while here < LAST:
        there = here + timedelta(days=1)
        if here.astimezone(tz).utcoffset() != there.astimezone(tz).utcoffset():
            a, b = here, there
            while b - a > timedelta(minutes=1):
                middle = a + (b - a) / 2
                a, b = (middle, b) if middle.astimezone(tz).utcoffset() == here.astimezone(tz).utcoffset() else (
                    a, middle)
            found.append(b.replace(second=0, microsecond=0))
        here = there
    return tuple(found)


def moments(zone: str) -> st.SearchStrategy[datetime]:
    """Moments from 2001 to 2039; as often from two hours before to eight days after an offset change of
    ``zone`` or of another zone, where a wall-clock day or week is not 24 or 168 hours; and as often within
    two hours of one, where a wall time may repeat."""
    tz = ZoneInfo(zone)
    changing = [z for z in (zone, *DST_ZONES) if offset_changes(z)]
    changes = st.sampled_from(changing).flatmap(lambda z: st.sampled_from(offset_changes(z)))

    def shifted(seconds: st.SearchStrategy[int]) -> st.SearchStrategy[datetime]:
        return st.builds(lambda change, by: (change + timedelta(seconds=by)).astimezone(tz), changes, seconds)

    return st.one_of(aware_datetimes(min_value=FIRST, max_value=LAST, timezone=zone),
                     shifted(st.integers(-NEAR, 8 * 86_400)), shifted(st.integers(-NEAR, NEAR)))


CONTACT_AGES = st.integers(32, 120)
"""A monthly loan 1 to 89 days past its first due date, unpaid: the early and formal stages, which call."""
LATE_AGES = st.integers(115, 260)
"""A monthly loan about 85 to 230 days past its first due date, unpaid: around and in the enforcement stage."""
AGES = st.one_of(CONTACT_AGES, LATE_AGES, st.integers(0, 240))
"""Days from a loan's start to the day of ``now``: any stage."""
OFTEN_DUE = st.sampled_from([Frequency.MONTHLY, Frequency.BIWEEKLY]) | frequencies()
"""Frequencies, monthly and biweekly most often: a loan overdue within 240 days of its start."""
FLAGS = st.integers(0, 9).map(lambda n: {8: frozenset({"dispute_resolved"}), 9: frozenset({"cease_request"})}.get(
    n, frozenset()))
"""Mostly no flag, so that a cease request does not hold most cases."""


def edge_records(now: datetime, zone: str) -> st.SearchStrategy[Record]:
    """Records within two hours of ``now`` less 1, 7 or 180 days, of the local midnight of ``now``, or of
    ``now`` itself (before or after it), in the debtor's zone, UTC or a zone with daylight saving."""
    tz = ZoneInfo(zone)
    midnight = instant(datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz))
    anchors = [instant(now) - span for span in EDGES] + [midnight, instant(now)]
    moments = st.builds(lambda anchor, seconds, where: (anchor + timedelta(seconds=seconds)).astimezone(
        ZoneInfo(where)), st.sampled_from(anchors), st.integers(-NEAR, NEAR),
                        st.sampled_from([zone, "UTC", *DST_ZONES]))
    return records(at=moments, action=st.sampled_from([Action.CALL, Action.LEGAL_REVIEW, Action.SMS, Action.EMAIL,
                                                       Action.LETTER, Action.REFER_AGENCY]))


def kits(now: datetime) -> st.SearchStrategy[tuple[Record, ...]]:
    """What the enforcement stage asks for: a letter, mostly sent, in the last 200 days; a legal review,
    mostly approved, mostly in the last 180 days; 2 contact attempts; and up to 2 more records."""
    now_utc = instant(now)
    recent = aware_datetimes(min_value=now_utc - timedelta(days=200), max_value=now_utc)
    reviewed = aware_datetimes(min_value=now_utc - timedelta(days=179), max_value=now_utc) | recent
    contact = records(at=recent, action=st.sampled_from(sorted(CONTACTS, key=str)), outcome=Outcome.NO_ANSWER)
    return st.tuples(
        records(at=recent, action=Action.LETTER, outcome=st.sampled_from([Outcome.SENT, Outcome.SENT,
                                                                          Outcome.REJECTED])),
        records(at=reviewed, action=Action.LEGAL_REVIEW, outcome=st.sampled_from([Outcome.APPROVED, Outcome.APPROVED,
                                                                                 Outcome.REJECTED])),
        contact, contact, st.lists(records(at=recent), max_size=2),
    ).map(lambda parts: (*parts[:-1], *parts[-1]))


TODAY = [Outcome.NO_ANSWER, Outcome.REACHED, Outcome.REFUSED, Outcome.WRONG_PARTY, Outcome.SENT]
"""Outcomes of the contact steps drawn on the day of ``now``: reached or not, no promise, no dispute."""

Situation = tuple[CollectionPolicy, Case, datetime]


def loan_around(day: date, ages: st.SearchStrategy[int], *, events: bool = True) -> st.SearchStrategy[Loan]:
    """A loan that started ``ages`` days before ``day`` (for the targeted ages, a monthly annuity or equal
    principal loan: something falls due every month), with up to 2 events (none without ``events``: never paid)."""
    targeted = ages is not AGES
    frequency = st.just(Frequency.MONTHLY) if targeted else OFTEN_DUE
    method = st.sampled_from([RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL]) if targeted else ...
    terms = ages.flatmap(lambda age: loan_terms(start=day - timedelta(days=age), term=st.integers(1, 24),
                                                first_due=None, frequency=frequency, method=method))
    return loans(terms=terms, max_events=2, histories=events)


@st.composite
def ordinary_situations(draw: st.DrawFn, policy: st.SearchStrategy[CollectionPolicy],
                        ages: st.SearchStrategy[int], kit: bool) -> Situation:
    """A policy, a case, and a moment to decide at.

    The moment comes first, in the debtor's zone, UTC or New York time; then a loan around its local day
    (:func:`loan_around`) and its state on that day; then the history: records of the last 200 days and of the
    next 2, contact steps of the same local day, records by the edges, and with ``kit`` always (else only
    sometimes) a kit of enforcement prerequisites.
    """
    drawn_policy = draw(policy, label="policy")
    zone = draw(st.sampled_from(ZONES), label="zone")
    now = draw(moments(zone), label="now").astimezone(ZoneInfo(draw(st.sampled_from([zone, "UTC",
                                                                                    "America/New_York"]))))
    day = now.astimezone(ZoneInfo(zone)).date()
    loan = draw(loan_around(day, ages))
    first, _ = local_day(day, zone)
    background = draw(histories(start=instant(now) - timedelta(days=200), end=instant(now) + timedelta(days=2),
                                max_size=12))
    today = draw(histories(start=first, end=instant(now), max_size=10,
                           action=st.sampled_from([Action.CALL, Action.CALL, Action.SMS, Action.EMAIL]),
                           outcome=st.sampled_from(TODAY), timezone=st.sampled_from([zone, "UTC"])))
    edges = draw(st.lists(edge_records(now, zone), max_size=4))
    supplies = draw(kits(now) if kit else st.none() | kits(now))
    history = tuple(sorted((*background, *today, *edges, *(supplies or ())), key=lambda r: instant(r.at)))
    if draw(st.integers(0, 2)):  # disputes hold everything: keep them in a third of the cases only
        history = tuple(r for r in history if r.outcome is not Outcome.DISPUTED)
    case = draw(cases(state=loan.state(as_of=day), history=history, flags=FLAGS, timezone=zone))
    note(f"case: {case!r}")
    return drawn_policy, case, now


SPANS = st.sampled_from([*EDGES, EDGES[1]]) | st.integers(2, 30).map(lambda days: timedelta(days=days))
"""The spans rules measure: a day, 7 days (Regulation F's cap and cool-down, twice as often), 180 days (the
legal review); and the 2 to 30 days random policies may use."""
EDGE_STEPS = [(Action.CALL, Outcome.REACHED), (Action.CALL, Outcome.NO_ANSWER), (Action.LEGAL_REVIEW, Outcome.APPROVED),
              (Action.SMS, Outcome.SENT), (Action.EMAIL, Outcome.SENT), (Action.REFER_AGENCY, Outcome.SENT)]
"""The steps on the far side of the change: a conversation (cool-downs), unanswered calls (rolling caps), an
approved review (``within_days = 180``), messages and a referral."""


@st.composite
def across_a_change(draw: st.DrawFn, policy: st.SearchStrategy[CollectionPolicy],
                    ages: st.SearchStrategy[int], kit: bool) -> Situation:
    """A policy, a case and a moment, with 1 to 8 records of one step a span (1, 7 or 180 days, or 2 to 30)
    before ``now``, give or take an hour, and an offset change of the records' zone in between: where a span
    counted on a wall clock is an hour longer or shorter than ``span`` × 24 hours.

    The history holds those records and supporting ones older than 8 days (a letter sent, contact attempts
    unanswered, with ``kit`` an approved review); the loan, never paid, is drawn around the debtor's local day
    of ``now``.
    """
    drawn_policy = draw(policy, label="policy")
    where = draw(st.sampled_from(DST_ZONES), label="records' zone")
    change = draw(st.sampled_from(offset_changes(where)), label="offset change")
    span = draw(SPANS, label="span")
    at = change - timedelta(seconds=draw(st.integers(1, int(span.total_seconds()) - 1)))
    now_utc = at + span + timedelta(seconds=draw(st.integers(-NEAR // 2, NEAR // 2)))
    zone = draw(st.sampled_from([where, *ZONES]), label="zone")
    now = now_utc.astimezone(ZoneInfo(draw(st.sampled_from([zone, "UTC"]))))
    action, outcome = draw(st.sampled_from(EDGE_STEPS))
    edge = [draw(records(at=(at + timedelta(minutes=i)).astimezone(ZoneInfo(where)), action=action, outcome=outcome))
            for i in range(draw(st.integers(1, 8)))]
    old = now_utc - timedelta(days=8)
    supporting = [draw(records(at=aware_datetimes(min_value=now_utc - timedelta(days=200), max_value=old),
                               action=Action.LETTER, outcome=Outcome.SENT))]
    supporting += draw(histories(start=now_utc - timedelta(days=200), end=old, max_size=4,
                                 action=st.sampled_from(sorted(CONTACTS, key=str)), outcome=Outcome.NO_ANSWER))
    if kit:
        supporting += draw(st.lists(records(at=aware_datetimes(min_value=now_utc - timedelta(days=179),
                                                               max_value=old),
                                            action=Action.LEGAL_REVIEW, outcome=Outcome.APPROVED), max_size=1))
    day = now.astimezone(ZoneInfo(zone)).date()
    loan = draw(loan_around(day, ages, events=False))
    history = tuple(sorted((*edge, *supporting), key=lambda r: instant(r.at)))
    case = draw(cases(state=loan.state(as_of=day), history=history, flags=frozenset(), timezone=zone))
    note(f"case: {case!r}")
    return drawn_policy, case, now


def situations(policy: st.SearchStrategy[CollectionPolicy] = PRESETS, ages: st.SearchStrategy[int] = AGES,
               kit: bool = False) -> st.SearchStrategy[Situation]:
    """Ordinary situations, and as often situations with records across an offset change."""
    return ordinary_situations(policy, ages, kit) | across_a_change(policy, ages, kit)


def decide(policy: CollectionPolicy, case: Case, now: datetime) -> Decision:
    decision = next_step(policy, case, now)
    note(f"decision: {decision!r}")
    event(f"{decision.status.name} {decision.action.name}")
    return decision


# --- Counterexamples these laws found before ce2bd6b, kept as explicit examples ---------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def unpaid(start: date) -> Loan:
    """12,000 at 12 % over 12 months from ``start``, never paid."""
    return Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=start))


def step(at: datetime, action: Action, outcome: Outcome) -> Record:
    return Record(at=at, action=action, outcome=outcome)


def contacts(at: datetime) -> tuple[Record, ...]:
    return tuple(step(at + timedelta(hours=i), Action.CALL, Outcome.NO_ANSWER) for i in range(3))


TALK_AFTER_DST = (REG_F, Case(state=unpaid(date(2026, 2, 10)).state(as_of=date(2026, 3, 14)), history=(
    step(datetime(2026, 3, 7, 1, 30, tzinfo=NEW_YORK), Action.CALL, Outcome.REACHED),), timezone="Asia/Shanghai"),
    datetime(2026, 3, 14, 13, 45, tzinfo=SHANGHAI))
"""A conversation recorded at 01:30 New York time (EST) on 7 March 2026, the day before New York springs
forward; asked at 13:45 Shanghai time on 14 March: 6 days 23:15 later. Regulation F's cool-down still runs
(until 14:30); the engine added 7 days on the New York wall clock (until 13:30) and ACTed a CALL."""

CALLS_AFTER_DST = (REG_F, Case(state=unpaid(date(2026, 2, 10)).state(as_of=date(2026, 3, 14)), history=tuple(
    step(datetime(2026, 3, 7, 1, 30 + i, tzinfo=NEW_YORK), Action.CALL, Outcome.NO_ANSWER) for i in range(7)),
    timezone="Asia/Shanghai"), datetime(2026, 3, 14, 13, 45, tzinfo=SHANGHAI))
"""7 unanswered calls from 01:30 New York time (EST) on 7 March 2026, asked at 13:45 Shanghai time on 14
March (6 days 23:15 later): the rolling cap allows a call at 14:30; the engine DEFERred to 13:30, before now."""

REVIEW_180_DAYS_AGO = (STANDARD, Case(state=unpaid(date(2025, 7, 15)).state(as_of=date(2026, 1, 20)), history=(
    step(datetime(2025, 9, 1, 10, tzinfo=NEW_YORK), Action.LETTER, Outcome.SENT),
    *contacts(datetime(2025, 9, 2, 10, tzinfo=NEW_YORK)),
    step(datetime(2025, 7, 24, 12, 30, tzinfo=NEW_YORK), Action.LEGAL_REVIEW, Outcome.APPROVED)),
    timezone="America/New_York"), datetime(2026, 1, 20, 12, tzinfo=NEW_YORK))
"""A review approved 180 days and 30 minutes before now (12:30 EDT in July, now 12:00 EST in January):
not within the last 180 × 24 hours, yet the engine counted it (180 days on the wall clock) and REFERred."""

LETTER_AFTER_NOW = (STANDARD, Case(state=unpaid(date(2025, 6, 1)).state(as_of=date(2025, 11, 2)), history=(
    *contacts(datetime(2025, 8, 1, 10, tzinfo=NEW_YORK)),
    step(datetime(2025, 10, 1, 10, tzinfo=NEW_YORK), Action.LEGAL_REVIEW, Outcome.APPROVED),
    step(datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=NEW_YORK), Action.LETTER, Outcome.SENT)),
    timezone="America/New_York"), datetime(2025, 11, 2, 1, 45, tzinfo=NEW_YORK))
"""The night New York falls back: now is 01:45 EDT (05:45 UTC); the letter is recorded at 01:30 EST (06:30
UTC), 45 minutes later. Comparing the two on the wall clock (same tzinfo, fold ignored), the engine took the
letter as on record and REFERred; with ``now`` in UTC it asked for the LETTER, as it should."""


class TestDeterminism:
    @given(situations(ANY_POLICY))
    def test_same_inputs_same_decision(self, situation: Situation) -> None:
        """next_step(policy, case, now) == next_step(policy, case, now), for any policy."""
        policy, case, now = situation
        assert decide(policy, case, now) == next_step(policy, case, now)

    @given(situations(ANY_POLICY))
    @example(LETTER_AFTER_NOW)
    def test_the_instant_decides_not_the_zone_of_now(self, situation: Situation) -> None:
        """``now`` in UTC or in the debtor's zone is the same moment: the same decision."""
        policy, case, now = situation
        assert decide(policy, case, now) == next_step(policy, case, now.astimezone(UTC))
        assert next_step(policy, case, now) == next_step(policy, case, now.astimezone(ZoneInfo(case.timezone)))

    @given(situations(ANY_POLICY))
    def test_equal_inputs_same_decision(self, situation: Situation) -> None:
        """A policy read back from its dicts and a rebuilt case decide alike."""
        policy, case, now = situation
        again = CollectionPolicy.from_dict(policy.to_dict())
        assert decide(policy, case, now) == next_step(again, attrs.evolve(case, history=list(case.history)), now)

    @given(situations(ANY_POLICY), st.data())
    def test_records_after_now_do_not_count(self, situation: Situation, data: st.DataObject) -> None:
        """Steps recorded after ``now`` change nothing, also when the case was asked before (its index is kept)."""
        policy, case, now = situation
        # After now on the time line: aware arithmetic is on the wall clock (and drops fold), so step in UTC.
        instant = now.astimezone(UTC)
        later = data.draw(histories(start=instant + timedelta(microseconds=1), end=instant + timedelta(hours=12),
                                    min_size=1, max_size=8), label="later")
        extended = attrs.evolve(case, history=case.history + later)
        expected = decide(policy, case, now)
        assert next_step(policy, extended, now) == expected
        assert next_step(policy, extended, now) == expected  # asked again: the case's index is reused
        if later[-1].instant == later[0].instant:
            return
        # Asked at a moment between the later records, the case counts exactly those up to it.
        middle = later[0].instant + (later[-1].instant - later[0].instant) / 2
        counted = case.history + tuple(r for r in later if r.instant <= middle)
        moved = middle.astimezone(ZoneInfo(case.timezone))
        if moved.date() == now.astimezone(ZoneInfo(case.timezone)).date():
            assert next_step(policy, extended, moved) == next_step(policy, attrs.evolve(case, history=counted), moved)


    def test_records_after_now_across_lord_howe_falling_back(self) -> None:
        """The night Lord Howe falls back 30 minutes, now is 01:30 the second time (fold=1, 15:00 UTC):
        a call recorded at 22:30:00.000001 Shanghai time (14:30 UTC) is before now and counts; one at
        23:30:00.000001 (15:30 UTC) is after now and does not. (The law's first draft stepped past now on
        the wall clock, which drops fold, and drew this earlier call as a later one.)"""
        lord_howe, shanghai = ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Asia/Shanghai")
        now = datetime(2001, 3, 25, 1, 30, fold=1, tzinfo=lord_howe)
        case = Case(state=unpaid(date(2001, 2, 21)).state(as_of=date(2001, 3, 25)), timezone="Australia/Lord_Howe")
        before = step(datetime(2001, 3, 24, 22, 30, 0, 1, tzinfo=shanghai), Action.CALL, Outcome.NO_ANSWER)
        after = step(datetime(2001, 3, 24, 23, 30, 0, 1, tzinfo=shanghai), Action.CALL, Outcome.NO_ANSWER)
        assert before.instant < now.astimezone(UTC) < after.instant
        alone = next_step(STANDARD, case, now)
        assert next_step(STANDARD, attrs.evolve(case, history=(after,)), now) == alone
        counted = next_step(STANDARD, attrs.evolve(case, history=(before, after)), now)
        assert counted == next_step(STANDARD, attrs.evolve(case, history=(before,)), now)
        assert counted != alone

class TestContactWindow:
    @given(situations(PRESETS | ANY_POLICY))
    @example(CALLS_AFTER_DST)
    def test_never_act_outside_the_window(self, situation: Situation) -> None:
        """ACT on a windowed step only inside the window (debtor's zone); DEFER to a moment >= now, in the
        debtor's zone, inside every window of the step."""
        policy, case, now = situation
        decision = decide(policy, case, now)
        zone = ZoneInfo(case.timezone)
        windows = [c for c in policy.constraints if isinstance(c, ContactWindow) and decision.action in c.actions]
        if decision.status is DecisionStatus.ACT:
            local = now.astimezone(zone).time()
            for window in windows:
                assert window.start <= local < window.end, (window, now.astimezone(zone))
        if decision.status is DecisionStatus.DEFER:
            moment = decision.not_before
            assert moment is not None
            assert instant(moment) >= instant(now)
            assert isinstance(moment.tzinfo, ZoneInfo), moment
            assert moment.tzinfo.key == case.timezone, moment
            for window in windows:
                assert window.start <= moment.astimezone(zone).time() < window.end, (window, moment)


def counted(cap: Cap, past: Iterable[Record], now: datetime, zone: ZoneInfo) -> list[Record]:
    """The records ``cap`` counts at ``now``: its actions (reached ones only, if so), on the debtor's local
    date of ``now`` or within the last ``days`` × 24 hours."""
    rows = [r for r in past if r.action in cap.actions
            and (cap.counting is Counting.ATTEMPTS or r.outcome in REACHED_OUTCOMES)]
    if cap.period is Period.CALENDAR_DAY:
        today = now.astimezone(zone).date()
        return [r for r in rows if r.at.astimezone(zone).date() == today]
    return [r for r in rows if instant(now) - instant(r.at) < timedelta(days=cap.days)]


class TestCaps:
    @given(situations(PRESETS | ANY_POLICY, CONTACT_AGES, kit=True))
    @example(TALK_AFTER_DST)
    def test_never_act_over_a_cap(self, situation: Situation) -> None:
        """ACT on a capped step only if the records up to now plus this step stay within every cap, and
        no cool-down after a conversation is running."""
        policy, case, now = situation
        decision = decide(policy, case, now)
        if decision.status is not DecisionStatus.ACT:
            return
        zone = ZoneInfo(case.timezone)
        past = up_to(case, now)
        for index, constraint in enumerate(policy.constraints):
            if decision.action not in constraint.actions:
                continue
            event("ACT on a constrained step")
            if isinstance(constraint, Cap):
                rows = counted(constraint, past, now, zone)
                event(f"cap: {constraint.limit - len(rows)} left")
                assert len(rows) + 1 <= constraint.limit, (f"constraints[{index}]", constraint, rows)
            elif isinstance(constraint, Cooldown):
                for talk in past:
                    if talk.action in constraint.after and talk.outcome in REACHED_OUTCOMES:
                        assert instant(now) - instant(talk.at) >= timedelta(days=constraint.days), (
                            f"constraints[{index}]", constraint, talk)


class TestEnforcement:
    @given(situations(PRESETS, LATE_AGES, kit=True))
    @example(REVIEW_180_DAYS_AGO)
    @example(LETTER_AFTER_NOW)
    def test_every_prerequisite_on_record(self, situation: Situation) -> None:
        """REFER_AGENCY or LITIGATE is ACTed only with a letter SENT, 3 contact attempts, a review APPROVED in
        the last 180 days and no open dispute on record."""
        policy, case, now = situation
        decision = decide(policy, case, now)
        if decision.status is not DecisionStatus.ACT or decision.action not in ENFORCEMENT:
            return
        past = up_to(case, now)
        assert any(r.action is Action.LETTER and r.outcome is Outcome.SENT for r in past), "no letter sent on record"
        assert sum(1 for r in past if r.action in CONTACTS) >= 3, "fewer than 3 contact attempts on record"
        assert any(r.action is Action.LEGAL_REVIEW and r.outcome is Outcome.APPROVED
                   and instant(now) - instant(r.at) < timedelta(days=180) for r in past), (
            "no review approved in the last 180 × 24 hours")
        disputed = any(r.outcome is Outcome.DISPUTED for r in past)
        assert not disputed or "dispute_resolved" in case.flags, "a dispute is open"


MISSABLE = [RepaymentMethod.ANNUITY, RepaymentMethod.EQUAL_PRINCIPAL, RepaymentMethod.BULLET]
"""Methods whose first installment owes something, whatever the rate: unpaid, it is missed."""


@st.composite
def walks(draw: st.DrawFn) -> tuple[CollectionPolicy, Case, Loan, list[date]]:
    """A preset; a loan that is never paid, so that its first installment is missed; increasing days, the
    first from 5 days before (never before the start) to 100 days after the first due date; and a case (in any zone) with a history
    drawn by :func:`~loanrules.strategies.histories`, all before the first of those days."""
    policy = draw(PRESETS)
    loan = Loan(draw(loan_terms(term=st.integers(1, 24), method=st.sampled_from(MISSABLE))))
    first = max(loan.terms.start, loan.schedule[0].due_date + timedelta(days=draw(st.integers(-5, 100))))
    days = [first]
    for step in draw(st.lists(st.integers(1, 30), min_size=1, max_size=10)):
        days.append(days[-1] + timedelta(days=step))
    case = draw(cases(state=loan.state(as_of=first), history=()))
    start, _ = local_day(first, case.timezone)
    history = draw(histories(start=start - timedelta(days=200), end=start - timedelta(microseconds=1)))
    return policy, attrs.evolve(case, history=history), loan, days


class TestStages:
    @given(walks())
    def test_stage_never_moves_backwards_without_payments(
            self, walk: tuple[CollectionPolicy, Case, Loan, list[date]]) -> None:
        """No payments, no new records: day after day (at 12:00 local), the stage index never decreases."""
        policy, case, loan, days = walk
        names = [stage.name for stage in policy.stages]
        zone = ZoneInfo(case.timezone)
        seen: list[tuple[date, str | None]] = []
        for day in days:
            decision = next_step(policy, attrs.evolve(case, state=loan.state(as_of=day)),
                                 datetime.combine(day, time(12), tzinfo=zone))
            seen.append((day, decision.stage))
        note(f"stages: {seen}")
        indices = [-1 if stage is None else names.index(stage) for _, stage in seen]
        assert indices == sorted(indices)


    @given(walks(), st.data())
    def test_stage_never_moves_back_as_records_are_added(
            self, walk: tuple[CollectionPolicy, Case, Loan, list[date]], data: st.DataObject) -> None:
        """No payments, records added day after day (any step, any outcome but a dispute, promises included):
        the stage index never decreases. A new promise made after a broken one keeps the case where the broken
        one put it (regression: only the latest promise was judged, and the stage moved back)."""
        policy, case, loan, days = walk
        names = [stage.name for stage in policy.stages]
        zone = ZoneInfo(case.timezone)
        outcome = st.sampled_from([o for o in Outcome if o is not Outcome.DISPUTED])
        history = case.history
        seen: list[tuple[date, str | None]] = []
        previous = local_day(days[0], case.timezone)[0]
        for day in days:
            now = datetime.combine(day, time(12), tzinfo=zone)
            history += data.draw(histories(start=previous, end=instant(now), max_size=4, outcome=outcome),
                                 label=f"records added by {day}")
            previous = instant(now) + timedelta(microseconds=1)
            decision = next_step(policy, attrs.evolve(case, state=loan.state(as_of=day), history=history), now)
            seen.append((day, decision.stage))
        note(f"stages: {seen}")
        indices = [-1 if stage is None else names.index(stage) for _, stage in seen]
        assert indices == sorted(indices)

    @example(  # the regression: broken at DPD 5, a new promise the same day
        [date(2026, 2, 20), date(2026, 2, 21)],
        [(datetime(2026, 2, 17, 1, tzinfo=UTC), date(2026, 2, 18)), (datetime(2026, 2, 20, 3, tzinfo=UTC),
                                                                       date(2026, 2, 25))])
    @given(st.just([date(2026, 2, 20), date(2026, 2, 21)]),
           st.lists(st.tuples(aware_datetimes(min_value=datetime(2026, 2, 15, tzinfo=UTC),
                                              max_value=datetime(2026, 2, 21, 3, tzinfo=UTC)),
                              st.dates(date(2026, 2, 10), date(2026, 3, 10))), max_size=4))
    def test_promises_never_move_the_stage_back(self, days: list[date],
                                                promises: list[tuple[datetime, date]]) -> None:
        """The standard policy on a loan due 15 Feb, never paid: promises added day by day never move it back."""
        loan = unpaid(date(2026, 1, 15))
        names = [stage.name for stage in STANDARD.stages]
        seen = []
        for day in days:
            now = datetime.combine(day, time(12), tzinfo=SHANGHAI)
            history = tuple(Record(at=at, action=Action.CALL, outcome=Outcome.PROMISED, promise_date=by)
                            for at, by in promises if at <= now)
            seen.append(next_step(STANDARD, Case(state=loan.state(as_of=day), history=history), now).stage)
        note(f"stages: {seen}")
        indices = [-1 if stage is None else names.index(stage) for stage in seen]
        assert indices == sorted(indices)


TRACE_PATH = re.compile(r"settled|holds\[\d+\]|constraints\[\d+\]"
                        r"|stages\[\d+\]\.(entry|prerequisites\[\d+\]|ladder\[\d+\](\.when)?)")
MOMENT = r"\d{4}-\d\d-\d\d \d\d:\d\d"


def reason_patterns(policy: CollectionPolicy, case: Case, now: datetime) -> list[re.Pattern[str]]:
    """Every reason the engine may give for this policy and case: the documented sentences, filled in with
    the policy's names and texts, the promise dates on record, the moments and the debtor's zone."""
    actions = {step.action for stage in policy.stages for step in stage.ladder}
    actions |= {p.supply for stage in policy.stages for p in stage.prerequisites}
    action = "(" + "|".join(sorted(a.name for a in actions)) + ")"
    exact = ["the loan is settled", "no stage applies: nothing is overdue or due soon"]
    exact += [f"hold: {hold.name}" for hold in policy.holds]
    for stage in policy.stages:
        exact += [f"stage {stage.name}: {stage.entry.text}", f"every step of stage {stage.name} is taken or not yet due"]
        for p in stage.prerequisites:
            exact.append(f"prerequisite missing: {p.name}; nothing may be done until it holds"
                         if p.supply is Action.NONE else f"prerequisite missing: {p.name}; {p.supply.name} supplies it")
    promised = {r.promise_date for r in up_to(case, now) if r.outcome is Outcome.PROMISED}
    exact += [f"a promise to pay by {day} is open: deferred to the day after" for day in promised]
    patterns = [re.compile(re.escape(text)) for text in exact]
    patterns += [re.compile(f"next step: {action}"),
                 re.compile(f"{action} is constrained until {MOMENT} \\({re.escape(case.timezone)}\\)"),
                 re.compile(f"{action} is never allowed by the constraints"),
                 re.compile(f"{action} instead: the steps before it are constrained now"),
                 re.compile(f"deferred: {action} at {MOMENT}")]
    return patterns


CONSTRAINED = re.compile(rf"[A-Z_]+ is constrained until {MOMENT} \(.+\)")


class TestExplanations:
    @given(situations(ANY_POLICY))
    def test_trace_and_reasons(self, situation: Situation) -> None:
        """Trace entries have a rule path, a text and a bool; ACT, DEFER and HOLD have reasons; every reason
        is a documented sentence about the policy and the facts, never a record or (but in "constrained
        until ... (zone)") the debtor's zone."""
        policy, case, now = situation
        decision = decide(policy, case, now)
        for entry in decision.trace:
            assert isinstance(entry.rule, str)
            assert TRACE_PATH.fullmatch(entry.rule), entry
            assert isinstance(entry.condition, str)
            assert entry.condition, entry
            assert type(entry.result) is bool, entry
        if decision.status in (DecisionStatus.ACT, DecisionStatus.DEFER, DecisionStatus.HOLD):
            assert decision.reasons
        patterns = reason_patterns(policy, case, now)
        for reason in decision.reasons:
            assert any(p.fullmatch(reason) for p in patterns), reason
            for record in case.history:
                assert repr(record) not in reason
                assert record.at.isoformat() not in reason
            if case.timezone in reason:
                assert CONSTRAINED.fullmatch(reason), reason


# A collection case's life as a state machine.
#
# A preset and a loan that is never paid; the clock moves forward in hours
# and days, the collector records what the engine asked for (with any
# outcome but a dispute) or anything else, and the engine is asked for the
# next step at every moment. After every step: the decision is
# deterministic and the same for the policy read back from its dict; an
# ACT is inside every contact window and within every cap and cool-down;
# enforcement has its prerequisites on record; reasons are documented
# sentences; and the stage never moves back (no payment, no dispute).


class CaseLife(RuleBasedStateMachine):
    """One case of an unpaid loan under a preset, its history written step by step."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = STANDARD
        self.loan = unpaid(date(2026, 1, 15))
        self.zone = "Asia/Shanghai"
        self.now = datetime(2026, 2, 16, 9, tzinfo=SHANGHAI)
        self.history: tuple[Record, ...] = ()
        self.stages: list[int] = []
        self.decision: Decision | None = None

    @initialize(policy=PRESETS, zone=st.sampled_from(ZONES), late=st.integers(-3, 120), hour=st.integers(0, 23))
    def open_the_case(self, policy: CollectionPolicy, zone: str, late: int, hour: int) -> None:
        self.policy, self.zone = policy, zone
        day = self.loan.schedule[0].due_date + timedelta(days=late)
        self.now = datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone))

    @property
    def case(self) -> Case:
        today = self.now.astimezone(ZoneInfo(self.zone)).date()
        return Case(state=self.loan.state(as_of=today), history=self.history, timezone=self.zone)

    @rule(hours=st.integers(1, 30))
    def wait_hours(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(days=st.integers(1, 20))
    def wait_days(self, days: int) -> None:
        self.now += timedelta(days=days)

    @rule(outcome=st.sampled_from([o for o in Outcome if o is not Outcome.DISPUTED]),
          promise=st.integers(0, 14), minutes=st.integers(0, 59))
    def do_what_was_asked(self, outcome: Outcome, promise: int, minutes: int) -> None:
        """Record the step the engine last asked for (if it asked to act) a few minutes later."""
        if self.decision is None or self.decision.status is not DecisionStatus.ACT:
            event("nothing asked")
            return
        at = self.now + timedelta(minutes=minutes)
        extra = {}
        if outcome is Outcome.PROMISED:
            extra = {"promise_date": at.astimezone(ZoneInfo(self.zone)).date() + timedelta(days=promise)}
        self.history += (Record(at=at, action=self.decision.action, outcome=outcome, **extra),)
        self.now = at
        event(f"recorded {self.decision.action.name} {outcome.name}")

    @rule(record=records(outcome=st.sampled_from([o for o in Outcome if o is not Outcome.DISPUTED])))
    def record_anything(self, record: Record) -> None:
        """A record of any step at ``now`` (a collector acting on their own)."""
        self.history += (attrs.evolve(record, at=self.now),)

    @rule()
    def ask(self) -> None:
        self.decision = next_step(self.policy, self.case, self.now)
        event(f"{self.decision.status.name} {self.decision.action.name}")

    @invariant()
    def laws_hold(self) -> None:
        case, now, policy = self.case, self.now, self.policy
        decision = next_step(policy, case, now)
        assert decision == next_step(policy, case, now)
        assert decision == next_step(CollectionPolicy.from_dict(policy.to_dict()), case, now.astimezone(UTC))
        zone = ZoneInfo(self.zone)
        past = up_to(case, now)
        if decision.status is DecisionStatus.ACT:
            for constraint in policy.constraints:
                if decision.action not in constraint.actions:
                    continue
                if isinstance(constraint, ContactWindow):
                    assert constraint.start <= now.astimezone(zone).time() < constraint.end, constraint
                elif isinstance(constraint, Cap):
                    assert len(counted(constraint, past, now, zone)) + 1 <= constraint.limit, constraint
                elif isinstance(constraint, Cooldown):
                    for talk in past:
                        if talk.action in constraint.after and talk.outcome in REACHED_OUTCOMES:
                            assert instant(now) - instant(talk.at) >= timedelta(days=constraint.days), talk
            if policy is STANDARD and decision.action in ENFORCEMENT:
                assert any(r.action is Action.LETTER and r.outcome is Outcome.SENT for r in past)
                assert any(r.action is Action.LEGAL_REVIEW and r.outcome is Outcome.APPROVED for r in past)
        patterns = reason_patterns(policy, case, now)
        for reason in decision.reasons:
            assert any(p.fullmatch(reason) for p in patterns), reason
        names = [stage.name for stage in policy.stages]
        index = -1 if decision.stage is None else names.index(decision.stage)
        assert not self.stages or index >= self.stages[-1], (self.stages, decision.stage)
        self.stages.append(index)


CaseLife.TestCase.settings = settings(stateful_step_count=25)
TestCaseLife = CaseLife.TestCase
