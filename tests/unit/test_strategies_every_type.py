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
        assert (state.status, state.payoff, state.principal_outstanding) == (Status.SETTLED, 0, 0)

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

    with pytest.raises(InvalidArgument, match="'severe' is not a stage of policy 'standard'"):
        strategies.cases(stage="severe")
    with pytest.raises(InvalidArgument, match="give a stage too"):
        strategies.cases(policy=policies.standard())


def test_every_strategy_is_in_the_api_reference() -> None:
    """The API reference has a row for every strategy, and no row for one that does not exist."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    section = text.split("## Strategies (`loanrules.strategies`)", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(\w+)\(", section, flags=re.M)
    assert listed == STRATEGIES
