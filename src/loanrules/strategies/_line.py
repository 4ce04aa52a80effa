"""Strategies for credit lines (随借随还): their terms, lines with histories of draws and payments, their events
and states."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import EllipsisType
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from loanrules.conventions import Rate
from loanrules.errors import RefusedEventError
from loanrules.ledger import (
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Draw,
    LinePayment,
    LinePrepayment,
    LineSettlement,
    PrepayOrder,
    Status,
)
from loanrules.schedule import RepaymentMethod
from loanrules.strategies._validation import _arg, _int, described

__all__ = ["credit_line_states", "credit_line_terms", "credit_lines", "line_events", "prepay_orders"]

_START: Final = date(2024, 1, 1)


@described
def prepay_orders() -> SearchStrategy[PrepayOrder]:
    """A strategy for :class:`~loanrules.PrepayOrder` members; shrinks towards ``COSTLIEST``."""
    return st.sampled_from(PrepayOrder)


@st.composite
def _terms(draw: Any) -> CreditLineTerms:
    basis = draw(st.sampled_from((365, 360)))
    daily = Decimal(draw(st.integers(min_value=1, max_value=6))).scaleb(-4)  # 万分之一 to 万分之六 a day
    limit = Decimal(draw(st.sampled_from((5_000, 20_000, 50_000, 200_000))))
    return CreditLineTerms(
        limit=limit, rate=Rate.daily(daily, basis=basis), basis=basis,
        repayment_day=draw(st.integers(min_value=1, max_value=28)),
        suspend_after_dpd=draw(st.sampled_from((0, 7, 30))), prepay_order=draw(prepay_orders()))


@described
def credit_line_terms() -> SearchStrategy[CreditLineTerms]:
    """A strategy for line terms: limits 5,000 to 200,000 CNY, 0.01 % to 0.06 % a day (basis 365 or 360),
    any repayment day, draws of 1, 3, 6 or 12 months by any method, suspension at any overdue, 7 or 30 days.

    Examples shrink towards a 5,000 limit at 0.01 % a day on the 1st, basis 365.
    """
    return _terms()


@st.composite
def _lines(draw: Any, terms: SearchStrategy[CreditLineTerms], max_events: int) -> CreditLine:
    line = CreditLine(draw(terms))
    day = _START + timedelta(days=draw(st.integers(min_value=0, max_value=700)))
    for _ in range(draw(st.integers(min_value=0, max_value=max_events))):
        day += timedelta(days=draw(st.integers(min_value=0, max_value=45)))
        state = line.state(day)
        # A line's history starts with a draw: nothing else can happen before one.
        kind = draw(st.sampled_from(("draw", "pay", "pay", "draw", "prepay", "settle"))) if line.loans else "draw"
        try:
            if kind == "draw" and state.available >= 100 and not state.suspended:
                amount = Decimal(draw(st.integers(min_value=100, max_value=int(state.available))))
                line = line.draw(day, amount, draw(st.sampled_from(line.terms.draw_terms)),
                                 draw(st.sampled_from(sorted(line.terms.methods, key=lambda m: m.value))))
            elif kind == "pay" and state.payoff > 0:
                owed = [state.due_now.total, state.payoff, state.next_due_amount]
                amount = draw(st.sampled_from([a for a in owed if a > 0]) |
                              st.integers(min_value=1, max_value=int(state.payoff) + 1).map(Decimal))
                named = draw(st.none() | st.integers(min_value=1, max_value=len(line.loans)))
                if named is not None and state.draws and line.loans[named - 1].terms.start <= day and \
                        line.loans[named - 1].state(day).status is not Status.SETTLED:
                    line = line.pay(day, amount, draw=named)
                else:
                    line = line.pay(day, amount)
            elif kind == "prepay" and state.payoff > 0:
                live = [i for i, s in enumerate(state.draws) if s.status is not Status.SETTLED]
                if live:
                    k = draw(st.sampled_from(live))
                    owing = state.draws[k]
                    extra = draw(st.integers(min_value=1, max_value=max(1, int(owing.principal_outstanding))))
                    line = line.prepay(day, owing.due_now.total + Decimal(extra), draw=k + 1)
            elif kind == "settle" and state.payoff > 0:
                live = [i + 1 for i, s in enumerate(state.draws) if s.status is not Status.SETTLED]
                line = line.settle(day, draw=draw(st.sampled_from([None, *live])))
        except RefusedEventError:  # a prepayment rule of a draw said no: the line keeps its history
            continue
    return line


@described
def credit_lines(*, terms: CreditLineTerms | SearchStrategy[CreditLineTerms] | EllipsisType = ...,
                 max_events: int = 8) -> SearchStrategy[CreditLine]:
    """A strategy for credit lines with histories of draws, payments (to a draw or split) and payoffs,
    recorded in date order through the line's methods (each accepted when recorded).

    Args:
        terms: Line terms or a strategy of them; ``...`` draws :func:`credit_line_terms`.
        max_events: The most events (0 to 50); 8 by default.
    """
    _int("credit_lines", "max_events", max_events, 0, 50)
    chosen = _arg("credit_lines", "terms", terms, CreditLineTerms, credit_line_terms)
    return _lines(chosen, max_events)


_DAYS: Final = st.integers(min_value=0, max_value=3_650).map(lambda k: _START + timedelta(days=k))
_AMOUNTS: Final = st.integers(min_value=1, max_value=200_000).map(Decimal)
_DRAW_NUMBERS: Final = st.integers(min_value=1, max_value=5)


@described
def line_events() -> SearchStrategy[Draw | LinePayment | LinePrepayment | LineSettlement]:
    """A strategy for single line events: draws, payments (to a draw or not), prepayments and payoffs.

    Valid values; whether a given line accepts one depends on the line (lines
    from :func:`credit_lines` hold only events they accepted).
    """
    return st.one_of(
        st.builds(Draw, _DAYS, _AMOUNTS, st.sampled_from((1, 3, 6, 12)), st.sampled_from(RepaymentMethod)),
        st.builds(LinePayment, _DAYS, _AMOUNTS, st.none() | _DRAW_NUMBERS),
        st.builds(LinePrepayment, _DAYS, _AMOUNTS, _DRAW_NUMBERS),
        st.builds(LineSettlement, _DAYS, st.none() | _DRAW_NUMBERS),
    )


@described
def credit_line_states() -> SearchStrategy[CreditLineState]:
    """A strategy for line states: a drawn line read on a day from its start to a year after its last event."""
    def states(line: CreditLine) -> SearchStrategy[CreditLineState]:
        first = line.events[0].on if line.events else _START
        last = line.events[-1].on if line.events else _START
        return st.integers(min_value=0, max_value=(last - first).days + 365).map(
            lambda k: line.state(first + timedelta(days=k)))

    return credit_lines().flatmap(states)


def events_of(kind: type) -> SearchStrategy[Any]:
    """Line events of one kind (for ``st.from_type``)."""
    return line_events().filter(lambda e: type(e) is kind)
