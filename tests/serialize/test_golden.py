"""Golden documents: the format of version 1, pinned file by file (``golden/v1/<type>.json``).

One hand-checked document per document type, built below from explicit,
realistic values. For each: ``to_json(value, indent=2)`` is the file's text,
byte for byte (so the format cannot change by accident), the file reads
back as the value, and it validates against the type's shipped schema.

To change the format on purpose (a new field, a new version), regenerate
the files, then review the diff like code::

    LOANRULES_REGENERATE_GOLDEN=1 pytest tests/serialize

Without that variable a file that differs fails the test. Files of an
older version stay here, unchanged, once a new version exists: they are
the proof that every older version stays readable.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator

from loanrules import (
    CHINA,
    CNY,
    Action,
    Allocation,
    Amounts,
    BusinessDay,
    Calendar,
    Case,
    CollectionPolicy,
    Component,
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Currency,
    Decision,
    DecisionStatus,
    Draw,
    LinePayment,
    LinePrepayment,
    LineSettlement,
    Loan,
    LoanState,
    LoanTerms,
    Outcome,
    Payment,
    PenaltyTerms,
    Prepayment,
    PrepaymentTerms,
    Rate,
    Recast,
    Record,
    Restructure,
    Schedule,
    Settlement,
    Status,
    Waiver,
    build_schedule,
    next_step,
    policies,
)
from loanrules.policy import (
    AllOf,
    Cap,
    Compare,
    ContactWindow,
    Cooldown,
    Fact,
    FactName,
    Hold,
    Op,
    Prerequisite,
    Stage,
    Step,
)
from loanrules.serialize import DOCUMENT_TYPES, VERSION, from_json, schema, to_json

GOLDEN = Path(__file__).resolve().parent / "golden" / f"v{VERSION}"
REGENERATE = os.environ.get("LOANRULES_REGENERATE_GOLDEN") == "1"
SHANGHAI = ZoneInfo("Asia/Shanghai")

# The loan of the docs: 12,000 CNY at 12 % a year over 12 months from 2026-01-15, due dates on the
# China calendar (moved to the next business day), 3 days of grace and a 50 CNY late fee.
TERMS = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15), calendar=CHINA,
                  business_day=BusinessDay.FOLLOWING)
PENALTY = PenaltyTerms(grace_days=3, late_fee="50")
PREPAYMENT = PrepaymentTerms(minimum="1000", lockout_periods=2, fee_rate="0.01")
PAYMENT = Payment(on=date(2026, 2, 24), amount="1066.19")  # due after the Spring Festival holiday (Feb 15-23)
WAIVER = Waiver(on=date(2026, 3, 23), component=Component.FEE, amount="50")  # the March late fee, waived
PREPAY = Prepayment(on=date(2026, 4, 20), amount="3000", recast=Recast.REDUCE_PAYMENT)
LOAN = (Loan(TERMS, penalty=PENALTY, prepayment=PREPAYMENT)
        .pay(on=PAYMENT.on, amount=PAYMENT.amount)
        .waive(on=WAIVER.on, component=WAIVER.component, amount=WAIVER.amount)
        .pay(on=date(2026, 3, 24), amount="1070.45")  # March: 1066.19 and 8 days of penalty (4.26)
        .pay(on=date(2026, 4, 15), amount="1066.19")
        .prepay(on=PREPAY.on, amount=PREPAY.amount, recast=PREPAY.recast))
STATE = LOAN.state(as_of=date(2026, 3, 20))  # the March installment 5 days past due
RECORDS = (
    Record(at=datetime(2026, 3, 17, 10, 30, tzinfo=SHANGHAI), action=Action.SMS, outcome=Outcome.SENT),
    Record(at=datetime(2026, 3, 18, 14, 5, tzinfo=SHANGHAI), action=Action.CALL, outcome=Outcome.PROMISED,
           promise_amount="1066.19", promise_date=date(2026, 3, 23)),
)
CASE = Case(state=STATE, history=RECORDS, flags=frozenset({"dispute_resolved"}), timezone="Asia/Shanghai")
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI)
DECISION = next_step(policies.standard(), CASE, NOW)
LATE = Compare(Fact(name=FactName.DPD), Op.GE, 1)
POLICY = CollectionPolicy(
    name="small lender",
    holds=(Hold(name="open dispute", condition=Compare(Fact(name=FactName.DISPUTE_OPEN), Op.EQ, True)),),
    stages=(
        Stage(name="late", entry=AllOf((LATE, Compare(Fact(name=FactName.DPD), Op.LE, 30))),
              ladder=(Step(action=Action.SMS, max_times=1, within_days=7), Step(action=Action.CALL))),
        Stage(name="letters", entry=Compare(Fact(name=FactName.OVERDUE_AMOUNT), Op.GT, 1000),
              ladder=(Step(action=Action.LETTER, max_times=1),),
              prerequisites=(Prerequisite(
                  name="two calls on record",
                  condition=Compare(Fact(name=FactName.COUNT, action=Action.CALL, within_days=30), Op.GE, 2),
                  supply=Action.CALL),)),
    ),
    constraints=(ContactWindow(start=time(8), end=time(21)), Cap(actions={Action.CALL}, limit=3),
                 Cooldown(actions={Action.CALL}, after={Action.LETTER}, days=2)),
)

# The line of the credit-line tutorial: 50,000 at 0.05 % a day (basis 365), a 10,000 draw on 1 March and a
# 6,000 draw on 12 April, the first draw's April installment unpaid, then 5,000 on 10 May split over both
# (docs/tutorial/credit-line.md works the figures by hand: 73.15 of penalty, 38,625.62 available after).
LINE = (CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365), suspend_after_dpd=7))
        .draw(date(2026, 3, 1), "10000", 3).draw(date(2026, 4, 12), "6000", 3).pay(date(2026, 5, 10), "5000"))

VALUES: dict[type, object] = {
    Currency: CNY, Rate: Rate.annual("0.12"), Calendar: CHINA, LoanTerms: TERMS, PenaltyTerms: PENALTY,
    PrepaymentTerms: PREPAYMENT,
    Allocation: Allocation(order=(Component.INTEREST, Component.PRINCIPAL, Component.PENALTY, Component.FEE)),
    Payment: PAYMENT, Prepayment: PREPAY, Settlement: Settlement(on=date(2026, 4, 21), amount="6241.57"),
    Waiver: WAIVER, Restructure: Restructure(on=date(2026, 4, 15), term=18, rate=Rate.annual("0.08"),
                                             waive_penalty=True),
    Loan: LOAN, Schedule: build_schedule(TERMS), LoanState: STATE,
    Amounts: Amounts(*(Decimal(v) for v in ("955.65", "110.54", "2.13", "50.00"))),  # STATE.overdue
    Record: RECORDS[1], Case: CASE, CollectionPolicy: POLICY, Decision: DECISION,
    CreditLineTerms: LINE.terms, CreditLine: LINE, CreditLineState: LINE.state(date(2026, 5, 10)),
    Draw: LINE.events[0], LinePayment: LINE.events[2], LinePrepayment: LinePrepayment(date(2026, 5, 11), "500", 2),
    LineSettlement: LineSettlement(date(2026, 5, 12), draw=1),
}


def test_one_golden_value_and_file_per_document_type() -> None:
    assert set(VALUES) == set(DOCUMENT_TYPES)
    if not REGENERATE:
        assert sorted(p.name for p in GOLDEN.glob("*.json")) == sorted(f"{n}.json" for n in DOCUMENT_TYPES.values())


def test_the_values_are_what_the_files_say_they_are() -> None:
    """A few hand-checked figures, so that a golden file is not simply whatever the code wrote."""
    assert [row.due_date for row in LOAN.original_schedule[:3]] == [date(2026, 2, 24), date(2026, 3, 16),
                                                                    date(2026, 4, 15)]
    assert LOAN.original_schedule[0].payment == Decimal("1066.19")  # 12,000 x 1 % / (1 - 1.01 ** -12)
    # 2026-03-20: March (due the 16th) 4 days late: penalty 1066.19 x 18 % / 360 x 4 = 2.13, and the late fee.
    assert (STATE.days_past_due, STATE.status, STATE.overdue) == (4, Status.OVERDUE, VALUES[Amounts])
    after = LOAN.state(as_of=date(2026, 4, 21))
    assert (after.status, after.next_due_amount, after.prepayment_fees) == (Status.CURRENT, Decimal("720.00"),
                                                                           Decimal("29.56"))
    assert after.payoff == VALUES[Settlement].amount  # type: ignore[attr-defined]
    assert (DECISION.action, DECISION.status, DECISION.stage) == (Action.CALL, DecisionStatus.DEFER, "early")
    assert DECISION.not_before == datetime(2026, 3, 24, 8, 0, tzinfo=SHANGHAI)  # the day after the promise


@pytest.mark.parametrize("kind", list(VALUES), ids=lambda k: DOCUMENT_TYPES[k])
def test_golden_file(kind: type) -> None:
    value = VALUES[kind]
    path = GOLDEN / f"{DOCUMENT_TYPES[kind]}.json"
    text = to_json(value, indent=2)
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    golden = path.read_text(encoding="utf-8")
    assert text == golden, f"{path.name} differs: if the change is meant, LOANRULES_REGENERATE_GOLDEN=1 pytest " \
                           "tests/serialize, then review the diff"
    assert from_json(kind, golden) == value
    Draft202012Validator(schema(kind)).validate(json.loads(golden))
