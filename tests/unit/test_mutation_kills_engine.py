"""Engine tests written to kill mutants that survived ``tools/mutation.py --module engine``.

Each pins a boundary of a constraint or of a promise that the other tests
stepped over: a promise dated today, a cap on reached calls met only by
attempts, a rolling cap whose oldest step is exactly one window old.
See docs/explanation/mutation-testing.md.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import loanrules as lr
from loanrules import Action, Case, DecisionStatus, Outcome, Record, next_step

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
LOAN = lr.Loan(lr.LoanTerms(principal="12000", rate=lr.Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
DUE = date(2026, 2, 15)
STANDARD = lr.policies.standard()
REG_F = lr.policies.us_reg_f()


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def case(day: date, history: tuple[Record, ...] = (), zone: str = "Asia/Shanghai") -> Case:
    return Case(state=LOAN.state(as_of=day), history=history, timezone=zone)


def call(when: datetime, outcome: Outcome = Outcome.NO_ANSWER, **kwargs: object) -> Record:
    return Record(at=when, action=Action.CALL, outcome=outcome, **kwargs)  # type: ignore[arg-type]


class TestPromise:
    def test_promise_dated_today_is_open(self) -> None:
        """A promise to pay today (DPD 2) is open all day: the call waits for tomorrow 08:00."""
        day = DUE + timedelta(days=2)
        decision = next_step(STANDARD, case(day, (call(at(day, 9), Outcome.PROMISED, promise_date=day),)),
                             at(day, 11))
        assert (decision.status, decision.action, decision.not_before) == (
            DecisionStatus.DEFER, Action.CALL, at(day + timedelta(days=1), 8))

    def test_promise_dated_yesterday_is_not_open(self) -> None:
        """A promise to pay yesterday, not kept: no longer open (broken); the formal stage's letter acts."""
        day = DUE + timedelta(days=3)
        promised = call(at(day - timedelta(days=1), 9), Outcome.PROMISED, promise_date=day - timedelta(days=1))
        decision = next_step(STANDARD, case(day, (promised,)), at(day, 11))
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.ACT, Action.LETTER, "formal")


class TestCaps:
    def test_reached_cap_does_not_count_unanswered_calls(self) -> None:
        """Formal stage, letter sent: three unanswered calls today do not meet the cap of 3 *reached*
        calls, and stay under the 6 attempts: a fourth call acts now."""
        day = DUE + timedelta(days=20)
        history = (Record(at=at(day - timedelta(days=3), 9), action=Action.LETTER, outcome=Outcome.SENT),
                   *(call(at(day, 9 + i)) for i in range(3)))
        decision = next_step(STANDARD, case(day, history), at(day, 13))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.CALL)

    @staticmethod
    def reg_f_week(day: date) -> tuple[Record, ...]:
        """The letter sent 10 days ago, then a call at 12:00 (New York) on each of the last 7 days."""
        letter = Record(at=at(day - timedelta(days=10), 12, zone=NEW_YORK), action=Action.LETTER,
                        outcome=Outcome.SENT)
        return (letter, *(call(at(day - timedelta(days=7 - i), 12, zone=NEW_YORK)) for i in range(7)))

    def test_rolling_cap_drops_the_call_exactly_one_window_old(self) -> None:
        """Reg F, 7 calls in 7 days: at 12:00 today the oldest (12:00 seven days ago) is out of the
        window, 6 remain, and no conversation bars calling: the call acts now."""
        day = DUE + timedelta(days=20)
        decision = next_step(REG_F, case(day, self.reg_f_week(day), zone="America/New_York"),
                             at(day, 12, 0, NEW_YORK))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.CALL)

    def test_rolling_cap_counts_the_call_a_minute_younger(self) -> None:
        """The same week asked at 11:59: all 7 count, so the call is constrained until 12:00 (7 days
        after the oldest), and the SMS next on the ladder acts instead."""
        day = DUE + timedelta(days=20)
        decision = next_step(REG_F, case(day, self.reg_f_week(day), zone="America/New_York"),
                             at(day, 11, 59, NEW_YORK))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.SMS)
        assert "CALL is constrained until 2026-03-07 12:00 (America/New_York)" in decision.reasons


class TestTrace:
    def test_a_fact_read_twice_is_shown_once(self) -> None:
        """DPD 1: the early stage's entry 'dpd >= 1 and dpd <= 15' reads dpd twice; its trace entry shows
        ('dpd', 1) once. The formal stage's entry reads three facts, each shown once, in order."""
        day = DUE + timedelta(days=1)
        trace = {entry.rule: entry for entry in next_step(STANDARD, case(day), at(day, 9)).trace}
        assert trace["stages[1].entry"].facts == (("dpd", 1),)
        assert trace["stages[1].entry"].result is True
        assert trace["stages[2].entry"].facts == (("dpd", 1), ("broken_promise", False), ("contact_attempts", 0))


