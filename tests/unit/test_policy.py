"""Unit tests of collection policies as data: round trips, TOML, and refusals that name the path."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import loanrules as lr
from loanrules.policy import (
    TRUE,
    Action,
    All,
    Cap,
    CollectionPolicy,
    Compare,
    ContactWindow,
    Cooldown,
    Fact,
    FactName,
    Hold,
    Not,
    Op,
    Outcome,
    Prerequisite,
    Record,
    Stage,
    Step,
)

STANDARD = lr.policies.standard()


def base() -> dict[str, Any]:
    return copy.deepcopy(STANDARD.to_dict())


def refused(data: dict[str, Any]) -> lr.InvalidPolicyError:
    with pytest.raises(lr.InvalidPolicyError) as info:
        CollectionPolicy.from_dict(data)
    return info.value


class TestRoundTrip:
    @pytest.mark.parametrize("policy", [lr.policies.standard(), lr.policies.us_reg_f()])
    def test_dict_round_trip(self, policy: CollectionPolicy) -> None:
        """from_dict(to_dict(p)) == p for both presets."""
        assert CollectionPolicy.from_dict(policy.to_dict()) == policy

    def test_docs_toml_is_the_standard_policy(self) -> None:
        """The TOML shown in the how-to reads to exactly the standard policy."""
        text = (Path(__file__).parents[2] / "docs" / "how-to" / "standard-policy.toml").read_text(encoding="utf-8")
        assert CollectionPolicy.from_toml(text) == STANDARD

    def test_standard_policy_shape(self) -> None:
        """The standard policy has DESIGN.md's stages, holds and constraints."""
        assert [s.name for s in STANDARD.stages] == ["pre_due", "early", "formal", "enforcement"]
        assert [h.name for h in STANDARD.holds] == ["open dispute", "cease request", "restructure plan being kept"]
        window = STANDARD.constraints[0]
        assert isinstance(window, ContactWindow)
        assert (window.start, window.end) == (time(8), time(22))
        caps = [(c.limit, c.counting.value) for c in STANDARD.constraints if isinstance(c, Cap)]
        assert caps == [(3, "reached"), (6, "attempts"), (1, "attempts"), (1, "attempts")]

    def test_decimal_values_survive(self) -> None:
        """A Decimal threshold round-trips as a string."""
        data = base()
        data["stages"][3]["entry"] = {"all": [{"fact": "dpd", "op": ">=", "value": 90},
                                               {"fact": "overdue_amount", "op": ">", "value": "100.50"}]}
        policy = CollectionPolicy.from_dict(data)
        entry = policy.stages[3].entry
        assert isinstance(entry, All)
        assert entry.conditions[1] == Compare(Fact(name=FactName.OVERDUE_AMOUNT), Op.GT, Decimal("100.50"))
        assert CollectionPolicy.from_dict(policy.to_dict()) == policy


