"""loanrules.plot: each figure renders to a PNG of the expected size and plots the library's numbers."""

from __future__ import annotations

import struct
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from loanrules import Case, Loan, LoanTerms, Rate, build_schedule, next_step, policies
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.plot import STATUS_COLOURS, loan_timeline, portfolio_buckets, schedule_balance
from loanrules.portfolio import DEFAULT_BUCKETS, buckets, evaluate

TERMS = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(figure: Figure, path: Path) -> tuple[int, int]:
    """Save ``figure`` as PNG at 100 dpi and read its width and height from the IHDR chunk."""
    figure.savefig(path, dpi=100)
    data = path.read_bytes()
    assert len(data) > 1000
    assert data[:8] == PNG
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_schedule_balance(tmp_path: Path) -> None:
    """The balance line is the principal then each balance; the bars are interest, then principal on it."""
    schedule = build_schedule(TERMS)
    figure = schedule_balance(schedule)
    assert png_size(figure, tmp_path / "schedule.png") == (800, 450)
    bars, balance = figure.axes
    (line,) = balance.get_lines()
    assert line.get_label() == "balance"
    assert line.get_ydata().tolist() == [12000.0, *(float(row.balance) for row in schedule)]
    assert list(line.get_xdata()) == [TERMS.start, *(row.due_date for row in schedule)]
    interest, principal = bars.containers
    assert (interest.get_label(), principal.get_label()) == ("interest", "principal")
    assert [float(bar.get_height()) for bar in interest] == [float(row.interest) for row in schedule]
    assert [float(bar.get_y()) for bar in principal] == [float(row.interest) for row in schedule]
    assert [float(bar.get_height()) for bar in principal] == pytest.approx([float(r.principal) for r in schedule])
    assert bars.get_legend() is not None
    assert [t.get_text() for t in bars.get_legend().get_texts()] == ["interest", "principal", "balance"]


def test_schedule_balance_on_given_axes(tmp_path: Path) -> None:
    """Given an axes, it draws there and returns that axes' figure (here a 4 x 3 inch one)."""
    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    assert schedule_balance(build_schedule(TERMS), ax=axes) is figure
    assert figure.axes[0] is axes
    assert png_size(figure, tmp_path / "small.png") == (400, 300)


def test_loan_timeline_status_bands(tmp_path: Path) -> None:
    """DPD day by day from loan.timeline, over one span per run of a status, coloured by STATUS_COLOURS."""
    loan = Loan(TERMS).pay(on=date(2026, 2, 15), amount="1066.19")
    start, end = date(2026, 2, 1), date(2026, 4, 30)
    figure = loan_timeline(loan, start, end)
    assert png_size(figure, tmp_path / "timeline.png") == (800, 450)
    (axes,) = figure.axes
    states = loan.timeline(start, end)
    (line,) = axes.get_lines()
    assert line.get_ydata().tolist() == [s.days_past_due for s in states]
    assert list(line.get_xdata()) == [s.as_of for s in states]
    runs = [s.status.value for k, s in enumerate(states) if k == 0 or states[k - 1].status is not s.status]
    assert runs == ["current", "overdue"]
    assert [patch.get_label() for patch in axes.patches] == runs
    assert [patch.get_facecolor()[:3] for patch in axes.patches] == [to_rgba(STATUS_COLOURS[r])[:3] for r in runs]


def test_loan_timeline_stage_bands() -> None:
    """With a policy, the bands are each day's stage from next_step, each labelled once."""
    loan = Loan(TERMS)
    start, end = date(2026, 2, 10), date(2026, 4, 10)
    figure = loan_timeline(loan, start, end, policy=policies.standard())
    (axes,) = figure.axes
    zone = ZoneInfo("Asia/Shanghai")
    stages = []
    for state in loan.timeline(start, end):
        moment = datetime(state.as_of.year, state.as_of.month, state.as_of.day, 12, tzinfo=zone)
        stage = next_step(policies.standard(), Case(state=state), moment).stage or "no stage"
        if not stages or stages[-1] != stage:
            stages.append(stage)
    assert len(stages) >= 3
    labels = [patch.get_label() for patch in axes.patches]
    assert [label.lstrip("_") for label in labels] == stages
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == [*dict.fromkeys(stages), "days past due"]


def test_portfolio_buckets(tmp_path: Path) -> None:
    """One stacked bar per snapshot; each bucket's heights are buckets(rows, by="balance") as floats."""
    loans = [(f"L-{k}", Loan(TERMS).pay(on=date(2026, 2, 15), amount="1066.19") if k % 2 else Loan(TERMS))
             for k in range(10)]
    days = [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    snapshots = [list(evaluate(loans, as_of=day)) for day in days]
    figure = portfolio_buckets(snapshots)
    assert png_size(figure, tmp_path / "buckets.png") == (800, 450)
    (axes,) = figure.axes
    assert [c.get_label() for c in axes.containers] == [b.name for b in DEFAULT_BUCKETS]
    totals = [buckets(rows, by="balance") for rows in snapshots]
    for container in axes.containers:
        assert [float(bar.get_height()) for bar in container] == pytest.approx(
            [float(t[container.get_label()]) for t in totals])
    assert [t.get_text() for t in axes.get_xticklabels()] == [d.isoformat() for d in days]
    counted = portfolio_buckets(snapshots, by="count").axes[0]
    assert [float(bar.get_height()) for bar in counted.containers[0]] == [float(t["M0"]) for t in
                                                                          (buckets(r) for r in snapshots)]
    assert counted.get_ylabel() == "accounts"


def test_refusals() -> None:
    loan = Loan(TERMS)
    with pytest.raises(InvalidTypeError, match="'schedule' must be a Schedule"):
        schedule_balance(TERMS)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'ax' must be a matplotlib Axes or None"):
        schedule_balance(build_schedule(TERMS), ax=Figure())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'loan' must be a Loan"):
        loan_timeline(TERMS, date(2026, 2, 1), date(2026, 3, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'policy' must be a CollectionPolicy or None"):
        loan_timeline(loan, date(2026, 2, 1), date(2026, 3, 1), policy="standard")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'end' must not be before start"):
        loan_timeline(loan, date(2026, 2, 1), date(2026, 2, 1) - timedelta(days=1))
    with pytest.raises(InvalidValueError, match="'snapshots' must hold at least one snapshot"):
        portfolio_buckets([])
    with pytest.raises(InvalidValueError, match=r"'snapshots\[0\]' must hold at least one row"):
        portfolio_buckets([[]])
    mixed = [*evaluate([loan], as_of=date(2026, 2, 1)), *evaluate([loan], as_of=date(2026, 3, 1))]
    with pytest.raises(InvalidValueError, match=r"'snapshots\[0\]' must hold rows of one as_of"):
        portfolio_buckets([mixed])
    with pytest.raises(InvalidTypeError, match=r"'snapshots\[0\]' must hold loanrules.portfolio.Row values"):
        portfolio_buckets([[1]])  # type: ignore[list-item]
