"""Hostile inputs (issue 13): each is refused with a LoanRulesError naming the field, rule and value, fast."""

from __future__ import annotations

import copy
import decimal
import time
import typing
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest

from loanrules import (
    Action,
    Case,
    Frequency,
    Loan,
    LoanTerms,
    Outcome,
    PenaltyTerms,
    PrepaymentTerms,
    Rate,
    Record,
    RepaymentMethod,
    build_schedule,
    next_step,
    policies,
)
from loanrules.calendars import WEEKENDS
from loanrules.cli import main
from loanrules.collection._engine import Decision, DecisionStatus
from loanrules.errors import (
    MAX_SHOWN,
    InvalidPolicyError,
    InvalidTypeError,
    InvalidValueError,
    LoanRulesError,
    describe,
)
from loanrules.policy import (
    AllOf,
    Cap,
    CollectionPolicy,
    Compare,
    ContactWindow,
    Cooldown,
    Fact,
    FactName,
    Not,
    Op,
    Stage,
    Step,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOAN = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
STATE = LOAN.state(as_of=date(2026, 2, 16))
NOW = datetime(2026, 2, 16, 9, 30, tzinfo=SHANGHAI)
DPD = Fact(name=FactName.DPD)


@pytest.fixture
def fast() -> Iterator[None]:
    """Each test's calls together take well under a second."""
    start = time.perf_counter()
    yield
    assert time.perf_counter() - start < 1.0


def standard(change: Callable[[dict[str, typing.Any]], None]) -> dict[str, typing.Any]:
    data = copy.deepcopy(policies.standard().to_dict())
    change(data)
    return data


def stages(count: int) -> dict[str, typing.Any]:
    return {"name": "many", "stages": [{"name": f"s{i}", "entry": {"fact": "dpd", "op": ">=", "value": i},
                                        "ladder": [{"action": "call"}]} for i in range(count)]}


def nested(levels: int) -> dict[str, typing.Any]:
    condition: dict[str, typing.Any] = {"fact": "dpd", "op": ">=", "value": 1}
    for _ in range(levels):
        condition = {"not": condition}
    return {"name": "deep", "stages": [{"name": "a", "entry": condition, "ladder": [{"action": "call"}]}]}


@pytest.mark.usefixtures("fast")
class TestPolicyNumbersAndSizes:
    """Item 1: bounded numbers and sizes; reachability in one pass."""

    def test_huge_exponent_dpd_value_refused(self) -> None:
        """A DPD compared with "1e1000000" (a million-digit int once converted) is refused at once."""
        def change(data: dict[str, typing.Any]) -> None:
            data["stages"][1]["entry"] = {"fact": "dpd", "op": ">=", "value": "1e1000000"}
        with pytest.raises(InvalidPolicyError) as info:
            CollectionPolicy.from_dict(standard(change))
        assert info.value.path == "stages[1].entry.value"
        assert "must be a whole number in [-36500, 36500]" in info.value.detail
        assert "1E+1000000" in info.value.detail

    def test_huge_exponent_in_toml(self) -> None:
        """The same from a 100-byte TOML file."""
        text = 'name = "x"\n[[stages]]\nname = "a"\nentry = { fact = "dpd", op = ">=", value = "1e1000000" }\n' \
               'ladder = [ { action = "call" } ]\n'
        with pytest.raises(InvalidPolicyError, match=r"stages\[0\]\.entry\.value: must be a whole number"):
            CollectionPolicy.from_toml(text)

    def test_non_integral_dpd_value_refused(self) -> None:
        """A day count compared with 1.5 is refused: DPD is a whole number of days."""
        with pytest.raises(InvalidValueError, match=r"'value' must be a whole number .* got Decimal\('1\.5'\)"):
            Compare(DPD, Op.GE, decimal.Decimal("1.5"))

    def test_huge_int_value_refused(self) -> None:
        """An int beyond the bound is refused in code too, and the message is short."""
        with pytest.raises(InvalidValueError) as info:
            Compare(DPD, Op.GE, 10 ** 5000)
        assert info.value.field == "value"
        assert "<an int of about 5,001 digits>" in str(info.value)

    def test_amount_value_bounded(self) -> None:
        """An overdue amount is compared with at most 34 digits below 1E18."""
        with pytest.raises(InvalidValueError, match="'value' must lie in"):
            Compare(Fact(name=FactName.OVERDUE_AMOUNT), Op.GE, decimal.Decimal("1e30"))
        assert Compare(Fact(name=FactName.OVERDUE_AMOUNT), Op.GE, decimal.Decimal("500.5")).value == \
            decimal.Decimal("500.5")

    def test_three_thousand_stages_refused(self) -> None:
        """More than 1,000 stages are refused before any is read."""
        with pytest.raises(InvalidPolicyError, match=r"^stages: must hold at most 1000 items, got 3000$"):
            CollectionPolicy.from_dict(stages(3000))

    def test_thousand_stages_checked_fast(self) -> None:
        """1,000 stages with distinct thresholds load (reachability is one pass), well under a second."""
        assert len(CollectionPolicy.from_dict(stages(1000)).stages) == 1000

    def test_reachability_still_finds_the_first_dead_stage(self) -> None:
        """A stage shadowed by a later one is still refused, naming the earliest."""
        data = stages(4)
        data["stages"][3]["entry"] = {"fact": "dpd", "op": ">", "value": 0}  # shadows s1 and s2, not s0
        with pytest.raises(InvalidPolicyError, match=r"stages\[1\]\.entry: stage 's1' is unreachable"):
            CollectionPolicy.from_dict(data)

    def test_too_many_steps_refused_in_code(self) -> None:
        """A ladder of 1,001 steps is refused."""
        with pytest.raises(InvalidValueError, match="'ladder' must hold at most 1000 items, got 1001"):
            Stage(name="a", entry=Compare(DPD, Op.GE, 1), ladder=[Step(action=Action.CALL)] * 1001)

    def test_too_many_conditions_refused(self) -> None:
        """An all-of with 1,001 conditions is refused."""
        with pytest.raises(InvalidValueError, match="'conditions' must hold at most 1000 conditions"):
            AllOf([Compare(DPD, Op.GE, 1)] * 1001)


@pytest.mark.usefixtures("fast")
class TestPoliciesThatLoadButCannotDecide:
    """Item 2: spans of days beyond datetime's range, and aware contact windows, refused at load."""

    @pytest.mark.parametrize("where", ["step", "fact", "cap", "cooldown"])
    def test_days_beyond_the_bound(self, where: str) -> None:
        """within_days / days past 36,500 are refused with the path."""
        def change(data: dict[str, typing.Any]) -> None:
            if where == "step":
                data["stages"][1]["ladder"][0].update(max_times=3, within_days=10 ** 9)
            elif where == "fact":
                data["stages"][1]["entry"] = {"all": [data["stages"][1]["entry"], {
                    "fact": "count", "action": "call", "within_days": 3_000_000, "op": ">=", "value": 0}]}
            elif where == "cap":
                data["constraints"].append({"type": "cap", "actions": ["call"], "limit": 1, "period": "rolling",
                                            "days": 10 ** 9})
            else:
                data["constraints"].append({"type": "cooldown", "actions": ["call"], "after": ["call"],
                                            "days": 3_000_000})
        with pytest.raises(InvalidPolicyError, match=r"within_days|days: must lie in \[1, 36500\]"):
            CollectionPolicy.from_dict(standard(change))

    def test_days_bounded_in_code(self) -> None:
        """The same bound on the classes themselves."""
        with pytest.raises(InvalidValueError, match=r"'days' must lie in \[1, 36500\], got 36501"):
            Cooldown(actions={Action.CALL}, after={Action.CALL}, days=36_501)
        with pytest.raises(InvalidValueError, match=r"'days' must lie in \[1, 36500\]"):
            Cap(actions={Action.CALL}, limit=1, days=10 ** 9)
        with pytest.raises(InvalidValueError, match=r"'within_days' must lie in \[1, 36500\]"):
            Step(action=Action.CALL, within_days=10 ** 9)

    def test_the_largest_span_still_decides(self) -> None:
        """36,500 days in every span decides without overflow, even for a moment early in year 1900."""
        def change(data: dict[str, typing.Any]) -> None:
            data["stages"][1]["ladder"][0].update(max_times=3, within_days=36_500)
            data["constraints"].append({"type": "cap", "actions": ["call"], "limit": 1, "period": "rolling",
                                        "days": 36_500})
        policy = CollectionPolicy.from_dict(standard(change))
        history = (Record(at=datetime(2026, 2, 16, 1, tzinfo=UTC), action=Action.CALL, outcome=Outcome.REACHED),)
        decision = next_step(policy, Case(state=STATE, history=history), NOW)
        assert decision.status is DecisionStatus.NONE or decision.not_before is None or \
            decision.not_before.year >= 2026

    def test_aware_contact_window_refused(self) -> None:
        """A window "08:00+08:00" is refused at load (compared with naive local times it would raise)."""
        def change(data: dict[str, typing.Any]) -> None:
            data["constraints"][0].update(start="08:00+08:00", end="22:00+08:00")
        with pytest.raises(InvalidPolicyError, match=r"constraints\[0\]\.start: must be a naive time of day"):
            CollectionPolicy.from_dict(standard(change))
        with pytest.raises(InvalidValueError, match="'start' must be a naive time"):
            ContactWindow(start=clock(8, tzinfo=UTC), end=clock(22))


@pytest.mark.usefixtures("fast")
class TestDatesAtTheEndOfTime:
    """Item 3: a promise to 9999-12-31 and a moment near datetime.max decide without overflow."""

    def test_promise_to_the_last_date_defers_for_good(self) -> None:
        """A promise dated 9999-12-31 (a "no date" sentinel) is open: DEFER, with no moment in range."""
        promise = Record(at=datetime(2026, 2, 16, 1, tzinfo=UTC), action=Action.CALL, outcome=Outcome.PROMISED,
                         promise_date=date(9999, 12, 31))
        decision = next_step(policies.standard(), Case(state=STATE, history=(promise,)), NOW)
        assert (decision.status, decision.action, decision.not_before) == (DecisionStatus.DEFER, Action.CALL, None)
        assert "a promise to pay by 9999-12-31 is open: deferred to the day after" in decision.reasons

    @pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Shanghai", "Pacific/Kiritimati"])
    def test_promise_to_the_day_before(self, zone: str) -> None:
        """A promise to 9999-12-30 defers to a moment on 9999-12-31, or to never, in any zone."""
        now = datetime(2026, 2, 16, 9, 30, tzinfo=ZoneInfo(zone))
        promise = Record(at=datetime(2026, 2, 15, 1, tzinfo=UTC), action=Action.CALL, outcome=Outcome.PROMISED,
                         promise_date=date(9999, 12, 30))
        state = LOAN.state(as_of=now.date())
        decision = next_step(policies.standard(), Case(state=state, history=(promise,), timezone=zone), now)
        assert decision.status is DecisionStatus.DEFER
        assert decision.not_before is None or decision.not_before.date() == date(9999, 12, 31)

    @pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Shanghai"])
    def test_now_on_the_last_day(self, zone: str) -> None:
        """A moment early on 9999-12-31 decides (a window, a cap or a day after it would overflow: never)."""
        now = datetime(9999, 12, 31, 0, 30, tzinfo=ZoneInfo(zone))
        case = Case(state=LOAN.state(as_of=date(9999, 12, 31)), timezone=zone)
        decision = next_step(policies.standard(), case, now)
        assert decision.stage == "enforcement"
        assert decision.status in (DecisionStatus.ACT, DecisionStatus.DEFER, DecisionStatus.NONE)

    def test_now_past_the_end_in_the_debtor_zone(self) -> None:
        """A UTC moment whose local date would be in year 10000 is refused naming 'now'."""
        now = datetime(9999, 12, 31, 23, tzinfo=UTC)
        case = Case(state=LOAN.state(as_of=date(9999, 12, 31)), timezone="Asia/Shanghai")
        with pytest.raises(InvalidValueError, match="'now' must lie inside datetime's range"):
            next_step(policies.standard(), case, now)


@pytest.mark.usefixtures("fast")
class TestDeepConditions:
    """Item 4: nesting past 32 levels is refused, in code, from dicts and from TOML."""

    def test_from_dict_deep_refused(self) -> None:
        """5,000 nested nots (a RecursionError before) are refused with the path."""
        with pytest.raises(InvalidPolicyError, match="conditions must nest at most 32 levels deep"):
            CollectionPolicy.from_dict(nested(5000))

    def test_from_dict_at_the_limit(self) -> None:
        """32 levels load."""
        assert CollectionPolicy.from_dict(nested(32)).stages[0].name == "a"
        with pytest.raises(InvalidPolicyError, match="at most 32 levels"):
            CollectionPolicy.from_dict(nested(33))

    def test_in_code(self) -> None:
        """Building a 33rd level raises InvalidValueError naming the depth."""
        condition: typing.Any = Compare(DPD, Op.GE, 1)
        for _ in range(32):
            condition = Not(condition)
        with pytest.raises(InvalidValueError, match=r"'conditions' must nest at most 32 levels deep .*, got 33"):
            Not(condition)
        with pytest.raises(InvalidValueError, match="got 33"):
            AllOf([condition])

    def test_deep_toml_refused(self) -> None:
        """TOML arrays nested 100,000 deep are refused (the TOML reader itself would recurse)."""
        text = "name = " + "[" * 100_000 + "]" * 100_000
        with pytest.raises(InvalidPolicyError, match="<toml>: nests too deep to read"):
            CollectionPolicy.from_toml(text)

    def test_deep_value_where_a_name_is_expected(self) -> None:
        """A deeply nested list as a name: the message stays short (no recursion in describing it)."""
        value: typing.Any = []
        for _ in range(10_000):
            value = [value]
        with pytest.raises(InvalidPolicyError) as info:
            CollectionPolicy.from_dict({"name": value, "stages": []})
        assert len(str(info.value)) < 200


@pytest.mark.usefixtures("fast")
class TestDecimalContext:
    """Item 5: computations run in the library's own context; constructors bound digits."""

    def test_bullet_in_a_tiny_caller_context(self) -> None:
        """A BULLET payment with the caller's context at prec=5 and Inexact trapped is the exact amount."""
        terms = LoanTerms(principal="1234567.89", rate=Rate.annual("0.12"), term=12,
                          method=RepaymentMethod.BULLET, start=date(2026, 1, 15))
        expected = build_schedule(terms)[-1].payment
        with decimal.localcontext(decimal.Context(prec=5, traps=[decimal.Inexact, decimal.Rounded])):
            assert build_schedule(terms)[-1].payment == expected == decimal.Decimal("1382716.04")

    def test_loan_in_a_tiny_caller_context(self) -> None:
        """State, payoff and penalties ignore a caller context of 3 digits with every trap set."""
        terms = LoanTerms(principal="1234567.89", rate=Rate.annual("0.1234"), term=12, start=date(2026, 1, 15))
        loan = Loan(terms, penalty=PenaltyTerms()).pay(on=date(2026, 3, 20), amount="1000.01")
        expected = loan.state(as_of=date(2026, 5, 1)).payoff
        with decimal.localcontext(decimal.Context(prec=3, traps=[decimal.Inexact, decimal.Rounded])):
            assert loan.state(as_of=date(2026, 5, 1)).payoff == expected

    def test_sixty_digit_rate_refused(self) -> None:
        """A 60-digit rate is refused with the digit rule."""
        with pytest.raises(InvalidValueError, match="'annual' must have at most 24 significant digits"):
            Rate.annual("0." + "1" * 60)

    def test_principal_of_34_digits_refused(self) -> None:
        """A principal near 34 digits is refused by MAX_PRINCIPAL, not by a decimal signal."""
        with pytest.raises(InvalidValueError, match="'principal' must be < 1,000,000,000,000,000"):
            LoanTerms(principal="9" * 33, rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))

    def test_rate_above_the_ceiling_is_bounded(self) -> None:
        """Even above the ceiling, a rate past 1000 a year is refused (a schedule would leave decimal's range)."""
        with pytest.raises(InvalidValueError, match=r"'annual' must be <= 1000 \(100,000 % a year, MAX_RATE\)"):
            Rate.annual("1e20", above_ceiling=True)

    def test_extreme_terms_build(self) -> None:
        """The largest principal at the highest rate over a long weekly term builds; no decimal error."""
        terms = LoanTerms(principal="999999999999999.99", rate=Rate.annual("1000", above_ceiling=True),
                          term=3000, frequency=Frequency.WEEKLY, start=date(2026, 1, 15))
        assert build_schedule(terms)[-1].balance == 0

    def test_markup_bounded(self) -> None:
        """A penalty markup past 100 is refused (a penalty past 34 digits otherwise)."""
        with pytest.raises(InvalidValueError, match="'markup' must be <= 100"):
            PenaltyTerms(markup="1e40")


