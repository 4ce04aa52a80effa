"""Tests of the command line over files: every command on examples/, every --format, stdin, every bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from loanrules import Decision, Loan, LoanState, Schedule
from loanrules.cli import main
from loanrules.errors import InvalidPolicyError, InvalidValueError
from loanrules.serialize import from_json

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LOAN_JSON = str(EXAMPLES / "loan.json")
LOAN_TOML = str(EXAMPLES / "loan.toml")
CASE = str(EXAMPLES / "case.json")
BOOK = str(EXAMPLES / "book.jsonl")
POLICY = str(EXAMPLES / "policy.toml")

# The example loan: 30,000 CNY at 10.8 % over 12 months from 2026-03-10; installments 1 and 2 paid on
# time, 3 paid 6 days late with its penalty, 4 and 5 missed. As of 2026-08-15:
STATE_ROW = ["2026-08-15", "overdue", "36", "5346.17", "5346.17", "23442.66", "22799.63", "2026-09-10", "2648.65"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command line in-process; it must succeed with nothing on stderr. Returns stdout."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    return out


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command line in-process; it must exit 2 with nothing on stdout. Returns the one error line."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.endswith("\n")
    assert "Traceback" not in err
    assert err.startswith("loanrules: error: ")
    return err[len("loanrules: error: "):-1]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


class TestExamples:
    def test_json_and_toml_are_the_same_loan(self) -> None:
        """examples/loan.toml reads as the same loan as examples/loan.json."""
        from loanrules.cli import _load

        assert _load(LOAN_TOML, {"loan": Loan}) == from_json(Loan, (EXAMPLES / "loan.json").read_text("utf-8"))

    def test_book_has_twenty_loans_with_ids(self) -> None:
        """examples/book.jsonl: 20 loan documents, each with an id."""
        lines = (EXAMPLES / "book.jsonl").read_text("utf-8").splitlines()
        ids = [json.loads(line)["id"] for line in lines]
        assert ids == [f"L-2026-{k:04d}" for k in range(1, 21)]


class TestSchedule:
    def test_table_of_a_loan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """schedule FILE --format table prints the loan's schedule in force, holidays moved (05-10 -> 05-11)."""
        rows = [line.split() for line in run(capsys, "schedule", LOAN_JSON, "--format", "table").splitlines()]
        assert rows[1] == ["1", "2026-04-10", "2648.65", "2378.65", "270.00", "27621.35"]
        assert rows[2] == ["2", "2026-05-11", "2648.65", "2400.06", "248.59", "25221.29"]
        assert ["12", "2027-03-10*", "2648.69", "2625.06", "23.63", "0.00"] in rows
        assert ["total", "31783.84", "30000.00", "1783.84"] in rows

    def test_json_is_a_schedule_document(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json prints the schedule document of loanrules.serialize, on one line."""
        out = run(capsys, "schedule", LOAN_TOML, "--format", "json")
        assert out.count("\n") == 1
        schedule = from_json(Schedule, out)
        assert (schedule[0].payment, schedule.total_interest) == (schedule[1].payment, Decimal("1783.84"))
        assert len(schedule) == 12

    def test_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format csv: a header of the installment's fields, then one row per installment."""
        rows = csv_rows(run(capsys, "schedule", LOAN_JSON, "--format", "csv"))
        assert rows[0] == ["number", "due_date", "principal", "interest", "payment", "balance", "unadjusted_date",
                           "period_start", "provisional"]
        assert rows[2] == ["2", "2026-05-11", "2400.06", "248.59", "2648.65", "25221.29", "2026-05-10",
                           "2026-04-10", "false"]
        assert rows[12][0:5] == ["12", "2027-03-10", "2625.06", "23.63", "2648.69"]
        assert rows[12][8] == "true"
        assert len(rows) == 13

    def test_loan_terms_document(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A loan_terms document (here in TOML, its start a TOML date) gives its schedule."""
        path = tmp_path / "terms.toml"
        path.write_text('type = "loan_terms"\nversion = 1\nprincipal = "300"\nterm = 3\nstart = 2026-01-31\n'
                        'rate = { annual = "0" }\n', encoding="utf-8")
        rows = csv_rows(run(capsys, "schedule", str(path), "--format", "csv"))
        assert [row[:5] for row in rows[1:]] == [["1", "2026-02-28", "100.00", "0.00", "100.00"],
                                                 ["2", "2026-03-31", "100.00", "0.00", "100.00"],
                                                 ["3", "2026-04-30", "100.00", "0.00", "100.00"]]

    def test_options_keep_the_table_when_piped(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The option form of schedule still prints a table when stdout is not a terminal, or JSON if asked."""
        argv = ["schedule", "--principal", "300", "--rate-percent", "0", "--term", "3", "--start", "2026-01-31"]
        assert run(capsys, *argv).splitlines()[1].split() == ["1", "2026-02-28", "100.00", "100.00", "0.00",
                                                              "200.00"]
        assert from_json(Schedule, run(capsys, *argv, "--format", "json"))[2].balance == Decimal("0.00")

    def test_file_and_options_together_are_refused(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A FILE and a terms option at once: one error naming the option."""
        assert fail(capsys, "schedule", LOAN_JSON, "--principal", "100") == (
            "--principal: must not be given with a FILE (the document holds the terms), got '100'")


class TestState:
    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """state --format table: the summary lines, then one row per installment."""
        out = run(capsys, "state", LOAN_JSON, "--as-of", "2026-08-15", "--format", "table")
        assert "  as of 2026-08-15: OVERDUE, 36 days past due\n" in out
        assert "due now 5346.17 = principal 4908.89 + interest 388.41 + penalty 48.87 + fee 0.00" in out
        assert "payoff (结清金额) 23442.66; principal outstanding 22799.63" in out
        assert "next due 2026-09-10 for 2648.65" in out
        rows = [line.split() for line in out.splitlines()]
        assert ["3", "2026-06-10", "2655.80", "2655.80", "0.00", "0.00", "6", "2026-06-16"] in rows
        assert ["4", "2026-07-10", "2691.56", "0.00", "0.00", "2691.56", "36"] in rows

    def test_json_is_a_state_document(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json prints the loan_state document, which reads back."""
        state = from_json(LoanState, run(capsys, "state", LOAN_JSON, "--as-of", "2026-08-15", "--format", "json"))
        assert (state.days_past_due, state.payoff, state.overdue.penalty) == (36, Decimal("23442.66"),
                                                                             Decimal("48.87"))

    def test_csv_is_the_summary_row(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format csv: the summary header and one row."""
        rows = csv_rows(run(capsys, "state", LOAN_TOML, "--as-of", "2026-08-15", "--format", "csv"))
        assert rows == [["as_of", "status", "days_past_due", "overdue", "due_now", "payoff",
                         "principal_outstanding", "next_due_date", "next_due_amount"], STATE_ROW]

    def test_default_format_is_json_when_piped(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --format, stdout that is not a terminal gets JSON."""
        out = run(capsys, "state", LOAN_JSON, "--as-of", "2026-08-15")
        assert json.loads(out)["type"] == "loan_state"
        assert json.loads(out)["payoff"] == "23442.66"

    def test_default_format_is_table_on_a_terminal(self, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
        """Without --format, a terminal gets the table."""
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        out = run(capsys, "state", LOAN_JSON, "--as-of", "2026-08-15")
        assert out.startswith("  as of 2026-08-15: OVERDUE, 36 days past due\n")

    def test_stdin(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """FILE '-' reads a JSON document from standard input."""
        monkeypatch.setattr(sys, "stdin", io.StringIO((EXAMPLES / "loan.json").read_text("utf-8")))
        rows = csv_rows(run(capsys, "state", "-", "--as-of", "2026-08-15", "--format", "csv"))
        assert rows[1] == STATE_ROW

    def test_an_id_is_set_aside(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A document with a top-level id (one line of a book) reads as a loan."""
        path = tmp_path / "one.json"
        path.write_text((EXAMPLES / "book.jsonl").read_text("utf-8").splitlines()[1], encoding="utf-8")
        rows = csv_rows(run(capsys, "state", str(path), "--as-of", "2026-08-15", "--format", "csv"))
        assert rows[1][1:4] == ["overdue", "54", "2335.79"]


class TestNextStep:
    def test_case_standard_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A case (letter sent, a call unanswered), naive --now in its zone: call now, formal stage."""
        out = run(capsys, "next-step", CASE, "--now", "2026-08-15T10:00", "--format", "table")
        assert out.splitlines()[0] == "2026-08-15 10:00 Asia/Shanghai, policy standard: ACT CALL (stage formal)"
        assert "  - next step: CALL\n" in out

    def test_aware_now_in_utc(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An aware --now in UTC is shown in the case's zone: 02:00Z is 10:00 in Shanghai."""
        out = run(capsys, "next-step", CASE, "--now", "2026-08-15T02:00Z", "--format", "table")
        assert out.startswith("2026-08-15 10:00 Asia/Shanghai, policy standard: ACT CALL (stage formal)\n")

    def test_deferred_at_night_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """At 22:00 the call waits for 08:00 the next morning (csv: status, action, stage, not_before, reasons)."""
        rows = csv_rows(run(capsys, "next-step", CASE, "--now", "2026-08-15T22:00+08:00", "--format", "csv"))
        assert rows[0] == ["status", "action", "stage", "not_before", "reasons"]
        assert rows[1][:4] == ["defer", "call", "formal", "2026-08-16T08:00:00+08:00"]
        assert rows[1][4].endswith("; deferred: CALL at 2026-08-16 08:00")

    def test_json_is_a_decision_document(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json prints the decision document, trace included."""
        decision = from_json(Decision, run(capsys, "next-step", CASE, "--now", "2026-08-15T10:00"))
        assert (decision.status.value, decision.action.value, decision.stage) == ("act", "call", "formal")
        assert decision.trace[0].rule == "settled"

    def test_custom_policy_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--policy FILE.toml: the small lender's contact window opens at 09:00."""
        decision = from_json(Decision, run(capsys, "next-step", CASE, "--now", "2026-08-15T08:00",
                                           "--policy", POLICY))
        assert (decision.status.value, decision.action.value, decision.stage) == ("defer", "call", "hard")
        assert decision.not_before is not None
        assert decision.not_before.isoformat() == "2026-08-15T09:00:00+08:00"

    def test_loan_document_builds_the_case(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A loan (no steps on record) at DPD 36: the custom policy's hard stage writes the letter first."""
        out = run(capsys, "next-step", LOAN_TOML, "--now", "2026-08-15T10:00", "--policy", POLICY,
                  "--format", "table")
        assert out.splitlines()[0] == "2026-08-15 10:00 Asia/Shanghai, policy small_lender: ACT LETTER (stage hard)"

    def test_loan_in_another_zone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--timezone with a loan: the state is as of the local date of now there (US Regulation F policy)."""
        out = run(capsys, "next-step", LOAN_JSON, "--now", "2026-08-15T10:00", "--timezone", "America/New_York",
                  "--policy", "us_reg_f", "--format", "table")
        assert out.splitlines()[0] == ("2026-08-15 10:00 America/New_York, policy us_reg_f: "
                                       "ACT LETTER (stage formal)")


class TestApr:
    def test_nominal_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """apr: the IRR of the contract schedule, a hair above the 10.8 % contract rate."""
        assert run(capsys, "apr", LOAN_JSON, "--format", "table") == (
            "APR by the IRR method (年化利率, IRR法), nominal: 10.8000934411 % (0.108000934411)\n")

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """apr --format json: one object with the rate as a decimal string."""
        assert json.loads(run(capsys, "apr", LOAN_TOML)) == {
            "apr": "0.108000934411", "percent": "10.8000934411", "basis": "nominal", "upfront_fees": "0",
            "periodic_fees": "0"}

    def test_effective_with_fees_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Fees raise it; --effective compounds it (csv)."""
        rows = csv_rows(run(capsys, "apr", LOAN_JSON, "--effective", "--upfront-fees", "300",
                            "--periodic-fees", "10", "--format", "csv"))
        assert rows == [["apr", "percent", "basis", "upfront_fees", "periodic_fees"],
                        ["0.142830062516", "14.2830062516", "effective", "300", "10"]]


class TestPortfolio:
    def test_json_lines(self, capsys: pytest.CaptureFixture[str]) -> None:
        """portfolio: one JSON object per loan and line, with its id."""
        rows = [json.loads(line) for line in run(capsys, "portfolio", BOOK, "--as-of", "2026-08-15").splitlines()]
        assert len(rows) == 20
        assert rows[1] == {"line": 2, "id": "L-2026-0002", "as_of": "2026-08-15", "status": "overdue",
                           "days_past_due": 54, "overdue": "2335.79", "due_now": "2335.79", "payoff": "4616.96",
                           "principal_outstanding": "4489.51", "next_due_date": "2026-08-22",
                           "next_due_amount": "1147.75"}
        assert rows[12]["status"] == "settled"
        assert rows[12]["next_due_date"] is None
        assert [row["id"] for row in rows if row["status"] == "overdue"] == [
            "L-2026-0002", "L-2026-0005", "L-2026-0008", "L-2026-0011", "L-2026-0017"]
        assert [row["days_past_due"] for row in rows if row["status"] == "overdue"] == [54, 95, 135, 115, 42]

    def test_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format csv: a header, then one row per loan."""
        rows = csv_rows(run(capsys, "portfolio", BOOK, "--as-of", "2026-08-15", "--format", "csv"))
        assert rows[0] == ["line", "id", "as_of", "status", "days_past_due", "overdue", "due_now", "payoff",
                           "principal_outstanding", "next_due_date", "next_due_amount"]
        assert rows[5] == ["5", "L-2026-0005", "2026-08-15", "overdue", "95", "21410.58", "21410.58", "36160.45",
                           "33041.05", "2026-09-12", "5103.61"]
        assert len(rows) == 21

    def test_table_and_totals(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format table: aligned rows and a line of totals."""
        lines = run(capsys, "portfolio", BOOK, "--as-of", "2026-08-15", "--format", "table").splitlines()
        assert lines[0].split() == ["line", "id", "status", "dpd", "overdue", "due", "now", "payoff", "principal",
                                    "next", "due", "amount"]
        assert lines[3].split() == ["3", "L-2026-0003", "settled", "0", "0.00", "0.00", "0.00", "0.00", "0.00"]
        assert lines[-1] == "20 loans as of 2026-08-15, 5 past due; overdue 49160.70, payoff 389396.10 CNY"

    def test_no_totals_across_currencies(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A book of CNY and USD loans: the table shows no sum of amounts of different currencies."""
        lines = (EXAMPLES / "book.jsonl").read_text("utf-8").splitlines()[:2]
        data = json.loads(lines[1])
        data["terms"]["currency"] = "USD"
        path = write(tmp_path, "book.jsonl", "\n".join([lines[0], json.dumps(data)]))
        out = run(capsys, "portfolio", path, "--as-of", "2026-08-15", "--format", "table")
        assert out.splitlines()[-1] == "2 loans as of 2026-08-15, 1 past due"

    def test_lines_without_id_and_blank_lines(self, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
        """From stdin: a line without id gets id null; blank lines are skipped but counted."""
        loan = (EXAMPLES / "loan.json").read_text("utf-8").replace("\n", "")
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"\n{loan}\n"))
        rows = [json.loads(line) for line in run(capsys, "portfolio", "-", "--as-of", "2026-08-15").splitlines()]
        assert [(row["line"], row["id"], row["days_past_due"], row["payoff"]) for row in rows] == [
            (2, None, 36, "23442.66")]

    def test_progress_on_a_terminal_only(self, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
        """On a terminal, stderr shows a \\r counter that is cleared at the end; stdout is unchanged."""
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
        assert main(["portfolio", BOOK, "--as-of", "2026-08-15", "--format", "csv"]) == 0
        out, err = capsys.readouterr()
        assert "\rloanrules portfolio: 20/20 loans" in err
        assert err.endswith("\r\x1b[K")
        assert len(csv_rows(out)) == 21

    def test_bad_line_names_the_line(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A bad loan on line 3: file, line and JSON path; the progress line, if any, is cleared first."""
        lines = (EXAMPLES / "book.jsonl").read_text("utf-8").splitlines()[:3]
        data = json.loads(lines[2])
        data["terms"]["start"] = "2026-02-30"
        lines[2] = json.dumps(data)
        path = tmp_path / "book.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        assert fail(capsys, "portfolio", str(path), "--as-of", "2026-08-15") == (
            f"{path}:3:terms.start: must be an ISO 8601 date (YYYY-MM-DD) that exists, got '2026-02-30'")


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def loan_with(tmp_path: Path, change: object, name: str = "loan.json") -> str:
    """The example loan, changed by ``change(data)``, written to ``name``."""
    data = json.loads((EXAMPLES / "loan.json").read_text("utf-8"))
    change(data)  # type: ignore[operator]
    return write(tmp_path, name, json.dumps(data))


class TestBadInput:
    def test_missing_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A missing file: its name and the system's reason."""
        path = str(tmp_path / "loan.json")
        assert fail(capsys, "state", path, "--as-of", "2026-08-15") == (
            f"{path}: cannot be read (No such file or directory)")

    def test_directory(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A directory for FILE."""
        assert fail(capsys, "apr", str(tmp_path)) == f"{tmp_path}: cannot be read (Is a directory)"

    def test_not_utf8(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Bytes that are not UTF-8."""
        path = tmp_path / "loan.json"
        path.write_bytes(b'{"type": "\xff"}')
        assert fail(capsys, "apr", str(path)) == f"{path}: cannot be read (not UTF-8 text)"

    def test_bad_json(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Bad JSON: the decoder's message and where."""
        path = write(tmp_path, "loan.json", '{"type": "loan",\n  "version": 1,}')
        assert fail(capsys, "state", path, "--as-of", "2026-08-15") == (
            f"{path}: must be valid JSON (Expecting property name enclosed in double quotes at line 2 column 16)")

    def test_bad_json_on_stdin(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        """Standard input is named <stdin>."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("not json"))
        assert fail(capsys, "schedule", "-") == "<stdin>: must be valid JSON (Expecting value at line 1 column 1)"

    def test_bad_toml(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Bad TOML: tomllib's message."""
        path = write(tmp_path, "loan.toml", 'type = "loan"\nversion =\n')
        assert fail(capsys, "state", path, "--as-of", "2026-08-15") == (
            f"{path}: must be valid TOML (Invalid value (at line 2, column 10))")

    def test_bad_date_in_toml(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A TOML date that does not exist is a TOML error."""
        text = (EXAMPLES / "loan.toml").read_text("utf-8").replace("start = 2026-03-10", "start = 2026-02-30")
        path = write(tmp_path, "loan.toml", text)
        assert fail(capsys, "schedule", path) == (
            f"{path}: must be valid TOML (Invalid date or datetime (at line 13, column 9))")

    def test_bad_date_in_json(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A date in the document that does not exist: file, JSON path, rule, value."""
        path = loan_with(tmp_path, lambda d: d["events"][1].update(on="2026-02-30"))
        assert fail(capsys, "state", path, "--as-of", "2026-08-15") == (
            f"{path}:events[1].on: must be an ISO 8601 date (YYYY-MM-DD) that exists, got '2026-02-30'")

    @pytest.mark.parametrize("command", [["state", "--as-of", "2026-02-30"], ["portfolio", "--as-of", "2026-02-30"]])
    def test_bad_date_on_the_command_line(self, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
        """--as-of 2026-02-30 is refused before any file is read."""
        assert fail(capsys, command[0], "missing.json", *command[1:]) == (
            "--as-of: must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31, got '2026-02-30'")

    def test_money_as_a_json_number(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A float for money is refused where it stands."""
        path = loan_with(tmp_path, lambda d: d["events"][0].update(amount=2648.65))
        assert fail(capsys, "apr", path) == (
            f'{path}:events[0].amount: must be a decimal string (JSON numbers are refused for money and rates: '
            'write "30000", "0.049"), got 2648.65')

    def test_missing_field(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A required field left out: 'is required, got nothing'."""
        path = loan_with(tmp_path, lambda d: d["terms"].pop("principal"))
        assert fail(capsys, "schedule", path) == f"{path}:terms.principal: is required, got nothing"

    def test_refused_event(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An event the loan's terms refuse: its place and the rule."""
        path = loan_with(tmp_path, lambda d: d["events"].insert(0, {
            "kind": "prepayment", "on": "2026-04-01", "amount": "1000", "recast": "reduce_term"}))
        assert fail(capsys, "state", path, "--as-of", "2026-08-15") == (
            f"{path}:events[0]: refused by rule 'lockout_periods': prepayment is locked out until installment 3 "
            "has fallen due (2026-06-10)")

    def test_wrong_document_type(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A case where a loan is meant."""
        assert fail(capsys, "state", CASE, "--as-of", "2026-08-15") == f"{CASE}:type: must be 'loan', got 'case'"

    def test_wrong_document_type_for_next_step(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """next-step takes a case or a loan."""
        path = write(tmp_path, "x.json", '{"type": "schedule", "version": 1}')
        assert fail(capsys, "next-step", path, "--now", "2026-08-15T10:00") == (
            f"{path}:type: must be 'case' or 'loan', got 'schedule'")

    def test_not_an_object(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A JSON array is no document."""
        path = write(tmp_path, "x.json", "[1, 2]")
        assert fail(capsys, "apr", path) == f"{path}: must be a JSON object (a document with type and version), got [1, 2]"

    def test_bad_id(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An id that is neither a string nor an integer."""
        path = loan_with(tmp_path, lambda d: d.update(id=[7]))
        assert fail(capsys, "apr", path) == f"{path}:id: must be a string or an integer, got [7]"

    def test_unknown_policy(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--policy that is neither a preset nor a .toml file."""
        assert fail(capsys, "next-step", CASE, "--now", "2026-08-15T10:00", "--policy", "lenient") == (
            "--policy: must be standard, us_reg_f or a policy file whose name ends in .toml, got 'lenient'")

    def test_bad_policy_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A policy file that is not well formed: the file and the policy's own path."""
        text = (EXAMPLES / "policy.toml").read_text("utf-8").replace('fact = "dpd", op = ">=", value = 31',
                                                                   'fact = "dpdx", op = ">=", value = 31')
        path = write(tmp_path, "policy.toml", text)
        assert fail(capsys, "next-step", CASE, "--now", "2026-08-15T10:00", "--policy", path).startswith(
            f"{path}:stages[1].entry.fact: unknown fact 'dpdx'; known: broken_promise, ")

    def test_missing_policy_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A policy file that is not there."""
        path = str(tmp_path / "policy.toml")
        assert fail(capsys, "next-step", CASE, "--now", "2026-08-15T10:00", "--policy", path) == (
            f"{path}: cannot be read (No such file or directory)")

    @pytest.mark.parametrize("now", ["2026-08-15", "tomorrow", "2026-02-30T10:00"])
    def test_bad_now(self, capsys: pytest.CaptureFixture[str], now: str) -> None:
        """--now must be a date and a time that exist."""
        assert fail(capsys, "next-step", CASE, "--now", now) == (
            "--now: must be an ISO 8601 date and time, YYYY-MM-DDTHH:MM[:SS][+HH:MM] (without an offset: in the "
            f"case's time zone), got '{now}'")

    def test_now_off_the_case_date(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A case's state is as of one day: --now must fall on it in the case's zone."""
        assert fail(capsys, "next-step", CASE, "--now", "2026-08-15T20:00Z") == (
            "--now: must fall on the date of the case's state (2026-08-15) in Asia/Shanghai, where it is "
            "2026-08-16, got '2026-08-15T20:00Z'")

    def test_bad_timezone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown zone."""
        assert fail(capsys, "next-step", LOAN_JSON, "--now", "2026-08-15T10:00", "--timezone", "Mars/Olympus") == (
            "--timezone: must be an IANA time zone name such as Asia/Shanghai, got 'Mars/Olympus'")

    def test_timezone_with_a_case(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A case names its own zone."""
        assert fail(capsys, "next-step", CASE, "--now", "2026-08-15T10:00", "--timezone", "UTC") == (
            "--timezone: must not be given with a case document (the case names its zone), got 'UTC'")

    def test_as_of_before_the_start(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A state before the loan began."""
        assert fail(capsys, "state", LOAN_JSON, "--as-of", "2026-01-01") == (
            "--as-of: must not be before the loan's start (2026-03-10), got '2026-01-01'")

    def test_as_of_before_a_start_in_the_book(self, capsys: pytest.CaptureFixture[str]) -> None:
        """In a book, the loan is named by file and line."""
        assert fail(capsys, "portfolio", BOOK, "--as-of", "2025-12-01") == (
            "--as-of: must not be before the loan's start (2025-12-16), for the loan at "
            f"{BOOK}:7, got '2025-12-01'")

    def test_bad_json_line_in_a_book(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A line that is not JSON: file, line, the decoder's column."""
        path = write(tmp_path, "book.jsonl", '{"type": "loan"\n')
        assert fail(capsys, "portfolio", path, "--as-of", "2026-08-15") == (
            f"{path}:1: must be valid JSON (Expecting ',' delimiter at line 1 column 16)")

    @pytest.mark.parametrize(("fees", "line"), [
        (["--upfront-fees", "30000"], "--upfront-fees: must be < principal (30000.00), got '30000'"),
        (["--periodic-fees", "-1"], "--periodic-fees: must be >= 0, got '-1'"),
    ])
    def test_bad_fees(self, capsys: pytest.CaptureFixture[str], fees: list[str], line: str) -> None:
        """Fees are checked against the loan's principal."""
        assert fail(capsys, "apr", LOAN_JSON, *fees) == line

    def test_bad_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format outside table, json, csv."""
        assert fail(capsys, "apr", LOAN_JSON, "--format", "xml") == (
            "--format: must be one of 'table', 'json', 'csv', got 'xml'")

    def test_calendar_without_data(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A CHINA calendar told to raise past its data (2026): the library's message, one line."""
        path = loan_with(tmp_path, lambda d: d["terms"]["calendar"].update(outside="raise"))
        assert fail(capsys, "schedule", path) == (
            f"{path}: calendar 'CHINA' has holiday data for 2004-2026 only, got 2027-01-10; extend it with "
            "Calendar.with_year() or choose outside=Outside.WEEKENDS_ONLY to treat only weekends as closed there")

    @pytest.mark.parametrize("file", [CASE, LOAN_JSON])
    def test_now_at_the_end_of_time(self, capsys: pytest.CaptureFixture[str], file: str) -> None:
        """A moment whose local date would be past 9999-12-31."""
        assert fail(capsys, "next-step", file, "--now", "9999-12-31T23:59-12:00") == (
            "--now: must fall within 0001-01-01 and 9999-12-31 in Asia/Shanghai, got '9999-12-31T23:59-12:00'")

    def test_now_before_the_loan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With a loan document, the state is as of --now's date, which must not precede the loan."""
        assert fail(capsys, "next-step", LOAN_JSON, "--now", "2026-01-01T10:00") == (
            "--now: must not be before the loan's start (2026-03-10), got '2026-01-01T10:00'")

    @pytest.mark.parametrize(("error", "line"), [
        (InvalidValueError("case.state.as_of", "must be a date", 7), "case.state.as_of: must be a date, got 7"),
        (InvalidPolicyError("stages[0]", "is wrong"), "stages[0]: is wrong"),
        (OverflowError("date value out of range"),
         "apr: cannot be done with this input (OverflowError: 'date value out of range'); please report it"),
    ])
    def test_last_resort(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                         error: Exception, line: str) -> None:
        """Whatever a command raises that nothing foresaw is still one line and exit 2."""
        def explode(_args: object) -> int:
            raise error

        monkeypatch.setattr("loanrules.cli._apr", explode)
        assert fail(capsys, "apr", LOAN_JSON) == line

    def test_as_of_not_iso(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--as-of must be YYYY-MM-DD (20260815 is refused though fromisoformat takes it)."""
        assert fail(capsys, "state", LOAN_JSON, "--as-of", "20260815") == (
            "--as-of: must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31, got '20260815'")

    def test_timezone_that_is_a_path(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A zone name that is a file path is no zone."""
        assert fail(capsys, "next-step", LOAN_JSON, "--now", "2026-08-15T10:00", "--timezone", "/etc/passwd") == (
            "--timezone: must be an IANA time zone name such as Asia/Shanghai, got '/etc/passwd'")

    def test_nul_in_the_file_name(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A file name with a NUL character cannot be opened."""
        assert fail(capsys, "apr", "loan\x00.json") == "loan\x00.json: cannot be read (embedded null byte)"

    def test_toml_nested_too_deep(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """TOML arrays nested thousands deep."""
        path = write(tmp_path, "loan.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n")
        assert fail(capsys, "apr", path) == f"{path}: must be valid TOML (nests too deep to read)"

    def test_huge_integer(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An integer of more digits than Python converts: still one line."""
        path = write(tmp_path, "x.json", '{"type": "loan", "version": ' + "9" * 5000 + "}")
        assert fail(capsys, "apr", path) == f"{path}: must be valid JSON (ValueError)"


SRC = ROOT / "src"


def cli(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m loanrules`` of this tree, in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "loanrules", *argv], input=stdin, capture_output=True, text=True,
                          env=env, check=False)


class TestSubprocess:
    def test_state_from_stdin(self) -> None:
        """`loanrules state - --as-of ... < loan.json` prints JSON when piped."""
        done = cli("state", "-", "--as-of", "2026-08-15", stdin=(EXAMPLES / "loan.json").read_text("utf-8"))
        assert (done.returncode, done.stderr) == (0, "")
        assert json.loads(done.stdout)["payoff"] == "23442.66"

    def test_portfolio_csv(self) -> None:
        """`loanrules portfolio book.jsonl --format csv`: no progress on a pipe."""
        done = cli("portfolio", BOOK, "--as-of", "2026-08-15", "--format", "csv")
        assert (done.returncode, done.stderr) == (0, "")
        assert csv_rows(done.stdout)[2][:5] == ["2", "L-2026-0002", "2026-08-15", "overdue", "54"]

    @pytest.mark.parametrize(("argv", "line"), [
        (["state", "nope.json", "--as-of", "2026-08-15"], "nope.json: cannot be read (No such file or directory)"),
        (["next-step", CASE, "--now", "2026-08-15T10:00", "--policy", "strict"],
         "--policy: must be standard, us_reg_f or a policy file whose name ends in .toml, got 'strict'"),
    ])
    def test_errors_are_one_line(self, argv: list[str], line: str) -> None:
        """Exit status 2, one line on stderr, no traceback, nothing on stdout."""
        done = cli(*argv)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", f"loanrules: error: {line}\n")

    def test_help_lists_the_commands(self) -> None:
        """--help names every command and the error form."""
        done = cli("--help")
        assert done.returncode == 0
        for word in ("demo", "schedule", "state", "next-step", "apr", "portfolio",
                     "loanrules: error: <where>: <rule>, got <value>"):
            assert word in done.stdout