class TestRefusals:
    def test_unknown_fact(self) -> None:
        """An unknown fact names its path."""
        data = base()
        data["stages"][1]["entry"]["all"][0]["fact"] = "days_late"
        assert refused(data).path == "stages[1].entry.all[0].fact"

    def test_same_entry_twice(self) -> None:
        """Two stages with the same entry overlap: the earlier is never chosen."""
        data = base()
        data["stages"][2]["entry"] = data["stages"][1]["entry"]
        assert refused(data).path == "stages[2].entry"

    def test_unreachable_stage(self) -> None:
        """A stage whose entry always implies a later stage's is unreachable."""
        data = base()
        data["stages"][1]["entry"] = {"fact": "dpd", "op": ">=", "value": 100}
        error = refused(data)
        assert (error.path, "unreachable" in error.detail) == ("stages[1].entry", True)

    def test_cap_of_minus_one(self) -> None:
        """A cap of -1 is refused at its path."""
        data = base()
        data["constraints"][1]["limit"] = -1
        assert refused(data).path == "constraints[1].limit"

    def test_window_ending_before_it_starts(self) -> None:
        """A window from 22:00 to 08:00 is refused."""
        data = base()
        data["constraints"][0]["start"], data["constraints"][0]["end"] = "22:00", "08:00"
        assert refused(data).path == "constraints[0].end"

    def test_prerequisite_naming_a_step_no_stage_takes(self) -> None:
        """A prerequisite supplied by a step no ladder has is refused."""
        data = base()
        data["stages"][3]["prerequisites"][0]["supply"] = "email"
        data["stages"][2]["ladder"] = [s for s in data["stages"][2]["ladder"] if s["action"] != "email"]
        assert refused(data).path == "stages[3].prerequisites[0].supply"

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            (lambda d: d.update(stages=[]), "stages"),
            (lambda d: d.update(name=""), "name"),
            (lambda d: d.update(colour="red"), "colour"),
            (lambda d: d["stages"][0].update(ladder=[{"action": "shout"}]), "stages[0].ladder[0].action"),
            (lambda d: d["stages"][0]["entry"]["all"][0].update(op="=>"), "stages[0].entry.all[0].op"),
            (lambda d: d["stages"][0]["entry"]["all"][0].update(value="many"), "stages[0].entry.all[0].value"),
            (lambda d: d["holds"][0]["when"].update(value=1), "holds[0].when.value"),
            (lambda d: d["constraints"][0].update(type="quiet"), "constraints[0].type"),
            (lambda d: d["constraints"][0].update(start="8am"), "constraints[0].start"),
            (lambda d: d["stages"][1].update(name="pre_due"), "stages[1].name"),
            (lambda d: d["stages"][0]["ladder"][0].update(max_times=0), "stages[0].ladder[0].max_times"),
            (lambda d: d["stages"][3]["entry"].update(within_days=3), "stages[3].entry"),
            (lambda d: d["constraints"][4].update(actions=["fax"]), "constraints[4].actions[0]"),
            (lambda d: d["constraints"].append({"type": "cooldown", "actions": ["call"], "after": ["call"],
                                                "days": 0}), "constraints[5].days"),
        ],
    )
    def test_bad_fields(self, change: Any, path: str) -> None:
        """Each bad field is refused with its path."""
        data = base()
        change(data)
        assert refused(data).path == path

    def test_far_threshold_is_reachable(self) -> None:
        """A single stage entered at DPD >= 1000 is reachable (thresholds are checked where they lie)."""
        policy = CollectionPolicy.from_dict({"name": "late", "stages": [
            {"name": "very_late", "entry": {"fact": "dpd", "op": ">=", "value": 1000},
             "ladder": [{"action": "letter"}]}]})
        assert policy.stages[0].name == "very_late"

    def test_never_holding_entry_is_unreachable(self) -> None:
        """An entry that can never hold is refused."""
        data = base()
        data["stages"][0]["entry"] = {"all": [{"fact": "dpd", "op": ">", "value": 5},
                                               {"fact": "dpd", "op": "<", "value": 3}]}
        assert refused(data).path == "stages[0].entry"

    def test_lists_become_tuples(self) -> None:
        """A policy built in code from lists and sets is a hashable value equal to one built from tuples."""
        listed = CollectionPolicy(name="l", stages=[Stage(name="late", entry=All([Compare(Fact(name=FactName.DPD),
                                  Op.GE, 1)]), ladder=[Step(action=Action.CALL)])],
                                  constraints=[Cap(actions={Action.CALL}, limit=2)])
        tupled = CollectionPolicy(name="l", stages=(Stage(name="late", entry=All((Compare(Fact(name=FactName.DPD),
                                  Op.GE, 1),)), ladder=(Step(action=Action.CALL),)),),
                                  constraints=(Cap(actions=frozenset({Action.CALL}), limit=2),))
        assert listed == tupled
        assert hash(listed) == hash(tupled)

    def test_docs_page_shows_the_standard_toml(self) -> None:
        """The TOML pasted into the how-to page is the standard policy's, to the letter."""
        page = (Path(__file__).parents[2] / "docs" / "how-to" / "policy-toml.md").read_text(encoding="utf-8")
        assert lr.policies.STANDARD_TOML.strip() in page

    def test_bad_toml(self) -> None:
        """TOML that does not parse is refused with the parser's message."""
        with pytest.raises(lr.InvalidPolicyError, match="<toml>"):
            CollectionPolicy.from_toml("name = ")

    def test_in_code_construction_is_validated(self) -> None:
        """A part built in code is validated when it is made: a window that ends before it starts."""
        with pytest.raises(lr.InvalidValueError, match="'end' must be after start") as info:
            ContactWindow(start=time(20), end=time(8))
        assert (info.value.field, info.value.value) == ("end", time(8))
        assert Not(TRUE).text == "not true"