class TestWindowAndDayBoundaries:
    def test_the_window_opens_at_eight_sharp(self) -> None:
        """08:00 is inside the 08:00-22:00 window: the call acts."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 8))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.CALL)

    def test_the_window_closes_at_ten_sharp(self) -> None:
        """22:00 is outside: the call waits for 08:00 tomorrow."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 22))
        assert (decision.status, decision.action, decision.not_before) == (
            DecisionStatus.DEFER, Action.CALL, at(day + timedelta(days=1), 8))

    def test_formal_stage_at_night_defers_the_first_step(self) -> None:
        """Formal stage at 23:00, letter sent: call, SMS and email are all deferred to 08:00; the first
        of them on the ladder, the call, is the one deferred."""
        day = DUE + timedelta(days=20)
        history = (Record(at=at(day - timedelta(days=3), 9), action=Action.LETTER, outcome=Outcome.SENT),)
        decision = next_step(STANDARD, case(day, history), at(day, 23))
        assert (decision.status, decision.action, decision.not_before) == (
            DecisionStatus.DEFER, Action.CALL, at(day + timedelta(days=1), 8))

    def test_a_call_at_midnight_counts_for_its_day(self) -> None:
        """Six attempts today, the first at 00:00 sharp: the daily cap of 6 is met, the call waits."""
        day = DUE + timedelta(days=2)
        history = (call(at(day, 0)), *(call(at(day, 8, 5 * i)) for i in range(5)))
        decision = next_step(STANDARD, case(day, history), at(day, 12))
        assert (decision.status, decision.not_before) == (DecisionStatus.DEFER, at(day + timedelta(days=1), 8))

    def test_a_call_a_minute_before_midnight_counts_for_yesterday(self) -> None:
        """Five attempts today and one at 23:59 yesterday: 5 of 6 today, the call acts."""
        day = DUE + timedelta(days=2)
        history = (call(at(day - timedelta(days=1), 23, 59)), *(call(at(day, 8, 5 * i)) for i in range(5)))
        decision = next_step(STANDARD, case(day, history), at(day, 12))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.CALL)


class TestConstraintTrace:
    def test_each_constraint_is_traced_once_with_its_verdict(self) -> None:
        """At 23:00 the call is checked against the window (not allowed: False), then, at the moved
        moment 08:00, against the two call caps (allowed there: True); the second round, which confirms
        08:00, is not traced again."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 23))
        traced = [(e.rule, e.result) for e in decision.trace if e.rule.startswith("constraints")]
        assert traced == [("constraints[0]", False), ("constraints[1]", True), ("constraints[2]", True)]

    def test_allowed_now_is_traced_true(self) -> None:
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 9))
        traced = [(e.rule, e.result) for e in decision.trace if e.rule.startswith("constraints")]
        assert traced == [("constraints[0]", True), ("constraints[1]", True), ("constraints[2]", True)]


class TestCoolDownAndRepeats:
    def test_cool_down_runs_from_the_latest_conversation(self) -> None:
        """Reg F: conversations 6 days and 2 days ago (10:00 New York): calls wait 7 days from the
        latest, until 10:00 five days from now."""
        day = DUE + timedelta(days=8)
        talks = (call(at(day - timedelta(days=6), 10, zone=NEW_YORK), Outcome.REACHED),
                 call(at(day - timedelta(days=2), 10, zone=NEW_YORK), Outcome.REACHED))
        letter = Record(at=at(day - timedelta(days=7), 9, zone=NEW_YORK), action=Action.LETTER,
                        outcome=Outcome.SENT)
        decision = next_step(REG_F, case(day, (letter, *talks), zone="America/New_York"), at(day, 12, 0, NEW_YORK))
        assert "CALL is constrained until " + f"{day + timedelta(days=5):%Y-%m-%d} 10:00 (America/New_York)" in (
            decision.reasons)

    def test_a_reminder_exactly_four_days_old_no_longer_counts(self) -> None:
        """pre_due reminds at most once within 4 days: 3 days before the due date at 09:00, a reminder
        sent exactly 4 days earlier is outside the 4 days, so the reminder acts."""
        now = at(DUE - timedelta(days=3), 9)
        history = (Record(at=now - timedelta(days=4), action=Action.REMIND, outcome=Outcome.SENT),)
        decision = next_step(STANDARD, case(DUE - timedelta(days=3), history), now)
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.ACT, Action.REMIND, "pre_due")

    def test_a_reminder_a_minute_younger_still_counts(self) -> None:
        """The same reminder a minute later (4 days less a minute ago) is within the 4 days: nothing to do."""
        now = at(DUE - timedelta(days=3), 9)
        history = (Record(at=now - timedelta(days=4) + timedelta(minutes=1), action=Action.REMIND,
                          outcome=Outcome.SENT),)
        decision = next_step(STANDARD, case(DUE - timedelta(days=3), history), now)
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.NONE, Action.NONE, "pre_due")


class TestStageSteps:
    def test_a_supplied_prerequisite_is_the_only_step_looked_at(self) -> None:
        """DPD 90, no letter on record: LETTER supplies the missing prerequisite; the ladder is not
        consulted, so the reasons are exactly the stage and the missing prerequisite."""
        day = DUE + timedelta(days=90)
        decision = next_step(STANDARD, case(day), at(day, 10))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.LETTER)
        assert decision.reasons == ("stage enforcement: dpd >= 90",
                                    "prerequisite missing: overdue notice letter sent; LETTER supplies it")

    def test_a_promise_with_nothing_due_defers_the_stages_first_step(self) -> None:
        """Early stage, a plan offered and a promise open: nothing on the ladder is due, so the stage's
        first step (OFFER_PLAN) is the one deferred to the day after the promise."""
        day = DUE + timedelta(days=2)
        history = (call(at(day, 9), Outcome.HARDSHIP),
                   Record(at=at(day, 10), action=Action.OFFER_PLAN, outcome=Outcome.SENT),
                   call(at(day, 11), Outcome.PROMISED, promise_date=day + timedelta(days=3)))
        decision = next_step(STANDARD, case(day, history), at(day, 12))
        assert (decision.status, decision.action, decision.not_before) == (
            DecisionStatus.DEFER, Action.OFFER_PLAN, at(day + timedelta(days=4), 8))


NEVER = lr.CollectionPolicy.from_toml("""
name = "never"

