"""Characterization: digests of the schedules, states and decisions of a few thousand drawn inputs.

The inputs are drawn from a seeded ``random.Random`` (not from the shipped
strategies, which may change), so the same inputs are built on every run.
Each input's result is reduced to a canonical text of its public fields and
hashed; ``digests.json`` holds the digests the code gave when they were
recorded. A refactoring must leave every digest as it is. A bug fix that
changes a result updates the file in its own commit, which names the fix and
the cases it changed (run with ``LOANRULES_RECORD_CHARACTERIZATION=1`` to
rewrite the file, then read the diff).
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
import os
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import loanrules
from loanrules import (
    CHINA,
    WEEKENDS,
    Accrual,
    Action,
    Allocation,
    BusinessDay,
    Calendar,
    Case,
    Component,
    DayCount,
    Frequency,
    Loan,
    LoanRulesError,
    LoanTerms,
    Outcome,
    PenaltyBase,
    PenaltyTerms,
    PrepaymentTerms,
    Rate,
    Recast,
    Record,
    RepaymentMethod,
    build_schedule,
    next_step,
    policies,
)

DIGESTS = Path(__file__).with_name("digests.json")
SEED = 20261207
COUNTS = {"schedules": 2000, "states": 1000, "decisions": 1000}
ZONE = ZoneInfo("Asia/Shanghai")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}.{rng.randint(0, 99):02d}"


def draw_terms(rng: random.Random) -> LoanTerms:
    method = rng.choice(list(RepaymentMethod))
    frequency = rng.choices(list(Frequency), weights=[8, 1, 1, 1, 1, 1])[0]
    calendar: Calendar = rng.choice([loanrules.ALL_DAYS, loanrules.ALL_DAYS, WEEKENDS, CHINA])
    term = rng.choice([1, 2, 3, 6, 12, 12, 24, 36, 60]) if calendar is not CHINA else rng.choice([1, 3, 6, 12])
    start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 300 if calendar is CHINA else 900))
    payment_day = rng.choice([None, None, 1, 10, 15, 28, 31])
    if frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        payment_day = None
        if calendar is CHINA:
            term = min(term, 12)
    rate = rng.choice([Rate.annual("0"), Rate.percent("3.1"), Rate.percent("4.9"), Rate.percent("12"),
                       Rate.percent("18.25"), Rate.daily("0.0003", basis=360), Rate.daily("0.0005", basis=365)])
    return LoanTerms(
        principal=money(rng, 1, 500_000),
        rate=rate,
        term=term,
        method=method,
        start=start,
        frequency=frequency,
        payment_day=payment_day,
        accrual=rng.choice(list(Accrual)),
        day_count=rng.choice(list(DayCount)),
        calendar=calendar,
        business_day=rng.choice(list(BusinessDay)) if calendar is not loanrules.ALL_DAYS else BusinessDay.UNADJUSTED,
        rounding=rng.choice(["ROUND_HALF_UP", "ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN"]),
    )


def schedule_text(terms: LoanTerms) -> str:
    schedule = build_schedule(terms)
    rows = [(i.due_date, i.unadjusted_date, i.period_start, i.provisional, i.principal, i.interest, i.payment,
             i.balance) for i in schedule]
    return repr((rows, schedule.total_principal, schedule.total_interest, schedule.total_payment))


def draw_loan(rng: random.Random) -> tuple[Loan, list[date]]:
    terms = LoanTerms(
        principal=money(rng, 100, 200_000),
        rate=rng.choice([Rate.percent("4.9"), Rate.percent("12"), Rate.percent("24"), Rate.daily("0.0005", basis=365)]),
        term=rng.choice([3, 6, 12, 24]),
        method=rng.choice(list(RepaymentMethod)),
        start=date(2025, 1, 1) + timedelta(days=rng.randint(0, 365)),
        accrual=rng.choice(list(Accrual)),
    )
    order = list(Component)
    rng.shuffle(order)
    loan = Loan(
        terms,
        penalty=PenaltyTerms(
            markup=rng.choice(["0.3", "0.5"]),
            base=rng.choice(list(PenaltyBase)),
            compound=rng.choice([True, False]),
            grace_days=rng.choice([0, 0, 3]),
            late_fee=rng.choice(["0", "0", "25.00"]),
        ),
        prepayment=PrepaymentTerms(fee_rate=rng.choice(["0", "0.01"]), recast=rng.choice(list(Recast))),
        allocation=Allocation(order=tuple(order), installment_first=rng.choice([True, True, False])),
    )
    schedule = loan.schedule
    day = terms.start
    end = schedule[-1].due_date + timedelta(days=60)
    for _ in range(rng.randint(0, 12)):
        day = day + timedelta(days=rng.randint(1, 60))
        if day > end:
            break
        kind = rng.random()
        try:
            if kind < 0.6:
                amount = rng.choice([schedule[0].payment, schedule[0].payment / 2, Decimal_(rng)])
                loan = loan.pay(on=day, amount=amount)
            elif kind < 0.75:
                loan = loan.prepay(on=day, amount=money(rng, 10, 5_000))
            elif kind < 0.85:
                loan = loan.waive(on=day)
            elif kind < 0.92:
                loan = loan.restructure(on=day, term=rng.choice([3, 6, 12]), waive_penalty=rng.choice([True, False]))
            else:
                loan = loan.settle(on=day)
        except LoanRulesError:
            continue
    days = [terms.start + timedelta(days=rng.randint(0, (end - terms.start).days)) for _ in range(3)]
    return loan, days


def Decimal_(rng: random.Random) -> str:  # noqa: N802 - reads as the amount it draws
    return money(rng, 1, 3_000)


class plain:  # noqa: N801 - used as a function
    """An enum member shown as Python's own Enum repr shows it: the texts hashed never depend on the library's reprs."""

    def __init__(self, member: enum.Enum) -> None:
        self.member = member

    def __repr__(self) -> str:
        return f"<{type(self.member).__name__}.{self.member.name}: {self.member.value!r}>"


def state_text(loan: Loan, day: date) -> str:
    s = loan.state(as_of=day)
    rows = [(r.number, r.due_date, r.due, r.paid, r.waived, r.outstanding, r.days_late, r.settled_on, r.phase)
            for r in s.installments]
    return repr((s.as_of, s.days_past_due, plain(s.status), s.overdue, s.due_now, s.payoff, s.principal_outstanding,
                 s.accrued_interest, s.next_due_date, s.next_due_amount, s.credit, s.prepayment_fees,
                 s.restructured_on, rows))


def draw_case(rng: random.Random, policy_names: list[str]) -> tuple[str, Case, datetime]:
    terms = LoanTerms(principal=money(rng, 1000, 100_000), rate=Rate.percent("12"), term=12,
                      start=date(2025, 1, 15))
    loan = Loan(terms, penalty=PenaltyTerms(grace_days=rng.choice([0, 3])))
    due = loan.schedule[rng.randint(0, 10)].due_date
    offset = rng.choice([-5, -3, -1, 0, 1, 2, 5, 9, 15, 16, 30, 61, 75, 91, 100, 121, 150, 200])
    today = due + timedelta(days=offset)
    if rng.random() < 0.2:
        loan = loan.pay(on=due + timedelta(days=rng.randint(0, 40)), amount=money(rng, 10, 3_000))
    state = loan.state(as_of=today)
    now = datetime(today.year, today.month, today.day, rng.choice([3, 7, 8, 9, 12, 21, 22, 23]),
                   rng.choice([0, 15, 59]), tzinfo=ZONE)
    history: list[Record] = []
    moment = now - timedelta(days=max(offset, 1) + 1)
    for _ in range(rng.randint(0, 25)):
        moment = moment + timedelta(hours=rng.randint(1, 60))
        if moment >= now:
            break
        action = rng.choice([Action.CALL, Action.CALL, Action.CALL, Action.SMS, Action.EMAIL, Action.LETTER,
                             Action.REMIND, Action.LEGAL_REVIEW, Action.REFER_AGENCY])
        if action is Action.CALL:
            outcome = rng.choice([Outcome.NO_ANSWER, Outcome.NO_ANSWER, Outcome.REACHED, Outcome.PROMISED,
                                  Outcome.HARDSHIP, Outcome.REFUSED, Outcome.DISPUTED])
        elif action is Action.LEGAL_REVIEW:
            outcome = rng.choice([Outcome.APPROVED, Outcome.REJECTED])
        else:
            outcome = Outcome.SENT
        promise = None
        if outcome is Outcome.PROMISED:
            promise = moment.date() + timedelta(days=rng.randint(-3, 10))
        history.append(Record(at=moment, action=action, outcome=outcome, promise_date=promise))
    flags = frozenset({"cease_request"}) if rng.random() < 0.03 else frozenset()
    return rng.choice(policy_names), Case(state=state, history=tuple(history), flags=flags), now


def decision_text(policy_name: str, case: Case, now: datetime) -> str:
    d = next_step(getattr(policies, policy_name)(), case, now=now)
    return repr((plain(d.action), plain(d.status), d.stage, d.not_before, d.reasons))


def guarded(compute: Callable[[], str]) -> str:
    try:
        return compute()
    except LoanRulesError:
        return "error"


def results() -> Iterator[tuple[str, str]]:
    rng = random.Random(SEED)
    for _ in range(COUNTS["schedules"]):
        try:
            terms = draw_terms(rng)
        except LoanRulesError:
            yield "schedules", digest("terms refused")
            continue
        yield "schedules", digest(guarded(functools.partial(schedule_text, terms)))
    for _ in range(COUNTS["states"]):
        loan, days = draw_loan(rng)
        yield "states", digest("|".join(guarded(functools.partial(state_text, loan, day)) for day in days))
    for _ in range(COUNTS["decisions"]):
        name, case, now = draw_case(rng, ["standard", "us_reg_f"])
        yield "decisions", digest(guarded(functools.partial(decision_text, name, case, now)))


def computed() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {key: [] for key in COUNTS}
    for kind, value in results():
        found[kind].append(value)
    return found


def test_results_of_drawn_inputs_are_unchanged() -> None:
    """Every drawn schedule, state and decision has the digest recorded in digests.json."""
    found = computed()
    if os.environ.get("LOANRULES_RECORD_CHARACTERIZATION") == "1":  # pragma: no cover - recording only
        DIGESTS.write_text(json.dumps(found, indent=0) + "\n", encoding="utf-8")
        pytest.fail("digests recorded; unset LOANRULES_RECORD_CHARACTERIZATION and commit the file")
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = {kind: [i for i, (a, b) in enumerate(zip(found[kind], recorded[kind], strict=True)) if a != b]
               for kind in COUNTS}
    assert changed == {kind: [] for kind in COUNTS}
    assert {kind: len(v) for kind, v in found.items()} == COUNTS


def test_the_inputs_reach_every_kind_of_result() -> None:
    """The drawn inputs are not degenerate: most build, and they reach many distinct results."""
    found = computed()
    refused = digest("error")
    for kind, values in found.items():
        assert values.count(refused) < len(values) // 4, kind
        assert len(set(values)) > len(values) * 0.5 if kind != "decisions" else len(set(values)) > 50
