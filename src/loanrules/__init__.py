"""loanrules: immutable loans, schedules and collection policies, with a rules engine.

>>> import loanrules
>>> from datetime import date
>>> terms = loanrules.LoanTerms(principal="1000000", rate=loanrules.Rate.annual("0.049"),
...     term=360, method=loanrules.RepaymentMethod.ANNUITY, start=date(2026, 1, 15))
>>> loanrules.build_schedule(terms)[0].payment
Decimal('5307.27')

The package has no I/O, no clock and no global state: every date and
moment is an argument. ``loanrules.strategies`` (Hypothesis) and
``loanrules.cli`` are not imported here.
"""

from . import calendars, policies
from .collection import (
    Action,
    Case,
    CollectionPolicy,
    Decision,
    DecisionStatus,
    Outcome,
    Record,
    TraceEntry,
    next_step,
)
from .conventions import (
    ALL_DAYS,
    CHINA,
    CNY,
    EUR,
    JPY,
    USD,
    WEEKENDS,
    BusinessDay,
    Calendar,
    Currency,
    DayCount,
    Frequency,
    Outside,
    Projection,
    Rate,
)
from .errors import (
    CalendarCoverageError,
    InvalidDataError,
    InvalidPolicyError,
    InvalidTermsError,
    InvalidTypeError,
    InvalidValueError,
    LoanRulesError,
    RefusedEventError,
)
from .ledger import (
    Allocation,
    Amounts,
    Component,
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Draw,
    Event,
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
    Status,
    Waiver,
    apr,
)
from .schedule import Accrual, Installment, LoanTerms, RepaymentMethod, Schedule, build_schedule

__version__ = "0.1.0.dev0"
"""The version (the build reads it from here: ``[tool.hatch.version]`` in pyproject.toml)."""

__all__ = [
    # conventions
    "ALL_DAYS",
    "CHINA",
    "CNY",
    "EUR",
    "JPY",
    "USD",
    "WEEKENDS",
    "BusinessDay",
    "Calendar",
    "Currency",
    "DayCount",
    "Frequency",
    "Outside",
    "Projection",
    "Rate",
    "calendars",
    # errors
    "CalendarCoverageError",
    "InvalidDataError",
    "InvalidPolicyError",
    "InvalidTermsError",
    "InvalidTypeError",
    "InvalidValueError",
    "LoanRulesError",
    "RefusedEventError",
    # schedules
    "Accrual",
    "Installment",
    "LoanTerms",
    "RepaymentMethod",
    "Schedule",
    "build_schedule",
    # ledger
    "Allocation",
    "Amounts",
    "Component",
    "CreditLine",
    "CreditLineState",
    "CreditLineTerms",
    "Draw",
    "Event",
    "Grace",
    "InstallmentState",
    "LinePayment",
    "LinePrepayment",
    "LineSettlement",
    "Loan",
    "LoanState",
    "Payment",
    "PenaltyBase",
    "PenaltyTerms",
    "Phase",
    "Prepayment",
    "PrepaymentTerms",
    "PrepayOrder",
    "Recast",
    "Restructure",
    "Settlement",
    "Status",
    "Waiver",
    "apr",
    # collections
    "Action",
    "Case",
    "CollectionPolicy",
    "Decision",
    "DecisionStatus",
    "Outcome",
    "Record",
    "TraceEntry",
    "next_step",
    "policies",
    # metadata
    "__version__",
]
