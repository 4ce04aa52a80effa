"""Tests of the command line (the only module that prints)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from loanrules.cli import main


class TestDemo:
    def test_demo_prints_the_schedule(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`loanrules demo` prints the example loan's 12 installments and the totals."""
        assert main(["demo"]) == 0
        rows = [line.split() for line in capsys.readouterr().out.splitlines()]
        assert ["1", "2026-02-24", "4330.95", "4030.95", "300.00", "45969.05"] in rows
        assert ["12", "2027-01-20*", "4330.92", "4305.09", "25.83", "0.00"] in rows
        assert ["total", "51971.37", "50000.00", "1971.37"] in rows

    def test_demo_shows_the_missed_installment(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo goes on to the state after a missed installment: grace, then backdated penalty."""
        main(["demo"])
        out = capsys.readouterr().out
        assert "as of 2026-02-27: GRACE, 3 days past due" in out
        assert "as of 2026-02-28: OVERDUE, 4 days past due" in out
        # 4330.95 x 7.2 % x 1.5 x 4 / 360 = 5.197 -> 5.20
        assert "due now 4336.15 = principal 4030.95 + interest 300.00 + penalty 5.20 + fee 0.00" in out
        assert "as of 2026-03-06: CURRENT, 0 days past due" in out

    def test_demo_shows_the_next_collection_steps(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo asks the standard policy for the next step on a few days, with reasons."""
        main(["demo"])
        out = capsys.readouterr().out
        assert "2026-02-22 09:00: ACT REMIND (stage pre_due)" in out
        assert "2026-02-25 07:00: DEFER CALL until 2026-02-25 08:00 (stage early)" in out
        assert "2026-03-04 10:00: ACT LETTER (stage formal)" in out
        assert "      - next step: LETTER" in out
        assert "next collection step: NONE (no stage applies: nothing is overdue or due soon)" in out

    def test_demo_shows_a_credit_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo ends with the article's product: a line drawn and repaid at will (figures by hand in
        docs/tutorial/credit-line.md: 10,000 x 0.05 % x 15 days = 75.00; 3,251.30 x 0.075 % x 30 = 73.15)."""
        main(["demo"])
        out = capsys.readouterr().out
        assert "on 2026-03-16: available 40000.00, interest for 15 days 75.00, payoff 10075.00" in out
        assert "overdue 3524.45 (penalty 73.15), new draws suspended: True" in out
        assert "paid 5000.00, split over the draws (overdue first): 0 days past due, available 38625.62" in out

    def test_closed_pipe_is_quiet(self) -> None:
        """`loanrules demo | head -1` prints one line and no traceback."""
        shell = subprocess.run(f"{sys.executable} -m loanrules demo | head -1", shell=True,
                               capture_output=True, text=True, check=True)
        assert (shell.stdout, shell.stderr) == ("loanrules demo: a consumer loan, repaid monthly (等额本息)\n", "")

    def test_module_entry_point(self) -> None:
        """`python -m loanrules demo` runs the same demo."""
        out = subprocess.run([sys.executable, "-m", "loanrules", "demo"], capture_output=True, text=True,
                             check=True).stdout
        assert ["total", "51971.37", "50000.00", "1971.37"] in [line.split() for line in out.splitlines()]


class TestSchedule:
    def test_bad_input_is_an_error_message(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A loanrules error becomes exit status 2 and one line on stderr."""
        status = main(["schedule", "--principal", "-5", "--rate-percent", "5", "--term", "3",
                       "--start", "2026-01-01"])
        assert status == 2
        assert capsys.readouterr().err == "loanrules: error: --principal: must be > 0, got '-5'\n"

    def test_equal_principal_quarterly(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Method and frequency options reach the terms."""
        main(["schedule", "--principal", "400", "--rate-percent", "8", "--term", "2", "--start",
              "2026-01-31", "--method", "equal_principal", "--frequency", "quarterly"])
        lines = capsys.readouterr().out.splitlines()
        assert lines[1].split() == ["1", "2026-04-30", "208.00", "200.00", "8.00", "200.00"]
        assert lines[2].split() == ["2", "2026-07-31", "204.00", "200.00", "4.00", "0.00"]
