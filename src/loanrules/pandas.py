"""pandas frames of schedules, states, decisions, portfolios and timelines (extra ``loanrules[pandas]``).

The one module of the package that imports pandas and pyarrow; ``import
loanrules`` never loads it. Install the extra with ``pip install
'loanrules[pandas]'``. Every function is pure: values in, a new frame out.

Column types (the same in every frame):

=================  ===================================================================
values             dtype
=================  ===================================================================
money              ``decimal128(38, s)[pyarrow]``, exact: ``s`` is the currency's minor
                   units (2 for CNY, 0 for JPY), 38 the largest decimal128 precision,
                   which holds any amount of the library's 34-digit context. With
                   ``money="float"``: ``float64``, the nearest double, for plotting.
dates              ``date32[day][pyarrow]``: calendar days, no time and no time zone
                   (``None`` is ``<NA>``); ``df.plot`` takes them on the x axis.
moments            ``timestamp[us, tz][pyarrow]``: the rows' common time zone, else UTC.
ints               ``int64[pyarrow]``.
flags              ``bool[pyarrow]``.
text, enums        ``string[pyarrow]``; enums as their values (``"overdue"``).
=================  ===================================================================

Every column is an Arrow column (nulls are ``<NA>``, never ``NaN`` or
``NaT``), so a frame goes to Arrow or Parquet unchanged; reading a money
cell back (``df["payment"].tolist()``) gives the library's ``Decimal``.
The index is a plain ``RangeIndex``.

Where a frame has no currency to read (states, timelines, portfolio rows),
pass ``currency=``; without it the scale is the most decimal places among
the amounts, which for the library's own values is the minor unit (every
amount carries exactly its currency's places: ``Decimal('0.00')``).

>>> from datetime import date
>>> from loanrules import LoanTerms, Rate, build_schedule
>>> frame = schedule_frame(build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3,
...                                                 start=date(2026, 1, 10))))
>>> print(frame[["number", "due_date", "payment", "interest", "balance"]].to_string(index=False))
 number   due_date payment interest balance
      1 2026-02-10  340.02    10.00  669.98
      2 2026-03-10  340.02     6.70  336.66
      3 2026-04-10  340.03     3.37    0.00
>>> str(frame["payment"].dtype), frame["payment"].sum()
('decimal128(38, 2)[pyarrow]', Decimal('1020.07'))
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

try:
    import pandas as pd
    import pyarrow as pa
except ImportError as error:  # pragma: no cover - the extra is part of the test environment
    raise ImportError("loanrules.pandas needs pandas and pyarrow: pip install 'loanrules[pandas]'") from error

from loanrules.collection import Decision
from loanrules.conventions import Currency
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.ledger import Amounts, CreditLineState, LoanState
from loanrules.portfolio import ROW_FIELDS, Row
from loanrules.schedule import Installment, Schedule

__all__ = [
    "PRECISION",
    "decision_frame",
    "line_frame",
    "portfolio_frame",
    "schedule_frame",
    "state_frame",
    "timeline_frame",
]

PRECISION: Final = 38
"""The precision of every decimal column: decimal128's largest, above the library's 34 digits."""

Money = Literal["decimal", "float"]
"""How money columns are typed: ``"decimal"`` (exact Arrow decimals, the default) or ``"float"``."""

_ARROW: Final[dict[type, Any]] = {
    str: pa.string(), int: pa.int64(), bool: pa.bool_(), date: pa.date32(),
}
_KINDS: Final = frozenset({str, int, bool, date, datetime, Decimal})


# ---------------------------------------------------------------------------
# Columns


def _check_money(money: object) -> Money:
    if money == "decimal" or money == "float":  # noqa: PLR1714 - the comparisons narrow to the Literal
        return money
    raise InvalidValueError("money", "must be 'decimal' or 'float'", money)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _scale(currency: Currency | None, columns: Iterable[Sequence[object]]) -> int:
    """The decimal columns' scale: the currency's minor units, else the most places among the amounts."""
    if currency is not None:
        if not isinstance(currency, Currency):
            raise InvalidTypeError("currency", "must be a Currency or None", currency)
        return currency.minor_units
    return max((_places(v) for column in columns for v in column if isinstance(v, Decimal)), default=0)


def _zone(values: Sequence[object]) -> str:
    """The time zone of a moment column: the values' common IANA zone, else UTC."""
    zones = {v.tzinfo.key if isinstance(v.tzinfo, ZoneInfo) else None for v in values if isinstance(v, datetime)}
    zone = zones.pop() if len(zones) == 1 else None
    return zone if zone is not None else "UTC"