class TestRecords:
    def test_promise_needs_a_date(self) -> None:
        """A PROMISED record must carry the promised date."""
        with pytest.raises(lr.InvalidValueError, match="'promise_date'"):
            Record(at=datetime(2026, 3, 1, tzinfo=UTC), action=Action.CALL, outcome=Outcome.PROMISED)

    def test_promise_amount_is_money(self) -> None:
        """A promised amount is read like any amount: a string is fine, a negative one refused."""
        when = datetime(2026, 3, 1, tzinfo=UTC)
        promised = Record(at=when, action=Action.CALL, outcome=Outcome.PROMISED, promise_amount="106.67",
                          promise_date=date(2026, 3, 5))
        assert promised.promise_amount == Decimal("106.67")
        with pytest.raises(lr.InvalidValueError, match="'promise_amount'"):
            Record(at=when, action=Action.CALL, outcome=Outcome.PROMISED, promise_amount="-5",
                   promise_date=date(2026, 3, 5))

    def test_naive_time_refused(self) -> None:
        """A record's time must be timezone-aware."""
        with pytest.raises(lr.InvalidValueError, match="'at'"):
            Record(at=datetime(2026, 3, 1), action=Action.CALL, outcome=Outcome.NO_ANSWER)  # noqa: DTZ001

    def test_case_needs_a_real_zone(self) -> None:
        """An unknown time zone name is refused."""
        state = lr.Loan(lr.LoanTerms(principal="100", rate=lr.Rate.annual(0), term=1,
                                     start=date(2026, 1, 1))).state(as_of=date(2026, 1, 2))
        with pytest.raises(lr.InvalidValueError, match="'timezone'"):
            lr.Case(state=state, timezone="Mars/Olympus")


def _stage(**overrides: Any) -> Stage:
    fields: dict[str, Any] = {"name": "late", "entry": Compare(Fact(name=FactName.DPD), Op.GE, 1),
                              "ladder": (Step(action=Action.CALL),)}
    fields.update(overrides)
    return Stage(**fields)


def _policy(**overrides: Any) -> CollectionPolicy:
    fields: dict[str, Any] = {"name": "p", "stages": (_stage(),)}
    fields.update(overrides)
    return CollectionPolicy(**fields)


