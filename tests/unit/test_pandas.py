"""loanrules.pandas: frames whose columns hold exactly the library's values, typed as documented."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pytest
from matplotlib.figure import Figure

from loanrules import (
    CNY,
    JPY,
    Case,
    Loan,
    LoanTerms,
    Rate,
    build_schedule,
    next_step,
    policies,
)
from loanrules.errors import InvalidTypeError, InvalidValueError
from loanrules.pandas import (
    PRECISION,
    decision_frame,
    portfolio_frame,
    schedule_frame,
    state_frame,
    timeline_frame,
)
from loanrules.portfolio import ROW_FIELDS, evaluate

SHANGHAI = ZoneInfo("Asia/Shanghai")
TERMS = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 10))
MONEY = pd.ArrowDtype(pa.decimal128(38, 2))
DATE = pd.ArrowDtype(pa.date32())
INT = pd.ArrowDtype(pa.int64())
TEXT = pd.ArrowDtype(pa.string())
FLAG = pd.ArrowDtype(pa.bool_())


def plain(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """The frame's rows as tuples of Python values, nulls as None."""
    return [tuple(None if value is pd.NA else value for value in row)
            for row in frame.astype(object).itertuples(index=False, name=None)]


def book() -> list[tuple[str, Loan]]:
    """Ten loans: paid 0 to 3 installments, the last one settled."""
    terms = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
    loans = []
    for k in range(10):
        loan = Loan(terms)
        for month in range(2, 2 + k % 4):
            loan = loan.pay(on=date(2026, month, 15), amount="1066.19")
        if k == 9:
            loan = loan.settle(on=date(2026, 2, 1))
        loans.append((f"L-{k:02d}", loan))
    return loans


class TestScheduleFrame:
    def test_three_installments_by_hand(self) -> None:
        """The 3-installment schedule of 1000 at 12 %, every cell, in Installment's field order."""
        frame = schedule_frame(build_schedule(TERMS))
        assert list(frame.columns) == ["number", "due_date", "principal", "interest", "payment", "balance",
                                       "unadjusted_date", "period_start", "provisional"]
        assert list(frame.dtypes) == [INT, DATE, MONEY, MONEY, MONEY, MONEY, DATE, DATE, FLAG]
        d = Decimal
        assert plain(frame) == [
            (1, date(2026, 2, 10), d("330.02"), d("10.00"), d("340.02"), d("669.98"), date(2026, 2, 10),
             date(2026, 1, 10), False),
            (2, date(2026, 3, 10), d("333.32"), d("6.70"), d("340.02"), d("336.66"), date(2026, 3, 10),
             date(2026, 2, 10), False),
            (3, date(2026, 4, 10), d("336.66"), d("3.37"), d("340.03"), d("0.00"), date(2026, 4, 10),
             date(2026, 3, 10), False),
        ]
        assert isinstance(frame.index, pd.RangeIndex)

    def test_exact_decimals_of_a_long_loan(self) -> None:
        """Every amount of a 360-month loan reads back as the library's Decimal, sums included."""
        schedule = build_schedule(LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360,
                                            start=date(2026, 1, 15)))
        frame = schedule_frame(schedule)
        assert frame["payment"].tolist() == [row.payment for row in schedule]
        assert frame["balance"].tolist() == [row.balance for row in schedule]
        assert (frame["interest"].sum(), frame["principal"].sum()) == (schedule.total_interest,
                                                                      schedule.total_principal)
        assert all(type(v) is Decimal for v in frame["interest"].tolist())

    def test_scale_is_the_currencys_minor_units(self) -> None:
        """JPY money is decimal128(38, 0); the precision is PRECISION."""
        yen = build_schedule(LoanTerms(principal="100000", rate=Rate.annual("0.03"), term=2,
                                       start=date(2026, 1, 31), currency=JPY))
        assert frame_type(schedule_frame(yen), "payment") == pa.decimal128(PRECISION, 0)
        assert PRECISION == 38

    def test_money_float_plots(self) -> None:
        """money="float": float64 columns equal to float(Decimal), and df.plot draws them against dates."""
        schedule = build_schedule(TERMS)
        frame = schedule_frame(schedule, money="float")
        assert [str(t) for t in frame.dtypes[["principal", "interest", "payment", "balance"]]] == ["float64"] * 4
        assert frame["balance"].tolist() == [669.98, 336.66, 0.0]
        axes = frame.plot(x="due_date", y=["balance", "interest"], ax=Figure().add_subplot())
        assert [line.get_ydata().tolist() for line in axes.get_lines()] == [[669.98, 336.66, 0.0],
                                                                             [10.0, 6.7, 3.37]]
        assert list(axes.get_lines()[0].get_xdata()) == [row.due_date for row in schedule]

    def test_arrow_round_trip(self) -> None:
        """The frame goes to an Arrow table with the same types (decimal128, date32) and back unchanged."""
        frame = schedule_frame(build_schedule(TERMS))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        assert table.schema.field("payment").type == pa.decimal128(38, 2)
        assert table.schema.field("due_date").type == pa.date32()
        assert table.to_pandas(types_mapper=pd.ArrowDtype).equals(frame)

    def test_refuses(self) -> None:
        with pytest.raises(InvalidTypeError, match="'schedule' must be a Schedule"):
            schedule_frame(TERMS)  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'money' must be 'decimal' or 'float'"):
            schedule_frame(build_schedule(TERMS), money="double")  # type: ignore[arg-type]


