"""Every way a document can be refused: the path and the rule of each, one case a line."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loanrules import (
    Action,
    Calendar,
    Case,
    CreditLine,
    CreditLineTerms,
    Decision,
    DecisionStatus,
    InvalidDataError,
    Loan,
    LoanState,
    LoanTerms,
    Outcome,
    Rate,
    Record,
    TraceEntry,
)
from loanrules.serialize import from_data, from_json, to_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOAN = Loan(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))).pay(
    date(2026, 2, 15), "106.62")
RECORD = Record(at=datetime(2026, 3, 1, 10, tzinfo=SHANGHAI), action=Action.CALL, outcome=Outcome.NO_ANSWER)
CASE = Case(state=LOAN.state(date(2026, 3, 20)), history=[RECORD])
LINE = CreditLine(CreditLineTerms(limit="5000", rate=Rate.daily("0.0005", basis=365))).draw(date(2026, 3, 1), "1000", 3)


def at(record_at: object) -> Callable[[dict[str, Any]], None]:
    def spoil(data: dict[str, Any]) -> None:
        data["history"][0]["at"] = record_at
    return spoil


CASES: list[tuple[str, object, Callable[[dict[str, Any]], None], str, str]] = [
    ("not a date", CASE, at("2026-02-30T10:00:00+08:00"), "history[0].at", "must be an aware ISO 8601 datetime"),
    ("no T", CASE, at("2026-03-01 10:00:00+08:00"), "history[0].at", "must be an aware ISO 8601 datetime"),
    ("naive", CASE, at("2026-03-01T10:00:00"), "history[0].at", "must be an aware ISO 8601 datetime"),
    ("unknown zone", CASE, at("2026-03-01T10:00:00+08:00[Mars/Olympus]"), "history[0].at",
     "must name an IANA time zone in its brackets"),
    ("past the end of time", CASE, at("9999-12-31T23:59:59-14:00[Asia/Shanghai]"), "history[0].at",
     "must be an aware ISO 8601 datetime"),
    ("wrong offset", CASE, at("2026-01-01T00:00:00+01:00[Asia/Shanghai]"), "history[0].at",
     "must have the UTC offset Asia/Shanghai has at that moment"),
    ("a zone that is not a string", CASE, lambda d: d.update(timezone=8), "timezone", "must be a string"),
    ("a state row that does not add up", CASE,
     lambda d: d["state"]["installments"][1]["outstanding"].update(principal="1.00"),
     "state.installments[1].outstanding", "must equal what the installment's due, paid, waived and dates make"),
    ("an event that is no object", LOAN, lambda d: d["events"].append(5), "events[1]", "must be an object"),
    ("a line event that is no object", LINE, lambda d: d["events"].append(5), "events[1]", "must be an object"),
    ("a line event of no kind", LINE, lambda d: d["events"][0].update(kind="borrow"), "events[0].kind",
     "must be one of 'draw', 'payment', 'prepayment', 'settlement'"),
    ("calendar years not a pair", LOAN,
     lambda d: d["terms"].update(calendar={"name": "ACME", "years": [2020]}), "terms.calendar.years",
     "must be [first, last] or null"),
    ("a calendar year out of reach", LOAN,
     lambda d: d["terms"].update(calendar={"builtin": "CHINA", "years_added": [{"year": 2090, "holidays": []}]}),
     "terms.calendar.years_added[0].year", "must lie within or next to the covered years"),
]


@pytest.mark.parametrize(("value", "spoil", "path", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refused_at_its_path(value: object, spoil: Callable[[dict[str, Any]], None], path: str, rule: str) -> None:
    data = copy.deepcopy(to_data(value))
    spoil(data)
    with pytest.raises(InvalidDataError) as caught:
        from_data(type(value), data)
    assert caught.value.path == path
    assert caught.value.rule.startswith(rule)


def decision(*facts: tuple[str, object]) -> Decision:
    return Decision(action=Action.CALL, status=DecisionStatus.ACT, stage="early", not_before=None,
                    reasons=("r",), trace=(TraceEntry("stages[0].entry", "dpd >= 1", tuple(facts), True),))


def test_every_kind_of_fact_reads_back() -> None:
    value = decision(("a", date(2026, 3, 1)), ("b", Outcome.PROMISED), ("c", Action.SMS), ("d", Decimal("1.50")),
                     ("e", datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)), ("f", None), ("g", 3), ("h", "x"))
    data = to_data(value)
    assert data["trace"][0]["facts"][:3] == [["a", {"date": "2026-03-01"}], ["b", {"outcome": "promised"}],
                                              ["c", {"action": "sms"}]]
    assert from_data(Decision, data) == value


@pytest.mark.parametrize(("fact", "path", "rule"), [
    ({"colour": "red"}, "trace[0].facts[0][1]", "must be null, true, false, an integer, a string, or an object"),
    ([1, 2], "trace[0].facts[0][1]", "must be null, true, false"),
    ({"date": "2026-02-30"}, "trace[0].facts[0][1].date", "must be an ISO 8601 date"),
])
def test_bad_facts(fact: object, path: str, rule: str) -> None:
    data = to_data(decision(("a", 1)))
    data["trace"][0]["facts"][0][1] = fact
    with pytest.raises(InvalidDataError) as caught:
        from_data(Decision, data)
    assert (caught.value.path, caught.value.rule[:len(rule)]) == (path, rule)


def test_a_fact_that_is_not_a_pair() -> None:
    data = to_data(decision(("a", 1)))
    data["trace"][0]["facts"][0] = "a=1"
    with pytest.raises(InvalidDataError, match=r"^trace\[0\]\.facts\[0\]: must be a \[name, value\] pair"):
        from_data(Decision, data)


def test_a_calendar_named_like_a_builtin_but_changed_is_written_in_full() -> None:
    odd = Calendar(name="CHINA", weekend=frozenset({6}))
    data = to_data(odd)
    assert (data["name"], data["weekend"]) == ("CHINA", [6])
    assert from_data(Calendar, data) == odd


def test_not_a_document_type() -> None:
    with pytest.raises(InvalidDataError, match=r"^<document>: must be a value of one of the types"):
        to_data(5)
    with pytest.raises(InvalidDataError, match=r"^<document>: must be one of the document types"):
        from_data(int, {"type": "int", "version": 1})
    with pytest.raises(InvalidDataError, match=r"^<document>: must be the text of a JSON document, got 5"):
        from_json(LoanState, 5)  # type: ignore[arg-type]


def test_no_value_shows_as_itself() -> None:
    from loanrules.errors import NO_VALUE

    assert repr(NO_VALUE) == "NO_VALUE"
    assert str(InvalidDataError("terms.term", "is required")) == "terms.term: is required"


def test_decision_records_show_every_kind_of_fact_as_json() -> None:
    value = decision(("a", date(2026, 3, 1)), ("b", Outcome.PROMISED), ("d", Decimal("1.50")), ("f", None))
    (record,) = value.to_records()
    assert record["facts"] == {"a": "2026-03-01", "b": "promised", "d": "1.50", "f": None}
    assert record["facts_text"] == "a=2026-03-01, b=promised, d=1.50, f=None"