@pytest.mark.usefixtures("fast")
class TestWalks:
    """Item 6: business-day walks and period arithmetic far out of range."""

    @pytest.mark.parametrize("n", [10 ** 7, -10 ** 7, 10 ** 30])
    def test_add_business_days_out_of_range(self, n: int) -> None:
        """Beyond the date range: an error naming 'n' and the interval."""
        with pytest.raises(InvalidValueError) as info:
            WEEKENDS.add_business_days(date(2026, 1, 1), n)
        assert info.value.field == "n"
        assert "must lie in [" in info.value.rule

    def test_add_business_days_far_but_in_range(self) -> None:
        """A walk of 100,000 business days ends fast, on the right day."""
        assert WEEKENDS.add_business_days(date(2026, 1, 1), 100_000) == date(2409, 4, 23)

    @pytest.mark.parametrize("frequency", [Frequency.MONTHLY, Frequency.WEEKLY])
    def test_nth_out_of_range(self, frequency: Frequency) -> None:
        """Frequency.nth past year 9999 raises a LoanRulesError naming 'k', not a bare ValueError."""
        with pytest.raises(InvalidValueError, match=r"'k' must lie in \[-?\d+, \d+\] periods"):
            frequency.nth(date(2026, 1, 1), 10 ** 9)


@pytest.mark.usefixtures("fast")
class TestFrozenContainers:
    """Item 7: a frozen value keeps no mutable container passed to it."""

    def test_schedule_installments(self) -> None:
        """A list of installments becomes a tuple."""
        schedule = build_schedule(LOAN.terms)
        rebuilt = type(schedule)(schedule.terms, list(schedule.installments))
        assert type(rebuilt.installments) is tuple
        assert rebuilt == schedule

    def test_decision_reasons_and_trace(self) -> None:
        """Lists of reasons and trace entries become tuples."""
        decision = Decision(action=Action.NONE, status=DecisionStatus.NONE, stage=None, not_before=None,
                            reasons=["a"], trace=[])
        assert (decision.reasons, decision.trace) == (("a",), ())
        hash(decision)

    def test_policy_parts(self) -> None:
        """Stages, ladders and action sets hold tuples and frozensets."""
        stage = Stage(name="a", entry=AllOf([Compare(DPD, Op.GE, 1)]), ladder=[Step(action=Action.CALL)])
        policy = CollectionPolicy(name="p", stages=[stage], constraints=[
            Cap(actions=[Action.CALL], limit=1)])
        assert type(policy.stages) is tuple
        assert type(stage.ladder) is tuple
        assert type(stage.entry.conditions) is tuple  # type: ignore[union-attr]
        assert type(policy.constraints[0].actions) is frozenset