def frame_type(frame: pd.DataFrame, column: str) -> pa.DataType:
    return frame[column].dtype.pyarrow_dtype


class TestStateFrame:
    def test_equals_to_records(self) -> None:
        """The columns and values are those of LoanState.to_records(), typed instead of text."""
        loan = Loan(LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 15)))
        state = loan.pay(on=date(2026, 2, 15), amount="100").state(as_of=date(2026, 3, 20))
        frame = state_frame(state)
        records = state.to_records()
        assert list(frame.columns) == list(records[0])
        text = [{name: (value.isoformat() if isinstance(value, date) else
                        str(value) if isinstance(value, Decimal) else value)
                 for name, value in zip(frame.columns, row, strict=True)} for row in plain(frame)]
        assert text == records
        assert frame["due_penalty"].tolist() == [row.due.penalty for row in state.installments]
        assert frame["settled_on"].dtype == DATE
        assert frame["days_late"].dtype == INT

    def test_currency_sets_the_scale(self) -> None:
        state = Loan(TERMS).state(as_of=date(2026, 2, 20))
        assert frame_type(state_frame(state), "due_total") == pa.decimal128(38, 2)
        assert frame_type(state_frame(state, currency=CNY), "due_total") == pa.decimal128(38, 2)
        with pytest.raises(InvalidValueError, match="'due_principal' must fit decimal128"):
            state_frame(state, currency=JPY)  # 330.02 has places JPY has not
        with pytest.raises(InvalidTypeError, match="'currency' must be a Currency or None"):
            state_frame(state, currency="CNY")  # type: ignore[arg-type]
        with pytest.raises(InvalidTypeError, match="'state' must be a LoanState"):
            state_frame(Loan(TERMS))  # type: ignore[arg-type]

    def test_money_float(self) -> None:
        state = Loan(TERMS).state(as_of=date(2026, 2, 20))
        frame = state_frame(state, money="float")
        assert frame["outstanding_total"].tolist() == [float(r.outstanding.total) for r in state.installments]


