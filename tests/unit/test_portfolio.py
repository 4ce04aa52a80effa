"""Portfolio analytics against a small book computed by hand.

Five loans of 1,200 at 0 % over 12 months (100 a month, due on the 1st),
so that every figure can be checked on paper:

- A (from 2026-01-01): pays 100 on 1 February and on 1 March;
- B (from 2026-01-01): never pays;
- C (from 2026-01-01): pays February only;
- D (from 2025-10-01): never pays (first due 2025-11-01);
- E (from 2026-01-01): misses February, pays 200 on 10 March (cured).

On 15 February: A 0 days (M0, 1,100 left), B 14 (M1, 1,200), C 0 (M0,
1,100), D 106 (M4: 15 Feb - 1 Nov; 1,200), E 14 (M1, 1,200).
On 15 March: A 0 (M0, 1,000), B 42 (M2), C 14 (M1, 1,100), D 134 (M5), E 0 (M0, 1,000).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from loanrules import InvalidTypeError, InvalidValueError, Loan, LoanTerms, Rate, next_step, policies
from loanrules.collection import Case
from loanrules.portfolio import (
    DEFAULT_BUCKETS,
    ROW_FIELDS,
    Bucket,
    FiveCategory,
    Row,
    bucket_of,
    buckets,
    cure_rates,
    evaluate,
    five_category,
    flow_rates,
    ifrs9_stage,
    roll_rates,
    vintage,
)

FEB, MAR = date(2026, 2, 15), date(2026, 3, 15)


def loan(start: date, *payments: tuple[date, str]) -> Loan:
    result = Loan(LoanTerms(principal="1200", rate=Rate.annual(0), term=12, start=start))
    for day, amount in payments:
        result = result.pay(day, amount)
    return result


JAN = date(2026, 1, 1)
BOOK = [
    ("A", loan(JAN, (date(2026, 2, 1), "100"), (date(2026, 3, 1), "100"))),
    ("B", loan(JAN)),
    ("C", loan(JAN, (date(2026, 2, 1), "100"))),
    ("D", loan(date(2025, 10, 1))),
    ("E", loan(JAN, (date(2026, 3, 10), "200"))),
]
D = Decimal


def rows(day: date) -> list[Row]:
    return list(evaluate(BOOK, as_of=day))


def test_rows_by_hand() -> None:
    got = {r.id: (r.days_past_due, r.bucket, r.principal_outstanding, r.five_category, r.ifrs9_stage)
           for r in rows(MAR)}
    assert got == {
        "A": (0, "M0", D("1000.00"), "normal", 1),
        "B": (42, "M2", D("1200.00"), "special_mention", 2),
        "C": (14, "M1", D("1100.00"), "special_mention", 1),
        "D": (134, "M5", D("1200.00"), "substandard", 3),
        "E": (0, "M0", D("1000.00"), "normal", 1),
    }
    b = next(r for r in rows(MAR) if r.id == "B")
    assert (b.overdue_principal, b.overdue_total, b.due_now, b.payoff) == (
        D("200.00"), D("200.00"), D("200.00"), D("1200.00"))
    assert (b.next_due_date, b.next_due_amount, b.status, b.disbursed, b.start) == (
        date(2026, 4, 1), D("100.00"), "overdue", D("1200.00"), JAN)
    assert (b.action, b.decision, b.stage, b.not_before) == (None, None, None, None)


def test_the_schema_is_the_rows() -> None:
    assert tuple(name for name, _, _ in ROW_FIELDS) == Row._fields
    assert len(ROW_FIELDS) == 24


def test_bare_loans_are_numbered() -> None:
    assert [r.id for r in evaluate([loan(JAN), loan(JAN)], as_of=FEB)] == ["0", "1"]


def test_buckets() -> None:
    assert buckets(rows(MAR)) == {"M0": 2, "M1": 1, "M2": 1, "M3": 0, "M4": 0, "M5": 1, "M6": 0, "M7+": 0}
    assert buckets(rows(MAR), by="balance")["M0"] == D("2000.00")
    assert buckets(rows(FEB), by="balance") == {"M0": D("2200.00"), "M1": D("2400.00"), "M2": 0, "M3": 0,
                                                  "M4": D("1200.00"), "M5": 0, "M6": 0, "M7+": 0}


def test_roll_rates() -> None:
    matrix = roll_rates(rows(FEB), rows(MAR))
    assert matrix["M0"] == {"M0": D("0.5000"), "M1": D("0.5000"), "M2": 0, "M3": 0, "M4": 0, "M5": 0, "M6": 0,
                            "M7+": 0}
    assert (matrix["M1"]["M0"], matrix["M1"]["M2"], matrix["M1"]["M1"]) == (D("0.5"), D("0.5"), 0)
    assert matrix["M4"]["M5"] == D("1.0000")
    assert set(matrix["M3"].values()) == {D("0.0000")}
    by_balance = roll_rates(rows(FEB), rows(MAR), by="balance")
    assert by_balance["M0"]["M1"] == D("0.5000")  # C's 1,100 of A's and C's 2,200


def test_flow_rates() -> None:
    (flows,) = flow_rates([rows(FEB), rows(MAR)])
    assert flows == {"M1": D("0.5000"), "M2": D("0.5000"), "M3": 0, "M4": 0, "M5": D("1.0000"), "M6": 0, "M7+": 0}


def test_cure_rates() -> None:
    assert cure_rates(rows(FEB), rows(MAR)) == {"M1": D("0.5000"), "M2": 0, "M3": 0, "M4": 0, "M5": 0, "M6": 0,
                                                "M7+": 0}


def test_vintage() -> None:
    curves = vintage(rows(FEB) + rows(MAR))
    assert curves == {"2025-10": {4: D("1.0000"), 5: D("1.0000")}, "2026-01": {1: D("0"), 2: D("0.2500")}}


def test_classifications_at_their_edges() -> None:
    assert [five_category(d) for d in (0, 1, 90, 91, 270, 271, 360, 361)] == [
        FiveCategory.NORMAL, FiveCategory.SPECIAL_MENTION, FiveCategory.SPECIAL_MENTION,
        FiveCategory.SUBSTANDARD, FiveCategory.SUBSTANDARD, FiveCategory.DOUBTFUL, FiveCategory.DOUBTFUL,
        FiveCategory.LOSS]
    assert [ifrs9_stage(d) for d in (0, 30, 31, 90, 91)] == [1, 1, 2, 2, 3]
    assert [bucket_of(d) for d in (0, 1, 30, 31, 60, 61, 150, 151, 180, 181)] == [
        "M0", "M1", "M1", "M2", "M2", "M3", "M5", "M6", "M6", "M7+"]
    for function in (five_category, ifrs9_stage, bucket_of):
        with pytest.raises(InvalidValueError, match="days_past_due"):
            function(-1)


def test_custom_buckets() -> None:
    table = (Bucket("current", 0, 0), Bucket("early", 1, 89), Bucket("npl", 90, None))
    assert [r.bucket for r in evaluate(BOOK, as_of=MAR, buckets=table)] == ["current", "early", "early", "npl",
                                                                           "current"]
    for bad, match in (((Bucket("a", 1, None),), "must start at 0"),
                       ((Bucket("a", 0, 5), Bucket("b", 7, None)), "must start at 6"),
                       ((Bucket("a", 0, None), Bucket("b", 1, None)), "must be the last"),
                       ((Bucket("a", 0, 5),), "must end with"), (("x",), "must be a Bucket")):
        with pytest.raises((InvalidValueError, InvalidTypeError), match=match):
            list(evaluate(BOOK, as_of=MAR, buckets=bad))
    assert DEFAULT_BUCKETS[-1] == Bucket("M7+", 181, None)


def test_with_a_policy_each_row_carries_the_next_step() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 3, 15, 10, 0, tzinfo=shanghai)
    got = {r.id: r for r in evaluate(BOOK, as_of=MAR, policy=policies.standard(), now=now)}
    for account, item in BOOK:
        decision = next_step(policies.standard(), Case(state=item.state(MAR), timezone="Asia/Shanghai"), now)
        assert (got[account].action, got[account].decision, got[account].stage, got[account].not_before) == (
            decision.action.value, decision.status.value, decision.stage, decision.not_before)
    assert (got["B"].action, got["B"].stage) == ("letter", "formal")
    assert got["A"].action == "none"


def test_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="'now' must be given with a policy"):
        list(evaluate(BOOK, as_of=MAR, policy=policies.standard()))
    with pytest.raises(InvalidTypeError, match=r"'loans\[0\]' must be a Loan, a CreditLine or an \(id, account\) pair"):
        list(evaluate([("A", "not a loan")], as_of=MAR))  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="'by' must be 'count' or 'balance'"):
        buckets(rows(MAR), by="weight")


def test_a_credit_line_is_a_row_too() -> None:
    """A line of the credit-line tutorial on 10 May: 30 days past due on its first draw (M1, 关注), both draws'
    principal outstanding, start its first draw's day, disbursed what was drawn."""
    from loanrules import CreditLine, CreditLineTerms

    line = (CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365), suspend_after_dpd=7))
            .draw(date(2026, 3, 1), "10000", 3).draw(date(2026, 4, 12), "6000", 3))
    (r,) = evaluate([("line-1", line)], as_of=date(2026, 5, 10))
    assert (r.id, r.start, r.disbursed, r.days_past_due, r.bucket, r.five_category, r.ifrs9_stage) == (
        "line-1", date(2026, 3, 1), D("16000.00"), 30, "M1", "special_mention", 1)
    assert (r.principal_outstanding, r.overdue_penalty, r.overdue_total) == (D("16000.00"), D("73.15"), D("3524.45"))
    (early,) = evaluate([line], as_of=date(2026, 3, 20))
    assert (early.start, early.disbursed) == (date(2026, 3, 1), D("10000.00"))
    (empty,) = evaluate([CreditLine(line.terms)], as_of=date(2026, 3, 20))
    assert (empty.start, empty.disbursed, empty.status, empty.payoff) == (date(2026, 3, 20), D("0.00"), "current", 0)
