"""The registration of the strategies for :func:`~hypothesis.strategies.from_type`.

:func:`register` is what ``loanrules.strategies._hypothesis_setup_hook``
(the ``hypothesis`` entry point) does once the strategies are all defined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from loanrules.collection import (
    Action,
    AllOf,
    AnyOf,
    Cap,
    Case,
    CollectionPolicy,
    Compare,
    ContactWindow,
    Cooldown,
    Decision,
    Fact,
    Hold,
    Not,
    Outcome,
    Prerequisite,
    Record,
    Stage,
    Step,
    TraceEntry,
)
from loanrules.conventions import BusinessDay, Calendar, Currency, DayCount, Frequency, Outside, Rate
from loanrules.ledger import (
    Allocation,
    Amounts,
    Component,
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Draw,
    Grace,
    InstallmentState,
    LinePayment,
    LinePrepayment,
    LineSettlement,
    Loan,
    LoanState,
    Payment,
    PenaltyBase,
    PenaltyTerms,
    Phase,
    Prepayment,
    PrepaymentTerms,
    PrepayOrder,
    Recast,
    Restructure,
    Settlement,
    Waiver,
)
from loanrules.schedule import Accrual, Installment, LoanTerms, RepaymentMethod, Schedule
from loanrules.strategies._collection import (
    _COMPARISONS,
    actions,
    caps,
    cases,
    collection_policies,
    conditions,
    contact_windows,
    cooldowns,
    decisions,
    facts,
    holds,
    outcomes,
    prerequisites,
    records,
    stages,
    steps,
    trace_entries,
)
from loanrules.strategies._conventions import (
    business_days,
    calendars,
    currencies,
    day_counts,
    frequencies,
    outsides,
    rates,
)
from loanrules.strategies._ledger import (
    _events_of,
    allocations,
    amounts,
    components,
    graces,
    installment_states,
    loan_states,
    loans,
    payments,
    penalty_bases,
    penalty_terms,
    phases,
    prepayment_terms,
    recasts,
)
from loanrules.strategies._line import (
    credit_line_states,
    credit_line_terms,
    credit_lines,
    events_of,
    prepay_orders,
)
from loanrules.strategies._schedule import accruals, installments, loan_terms, repayment_methods, schedules

_REGISTRY: Final[tuple[tuple[type, Callable[[], SearchStrategy[object]]], ...]] = (
    (Currency, currencies),
    (Rate, rates),
    (DayCount, day_counts),
    (Frequency, frequencies),
    (BusinessDay, business_days),
    (Outside, outsides),
    (Calendar, calendars),
    (RepaymentMethod, repayment_methods),
    (Accrual, accruals),
    (LoanTerms, loan_terms),
    (Schedule, schedules),
    (Installment, installments),
    (Component, components),
    (Grace, graces),
    (PenaltyBase, penalty_bases),
    (Recast, recasts),
    (PenaltyTerms, penalty_terms),
    (PrepaymentTerms, prepayment_terms),
    (Allocation, allocations),
    (Loan, loans),
    (LoanState, loan_states),
    (Payment, payments),
    (Waiver, _events_of(Waiver)),
    (Prepayment, _events_of(Prepayment)),
    (Settlement, _events_of(Settlement)),
    (Restructure, _events_of(Restructure)),
    (Action, actions),
    (Outcome, outcomes),
    (Record, records),
    (Case, cases),
    (CollectionPolicy, collection_policies),
    (Amounts, amounts),
    (InstallmentState, installment_states),
    (Phase, phases),
    (Decision, decisions),
    (CreditLineTerms, credit_line_terms),
    (CreditLine, credit_lines),
    (CreditLineState, credit_line_states),
    (PrepayOrder, prepay_orders),
    (Draw, lambda: events_of(Draw)),
    (LinePayment, lambda: events_of(LinePayment)),
    (LinePrepayment, lambda: events_of(LinePrepayment)),
    (LineSettlement, lambda: events_of(LineSettlement)),
    (TraceEntry, trace_entries),
    (Stage, stages),
    (Step, steps),
    (Fact, facts),
    (Hold, holds),
    (Prerequisite, prerequisites),
    (Cap, caps),
    (Cooldown, cooldowns),
    (ContactWindow, contact_windows),
    (Compare, lambda: _COMPARISONS),
    (AllOf, lambda: _branches(AllOf)),
    (AnyOf, lambda: _branches(AnyOf)),
    (Not, lambda: conditions().map(Not)),
)


def _branches(kind: type[AllOf] | type[AnyOf]) -> SearchStrategy[object]:
    return st.lists(conditions(), min_size=1, max_size=3).map(lambda parts: kind(tuple(parts)))


def _lazy(factory: Callable[[], SearchStrategy[object]]) -> Callable[[type], SearchStrategy[object]]:
    # A function, not a strategy, so that nothing is built while Hypothesis is being imported.
    return lambda _type: factory()


def register() -> None:
    """Register every strategy with ``st.register_type_strategy`` (idempotent: a type's entry is replaced)."""
    for kind, factory in _REGISTRY:
        st.register_type_strategy(kind, _lazy(factory))
