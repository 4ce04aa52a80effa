"""Hypothesis strategies for every public type of the conventions, schedule, ledger and policy layers.

Each factory returns a :class:`~hypothesis.strategies.SearchStrategy` of
*valid* values only, takes keyword-only arguments that accept a strategy
or a plain value, and checks its arguments when it is called rather than
when the first example is drawn:

>>> from hypothesis import find, settings, strategies as st
>>> from loanrules import JPY, LoanTerms, RepaymentMethod
>>> from loanrules.strategies import loan_terms, money
>>> money(currency=JPY, min_value="0.1", max_value="0.9")
Traceback (most recent call last):
...
hypothesis.errors.InvalidArgument: money(): no amount of JPY lies in [0.1, 0.9]

Importing this module, or merely having loanrules installed (through its
``hypothesis`` entry point), registers the strategies for
:func:`~hypothesis.strategies.from_type`: ``st.from_type(LoanTerms)``, and
``st.builds`` of a function whose parameters are annotated with these types,
draw valid values. Examples shrink towards the plainest loan: a one-period
1.00 CNY monthly annuity at 0 % starting 2000-01-01.

Loans (:func:`loans`) come with histories of payments, waivers,
prepayments, settlements and restructures, recorded through the
:class:`~loanrules.Loan` methods on days the loan accepts them, so each
event was valid when it was recorded and none is filtered away.

>>> terms = find(st.from_type(LoanTerms), lambda t: t.term >= 12, settings=settings(database=None))
>>> terms.term, terms.principal, terms.method is RepaymentMethod.ANNUITY
(12, Decimal('1.00'), True)

Collections have their strategies too: :func:`records` and
:func:`histories` of collection steps at timezone-aware moments
(:func:`aware_datetimes`, which now and then fall right by a daylight-saving
transition), :func:`cases` to decide on, and :func:`collection_policies`: the
two presets and small random policies that pass validation.

Needs the ``hypothesis`` extra: ``pip install "loanrules[hypothesis]"``.
"""

from __future__ import annotations

# The strategies live in private modules, one a layer (as Hypothesis' ``strategies/_internal/``):
# _validation (argument checks), _conventions, _schedule, _ledger, _collection, and _register
# (the ``st.from_type`` registry). This face re-exports them.
from loanrules.strategies import _register
from loanrules.strategies._collection import (
    actions,
    aware_datetimes,
    caps,
    cases,
    collection_policies,
    conditions,
    contact_windows,
    cooldowns,
    decisions,
    facts,
    histories,
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
    money,
    outsides,
    rates,
)
from loanrules.strategies._ledger import (
    allocations,
    amounts,
    components,
    events,
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
    line_events,
    prepay_orders,
)
from loanrules.strategies._schedule import (
    accruals,
    installments,
    loan_terms,
    repayment_methods,
    schedules,
)

__all__ = [
    "accruals",
    "actions",
    "allocations",
    "amounts",
    "aware_datetimes",
    "business_days",
    "calendars",
    "caps",
    "cases",
    "collection_policies",
    "components",
    "conditions",
    "contact_windows",
    "cooldowns",
    "credit_line_states",
    "credit_line_terms",
    "credit_lines",
    "currencies",
    "day_counts",
    "decisions",
    "events",
    "facts",
    "frequencies",
    "graces",
    "histories",
    "holds",
    "installment_states",
    "installments",
    "line_events",
    "loan_states",
    "loan_terms",
    "loans",
    "money",
    "outcomes",
    "outsides",
    "payments",
    "penalty_bases",
    "penalty_terms",
    "phases",
    "prepay_orders",
    "prepayment_terms",
    "prerequisites",
    "rates",
    "recasts",
    "records",
    "repayment_methods",
    "schedules",
    "stages",
    "steps",
    "trace_entries",
]

# Two helpers the unit tests call through this module.
from loanrules.strategies._collection import _transitions as _transitions
from loanrules.strategies._ledger import _prepayable as _prepayable

for _name in __all__:  # their public home, for reprs, pickles and the docs
    globals()[_name].__module__ = __name__
del _name



def _hypothesis_setup_hook() -> None:
    """Register the strategies with ``st.register_type_strategy`` (idempotent).

    Importing this package calls it. Hypothesis' ``hypothesis`` entry point
    is the small module ``_loanrules_hypothesis`` outside the package, which
    imports this package once loanrules itself is imported.

    >>> from hypothesis import strategies as st
    >>> from loanrules import Frequency
    >>> _hypothesis_setup_hook()
    >>> st.from_type(Frequency).validate()
    """
    _register.register()


_hypothesis_setup_hook()
