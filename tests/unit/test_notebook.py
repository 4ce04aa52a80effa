"""What a notebook shows: ``_repr_html_`` tables and JSON-safe ``to_records()``."""

from __future__ import annotations

import json
from datetime import date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from loanrules import (
    CHINA,
    BusinessDay,
    Case,
    Loan,
    LoanTerms,
    Outside,
    PenaltyTerms,
    Rate,
    build_schedule,
    next_step,
    policies,
)


class Table(HTMLParser):
    """The rows of every table (cells' text) and each row's class."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[tuple[str, list[str]]] = []
        self.captions: list[str] = []
        self._cell: list[str] | None = None
        self._in_caption = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell))
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_caption:
            self.captions.append(data)


TERMS = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 15))


def test_schedule_html() -> None:
    table = Table(build_schedule(TERMS)._repr_html_())
    assert table.captions == ["1200.00 CNY at 12 % a year, 3 monthly installments, annuity, from 2026-01-15"]
    header, *rows = table.rows
    assert header[1] == ["#", "due date", "payment", "principal", "interest", "balance"]
    assert rows[0][1] == ["1", "2026-02-15", "408.03", "396.03", "12.00", "803.97"]
    assert rows[-1] == ("loanrules-total", ["total", "", "1224.08", "1200.00", "24.08", ""])


def test_provisional_dates_marked() -> None:
    terms = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=3, start=date(2026, 11, 15),
                      calendar=CHINA.with_outside(Outside.WEEKENDS_ONLY), business_day=BusinessDay.FOLLOWING)
    text = build_schedule(terms)._repr_html_()
    rows = Table(text).rows
    assert [kind for kind, _ in rows[1:4]] == ["", "loanrules-provisional", "loanrules-provisional"]
    assert rows[2][1][1] == "2027-01-15*"
    assert "* provisional" in text


def test_state_html_marks_overdue_rows() -> None:
    loan = Loan(TERMS, penalty=PenaltyTerms(grace_days=3))
    table = Table(loan.state(date(2026, 3, 20))._repr_html_())
    summary = {cells[0]: cells[1] for kind, cells in table.rows[1:11]}  # after the empty header
    # Two installments of 408.03 overdue, and penalty at 18 % a year (12 % + 50 %) over 360 days:
    # 408.03 x 0.18 x 33 / 360 = 6.73 on the first, 408.03 x 0.18 x 5 / 360 = 1.02 on the second.
    assert (summary["status"], summary["days past due"], summary["overdue"]) == ("overdue", "33", "823.81")
    installments = table.rows[12:]  # after the summary and the installments header
    assert [kind for kind, _ in installments] == ["loanrules-overdue", "loanrules-overdue", "", "loanrules-total"]
    assert installments[0][1][:4] == ["1", "2026-02-15", "396.03", "12.00"]
    assert installments[-1][1][0] == "total"


def test_state_records_are_json() -> None:
    loan = Loan(TERMS).pay(date(2026, 2, 15), "408.03")
    records = loan.state(date(2026, 3, 20)).to_records()
    assert json.loads(json.dumps(records)) == records
    first, second = records[0], records[1]
    assert (first["paid_total"], first["outstanding_total"], first["settled_on"]) == ("408.03", "0.00", "2026-02-15")
    # 408.03 and 5 days' penalty: 408.03 x 0.18 x 5 / 360 = 1.02.
    assert (second["due_interest"], second["outstanding_total"], second["days_late"]) == ("8.04", "409.05", 5)
    assert len(first) == 25


def test_loan_html_lists_events() -> None:
    loan = Loan(TERMS).pay(date(2026, 2, 15), "408.03").prepay(date(2026, 2, 20), "300")
    rows = Table(loan._repr_html_()).rows
    events = rows[-2:]
    assert events[0][1] == ["2026-02-15", "payment", "408.03", ""]
    assert events[1][1] == ["2026-02-20", "prepayment", "300.00", "recast=reduce_term"]


def test_decision_html_and_records() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    state = Loan(TERMS).state(date(2026, 3, 20))
    decision = next_step(policies.standard(), Case(state=state, timezone="Asia/Shanghai"),
                         datetime(2026, 3, 20, 10, tzinfo=shanghai))
    records = decision.to_records()
    assert json.loads(json.dumps(records)) == records
    assert records[0] == {"rule": "settled", "condition": "settled == true", "facts": {"settled": False},
                          "facts_text": "settled=False", "result": False}
    assert len(records) == len(decision.trace)
    table = Table(decision._repr_html_())
    assert table.rows[1][1] == ["action", "letter"]  # after the summary's empty header
    assert table.rows[-1][1][0] == decision.trace[-1].rule