def test_json_lines() -> None:
    """A line is a loan document with an optional ``"id"``; without one, its line number is the id."""
    import json

    from loanrules.errors import InvalidDataError
    from loanrules.portfolio import read_line, read_lines
    from loanrules.serialize import to_data

    lines = [json.dumps({"id": account, **to_data(item)}) for account, item in BOOK]
    lines[1] = json.dumps(to_data(BOOK[1][1]))  # no id: the line number (2)
    assert list(evaluate(read_lines([*lines, "\n"]), as_of=MAR)) == [
        r._replace(id="2") if r.id == "B" else r for r in rows(MAR)]
    assert read_line(lines[0].encode()) == BOOK[0]
    assert read_line(lines[1], number=0)[0] == "0"
    with pytest.raises(InvalidDataError, match="<document>: must be one JSON document on the line"):
        read_line("{not json")
    with pytest.raises(InvalidDataError, match="<document>: must be one JSON document on the line"):
        read_line(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidDataError, match="id: is required"):
        read_line(lines[1])
    with pytest.raises(InvalidDataError, match="id: must be a string") as caught:
        list(read_lines([lines[0], lines[0].replace('"id": "A"', '"id": null')]))
    assert caught.value.__notes__ == ["on line 2"]


def test_a_book_line_may_be_a_credit_line() -> None:
    from loanrules import CreditLine, CreditLineTerms
    from loanrules.portfolio import read_line
    from loanrules.serialize import to_json

    line = CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365))).draw(
        date(2026, 3, 1), "10000", 3)
    account, again = read_line(to_json(line), number=4)
    assert (account, again) == ("4", line)
    (r,) = evaluate([(account, again)], as_of=date(2026, 4, 20))
    assert (r.days_past_due, r.disbursed) == (10, D("10000.00"))