class TestPortfolioFrame:
    def test_columns_are_row_fields(self) -> None:
        """Exactly ROW_FIELDS, in order, each typed by its type; values equal to the rows."""
        rows = list(evaluate(book(), as_of=date(2026, 5, 20)))
        frame = portfolio_frame(rows)
        assert tuple(frame.columns) == tuple(name for name, _, _ in ROW_FIELDS)
        expected = {str: TEXT, date: DATE, Decimal: MONEY, int: INT, date | None: DATE, str | None: TEXT,
                    datetime | None: pd.ArrowDtype(pa.timestamp("us", tz="UTC"))}
        assert list(frame.dtypes) == [expected[kind] for _, kind, _ in ROW_FIELDS]  # type: ignore[index]
        assert plain(frame) == [tuple(r) for r in rows]
        assert frame["payoff"].sum() == sum(r.payoff for r in rows)
        assert frame["bucket"].tolist() == [r.bucket for r in rows]

    def test_with_a_policy(self) -> None:
        """The decision columns filled; not_before in the debtors' zone (a step deferred out of hours)."""
        now = datetime(2026, 5, 20, 3, 0, tzinfo=SHANGHAI)
        rows = list(evaluate(book(), as_of=date(2026, 5, 20), policy=policies.standard(), now=now))
        frame = portfolio_frame(rows)
        assert frame["not_before"].dtype == pd.ArrowDtype(pa.timestamp("us", tz="Asia/Shanghai"))
        deferred = [r.not_before for r in rows]
        assert any(deferred)
        assert [None if v is pd.NA else v.to_pydatetime() for v in frame["not_before"]] == deferred
        assert frame["decision"].tolist() == [r.decision for r in rows]

    def test_empty(self) -> None:
        """No rows: the columns and dtypes all the same."""
        frame = portfolio_frame([])
        assert (len(frame), tuple(frame.columns)) == (0, tuple(name for name, _, _ in ROW_FIELDS))
        assert frame["payoff"].dtype == pd.ArrowDtype(pa.decimal128(38, 0))
        assert frame["as_of"].dtype == DATE

    def test_float_and_refusals(self) -> None:
        rows = list(evaluate(book(), as_of=date(2026, 5, 20)))
        assert portfolio_frame(rows, money="float")["overdue_total"].tolist() == [
            float(r.overdue_total) for r in rows]
        with pytest.raises(InvalidTypeError, match=r"'rows\[0\]' must be a loanrules.portfolio.Row"):
            portfolio_frame([("x",)])  # type: ignore[list-item]


class TestTimelineFrame:
    def test_one_row_per_day(self) -> None:
        loan = Loan(TERMS).pay(on=date(2026, 2, 10), amount="100")
        states = loan.timeline(date(2026, 1, 10), date(2026, 4, 30))
        frame = timeline_frame(states)
        assert len(frame) == len(states) == 111
        assert frame["as_of"].tolist() == [s.as_of for s in states]
        assert frame["status"].tolist() == [s.status.value for s in states]
        assert frame["days_past_due"].tolist() == [s.days_past_due for s in states]
        assert frame["overdue_total"].tolist() == [s.overdue.total for s in states]
        assert frame["overdue_penalty"].tolist() == [s.overdue.penalty for s in states]
        assert frame["payoff"].tolist() == [s.payoff for s in states]
        assert frame["principal_outstanding"].tolist() == [s.principal_outstanding for s in states]
        assert [None if v is pd.NA else v for v in frame["next_due_date"]] == [s.next_due_date for s in states]
        assert list(frame.dtypes[["as_of", "status", "days_past_due", "payoff"]]) == [DATE, TEXT, INT, MONEY]

    def test_plots_with_money_float(self) -> None:
        states = Loan(TERMS).timeline(date(2026, 2, 1), date(2026, 2, 20))
        frame = timeline_frame(states, money="float")
        axes = frame.plot(x="as_of", y=["payoff", "overdue_total"], ax=Figure().add_subplot())
        assert axes.get_lines()[0].get_ydata().tolist() == [float(s.payoff) for s in states]

    def test_refuses_a_non_state(self) -> None:
        with pytest.raises(InvalidTypeError, match=r"'states\[1\]' must be a LoanState"):
            timeline_frame([Loan(TERMS).state(date(2026, 2, 1)), None])  # type: ignore[list-item]


class TestDecisionFrame:
    def test_the_trace(self) -> None:
        loan = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
        case = Case(state=loan.state(as_of=date(2026, 2, 20)), timezone="Asia/Shanghai")
        decision = next_step(policies.standard(), case, datetime(2026, 2, 20, 10, 0, tzinfo=SHANGHAI))
        frame = decision_frame(decision)
        assert list(frame.dtypes) == [TEXT, TEXT, TEXT, FLAG]
        assert plain(frame) == [(r["rule"], r["condition"], r["facts_text"], r["result"])
                                for r in decision.to_records()]
        assert len(frame) == len(decision.trace) > 0
        with pytest.raises(InvalidTypeError, match="'decision' must be a Decision"):
            decision_frame(case)  # type: ignore[arg-type]
