"""Unit tests of the collection engine: the standard policy lived day by day, and each rule on its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import loanrules as lr
from loanrules import Action, Case, DecisionStatus, Outcome, Record, next_step
from loanrules.policy import REACHED_OUTCOMES

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
TERMS = lr.LoanTerms(principal="12000", rate=lr.Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
LOAN = lr.Loan(TERMS)
DUE = date(2026, 2, 15)
STANDARD = lr.policies.standard()
REG_F = lr.policies.us_reg_f()


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = SHANGHAI) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def case(day: date, history: tuple[Record, ...] = (), flags: frozenset[str] = frozenset(),
         loan: lr.Loan = LOAN, zone: str = "Asia/Shanghai") -> Case:
    return Case(state=loan.state(as_of=day), history=history, flags=flags, timezone=zone)


def record(when: datetime, action: Action, outcome: Outcome, **kwargs: object) -> Record:
    return Record(at=when, action=action, outcome=outcome, **kwargs)  # type: ignore[arg-type]


OUTCOMES = {Action.REMIND: Outcome.SENT, Action.LETTER: Outcome.SENT, Action.LEGAL_REVIEW: Outcome.APPROVED,
            Action.SMS: Outcome.SENT, Action.EMAIL: Outcome.SENT, Action.REFER_AGENCY: Outcome.SENT,
            Action.LITIGATE: Outcome.SENT}


class TestCollectorsWalk:
    """A loan that misses its first installment and is never paid, walked day by day for 150 days."""

    @staticmethod
    def walk(reached_every: int) -> tuple[list[tuple[datetime, lr.Decision]], list[Record]]:
        history: list[Record] = []
        acted: list[tuple[datetime, lr.Decision]] = []
        day = DUE - timedelta(days=5)
        calls = 0
        for _ in range(150):
            state = LOAN.state(as_of=day)
            for hour, minute in ((7, 30), (8, 0), (10, 0), (12, 0), (15, 0), (18, 0), (21, 30), (22, 0), (23, 0)):
                now = at(day, hour, minute)
                decision = next_step(STANDARD, Case(state=state, history=tuple(history)), now)
                if decision.status is DecisionStatus.ACT:
                    outcome = OUTCOMES.get(decision.action, Outcome.NO_ANSWER)
                    if decision.action is Action.CALL:
                        calls += 1
                        if calls % reached_every == 0:
                            outcome = Outcome.REACHED
                    history.append(record(now, decision.action, outcome))
                    acted.append((now, decision))
            day += timedelta(days=1)
        return acted, history

    def test_stages_advance_and_end_in_litigation(self) -> None:
        """pre_due -> early -> formal -> enforcement, ending with LITIGATE at DPD 120."""
        acted, history = self.walk(reached_every=4)
        stages: list[str] = []
        for _, decision in acted:
            if decision.stage and (not stages or stages[-1] != decision.stage):
                stages.append(decision.stage or "")
        assert stages == ["pre_due", "early", "formal", "enforcement"]
        assert history[-1].action is Action.LITIGATE
        assert history[-1].at.date() == DUE + timedelta(days=120)
        assert [r.action for r in history].count(Action.LITIGATE) == 1

    def test_never_outside_the_window(self) -> None:
        """Every step that reaches the debtor is taken between 08:00 and 22:00 Shanghai time."""
        _, history = self.walk(reached_every=4)
        reaching = [r for r in history if r.action in lr.policy.REACHING]
        assert reaching
        assert all(time(8) <= r.at.astimezone(SHANGHAI).time() < time(22) for r in reaching)

    def test_never_over_a_cap(self) -> None:
        """No day holds more than 6 call attempts, 3 reached calls, 1 SMS or 1 email."""
        _, history = self.walk(reached_every=1)
        days = {r.at.date() for r in history}
        for day in days:
            todays = [r for r in history if r.at.date() == day]
            calls = [r for r in todays if r.action is Action.CALL]
            assert len(calls) <= 6
            assert sum(1 for r in calls if r.outcome in REACHED_OUTCOMES) <= 3
            assert sum(1 for r in todays if r.action is Action.SMS) <= 1
            assert sum(1 for r in todays if r.action is Action.EMAIL) <= 1
        # with every call reached, the third caps calls for the day: in the formal stage SMS and
        # email take over, in the early stage the call waits for tomorrow
        assert any(r.action is Action.SMS for r in history)
        assert any(r.action is Action.EMAIL for r in history)

    def test_enforcement_only_with_every_prerequisite(self) -> None:
        """Referral and lawsuit come only after the letter, 3 attempts and an approved review are on record."""
        _, history = self.walk(reached_every=4)
        refer = next(r for r in history if r.action is Action.REFER_AGENCY)
        before = [r for r in history if r.at < refer.at]
        assert any(r.action is Action.LETTER and r.outcome is Outcome.SENT for r in before)
        assert sum(1 for r in before if r.action in (Action.CALL, Action.SMS, Action.EMAIL)) >= 3
        review = next(r for r in before if r.action is Action.LEGAL_REVIEW)
        assert review.outcome is Outcome.APPROVED
        assert refer.at.date() == DUE + timedelta(days=90)


class TestStandardPolicy:
    def test_current_loan_with_nothing_due_soon(self) -> None:
        """Current, next due in 10 days: status and action NONE."""
        decision = next_step(STANDARD, case(date(2026, 2, 5)), at(date(2026, 2, 5), 10))
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.NONE, Action.NONE, None)

    def test_reminder_before_due(self) -> None:
        """Three days before the due date: REMIND, once."""
        day = DUE - timedelta(days=3)
        first = next_step(STANDARD, case(day), at(day, 9))
        assert (first.status, first.action, first.stage) == (DecisionStatus.ACT, Action.REMIND, "pre_due")
        reminded = (record(at(day, 9), Action.REMIND, Outcome.SENT),)
        again = next_step(STANDARD, case(DUE, reminded), at(DUE, 9))
        assert again.status is DecisionStatus.NONE

    def test_first_day_overdue_calls(self) -> None:
        """DPD 1: stage early, CALL now."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 9))
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.ACT, Action.CALL, "early")

    def test_promise_defers_until_the_day_after(self) -> None:
        """A promise to pay by 20 Feb defers collection to 21 Feb 08:00."""
        day = DUE + timedelta(days=2)
        promised = (record(at(day, 9), Action.CALL, Outcome.PROMISED, promise_date=date(2026, 2, 20)),)
        decision = next_step(STANDARD, case(day, promised), at(day, 11))
        assert (decision.status, decision.action) == (DecisionStatus.DEFER, Action.CALL)
        assert decision.not_before == at(date(2026, 2, 21), 8)
        assert "a promise to pay by 2026-02-20 is open: deferred to the day after" in decision.reasons

    def test_promise_defers_even_when_nothing_is_due(self) -> None:
        """A plan offered and a promise made: nothing on the ladder is due, yet the decision is DEFER."""
        day = DUE + timedelta(days=2)
        history = (record(at(day, 9), Action.CALL, Outcome.HARDSHIP),
                   record(at(day, 10), Action.OFFER_PLAN, Outcome.SENT),
                   record(at(day, 11), Action.CALL, Outcome.PROMISED, promise_date=day + timedelta(days=3)))
        decision = next_step(STANDARD, case(day, history), at(day, 12))
        assert (decision.status, decision.not_before) == (DecisionStatus.DEFER, at(day + timedelta(days=4), 8))

    def test_misspelt_flag_refused(self) -> None:
        """An unknown flag is refused, so a typo cannot silently disable a hold."""
        with pytest.raises(lr.InvalidValueError, match="'flags'"):
            case(DUE, flags=frozenset({"cease_requested"}))

    def test_broken_promise_moves_to_formal(self) -> None:
        """The promised date passed with the loan still overdue: stage formal, LETTER first."""
        promised = (record(at(date(2026, 2, 17), 9), Action.CALL, Outcome.PROMISED, promise_date=date(2026, 2, 18)),)
        day = date(2026, 2, 19)
        decision = next_step(STANDARD, case(day, promised), at(day, 9))
        assert (decision.stage, decision.action, decision.status) == ("formal", Action.LETTER, DecisionStatus.ACT)

    def test_hardship_yields_offer_plan(self) -> None:
        """A reported hardship in the early stage: OFFER_PLAN, then no more calls until the offer is answered."""
        day = DUE + timedelta(days=2)
        hardship = (record(at(day, 9), Action.CALL, Outcome.HARDSHIP),)
        decision = next_step(STANDARD, case(day, hardship), at(day, 10))
        assert (decision.action, decision.status) == (Action.OFFER_PLAN, DecisionStatus.ACT)
        offered = (*hardship, record(at(day, 10), Action.OFFER_PLAN, Outcome.SENT))
        waiting = next_step(STANDARD, case(day, offered), at(day, 11))
        assert (waiting.action, waiting.status) == (Action.NONE, DecisionStatus.NONE)
        rejected = (*hardship, record(at(day, 10), Action.OFFER_PLAN, Outcome.REJECTED))
        assert next_step(STANDARD, case(day, rejected), at(day, 11)).action is Action.CALL

    def test_dispute_holds_everything(self) -> None:
        """An open dispute: HOLD, action NONE, even at DPD 100; resolved, collection resumes."""
        day = DUE + timedelta(days=100)
        disputed = (record(at(DUE + timedelta(days=2), 9), Action.CALL, Outcome.DISPUTED),)
        decision = next_step(STANDARD, case(day, disputed), at(day, 10))
        assert (decision.status, decision.action, decision.reasons) == (
            DecisionStatus.HOLD, Action.NONE, ("hold: open dispute",))
        resumed = next_step(STANDARD, case(day, disputed, frozenset({"dispute_resolved"})), at(day, 10))
        assert resumed.status is not DecisionStatus.HOLD

    def test_cease_request_holds(self) -> None:
        """A cease request flag holds collection."""
        day = DUE + timedelta(days=5)
        decision = next_step(STANDARD, case(day, flags=frozenset({"cease_request"})), at(day, 10))
        assert decision.reasons == ("hold: cease request",)

    def test_payment_in_full_stops_everything(self) -> None:
        """Once the overdue installment is paid and nothing is due soon, the decision is NONE; settled too."""
        day = DUE + timedelta(days=20)
        paid = LOAN.pay(on=day, amount=LOAN.state(as_of=day).due_now.total)
        decision = next_step(STANDARD, case(day, loan=paid), at(day, 10))
        assert (decision.status, decision.action) == (DecisionStatus.NONE, Action.NONE)
        settled = LOAN.settle(on=day)
        final = next_step(STANDARD, case(day, loan=settled), at(day, 10))
        assert final.reasons == ("the loan is settled",)

    def test_active_plan_holds(self) -> None:
        """A restructure plan being kept holds collection."""
        day = DUE + timedelta(days=30)
        plan = LOAN.restructure(on=day, term=24)
        decision = next_step(STANDARD, case(day, loan=plan), at(day, 10))
        assert decision.reasons == ("hold: restructure plan being kept",)

    def test_missing_prerequisite_is_supplied(self) -> None:
        """At DPD 90 with no letter on record, the decision is LETTER, saying which prerequisite is missing."""
        day = DUE + timedelta(days=90)
        decision = next_step(STANDARD, case(day), at(day, 10))
        assert (decision.stage, decision.action) == ("enforcement", Action.LETTER)
        assert "prerequisite missing: overdue notice letter sent; LETTER supplies it" in decision.reasons

    def test_legal_review_after_letter_ages(self) -> None:
        """At DPD 60 with a 15-day-old letter: LEGAL_REVIEW; a 14-day-old letter: CALL."""
        day = DUE + timedelta(days=60)
        old = (record(at(day - timedelta(days=15), 9), Action.LETTER, Outcome.SENT),)
        young = (record(at(day - timedelta(days=14), 9), Action.LETTER, Outcome.SENT),)
        assert next_step(STANDARD, case(day, old), at(day, 10)).action is Action.LEGAL_REVIEW
        assert next_step(STANDARD, case(day, young), at(day, 10)).action is Action.CALL