def _column(name: str, kind: type, values: Sequence[object], *, scale: int, money: Money) -> Any:
    """One column of a frame: ``values`` (``None`` for null) as the dtype of ``kind``."""
    if kind is Decimal:
        if money == "float":
            return pd.array([float(typing.cast(Decimal, v)) if v is not None else float("nan") for v in values],
                            dtype="float64")
        arrow = pa.decimal128(PRECISION, scale)
    elif kind is datetime:
        arrow = pa.timestamp("us", tz=_zone(values))
    else:
        arrow = _ARROW[kind]
    try:
        data = pa.array(values, type=arrow)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise InvalidValueError(name, f"must fit {arrow} ({error})", next(
            (v for v in values if _places_over(v, scale)), None)) from error
    return pd.array(data, dtype=pd.ArrowDtype(arrow))


def _places_over(value: object, scale: int) -> bool:
    return isinstance(value, Decimal) and (_places(value) > scale or value.adjusted() >= PRECISION - scale)


def _frame(schema: Sequence[tuple[str, type]], rows: Sequence[Sequence[object]], *, money: object,
           currency: Currency | None) -> Any:
    """A frame of ``rows`` (tuples in ``schema``'s order), one typed column per field of ``schema``."""
    kind = _check_money(money)
    columns: list[Sequence[object]] = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in schema]
    scale = _scale(currency, (c for c, (_, t) in zip(columns, schema, strict=True) if t is Decimal))
    return pd.DataFrame({name: _column(name, t, column, scale=scale, money=kind)
                         for (name, t), column in zip(schema, columns, strict=True)})


def _kind(annotation: object) -> type:
    """The column kind of a :data:`~loanrules.portfolio.ROW_FIELDS` type (``date | None`` is ``date``)."""
    if isinstance(annotation, types.UnionType):
        (annotation,) = (a for a in typing.get_args(annotation) if a is not type(None))
    assert isinstance(annotation, type), annotation
    assert annotation in _KINDS, annotation  # a new ROW_FIELDS type needs its column kind here
    return annotation


# ---------------------------------------------------------------------------
# Frames


_SCHEDULE: Final = tuple(zip(Installment._fields, (int, date, Decimal, Decimal, Decimal, Decimal, date, date, bool),
                             strict=True))
_PARTS: Final = ("due", "paid", "waived", "outstanding")
_STATE: Final = (("number", int), ("due_date", date),
                 *((f"{part}_{name}", Decimal) for part in _PARTS for name in (*Amounts._fields, "total")),
                 ("days_late", int), ("settled_on", date), ("phase", int))
_ROW: Final = tuple((name, _kind(annotation)) for name, annotation, _ in ROW_FIELDS)
_TIMELINE: Final = (
    ("as_of", date), ("status", str), ("days_past_due", int),
    *((f"overdue_{name}", Decimal) for name in (*Amounts._fields, "total")),
    ("due_now", Decimal), ("payoff", Decimal), ("principal_outstanding", Decimal), ("accrued_interest", Decimal),
    ("next_due_date", date), ("next_due_amount", Decimal), ("credit", Decimal),
)
_DECISION: Final = (("rule", str), ("condition", str), ("facts_text", str), ("result", bool))


def schedule_frame(schedule: Schedule, *, money: Money = "decimal") -> Any:
    """The installments of a schedule, one row each, in the fields of :class:`~loanrules.Installment`.

    Columns: ``number``, ``due_date``, ``principal``, ``interest``, ``payment``,
    ``balance``, ``unadjusted_date``, ``period_start``, ``provisional``; money
    at the scale of the schedule's currency.

    Args:
        schedule: The schedule.
        money: ``"decimal"`` (exact, the default) or ``"float"`` (``float64``, for plotting).

    Returns:
        A ``pandas.DataFrame``.

    >>> from datetime import date
    >>> from loanrules import LoanTerms, Rate, build_schedule, JPY
    >>> yen = build_schedule(LoanTerms(principal="100000", rate=Rate.annual("0.03"), term=2,
    ...                                start=date(2026, 1, 31), currency=JPY))
    >>> frame = schedule_frame(yen)
    >>> frame["balance"].tolist(), str(frame["balance"].dtype), str(frame["due_date"].dtype)
    ([Decimal('50062'), Decimal('0')], 'decimal128(38, 0)[pyarrow]', 'date32[day][pyarrow]')
    >>> schedule_frame(yen, money="float")["payment"].tolist()
    [50188.0, 50187.0]
    """
    if not isinstance(schedule, Schedule):
        raise InvalidTypeError("schedule", "must be a Schedule", schedule)
    return _frame(_SCHEDULE, schedule.installments, money=money, currency=schedule.terms.currency)


