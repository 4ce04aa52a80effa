"""Every public type has a registered strategy that draws valid values, and every strategy is aimed as documented.

The public types are walked from the package's faces (``loanrules``,
``loanrules.policy``, ``loanrules.collection``): a type added later without
a strategy fails :func:`test_every_public_type_is_registered`.
"""

from __future__ import annotations

import enum
import inspect
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import loanrules
import loanrules.collection
import loanrules.policy
from loanrules import Amounts, Case, Decision, Status, TraceEntry, next_step, policies, strategies


def public_types() -> list[type]:
    """Every class the faces export, but the errors and the protocols."""
    found: list[type] = []
    for module in (loanrules, loanrules.policy, loanrules.collection):
        for name in module.__all__:
            value = getattr(module, name)
            if (inspect.isclass(value) and not issubclass(value, BaseException)
                    and not getattr(value, "_is_protocol", False) and value not in found):
                found.append(value)
    return found


PUBLIC = public_types()


def check_valid(value: object, kind: type) -> None:
    """``value`` is a valid ``kind``: rebuilt through its validators it is equal; its parts are valid too."""
    assert isinstance(value, kind), (kind, value)
    if isinstance(value, enum.Enum):
        return
    if attrs.has(type(value)):
        assert attrs.evolve(value) == value  # type: ignore[misc]
    if isinstance(value, Amounts):
        for part in value:
            assert type(part) is Decimal, value
            assert part.is_finite(), value
            assert part >= 0, value
    if isinstance(value, TraceEntry):
        assert type(value.rule) is str
        assert value.rule
        assert type(value.condition) is str
        assert value.condition
        assert type(value.result) is bool
    if isinstance(value, Decision):
        assert all(isinstance(entry, TraceEntry) for entry in value.trace)
        if value.not_before is not None:
            assert value.not_before.tzinfo is not None
            assert 2000 <= value.not_before.year <= 2100


def test_the_walk_finds_the_types() -> None:
    """The walk sees the outputs and the policy parts too (a walk that found nothing would prove nothing)."""
    names = {kind.__name__ for kind in PUBLIC}
    assert {"Amounts", "InstallmentState", "Phase", "Decision", "TraceEntry", "Stage", "Step", "Fact", "Cap",
            "Cooldown", "ContactWindow", "Compare", "AllOf", "AnyOf", "Not", "Hold", "Prerequisite",
            "LoanTerms", "Loan", "Case", "CollectionPolicy"} <= names
    assert len(PUBLIC) >= 54


@pytest.mark.parametrize("kind", PUBLIC, ids=lambda kind: kind.__name__)
def test_every_public_type_is_registered(kind: type) -> None:
    """``st.from_type`` of every public type draws valid values (no sNaN, no naive datetime, no ResolutionFailed)."""

    @settings(max_examples=15, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.from_type(kind))
    def drawn(value: object) -> None:
        check_valid(value, kind)

    drawn()


REPLAY_NAMESPACE = (
    "from loanrules import *\n"
    "from loanrules.policy import *\n"
    "import datetime, zoneinfo\n"
    "from decimal import Decimal\n"
)
"""What a user pastes above a failing example: the reprs of every public value evaluate in it."""


def replay(value: object) -> object:
    namespace: dict[str, Any] = {}
    exec(REPLAY_NAMESPACE, namespace)
    return eval(repr(value), namespace)


@pytest.mark.parametrize("kind", PUBLIC, ids=lambda kind: kind.__name__)
def test_every_public_value_repr_replays(kind: type) -> None:
    """``eval(repr(x)) == x`` for drawn values of every public type, in the namespace a test file has."""

    @settings(max_examples=15, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.from_type(kind))
    def drawn(value: object) -> None:
        back = replay(value)
        assert type(back) is type(value)
        assert back == value

    drawn()