class TestConstraints:
    def test_defer_across_midnight(self) -> None:
        """At 23:00 the call is deferred to 08:00 the next morning, in the debtor's zone."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 23))
        assert (decision.status, decision.not_before) == (DecisionStatus.DEFER, at(day + timedelta(days=1), 8))
        assert decision.not_before is not None
        assert decision.not_before.tzinfo == SHANGHAI

    def test_early_morning_defers_to_eight(self) -> None:
        """At 07:59 the call waits until 08:00 the same day."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 7, 59))
        assert decision.not_before == at(day, 8)

    def test_now_in_another_zone(self) -> None:
        """now given in UTC is judged in the debtor's zone: 01:00 UTC is 09:00 in Shanghai."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), datetime(2026, 2, 16, 1, 0, tzinfo=UTC))
        assert decision.status is DecisionStatus.ACT

    def test_debtor_in_new_york(self) -> None:
        """A debtor in New York at 21:30 local under Reg F: deferred to 08:00 New York time."""
        day = DUE + timedelta(days=1)
        decision = next_step(REG_F, case(day, zone="America/New_York"), at(day, 21, 30, NEW_YORK))
        assert decision.not_before == at(day + timedelta(days=1), 8, 0, NEW_YORK)

    def test_reached_cap_switches_to_sms_in_formal(self) -> None:
        """Three reached calls today in the formal stage: SMS instead of a fourth call."""
        day = DUE + timedelta(days=20)
        history = (record(at(day - timedelta(days=3), 9), Action.LETTER, Outcome.SENT),
                   *(record(at(day, 9 + i), Action.CALL, Outcome.REACHED) for i in range(3)))
        decision = next_step(STANDARD, case(day, history), at(day, 13))
        assert (decision.action, decision.status) == (Action.SMS, DecisionStatus.ACT)
        assert "SMS instead: the steps before it are constrained now" in decision.reasons

    def test_everything_capped_defers_to_tomorrow(self) -> None:
        """Six call attempts, an SMS and an email today: the call waits for tomorrow 08:00."""
        day = DUE + timedelta(days=20)
        history = (record(at(day - timedelta(days=3), 9), Action.LETTER, Outcome.SENT),
                   *(record(at(day, 8, 10 * i), Action.CALL, Outcome.NO_ANSWER) for i in range(6)),
                   record(at(day, 10), Action.SMS, Outcome.SENT), record(at(day, 11), Action.EMAIL, Outcome.SENT))
        decision = next_step(STANDARD, case(day, history), at(day, 12))
        assert (decision.status, decision.action, decision.not_before) == (
            DecisionStatus.DEFER, Action.CALL, at(day + timedelta(days=1), 8))

    def test_early_stage_cap_defers(self) -> None:
        """In the early stage (calls only), six attempts today defer the call to tomorrow."""
        day = DUE + timedelta(days=2)
        history = tuple(record(at(day, 8, 5 * i), Action.CALL, Outcome.NO_ANSWER) for i in range(6))
        decision = next_step(STANDARD, case(day, history), at(day, 12))
        assert (decision.status, decision.not_before) == (DecisionStatus.DEFER, at(day + timedelta(days=1), 8))

    def test_reg_f_seven_in_seven_days(self) -> None:
        """Reg F: 7 calls in the last 7 days; the next is allowed 7 days after the oldest of them."""
        day = DUE + timedelta(days=5)
        history = tuple(record(at(day - timedelta(days=6 - i), 9, zone=NEW_YORK), Action.CALL, Outcome.NO_ANSWER)
                        for i in range(7))
        decision = next_step(REG_F, case(day, history, zone="America/New_York"), at(day, 12, 0, NEW_YORK))
        assert decision.not_before == at(day + timedelta(days=1), 9, 0, NEW_YORK)

    def test_reg_f_no_call_within_seven_days_of_a_conversation(self) -> None:
        """Reg F: a conversation two days ago bars calls for five more days."""
        day = DUE + timedelta(days=4)
        talk = (record(at(day - timedelta(days=2), 10, zone=NEW_YORK), Action.CALL, Outcome.REACHED),)
        decision = next_step(REG_F, case(day, talk, zone="America/New_York"), at(day, 12, 0, NEW_YORK))
        assert (decision.status, decision.not_before) == (DecisionStatus.DEFER,
                                                          at(day + timedelta(days=5), 10, 0, NEW_YORK))


class TestReasonsAndTrace:
    def test_trace_shows_why_later_stages_did_not_fire(self) -> None:
        """Stage entries are tried from the most advanced back; the trace shows each with its facts."""
        day = DUE + timedelta(days=1)
        decision = next_step(STANDARD, case(day), at(day, 9))
        entries = {entry.rule: entry for entry in decision.trace}
        assert [rule for rule in entries if rule.startswith("stages[") and rule.endswith(".entry")] == [
            "stages[3].entry", "stages[2].entry", "stages[1].entry"]
        assert (entries["stages[3].entry"].condition, entries["stages[3].entry"].result) == ("dpd >= 90", False)
        assert dict(entries["stages[2].entry"].facts) == {"dpd": 1, "broken_promise": False, "contact_attempts": 0}
        assert entries["stages[1].entry"].result is True

    def test_reasons_hold_no_personal_data(self) -> None:
        """Reasons and trace are built from facts alone: no field of a record but action and outcome."""
        day = DUE + timedelta(days=3)
        decision = next_step(STANDARD, case(day), at(day, 9))
        assert decision.reasons == ("stage early: (dpd >= 1 and dpd <= 15)", "next step: CALL")

    def test_deterministic(self) -> None:
        """The same inputs give equal decisions."""
        day = DUE + timedelta(days=30)
        assert next_step(STANDARD, case(day), at(day, 9)) == next_step(STANDARD, case(day), at(day, 9))

    def test_naive_now_refused(self) -> None:
        """A naive now is refused."""
        with pytest.raises(lr.InvalidValueError, match="'now'"):
            next_step(STANDARD, case(DUE), datetime(2026, 2, 15, 9))  # noqa: DTZ001
        with pytest.raises(lr.InvalidTypeError, match="'now'"):
            next_step(STANDARD, case(DUE), date(2026, 2, 15))  # type: ignore[arg-type]

    def test_wrong_arguments(self) -> None:
        """policy and case must be of their types."""
        with pytest.raises(lr.InvalidTypeError, match="'policy'"):
            next_step({}, case(DUE), at(DUE, 9))  # type: ignore[arg-type]
        with pytest.raises(lr.InvalidTypeError, match="'case'"):
            next_step(STANDARD, LOAN, at(DUE, 9))  # type: ignore[arg-type]


class TestBrokenPromiseStaysBroken:
    """Regression ("the stage moves back without a payment"): a new promise does not mend a broken one."""

    BROKEN = record(at(date(2026, 2, 17), 9), Action.CALL, Outcome.PROMISED, promise_date=date(2026, 2, 18))
    DAY = DUE + timedelta(days=5)  # 2026-02-20, DPD 5

    def test_broken_promise_at_dpd_5_is_formal(self) -> None:
        """The promise of 18 Feb passed unpaid: at DPD 5 the stage is formal and the letter is due."""
        decision = next_step(STANDARD, case(self.DAY, (self.BROKEN,)), at(self.DAY, 9))
        assert (decision.stage, decision.action, decision.status) == ("formal", Action.LETTER, DecisionStatus.ACT)

    def test_new_promise_the_same_day_stays_formal(self) -> None:
        """A new promise at 10:00 the same day keeps the stage formal (it was early before the fix), deferred."""
        renewed = (self.BROKEN, record(at(self.DAY, 10), Action.CALL, Outcome.PROMISED,
                                       promise_date=date(2026, 2, 25)))
        decision = next_step(STANDARD, case(self.DAY, renewed), at(self.DAY, 11))
        assert (decision.stage, decision.action, decision.status) == ("formal", Action.LETTER, DecisionStatus.DEFER)
        assert decision.not_before == at(date(2026, 2, 26), 0)  # a letter is not held to the contact window
        assert ("broken_promise", True) in {e.rule: e.facts for e in decision.trace}["stages[2].entry"]

    def test_kept_promise_is_not_broken(self) -> None:
        """Paid in full after the promise: the loan is current, so no stage applies."""
        paid = LOAN.pay(on=self.DAY, amount=LOAN.state(as_of=self.DAY).due_now.total)
        decision = next_step(STANDARD, case(self.DAY, (self.BROKEN,), loan=paid), at(self.DAY, 11))
        assert (decision.stage, decision.status) == (None, DecisionStatus.NONE)


class TestStateDate:
    """Regression: ``next_step`` refuses a state that is not as of the debtor's local date of ``now``."""

    def test_stale_state_refused(self) -> None:
        """A state 20 days older than now is refused, naming case.state.as_of, the rule and the value."""
        with pytest.raises(lr.InvalidValueError) as info:
            next_step(STANDARD, case(DUE), at(DUE + timedelta(days=20), 9))
        assert (info.value.field, info.value.value) == ("case.state.as_of", DUE)
        assert info.value.rule == "must be the debtor's local date of now (2026-03-07 in Asia/Shanghai)"

    def test_local_date_decides_not_utc(self) -> None:
        """01:00 in Shanghai is the previous day in UTC; the state is as of the Shanghai date, and accepted."""
        day = DUE + timedelta(days=1)
        now = at(day, 1).astimezone(UTC)
        assert now.date() == DUE
        assert next_step(STANDARD, case(day), now).stage == "early"
        with pytest.raises(lr.InvalidValueError, match=r"'case\.state\.as_of'"):
            next_step(STANDARD, case(DUE), now)

    def test_debtor_zone_decides(self) -> None:
        """The same instant is 16 Feb in Shanghai and 15 Feb (the due date) in New York: each needs its own state."""
        now = at(DUE + timedelta(days=1), 9)  # 2026-02-15 20:00 in New York
        assert next_step(STANDARD, case(DUE, zone="America/New_York"), now).stage == "pre_due"
        with pytest.raises(lr.InvalidValueError, match="2026-02-15 in America/New_York"):
            next_step(STANDARD, case(DUE + timedelta(days=1), zone="America/New_York"), now)