@pytest.mark.usefixtures("fast")
class TestLedgerAndCaseArguments:
    """Item 8: arguments that recorded fine and then broke every later call."""

    @pytest.mark.parametrize("term", [100_000, 10 ** 9])
    def test_restructure_term_bounded(self, term: int) -> None:
        """A restructure over more than 12,000 periods is refused at the call."""
        with pytest.raises(InvalidValueError, match=rf"'term' must lie in \[1, 12000\], got {term}"):
            LOAN.restructure(on=date(2026, 3, 1), term=term)

    def test_restructure_past_year_9999_refused(self) -> None:
        """A restructure whose plan would end past 9999 is refused when recorded, not at every state."""
        late = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(9000, 1, 15)))
        with pytest.raises(LoanRulesError, match="'term' must be <= 11997"):
            late.restructure(on=date(9000, 3, 1), term=12_000)

    @pytest.mark.parametrize("zone", ["Asia", "A" * 300, "../../etc/passwd", "Asia/\x00x", ""])
    def test_bad_time_zone(self, zone: str) -> None:
        """A directory, an over-long name, a path, a NUL: InvalidValueError naming 'timezone'."""
        with pytest.raises(InvalidValueError) as info:
            Case(state=STATE, timezone=zone)
        assert info.value.field == "timezone"
        assert len(str(info.value)) < 200

    def test_from_toml_none(self) -> None:
        """from_toml(None) is an InvalidPolicyError, not an AttributeError."""
        with pytest.raises(InvalidPolicyError, match=r"<toml>: must be the text of a TOML document \(a str\), "
                                                     r"got None"):
            CollectionPolicy.from_toml(None)  # type: ignore[arg-type]

    def test_history_none(self) -> None:
        """Case(history=None) is an InvalidTypeError naming 'history'."""
        with pytest.raises(InvalidTypeError, match="'history' must be a sequence of Records, got None"):
            Case(state=STATE, history=None)  # type: ignore[arg-type]

    def test_grace_days_bounded(self) -> None:
        """grace_days=10**9 is refused (every state would overflow)."""
        with pytest.raises(InvalidValueError, match=r"'grace_days' must lie in \[0, 36500\], got 1000000000"):
            PenaltyTerms(grace_days=10 ** 9)

    @pytest.mark.parametrize("field", ["lockout_periods", "max_per_day"])
    def test_prepayment_counts_bounded(self, field: str) -> None:
        """Huge lockout or per-day counts are refused (their messages once hit the int-str limit)."""
        with pytest.raises(InvalidValueError, match=rf"'{field}' must lie in \[\d, 12000\]"):
            PrepaymentTerms(**{field: 10 ** 5000})

    def test_message_quoting_a_huge_int(self) -> None:
        """An error about an int of 5,000 digits formats (Python refuses str() past 4,300 digits)."""
        with pytest.raises(InvalidValueError) as info:
            LoanTerms(principal="1", rate=Rate.annual("0.1"), term=10 ** 5000, start=date(2026, 1, 1))
        assert str(info.value) == "'term' must lie in [1, 12000], got <an int of about 5,001 digits>"

    def test_describe_is_bounded(self) -> None:
        """describe() never returns more than MAX_SHOWN characters."""
        for value in ("x" * 10_000, list(range(10_000)), {i: str(i) for i in range(1000)}, b"y" * 500,
                      frozenset(range(100)), (1,), set(), decimal.Decimal("1e-999999")):
            assert len(describe(value)) <= MAX_SHOWN
        assert describe((1,)) == "(1,)"
        assert describe(set()) == "set()"
        assert describe(frozenset()) == "frozenset()"
        assert describe({}) == "{}"
        assert describe({"a": 1}) == "{'a': 1}"

    def test_describe_survives_a_failing_repr(self) -> None:
        """A library value whose repr raises is described by its type."""
        class Broken:
            __module__ = "loanrules.fake"

            def __repr__(self) -> str:
                raise RuntimeError("no")

        assert describe(Broken()) == "<a Broken object>"