def state_frame(state: LoanState, *, money: Money = "decimal", currency: Currency | None = None) -> Any:
    """The installments of a state, one row each: what each asked for, paid, waived and still owes.

    The columns are those of :meth:`LoanState.to_records() <loanrules.LoanState.to_records>`
    (``number``, ``due_date``, ``due_principal`` ... ``due_total``, ``paid_*``,
    ``waived_*``, ``outstanding_*``, ``days_late``, ``settled_on``, ``phase``),
    typed instead of text.

    Args:
        state: The state (``loan.state(as_of=...)``).
        money: ``"decimal"`` (exact, the default) or ``"float"``.
        currency: The scale of the decimal columns (default: read from the amounts).

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
    >>> frame = state_frame(Loan(t).pay(on=date(2026, 2, 1), amount="100").state(as_of=date(2026, 3, 5)))
    >>> frame[["number", "due_date", "paid_total", "outstanding_total", "days_late", "settled_on"]]
       number    due_date  paid_total  outstanding_total  days_late  settled_on
    0       1  2026-02-01      100.00               0.00          0  2026-02-01
    1       2  2026-03-01        0.00             100.00          4        <NA>
    2       3  2026-04-01        0.00             100.00          0        <NA>
    """
    if not isinstance(state, LoanState):
        raise InvalidTypeError("state", "must be a LoanState", state)
    rows = [(row.number, row.due_date,
             *(value for amounts in (row.due, row.paid, row.waived, row.outstanding) for value in (*amounts, amounts.total)),
             row.days_late, row.settled_on, row.phase) for row in state.installments]
    return _frame(_STATE, rows, money=money, currency=currency)


def decision_frame(decision: Decision) -> Any:
    """The trace of a decision, one row per rule evaluated: ``rule``, ``condition``, ``facts_text``, ``result``.

    The facts are the text of :meth:`Decision.to_records() <loanrules.Decision.to_records>`
    (``"dpd=33"``); ``result`` says whether the rule held.

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> from loanrules import Case, Loan, LoanTerms, Rate, next_step, policies
    >>> loan = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
    >>> case = Case(state=loan.state(as_of=date(2026, 2, 16)), timezone="Asia/Shanghai")
    >>> decision = next_step(policies.standard(), case, datetime(2026, 2, 16, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    >>> frame = decision_frame(decision)
    >>> list(frame.columns), str(frame["result"].dtype)
    (['rule', 'condition', 'facts_text', 'result'], 'bool[pyarrow]')
    >>> frame[frame["result"]].iloc[0].tolist()
    ['stages[1].entry', '(dpd >= 1 and dpd <= 15)', 'dpd=1', True]
    """
    if not isinstance(decision, Decision):
        raise InvalidTypeError("decision", "must be a Decision", decision)
    rows = [(r["rule"], r["condition"], r["facts_text"], r["result"]) for r in decision.to_records()]
    return _frame(_DECISION, rows, money="decimal", currency=None)


