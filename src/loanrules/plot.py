"""Figures of schedules, loans over time and portfolio buckets (extra ``loanrules[plot]``: matplotlib).

The one module of the package that imports matplotlib; ``import loanrules``
never loads it. Install the extra with ``pip install 'loanrules[plot]'``.

Every function draws on the ``ax`` given, or on a new
``matplotlib.figure.Figure`` with one ``Axes`` (no pyplot, so no global
state and no backend needed: it works under Agg, in scripts, servers and
notebooks alike), and returns the **Figure** it drew on. Nothing is shown
or saved: call ``figure.savefig(path)`` yourself, or let a notebook
display the figure. Money is plotted as ``float`` (a figure needs no
exact cents); dates on the x axis are calendar days.

>>> from datetime import date
>>> from loanrules import LoanTerms, Rate, build_schedule
>>> figure = schedule_balance(build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3,
...                                                    start=date(2026, 1, 10))))
>>> [line.get_label() for axes in figure.axes for line in axes.get_lines()]
['balance']
>>> figure.axes[1].get_lines()[0].get_ydata().tolist()
[1000.0, 669.98, 336.66, 0.0]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

try:
    import matplotlib as mpl
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
except ImportError as error:  # pragma: no cover - the extra is part of the test environment
    raise ImportError("loanrules.plot needs matplotlib: pip install 'loanrules[plot]'") from error

from loanrules.collection import Case, CollectionPolicy, next_step
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.ledger import Loan
from loanrules.portfolio import DEFAULT_BUCKETS, Bucket, Row, buckets
from loanrules.schedule import Schedule

__all__ = ["STATUS_COLOURS", "loan_timeline", "portfolio_buckets", "schedule_balance"]

STATUS_COLOURS: Final = {"current": "#43a047", "grace": "#fdd835", "overdue": "#e53935", "settled": "#9e9e9e"}
"""The band colour of each status in :func:`loan_timeline`."""

_DAY: Final = timedelta(days=1)


def _x(value: object) -> Any:
    """Dates for the x axis: matplotlib converts them (its date units), though its stubs say float."""
    return value


def _axes(ax: Axes | None) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: ``ax`` and its figure, or a new figure with one axes."""
    if ax is None:
        figure = Figure(figsize=(8, 4.5), layout="constrained")
        return figure, figure.add_subplot()
    if not isinstance(ax, Axes):
        raise InvalidTypeError("ax", "must be a matplotlib Axes or None", ax)
    root = ax.get_figure(root=True)
    if root is None:  # pragma: no cover - every Axes is made on a figure
        raise InvalidValueError("ax", "must belong to a figure", ax)
    return root, ax


def schedule_balance(schedule: Schedule, ax: Axes | None = None) -> Figure:
    """A schedule's payments split into principal and interest (stacked bars at each due date, left axis)
    and its balance over time (a line from the principal at the start to 0 at maturity, right axis).

    Args:
        schedule: The schedule.
        ax: The axes to draw on (the balance goes on its twin); ``None``: a new figure.

    Returns:
        The figure. ``figure.axes[0]`` holds the bars (containers labelled
        ``interest``, at the bottom, and ``principal`` on it), ``figure.axes[1]``
        the ``balance`` line.

    >>> from datetime import date
    >>> from loanrules import LoanTerms, Rate, build_schedule
    >>> figure = schedule_balance(build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3,
    ...                                                    start=date(2026, 1, 10))))
    >>> interest, principal = figure.axes[0].containers
    >>> interest.get_label(), [float(bar.get_height()) for bar in interest]
    ('interest', [10.0, 6.7, 3.37])
    """
    if not isinstance(schedule, Schedule):
        raise InvalidTypeError("schedule", "must be a Schedule", schedule)
    figure, bars = _axes(ax)
    terms, rows = schedule.terms, schedule.installments
    days = [row.due_date for row in rows]
    gaps = [(b - a).days for a, b in itertools.pairwise([terms.start, *days])]
    width = max(1.0, 0.7 * min(gaps, default=1))
    principal = [float(row.principal) for row in rows]
    interest = [float(row.interest) for row in rows]
    bars.bar(_x(days), interest, width=width, label="interest", color="#fb8c00")
    bars.bar(_x(days), principal, width=width, bottom=interest, label="principal", color="#1e88e5")
    bars.set_ylabel(f"payment ({terms.currency.code})")
    balance = bars.twinx()
    balance.plot(_x([terms.start, *days]), [float(terms.principal), *(float(row.balance) for row in rows)],
                 label="balance", color="#212121", marker="." if len(rows) <= 60 else None)
    balance.set_ylabel(f"balance ({terms.currency.code})")
    balance.set_ylim(bottom=0)
    handles = [*bars.get_legend_handles_labels()[0], *balance.get_legend_handles_labels()[0]]
    bars.legend(handles=handles, loc="upper right")
    bars.set_title(f"{terms.principal} {terms.currency.code}, {terms.term} installments from {terms.start}")
    return figure