class TestCommandLine:
    """Item 9: every bad command line prints one line and exits 2, fast."""

    BASE: typing.ClassVar = ["schedule", "--principal", "1000", "--start", "2026-01-15"]

    @pytest.mark.parametrize(("argv", "line"), [
        (["--rate-percent", "1e50", "--term", "12"],
         "--rate-percent: must lie in [0, 100] (percent a year), got '1e50'"),
        (["--rate-percent", "1e999999", "--term", "12"],
         "--rate-percent: must lie in [0, 100] (percent a year), got '1e999999'"),
        (["--rate-percent", "abc", "--term", "12"], "--rate-percent: must be a decimal number, got 'abc'"),
        (["--rate-percent", "5", "--term", "100000"],
         "--term: must be a whole number of installments in [1, 12000], got '100000'"),
        (["--rate-percent", "5", "--term", "x"],
         "--term: must be a whole number of installments in [1, 12000], got 'x'"),
        (["--rate-percent", "5", "--term", "12", "--start", "2026-13-01"],
         "--start: must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31, got '2026-13-01'"),
        (["--rate-percent", "5", "--term", "12", "--start", "9999-06-01"],
         "--term: must be <= 6 so that the maturity stays within datetime.date's range (on or before "
         "9999-12-31) from 9999-06-01, got '12'"),
        (["--rate-percent", "5", "--term", "12", "--principal", "1e999999"],
         "--principal: must be < 1,000,000,000,000,000 (MAX_PRINCIPAL), got '1e999999'"),
        (["--rate-percent", "5", "--term", "12", "--method", "x"],
         "--method: must be one of annuity, equal_principal, interest_only, bullet, got 'x'"),
        (["--rate-percent", "5", "--term", "12", "--frequency", "daily"],
         "--frequency: must be one of monthly, quarterly, semiannual, annual, weekly, biweekly, got 'daily'"),
        (["--rate-percent", "5", "--term", "12", "--bogus"],
         "arguments: must be options of loanrules, got --bogus"),
        (["--rate-percent", "5", "--term"], "--term: expected one argument, got nothing"),
    ])
    def test_bad_argument(self, argv: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
        """One line, 'loanrules: error: <what>: <rule>, got <value>', exit status 2, well under a second."""
        start = time.perf_counter()
        assert main([*self.BASE, *argv]) == 2
        assert time.perf_counter() - start < 1.0
        captured = capsys.readouterr()
        assert captured.err == f"loanrules: error: {line}\n"

    @pytest.mark.parametrize(("argv", "line"), [
        (["bogus"], "command: must be one of 'demo', 'schedule', 'state', 'next-step', 'apr', 'portfolio', got 'bogus'"),
        ([], "command: is required, got nothing"),
        (["schedule", "--term", "3"], "--principal, --rate-percent, --start: is required, got nothing"),
    ])
    def test_bad_command(self, argv: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing or unknown command or option: the same one line."""
        assert main(argv) == 2
        assert capsys.readouterr().err == f"loanrules: error: {line}\n"

    def test_help_exits_zero(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--help still prints the usage and exits 0."""
        assert main(["schedule", "--help"]) == 0
        assert "--rate-percent" in capsys.readouterr().out


@pytest.mark.usefixtures("fast")
class TestEdgesOfTheBounds:
    """The bounds' own edges: each refusal path named."""

    @pytest.mark.parametrize("make", [Rate.monthly, Rate.percent, lambda value: Rate.daily(value, 365)])
    def test_quote_bounded_before_arithmetic(self, make: Callable[[str], Rate]) -> None:
        """A quote past 100,000 is refused under its own name before it is multiplied."""
        with pytest.raises(InvalidValueError, match=r"must be <= 100,000 \(no quote of a rate"):
            make("1e999999")

    def test_window_of_days_before_year_one(self) -> None:
        """A span reaching back before datetime's range starts at the earliest instant (no overflow)."""
        from loanrules.collection._compiler import EARLIEST, since

        assert since(datetime(1, 1, 2, tzinfo=UTC), 36_500) == EARLIEST
        assert since(datetime(2026, 1, 2, tzinfo=UTC), 1) == datetime(2026, 1, 1, tzinfo=UTC)

    def test_record_before_the_first_instant(self) -> None:
        """A record whose moment lies before 0001-01-01 in UTC is refused naming 'at'."""
        from datetime import timedelta, timezone

        east = timezone(timedelta(hours=5))
        with pytest.raises(InvalidValueError, match="'at' must lie inside datetime's range in UTC"):
            Record(at=datetime(1, 1, 1, 1, tzinfo=east), action=Action.CALL, outcome=Outcome.NO_ANSWER)

    def test_too_many_holds_in_code(self) -> None:
        """A policy built in code with 1,001 holds is refused, naming holds."""
        from loanrules.policy import Hold

        hold = Hold(name="h", condition=Compare(Fact(name=FactName.CEASE_REQUESTED), Op.EQ, True))
        stage = Stage(name="a", entry=Compare(DPD, Op.GE, 1), ladder=[Step(action=Action.CALL)])
        with pytest.raises(InvalidPolicyError, match=r"^holds: must hold at most 1000 items, got 1001$"):
            CollectionPolicy(name="p", stages=[stage], holds=[hold] * 1001)


class TestReachabilityMasks:
    """The one-pass reachability check agrees with comparing point by point."""

    @pytest.mark.parametrize("op", list(Op))
    def test_masks_agree_with_op_apply(self, op: Op) -> None:
        """Bit i of a comparison's mask is set exactly when ``op.apply(points[i], value)`` holds."""
        from loanrules.collection._policy import _masks

        points = [0, 1, 2, 5, 6, 7, 15, 16, 17]
        every = (1 << len(points)) - 1
        for value in (-1, 0, 1, 3, 6, 16, 40):
            may, must = _masks(Compare(DPD, op, value), points, every)
            expected = sum(1 << i for i, point in enumerate(points) if op.apply(point, value))
            assert may == must == expected, (op, value)
            not_may, not_must = _masks(Not(Compare(DPD, op, value)), points, every)
            assert not_may == not_must == every & ~expected

    def test_other_facts_are_free(self) -> None:
        """A comparison of another fact may hold anywhere and must hold nowhere."""
        from loanrules.collection._policy import _masks

        assert _masks(Compare(Fact(name=FactName.HARDSHIP), Op.EQ, True), [0, 1], 0b11) == (0b11, 0)


@pytest.mark.usefixtures("fast")
class TestNeverAllowed:
    """A step no constraint ever allows: the ladder is walked, then nothing is done."""

    def test_cap_of_zero(self) -> None:
        """A cap of 0 calls makes the call never allowed; with no other step the decision is NONE."""
        stage = Stage(name="late", entry=Compare(DPD, Op.GE, 1), ladder=[Step(action=Action.CALL)])
        policy = CollectionPolicy(name="p", stages=[stage], constraints=[Cap(actions=[Action.CALL], limit=0)])
        decision = next_step(policy, Case(state=STATE), NOW)
        assert (decision.status, decision.action, decision.stage) == (DecisionStatus.NONE, Action.NONE, "late")
        assert "CALL is never allowed by the constraints" in decision.reasons

    def test_value_of_another_kind_in_data(self) -> None:
        """A comparison value that is a list in plain data names its path."""
        data = stages(1)
        data["stages"][0]["entry"]["value"] = [1]
        with pytest.raises(InvalidPolicyError, match=r"stages\[0\]\.entry\.value: must be a number or true/false, "
                                                     r"got \[1\]"):
            CollectionPolicy.from_dict(data)