def portfolio_frame(rows: Iterable[Row], *, money: Money = "decimal", currency: Currency | None = None) -> Any:
    """Portfolio rows (:func:`loanrules.portfolio.evaluate`) as a frame: the columns of
    :data:`~loanrules.portfolio.ROW_FIELDS`, in its order, typed by it.

    Args:
        rows: The rows (any iterable: ``evaluate`` streams them).
        money: ``"decimal"`` (exact, the default) or ``"float"``.
        currency: The scale of the decimal columns (default: the most places among the amounts, which
            for a book in one currency is its minor unit and for a mixed book the largest).

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> from loanrules.portfolio import ROW_FIELDS, evaluate
    >>> terms = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
    >>> frame = portfolio_frame(evaluate([("A-1", Loan(terms))], as_of=date(2026, 3, 20)))
    >>> tuple(frame.columns) == tuple(name for name, _, _ in ROW_FIELDS)
    True
    >>> frame.loc[0, ["id", "days_past_due", "bucket", "overdue_total", "next_due_date"]].tolist()
    ['A-1', 33, 'M2', Decimal('2152.64'), datetime.date(2026, 4, 15)]
    >>> frame["not_before"].dtype
    timestamp[us, tz=UTC][pyarrow]
    """
    listed = list(rows)
    for index, r in enumerate(listed):
        if not isinstance(r, Row):
            raise InvalidTypeError(f"rows[{index}]", "must be a loanrules.portfolio.Row", r)
    return _frame(_ROW, listed, money=money, currency=currency)


def timeline_frame(states: Iterable[LoanState | CreditLineState], *, money: Money = "decimal",
                   currency: Currency | None = None) -> Any:
    """States as a frame, one row per state (``loan.timeline(start, end)``: one per day); a credit line's
    states (``line.timeline(start, end)``) too.

    Columns: ``as_of``, ``status``, ``days_past_due``, ``overdue_principal``,
    ``overdue_interest``, ``overdue_penalty``, ``overdue_fee``,
    ``overdue_total``, ``due_now``, ``payoff``, ``principal_outstanding``,
    ``accrued_interest``, ``next_due_date``, ``next_due_amount``, ``credit``
    (named as in :data:`~loanrules.portfolio.ROW_FIELDS` where they meet).

    >>> from datetime import date
    >>> from loanrules import Loan, LoanTerms, Rate
    >>> t = LoanTerms(principal="300", rate=Rate.annual(0), term=3, start=date(2026, 1, 1))
    >>> frame = timeline_frame(Loan(t).timeline(date(2026, 1, 31), date(2026, 2, 3)))
    >>> frame[["as_of", "status", "days_past_due", "overdue_total", "payoff"]]
            as_of   status  days_past_due  overdue_total  payoff
    0  2026-01-31  current              0           0.00  300.00
    1  2026-02-01  current              0           0.00  300.00
    2  2026-02-02  overdue              1         100.00  300.00
    3  2026-02-03  overdue              2         100.00  300.00
    """
    rows = []
    for index, s in enumerate(states):
        if not isinstance(s, (LoanState, CreditLineState)):
            raise InvalidTypeError(f"states[{index}]", "must be a LoanState or a CreditLineState", s)
        overdue = s.overdue
        rows.append((s.as_of, s.status.value, s.days_past_due, *overdue, overdue.total, s.due_now.total, s.payoff,
                     s.principal_outstanding, s.accrued_interest, s.next_due_date, s.next_due_amount, s.credit))
    return _frame(_TIMELINE, rows, money=money, currency=currency)



_LINE: Final = (("draw", int), *_TIMELINE[1:])


def line_frame(state: CreditLineState, *, money: Money = "decimal", currency: Currency | None = None) -> Any:
    """A credit line's state as a frame, one row per draw (``draw`` 1-based, then the columns of
    :func:`timeline_frame` but ``as_of``).

    >>> from datetime import date
    >>> from loanrules import CreditLine, CreditLineTerms, Rate
    >>> line = CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365)))
    >>> line = line.draw(date(2026, 3, 1), "10000", 3).draw(date(2026, 3, 5), "2000", 1)
    >>> line_frame(line.state(date(2026, 3, 16)))[["draw", "status", "principal_outstanding", "accrued_interest"]]
       draw   status  principal_outstanding  accrued_interest
    0     1  current               10000.00             75.00
    1     2  current                2000.00             11.00
    """
    if not isinstance(state, CreditLineState):
        raise InvalidTypeError("state", "must be a CreditLineState", state)
    rows = []
    for number, s in enumerate(state.draws, start=1):
        overdue = s.overdue
        rows.append((number, s.status.value, s.days_past_due, *overdue, overdue.total, s.due_now.total, s.payoff,
                     s.principal_outstanding, s.accrued_interest, s.next_due_date, s.next_due_amount, s.credit))
    return _frame(_LINE, rows, money=money, currency=currency)
