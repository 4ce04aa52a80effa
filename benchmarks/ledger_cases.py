"""Benchmark cases of the ledger and the engine, run by ``bench.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import loanrules as lr


def loan_with_payments(term: int = 360, payments: int = 100) -> tuple[lr.Loan, date]:
    """A 360-installment loan with its first 100 installments paid on their due dates."""
    terms = lr.LoanTerms(principal="1000000", rate=lr.Rate.annual("0.049"), term=term, start=date(2026, 1, 15))
    loan = lr.Loan(terms)
    schedule = loan.original_schedule
    for row in schedule[:payments]:
        loan = loan.pay(on=row.due_date, amount=row.payment)
    return loan, schedule[min(payments, len(schedule) - 1)].due_date


def state_case() -> dict[str, Callable[[], object]]:
    """``state(as_of)`` of that loan next to building its schedule (the target is 2x)."""
    loan, as_of = loan_with_payments()
    terms = loan.terms
    return {
        "loanrules": lambda: loan.state(as_of=as_of),
        "build_schedule": lambda: lr.build_schedule(terms),
    }


# ---------------------------------------------------------------------------
# The engine, next to a hand-written if-chain of the same standard policy.

SHANGHAI = ZoneInfo("Asia/Shanghai")
REACHED = frozenset({lr.Outcome.REACHED, lr.Outcome.PROMISED, lr.Outcome.HARDSHIP, lr.Outcome.DISPUTED,
                     lr.Outcome.REFUSED})
CONTACT = frozenset({lr.Action.CALL, lr.Action.SMS, lr.Action.EMAIL})


def engine_case_inputs() -> tuple[lr.Case, datetime]:
    """A loan 40 days past due with a 20-record history: the letter sent, calls, an SMS, a broken promise."""
    terms = lr.LoanTerms(principal="12000", rate=lr.Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
    state = lr.Loan(terms).state(as_of=date(2026, 3, 27))
    start = datetime(2026, 2, 16, 9, 0, tzinfo=SHANGHAI)
    history = [lr.Record(at=start, action=lr.Action.CALL, outcome=lr.Outcome.PROMISED,
                         promise_date=date(2026, 2, 20))]
    history.append(lr.Record(at=start + timedelta(days=7), action=lr.Action.LETTER, outcome=lr.Outcome.SENT))
    for i in range(17):
        action = lr.Action.SMS if i % 6 == 5 else lr.Action.CALL
        outcome = lr.Outcome.SENT if action is lr.Action.SMS else (
            lr.Outcome.REACHED if i % 3 == 0 else lr.Outcome.NO_ANSWER)
        history.append(lr.Record(at=start + timedelta(days=8 + i * 2, hours=i % 5), action=action, outcome=outcome))
    history.append(lr.Record(at=datetime(2026, 3, 27, 9, 0, tzinfo=SHANGHAI), action=lr.Action.CALL,
                             outcome=lr.Outcome.NO_ANSWER))
    case = lr.Case(state=state, history=tuple(history), timezone="Asia/Shanghai")
    return case, datetime(2026, 3, 27, 11, 0, tzinfo=SHANGHAI)


def hand_written(case: lr.Case, now: datetime) -> tuple[lr.Action, str]:
    """The standard policy as a plain if-chain: the floor an engine of data is measured against."""
    zone = ZoneInfo(case.timezone)
    local = now.astimezone(zone)
    today = local.date()
    state = case.state
    history = [r for r in case.history if r.at <= now]
    if state.status is lr.Status.SETTLED:
        return lr.Action.NONE, "none"
    if any(r.outcome is lr.Outcome.DISPUTED for r in history) and "dispute_resolved" not in case.flags:
        return lr.Action.NONE, "hold"
    if "cease_request" in case.flags:
        return lr.Action.NONE, "hold"
    if state.restructured_on is not None and state.days_past_due == 0:
        return lr.Action.NONE, "hold"
    dpd = state.days_past_due
    promises = [r for r in history if r.outcome is lr.Outcome.PROMISED]
    promise = promises[-1] if promises else None
    broken = promise is not None and promise.promise_date < today and dpd > 0
    attempts = sum(1 for r in history if r.action in CONTACT)
    letters = [r for r in history if r.action is lr.Action.LETTER]
    if dpd >= 90:
        return lr.Action.REFER_AGENCY, "enforcement"
    if dpd >= 16 or broken or (dpd >= 8 and attempts >= 1):
        if not letters:
            return lr.Action.LETTER, "formal"
        approved = [r for r in history if r.action is lr.Action.LEGAL_REVIEW and r.outcome is lr.Outcome.APPROVED
                    and r.at > now - timedelta(days=180)]
        if dpd >= 60 and (today - letters[-1].at.astimezone(zone).date()).days >= 15 and not approved:
            return lr.Action.LEGAL_REVIEW, "formal"
        if not time(8) <= local.time() < time(22):
            return lr.Action.CALL, "defer"
        todays = [r for r in history if r.at.astimezone(zone).date() == today]
        calls = [r for r in todays if r.action is lr.Action.CALL]
        if len(calls) < 6 and sum(1 for r in calls if r.outcome in REACHED) < 3:
            return lr.Action.CALL, "formal"
        if not any(r.action is lr.Action.SMS for r in todays):
            return lr.Action.SMS, "formal"
        if not any(r.action is lr.Action.EMAIL for r in todays):
            return lr.Action.EMAIL, "formal"
        return lr.Action.CALL, "defer"
    if dpd >= 1:
        return lr.Action.CALL, "early"
    return lr.Action.NONE, "none"


def engine_case() -> dict[str, Callable[[], object]]:
    """``next_step`` with a 20-record history next to the hand-written if-chain (the target is 3x)."""
    case, now = engine_case_inputs()
    policy = lr.policies.standard()
    decision = lr.next_step(policy, case, now)
    floor = hand_written(case, now)
    assert (decision.action, decision.stage) == (floor[0], floor[1]), (decision, floor)
    return {
        "loanrules": lambda: lr.next_step(policy, case, now),
        "hand-written if-chain": lambda: hand_written(case, now),
    }