class TestReprsShowWhatMatters:
    """Only the fields that differ from their defaults; built-in calendars by name; states by their loan and day."""

    def test_defaults_left_out(self) -> None:
        terms = loanrules.LoanTerms(principal="1000", rate=loanrules.Rate.annual("0.049"), term=12,
                                    start=date(2026, 1, 10))
        assert repr(terms) == (
            "LoanTerms(principal=Decimal('1000.00'), rate=Rate.annual('0.049'), term=12, "
            "start=datetime.date(2026, 1, 10))")
        assert repr(loanrules.PenaltyTerms(markup="1")) == "PenaltyTerms(markup=Decimal('1'))"
        assert repr(loanrules.Loan(terms)) == f"Loan(terms={terms!r})"

    def test_a_state_shows_its_loan_and_day(self) -> None:
        terms = loanrules.LoanTerms(principal="300", rate=loanrules.Rate.annual(0), term=3, start=date(2026, 1, 1))
        loan = loanrules.Loan(terms).pay(date(2026, 2, 1), "100")
        state = loan.state(date(2026, 3, 5))
        assert repr(state) == f"{loan!r}.state(datetime.date(2026, 3, 5))"
        assert "rows" not in repr(state)
        assert replay(state) == state
        by_hand = attrs.evolve(state, loan=None)
        assert repr(by_hand).startswith("LoanState(as_of=datetime.date(2026, 3, 5), days_past_due=4, ")
        assert "rows=((1, datetime.date(2026, 2, 1), Decimal('100.00')" in repr(by_hand)
        assert replay(by_hand) == state

    def test_calendars(self) -> None:
        assert repr(loanrules.CHINA) == "CHINA"
        assert repr(loanrules.WEEKENDS.with_outside(loanrules.Outside.WEEKENDS_ONLY)) == (
            "WEEKENDS.with_outside(Outside.WEEKENDS_ONLY)")
        extended = loanrules.CHINA.with_year(2027, [date(2027, 1, 1)])
        assert repr(extended).startswith("Calendar.from_dates('CHINA', holidays=[datetime.date(2004, 1, 1), ")
        assert replay(extended) == extended

    def test_a_schedule_is_its_build(self) -> None:
        terms = loanrules.LoanTerms(principal="300", rate=loanrules.Rate.annual(0), term=3, start=date(2026, 1, 1))
        schedule = loanrules.build_schedule(terms)
        assert repr(schedule) == f"build_schedule({terms!r})"
        edited = loanrules.Schedule(terms=terms, installments=schedule.installments[:2])
        assert repr(edited).startswith(f"Schedule(terms={terms!r}, installments=(Installment(number=1, ")
        assert replay(edited) == edited


STRATEGIES = sorted(strategies.__all__)


@pytest.mark.parametrize("name", STRATEGIES)
def test_every_strategy_draws_and_shows_its_call(name: str) -> None:
    """Every strategy can be called with no arguments, shows ``name()`` as its repr, and draws."""
    strategy = getattr(strategies, name)()
    assert isinstance(strategy, SearchStrategy)
    assert repr(strategy) == f"{name}()"

    @settings(max_examples=5, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(strategy)
    def drawn(value: object) -> None:
        assert value is not None

    drawn()


def test_a_strategy_shows_its_arguments() -> None:
    """The repr of an aimed strategy is the call that made it."""
    assert repr(strategies.loan_terms(term=st.integers(1, 36))) == (
        "loan_terms(term=integers(min_value=1, max_value=36))")
    assert repr(strategies.loan_states(status=Status.OVERDUE, min_days_past_due=30)) == (
        "loan_states(status=Status.OVERDUE, min_days_past_due=30)")


class TestAimedStates:
    @settings(max_examples=40)
    @given(strategies.loan_states(status=Status.OVERDUE, min_days_past_due=30, max_days_past_due=89))
    def test_overdue_in_a_dpd_range(self, state: loanrules.LoanState) -> None:
        assert state.status is Status.OVERDUE
        assert 30 <= state.days_past_due <= 89

    @settings(max_examples=40)
    @given(strategies.loan_states(status=Status.GRACE))
    def test_in_grace(self, state: loanrules.LoanState) -> None:
        assert state.status is Status.GRACE
        assert state.days_past_due >= 1

    @settings(max_examples=40)
    @given(strategies.loan_states(status=Status.SETTLED))
    def test_settled(self, state: loanrules.LoanState) -> None:
        assert (state.status, state.payoff, state.principal_outstanding) == (Status.SETTLED, Decimal(0), Decimal(0))

    @settings(max_examples=40)
    @given(strategies.loan_states(status=Status.CURRENT))
    def test_current(self, state: loanrules.LoanState) -> None:
        assert (state.status, state.days_past_due) == (Status.CURRENT, 0)

    @settings(max_examples=40)
    @given(strategies.loan_states(loan=strategies.loans(), status=Status.OVERDUE, min_days_past_due=20,
                                  max_days_past_due=200))
    def test_loans_with_histories_too(self, state: loanrules.LoanState) -> None:
        """Loans with histories: the day is found after the last event (one already settled is skipped)."""
        assert state.status is Status.OVERDUE
        assert 20 <= state.days_past_due <= 200

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"status": Status.SETTLED, "min_days_past_due": 3}, "has no days past due"),
            ({"min_days_past_due": 9, "max_days_past_due": 3}, "must be <= max_days_past_due=3"),
            ({"status": Status.OVERDUE, "max_days_past_due": 0}, "needs max_days_past_due >= 1"),
            ({"status": "overdue"}, "must be a Status or None"),
            ({"status": Status.GRACE, "as_of": date(2026, 1, 1)}, "give one or the other"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any], message: str) -> None:
        from hypothesis.errors import InvalidArgument

        with pytest.raises(InvalidArgument, match=message):
            strategies.loan_states(**kwargs)