def loan_timeline(loan: Loan, start: date, end: date, ax: Axes | None = None, *,
                  policy: CollectionPolicy | None = None, timezone: str = "Asia/Shanghai",
                  at: time = time(12)) -> Figure:
    """Days past due on every day from ``start`` to ``end`` (``loan.timeline``), over coloured bands:
    each day's status, or with a ``policy`` each day's collection stage.

    Args:
        loan: The loan.
        start: The first day (not before the loan's start).
        end: The last day.
        ax: The axes to draw on; ``None``: a new figure.
        policy: With a policy, the bands are the stage of :func:`~loanrules.next_step` on each day
            at ``at`` local time in ``timezone`` (``"no stage"`` where none applies).
        timezone: The debtor's time zone, for the stages.
        at: The time of day the stages are read at.

    Returns:
        The figure. Its axes hold the ``days past due`` line (a step each day)
        and one span per run of days in the same status (or stage), each
        labelled by it once in the legend.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> loan = Loan(LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1)))
    >>> figure = loan_timeline(loan, date(2026, 1, 30), date(2026, 2, 3))
    >>> axes = figure.axes[0]
    >>> axes.get_lines()[0].get_ydata().tolist()
    [0, 0, 0, 1, 2]
    >>> [patch.get_label() for patch in axes.patches]
    ['current', 'overdue']
    """
    if not isinstance(loan, Loan):
        raise InvalidTypeError("loan", "must be a Loan", loan)
    if policy is not None and not isinstance(policy, CollectionPolicy):
        raise InvalidTypeError("policy", "must be a CollectionPolicy or None", policy)
    states = loan.timeline(start, end)
    figure, axes = _axes(ax)
    days = [s.as_of for s in states]
    if policy is None:
        keys = [s.status.value for s in states]
        colours: dict[str, object] = dict(STATUS_COLOURS)
    else:
        zone = ZoneInfo(timezone)
        keys = [next_step(policy, Case(state=s, timezone=timezone),
                          datetime.combine(s.as_of, at, tzinfo=zone)).stage or "no stage" for s in states]
        cycle = mpl.colormaps["tab10"]
        colours = {stage.name: cycle(i % 10) for i, stage in enumerate(policy.stages)}
        colours["no stage"] = "#e0e0e0"
    index = 0
    for key, run in itertools.groupby(keys):
        length = len(list(run))
        axes.axvspan(_x(days[index]), _x(days[index + length - 1] + _DAY), color=_x(colours.get(key, "#bdbdbd")), alpha=0.3,
                     linewidth=0, label=key if key not in keys[:index] else f"_{key}")
        index += length
    axes.plot(_x(days), [s.days_past_due for s in states], drawstyle="steps-post", color="#212121",
              label="days past due")
    axes.set_ylabel("days past due")
    axes.set_ylim(bottom=0)
    axes.set_xlim(_x(days[0]), _x(days[-1] + _DAY))
    axes.legend(loc="upper left")
    axes.set_title(f"{loan.terms.principal} {loan.terms.currency.code} from {start} to {end}")
    return figure


def portfolio_buckets(snapshots: Sequence[Iterable[Row]], ax: Axes | None = None, *, by: str = "balance",
                      table: Sequence[Bucket] = DEFAULT_BUCKETS) -> Figure:
    """Bucket totals over time: one stacked bar per snapshot (rows of :func:`~loanrules.portfolio.evaluate`
    on one day), one segment per bucket, M0 at the bottom.

    Args:
        snapshots: Row lists, in the order to draw them (each non-empty, all of one ``as_of``).
        ax: The axes to draw on; ``None``: a new figure.
        by: ``"balance"`` (principal outstanding, the default) or ``"count"`` (accounts), as
            :func:`~loanrules.portfolio.buckets`.
        table: The buckets.

    Returns:
        The figure: one bar container per bucket, labelled by its name; the x
        ticks are the snapshots' days.

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> from loanrules.portfolio import evaluate
    >>> loan = Loan(LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1)))
    >>> snapshots = [list(evaluate([loan], as_of=day)) for day in (date(2026, 1, 31), date(2026, 2, 10))]
    >>> axes = portfolio_buckets(snapshots).axes[0]
    >>> [(c.get_label(), [float(bar.get_height()) for bar in c]) for c in axes.containers[:2]]
    [('M0', [300.0, 0.0]), ('M1', [0.0, 300.0])]
    """
    lists = [list(snapshot) for snapshot in snapshots]
    if not lists:
        raise InvalidValueError("snapshots", "must hold at least one snapshot", snapshots)
    days: list[date] = []
    for index, rows in enumerate(lists):
        if not rows:
            raise InvalidValueError(f"snapshots[{index}]", "must hold at least one row", rows)
        if not all(isinstance(r, Row) for r in rows):
            raise InvalidTypeError(f"snapshots[{index}]", "must hold loanrules.portfolio.Row values", rows)
        as_of = {r.as_of for r in rows}
        if len(as_of) != 1:
            raise InvalidValueError(f"snapshots[{index}]", "must hold rows of one as_of", sorted(as_of))
        days.append(as_of.pop())
    totals = [buckets(rows, by=by, table=table) for rows in lists]
    figure, axes = _axes(ax)
    positions = list(range(len(lists)))
    bottom = [0.0] * len(lists)
    palette = mpl.colormaps["RdYlGn_r"]
    for k, bucket in enumerate(table):
        heights = [float(t[bucket.name]) for t in totals]
        axes.bar(positions, heights, bottom=bottom, label=bucket.name, width=0.7,
                 color=palette(k / max(1, len(table) - 1)))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    axes.set_xticks(positions, [day.isoformat() for day in days])
    axes.set_ylabel("principal outstanding" if by == "balance" else "accounts")
    axes.legend(loc="upper left", ncols=min(4, len(table)))
    axes.set_title("delinquency buckets")
    return figure