class TestInCodeRefusals:
    @pytest.mark.parametrize(
        ("build", "path"),
        [
            (lambda: _policy(name=""), "name"),
            (lambda: _policy(stages=()), "stages"),
            (lambda: _policy(holds=("hold",)), "holds[0]"),
            (lambda: _policy(stages=("stage",)), "stages[0]"),
            (lambda: _policy(stages=(_stage(ladder=()),)), "stages[0].ladder"),
            (lambda: _policy(constraints=("quiet hours",)), "constraints[0]"),
        ],
    )
    def test_refused_with_path(self, build: Any, path: str) -> None:
        """A policy built in code from bad parts is refused with the path of the bad part."""
        with pytest.raises(lr.InvalidPolicyError) as info:
            build()
        assert info.value.path == path

    @pytest.mark.parametrize(
        ("build", "error", "field"),
        [
            (lambda: _stage(name=""), lr.InvalidValueError, "name"),
            (lambda: Step(action=Action.NONE), lr.InvalidValueError, "action"),
            (lambda: Step(action="call"), lr.InvalidTypeError, "action"),
            (lambda: Step(action=Action.CALL, within_days=0), lr.InvalidValueError, "within_days"),
            (lambda: Step(action=Action.CALL, max_times=True), lr.InvalidTypeError, "max_times"),
            (lambda: Step(action=Action.CALL, when="dpd >= 1"), lr.InvalidTypeError, "when"),
            (lambda: _stage(prerequisites=("letter",)), lr.InvalidTypeError, "prerequisites"),
            (lambda: _stage(entry="dpd >= 1"), lr.InvalidTypeError, "entry"),
            (lambda: _stage(ladder="call"), lr.InvalidTypeError, "ladder"),
            (lambda: Compare("dpd", Op.GE, 1), lr.InvalidTypeError, "fact"),
            (lambda: Compare(Fact(name=FactName.DPD), ">=", 1), lr.InvalidTypeError, "op"),
            (lambda: Compare(Fact(name=FactName.SETTLED), Op.GE, True), lr.InvalidValueError, "op"),
            (lambda: Compare(Fact(name=FactName.SETTLED), Op.EQ, 1), lr.InvalidTypeError, "value"),
            (lambda: Compare(Fact(name=FactName.DPD), Op.GE, True), lr.InvalidTypeError, "value"),
            (lambda: Compare(Fact(name=FactName.DPD), Op.GE, 1.5), lr.InvalidTypeError, "value"),
            (lambda: Compare(Fact(name=FactName.DPD), Op.GE, Decimal("NaN")), lr.InvalidValueError, "value"),
            (lambda: Not("dpd >= 1"), lr.InvalidTypeError, "condition"),
            (lambda: All(["dpd >= 1"]), lr.InvalidTypeError, "conditions[0]"),
            (lambda: All("dpd"), lr.InvalidTypeError, "conditions"),
            (lambda: ContactWindow(start="08:00", end=time(22)), lr.InvalidTypeError, "start"),
            (lambda: ContactWindow(start=time(8), end=time(22, tzinfo=UTC)), lr.InvalidValueError, "end"),
            (lambda: ContactWindow(start=time(8), end=time(8)), lr.InvalidValueError, "end"),
            (lambda: ContactWindow(start=time(8), end=time(22), actions=()), lr.InvalidValueError, "actions"),
            (lambda: ContactWindow(start=time(8), end=time(22), actions=["call"]), lr.InvalidTypeError, "actions"),
            (lambda: Cap(actions={Action.CALL}, limit=-1), lr.InvalidValueError, "limit"),
            (lambda: Cap(actions={Action.CALL}, limit=True), lr.InvalidTypeError, "limit"),
            (lambda: Cap(actions={Action.CALL}, limit=1, days=0), lr.InvalidValueError, "days"),
            (lambda: Cap(actions={Action.CALL}, limit=1, counting="reached"), lr.InvalidTypeError, "counting"),
            (lambda: Cap(actions={Action.CALL}, limit=1, period="rolling"), lr.InvalidTypeError, "period"),
            (lambda: Cap(actions=(), limit=1), lr.InvalidValueError, "actions"),
            (lambda: Cap(actions="call", limit=1), lr.InvalidTypeError, "actions"),
            (lambda: Cooldown(actions={Action.CALL}, after={Action.CALL}, days=0), lr.InvalidValueError, "days"),
            (lambda: Cooldown(actions={Action.CALL}, after=(), days=7), lr.InvalidValueError, "after"),
            (lambda: Hold(name="", condition=TRUE), lr.InvalidValueError, "name"),
            (lambda: Prerequisite(name="p", condition=TRUE, supply="call"), lr.InvalidTypeError, "supply"),
            (lambda: _policy(stages="late"), lr.InvalidTypeError, "stages"),
            (lambda: Fact(name="dpd"), lr.InvalidTypeError, "name"),
            (lambda: Fact(name=FactName.DPD, action=Action.CALL), lr.InvalidValueError, "name"),
            (lambda: Fact(name=FactName.COUNT, within_days=0), lr.InvalidValueError, "within_days"),
            (lambda: Record(at="today", action=Action.CALL, outcome=Outcome.SENT), lr.InvalidTypeError, "at"),
            (lambda: Record(at=datetime(2026, 1, 1, tzinfo=UTC), action="call", outcome=Outcome.SENT),
             lr.InvalidTypeError, "action"),
            (lambda: Record(at=datetime(2026, 1, 1, tzinfo=UTC), action=Action.CALL, outcome="sent"),
             lr.InvalidTypeError, "outcome"),
        ],
    )
    def test_bad_parts(self, build: Any, error: type[Exception], field: str) -> None:
        """Facts and records name their bad field."""
        with pytest.raises(error) as info:
            build()
        assert info.value.field == field  # type: ignore[attr-defined]

    def test_case_fields(self) -> None:
        """A case names its bad field: state, history, flags, timezone."""
        state = lr.Loan(lr.LoanTerms(principal="100", rate=lr.Rate.annual(0), term=1,
                                     start=date(2026, 1, 1))).state(as_of=date(2026, 1, 2))
        for kwargs, field in (({"state": None}, "state"), ({"history": ("call",)}, "history[0]"),
                              ({"flags": frozenset({1})}, "flags"), ({"timezone": 8}, "timezone")):
            fields: dict[str, Any] = {"state": state, **kwargs}
            with pytest.raises(lr.InvalidTypeError) as info:
                lr.Case(**fields)
            assert info.value.field == field

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"name": "x", "stages": "late"}, "stages"),
            ({"name": "x", "stages": [{"name": "a", "entry": {"not": {"fact": "dpd", "op": ">=", "value": 1}},
                                       "ladder": [{"action": "call"}]}],
              "constraints": [{"type": "window", "start": "08:00", "end": "22:00", "actions": "call"}]},
             "constraints[0].actions"),
            ({"name": "x", "stages": [{"name": "a", "entry": {"dpd": 1}, "ladder": [{"action": "call"}]}]},
             "stages[0].entry"),
            ({"name": "x", "stages": [{"name": "a", "entry": {"fact": "dpd", "op": ">=", "value": "Infinity"},
                                       "ladder": [{"action": "call"}]}]}, "stages[0].entry.value"),
            ({"name": "x", "stages": ["late"]}, "stages[0]"),
        ],
    )
    def test_plain_data_refusals(self, data: dict[str, Any], path: str) -> None:
        """Plain data that is not of the right shape is refused with its path."""
        assert refused(data).path == path

    def test_not_equal_and_not_conditions(self) -> None:
        """!= and not evaluate as written (a not-cancelled stage acts)."""
        policy = CollectionPolicy.from_dict({"name": "x", "stages": [
            {"name": "a", "entry": {"all": [{"fact": "dpd", "op": "!=", "value": 0},
                                            {"not": {"fact": "hardship", "op": "==", "value": True}}]},
             "ladder": [{"action": "letter"}]}]})
        state = lr.Loan(lr.LoanTerms(principal="100", rate=lr.Rate.annual(0), term=1,
                                     start=date(2026, 1, 1))).state(as_of=date(2026, 2, 3))
        decision = lr.next_step(policy, lr.Case(state=state), datetime(2026, 2, 3, 3, tzinfo=UTC))
        assert (decision.action, decision.stage) == (Action.LETTER, "a")