STAGES = [(policy, stage.name) for policy in (policies.standard(), policies.us_reg_f()) for stage in policy.stages]


@pytest.mark.parametrize(("policy", "stage"), STAGES, ids=[f"{p.name}-{s}" for p, s in STAGES])
def test_cases_in_a_stage(policy: loanrules.CollectionPolicy, stage: str) -> None:
    """``cases(stage=..., policy=...)`` draws cases the engine places in that stage, at any moment of their day."""

    @settings(max_examples=15, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(strategies.cases(stage=stage, policy=policy), st.integers(0, 86_399))
    def drawn(case: Case, second: int) -> None:
        zone = ZoneInfo(case.timezone)
        start = datetime.combine(case.state.as_of, datetime.min.time(), tzinfo=zone)
        now = min(start + timedelta(seconds=second), datetime.combine(case.state.as_of, datetime.max.time(), tzinfo=zone))
        assert next_step(policy, case, now).stage == stage

    drawn()


def test_cases_stage_arguments() -> None:
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match="state is chosen by stage: give one or the other"):
        strategies.cases(stage="early", state=strategies.loan_states())
    with pytest.raises(InvalidArgument, match="policy='standard' must be a CollectionPolicy"):
        strategies.cases(stage="early", policy="standard")  # type: ignore[arg-type]

    with pytest.raises(InvalidArgument, match="'severe' is not a stage of policy 'standard'"):
        strategies.cases(stage="severe")
    with pytest.raises(InvalidArgument, match="give a stage too"):
        strategies.cases(policy=policies.standard())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"principal": Decimal(5000), "min_principal": 1000}, "bound the drawn principal: not with principal"),
        ({"min_principal": 0}, r"min_principal=Decimal\('0'\) must be > 0"),
        ({"min_principal": 900, "max_principal": 100}, r"must be <= max_principal=Decimal\('100'\)"),
        ({"min_principal": "0.001", "max_principal": "0.009", "currency": loanrules.CNY}, r"no amount of CNY lies in \[0.001, 0.009\]"),
    ],
)
def test_loan_terms_principal_bounds_are_checked(kwargs: dict[str, Any], message: str) -> None:
    """Bounds on the principal are checked when the strategy is made, not at draw time."""
    from hypothesis.errors import InvalidArgument

    with pytest.raises(InvalidArgument, match=message):
        strategies.loan_terms(**kwargs)


@settings(max_examples=30, database=None)
@given(strategies.loan_terms(min_principal=1000, max_principal=2000))
def test_loan_terms_principal_bounds_hold_for_any_currency(terms: loanrules.LoanTerms) -> None:
    assert 1000 <= terms.principal <= 2000


def test_every_strategy_is_in_the_api_reference() -> None:
    """The API reference has a row for every strategy, and no row for one that does not exist."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    section = text.split("## Strategies (`loanrules.strategies`)", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)\(", section, flags=re.M)
    assert listed == STRATEGIES