[[stages]]
name = "late"
entry = { fact = "dpd", op = ">=", value = 1 }
ladder = [ { action = "call" } ]
prerequisites = [
  { name = "no open dispute", supply = "none", when = { fact = "dispute_open", op = "==", value = false } },
]

[[constraints]]
type = "cap"
actions = ["call"]
limit = 0
counting = "attempts"
period = "calendar_day"
""")


class TestCustomPolicy:
    def test_a_cap_of_zero_is_never(self) -> None:
        """A cap of 0 calls a day never allows the stage's only step: nothing can be done (NONE), not
        a deferral to tomorrow."""
        day = DUE + timedelta(days=1)
        decision = next_step(NEVER, case(day), at(day, 9))
        assert (decision.status, decision.action, decision.stage, decision.not_before) == (
            DecisionStatus.NONE, Action.NONE, "late", None)
        assert "CALL is never allowed by the constraints" in decision.reasons

    def test_a_prerequisite_nothing_supplies_holds(self) -> None:
        """No hold on disputes here, so the stage's prerequisite 'no open dispute' (supplied by none)
        decides: with a dispute open (a call ended DISPUTED), HOLD."""
        day = DUE + timedelta(days=3)
        disputed = (call(at(DUE + timedelta(days=2), 9), Outcome.DISPUTED),)
        decision = next_step(NEVER, case(day, disputed), at(day, 9))
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.HOLD, Action.NONE, "late")
        assert "prerequisite missing: no open dispute; nothing may be done until it holds" in decision.reasons


DAILY_SMS = lr.CollectionPolicy.from_toml("""
name = "one sms a day, any hour"

[[stages]]
name = "late"
entry = { fact = "dpd", op = ">=", value = 1 }
ladder = [ { action = "sms" } ]

[[constraints]]
type = "cap"
actions = ["sms"]
limit = 1
counting = "attempts"
period = "calendar_day"
""")


class MyDatetime(datetime):
    """A datetime subclass, as a caller's framework may pass."""


class TestDayCapWithoutWindow:
    def test_a_daily_cap_defers_to_midnight(self) -> None:
        """One SMS a day and no contact window: after today's SMS the next waits for 00:00 tomorrow."""
        day = DUE + timedelta(days=1)
        history = (Record(at=at(day, 9), action=Action.SMS, outcome=Outcome.SENT),)
        decision = next_step(DAILY_SMS, case(day, history), at(day, 12))
        assert (decision.status, decision.action, decision.not_before) == (
            DecisionStatus.DEFER, Action.SMS, at(day + timedelta(days=1), 0))


class TestNowSubclass:
    def test_a_datetime_subclass_is_kept_only_as_its_moment(self) -> None:
        """now given as a datetime subclass: the trace holds a plain datetime of the same moment."""
        day = DUE + timedelta(days=1)
        now = MyDatetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI)
        decision = next_step(DAILY_SMS, case(day), now)
        moments = [value for entry in decision.trace for name, value in entry.facts if name == "at"]
        assert moments == [at(day, 9)]
        assert all(type(moment) is datetime for moment in moments)


class TestRollingCapCount:
    def test_only_the_calls_inside_the_window_count(self) -> None:
        """Reg F: a call 9 days ago and one on each of the last 6 days (12:00 New York): 6 in the last 7
        days, under the cap of 7, and no conversation: the call acts now."""
        day = DUE + timedelta(days=20)
        letter = Record(at=at(day - timedelta(days=10), 12, zone=NEW_YORK), action=Action.LETTER,
                        outcome=Outcome.SENT)
        calls = (call(at(day - timedelta(days=9), 12, zone=NEW_YORK)),
                 *(call(at(day - timedelta(days=d), 12, zone=NEW_YORK)) for d in range(6, 0, -1)))
        decision = next_step(REG_F, case(day, (letter, *calls), zone="America/New_York"), at(day, 12, 0, NEW_YORK))
        assert (decision.status, decision.action) == (DecisionStatus.ACT, Action.CALL)