class TestPickle:
    """A policy is plain data: it pickles, and holds no compiled closures."""

    def test_round_trip_is_equal(self) -> None:
        """pickle.loads(pickle.dumps(standard())) == standard(), for both presets."""
        import pickle

        for policy in (lr.policies.standard(), lr.policies.us_reg_f()):
            assert pickle.loads(pickle.dumps(policy)) == policy
            assert hash(pickle.loads(pickle.dumps(policy))) == hash(policy)

    def test_unpickled_decides_identically(self) -> None:
        """The unpickled policy gives the same decision, reasons and trace."""
        import pickle
        from zoneinfo import ZoneInfo

        loan = lr.Loan(lr.LoanTerms(principal="12000", rate=lr.Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
        day = date(2026, 3, 5)
        case = lr.Case(state=loan.state(as_of=day), history=(
            Record(at=datetime(2026, 2, 20, 2, tzinfo=UTC), action=Action.CALL, outcome=Outcome.NO_ANSWER),))
        now = datetime(2026, 3, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
        copied = pickle.loads(pickle.dumps(STANDARD))
        decision = lr.next_step(copied, case, now)
        assert decision == lr.next_step(STANDARD, case, now)
        assert (decision.stage, decision.action) == ("formal", Action.LETTER)

    def test_no_closure_attributes(self) -> None:
        """No field or slot of a policy holds a function: the compiled form lives with the engine."""
        import attrs

        values = [getattr(STANDARD, field.name) for field in attrs.fields(CollectionPolicy)]
        assert [field.name for field in attrs.fields(CollectionPolicy)] == ["name", "stages", "holds", "constraints"]
        assert not any(callable(value) for value in values)
        assert not hasattr(STANDARD, "compiled")

    def test_compiled_once_per_policy_value(self) -> None:
        """Equal policies share one compiled form (the memo is keyed by value)."""
        from loanrules.collection._compiler import compiled

        again = CollectionPolicy.from_toml(lr.policies.STANDARD_TOML)
        assert again is not STANDARD
        assert compiled(again) is compiled(STANDARD)


class TestPresets:
    def test_parsed_once(self) -> None:
        """standard() returns the same value each call, equal to the policy read from its TOML text."""
        assert lr.policies.standard() is lr.policies.standard()
        assert lr.policies.standard() == CollectionPolicy.from_toml(lr.policies.STANDARD_TOML)
        assert lr.policies.us_reg_f() == CollectionPolicy.from_toml(lr.policies.US_REG_F_TOML)

    def test_toml_is_package_data(self) -> None:
        """The TOML text is the package's collection/presets/*.toml, to the letter."""
        from importlib import resources

        folder = resources.files("loanrules.collection").joinpath("presets")
        assert folder.joinpath("standard.toml").read_text(encoding="utf-8") == lr.policies.STANDARD_TOML
        assert folder.joinpath("us_reg_f.toml").read_text(encoding="utf-8") == lr.policies.US_REG_F_TOML
        assert lr.policies.STANDARD_TOML.startswith("# The standard policy")


class TestNames:
    def test_all_and_any_are_aliases(self) -> None:
        """All and Any are AllOf and AnyOf, the same classes, from every import path."""
        from loanrules import collection, policy

        assert (policy.All, policy.Any) == (policy.AllOf, policy.AnyOf)
        assert policy.All is collection.AllOf
        assert policy.Any is collection.AnyOf
        assert repr(TRUE) == "AllOf(conditions=())"


class TestCaseRefusals:
    STATE = lr.Loan(lr.LoanTerms(principal="100", rate=lr.Rate.annual(0), term=1,
                                 start=date(2026, 1, 1))).state(as_of=date(2026, 1, 2))

    def test_flags_string_refused(self) -> None:
        """flags="cease_request" is a TypeError naming flags, not a set of letters."""
        with pytest.raises(lr.InvalidTypeError) as info:
            lr.Case(state=self.STATE, flags="cease_request")  # type: ignore[arg-type]
        assert (info.value.field, info.value.value) == ("flags", "cease_request")

    def test_history_none_refused(self) -> None:
        """history=None is refused with a LoanRulesError naming history."""
        with pytest.raises(lr.LoanRulesError) as info:
            lr.Case(state=self.STATE, history=None)  # type: ignore[arg-type]
        assert isinstance(info.value, lr.InvalidTypeError)
        assert info.value.field == "history"

    def test_flags_list_becomes_frozenset(self) -> None:
        """A list of flags becomes a frozenset."""
        assert lr.Case(state=self.STATE, flags=["cease_request"]).flags == frozenset({"cease_request"})


class TestAwareWindowTimes:
    def test_aware_time_refused_in_code(self) -> None:
        """A window start of 08:00+08:00 is refused: times of day are the debtor's local time."""
        with pytest.raises(lr.InvalidValueError) as info:
            ContactWindow(start=time.fromisoformat("08:00+08:00"), end=time(22))
        assert info.value.field == "start"

    def test_aware_time_refused_in_toml(self) -> None:
        """The same in TOML is refused with the path of the field."""
        data = base()
        data["constraints"][0]["start"] = "08:00+08:00"
        error = refused(data)
        assert error.path == "constraints[0].start"
        assert "naive time of day" in str(error)
