"""Fuzzing the public surface (issue 13): hostile values in, only a LoanRulesError (or a value) out, fast.

Each call is timed on its own and must end within a second. Under the
``dev`` profile the whole module runs in a few seconds; ``ci`` draws five
times as many examples.
"""

from __future__ import annotations

import decimal
import string
import time
import typing
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanrules import (
    Action,
    Calendar,
    Case,
    CollectionPolicy,
    Component,
    Currency,
    Frequency,
    Loan,
    LoanTerms,
    Outcome,
    Payment,
    PenaltyTerms,
    PrepaymentTerms,
    Rate,
    Record,
    RepaymentMethod,
    Restructure,
    Waiver,
    build_schedule,
    next_step,
    policies,
)
from loanrules.calendars import WEEKENDS
from loanrules.errors import MAX_SHOWN, LoanRulesError
from loanrules.policy import (
    AllOf,
    AnyOf,
    Cap,
    Compare,
    ContactWindow,
    Cooldown,
    Fact,
    FactName,
    Hold,
    Not,
    Op,
    Prerequisite,
    Stage,
    Step,
)

FUZZ = settings(deadline=1000, suppress_health_check=[HealthCheck.too_slow])
LOAN = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15)))
STATE = LOAN.state(as_of=date(2026, 2, 16))


class Customer:
    def __repr__(self) -> str:
        return "Customer('Zhang San')"


class Text(str):
    pass


class Day(date):
    pass


class Count(int):
    pass


HOSTILE: typing.Final = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([10 ** 50, -10 ** 50, 10 ** 5000, 2 ** 63]),
    st.floats(), st.decimals(), st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"),
                                                  Decimal("1e999999"), Decimal("1e-999999"), Decimal("9" * 60)]),
    st.text(max_size=30), st.sampled_from(["1e1000000", "-0", " 1_0 ", "0x10", "٣", "1e-1000000", "Asia",
                                            "9" * 5000, "\x00", "Asia/Shanghai", "cease_request"]),
    st.binary(max_size=10), st.dates(), st.datetimes(), st.datetimes(timezones=st.just(UTC)), st.times(),
    st.timedeltas(), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                          max_size=2),
    st.builds(Customer), st.builds(Text, st.text(max_size=5)), st.builds(Day, st.integers(1, 9999),
                                                                        st.integers(1, 12), st.integers(1, 28)),
    st.builds(Count, st.integers(-5, 100)), st.sampled_from(list(Action) + list(Frequency) + [object()]),
)
"""Values of many types, some plausible and some not."""


def call(function: typing.Callable[..., object], *args: object, **kwargs: object) -> object:
    """Call ``function``: it returns, or raises a LoanRulesError with a bounded message, within a second."""
    start = time.perf_counter()
    result: object
    try:
        result = function(*args, **kwargs)
    except LoanRulesError as error:
        result = error
    assert time.perf_counter() - start < 1.0, (function, args, kwargs)
    if isinstance(result, LoanRulesError):
        assert len(str(result)) < 1_000 + 10 * MAX_SHOWN, str(result)[:200]
    return result


def maybe(values: st.SearchStrategy[typing.Any]) -> st.SearchStrategy[typing.Any]:
    """Mostly a plausible value, sometimes a hostile one."""
    return st.one_of(values, values, HOSTILE)


DATES: typing.Final = maybe(st.dates(min_value=date(2026, 1, 15), max_value=date(2030, 1, 1)))
AMOUNTS: typing.Final = maybe(st.decimals(min_value=0, max_value=10 ** 6, places=2))


class TestConstructors:
    """Every public constructor and factory, with hostile arguments."""

    @FUZZ
    @given(principal=maybe(st.just("1000")), rate=maybe(st.just(Rate.annual("0.1"))),
           term=maybe(st.integers(1, 400)), start=maybe(st.dates()), method=maybe(st.sampled_from(RepaymentMethod)),
           frequency=maybe(st.sampled_from(Frequency)), payment_day=st.none() | maybe(st.integers(1, 31)),
           first_due=st.none() | HOSTILE)
    def test_loan_terms(self, *, principal: object, rate: object, term: object, start: object, method: object,
                        frequency: object, payment_day: object, first_due: object) -> None:
        """LoanTerms (and a schedule when it is valid)."""
        terms = call(LoanTerms, principal=principal, rate=rate, term=term, start=start, method=method,
                     frequency=frequency, payment_day=payment_day, first_due=first_due)
        if isinstance(terms, LoanTerms):
            call(build_schedule, terms)

    @FUZZ
    @given(value=HOSTILE, basis=maybe(st.sampled_from([360, 365, 366])), above=maybe(st.booleans()))
    def test_rates(self, value: object, basis: object, above: object) -> None:
        """Rate.annual, percent, monthly and daily."""
        for make in (Rate.annual, Rate.percent, Rate.monthly):
            call(make, value, above_ceiling=above)
        call(Rate.daily, value, basis, above_ceiling=above)
        call(Rate.annual, "0.1", above_ceiling=above)

    @FUZZ
    @given(code=maybe(st.just("CNY")), units=maybe(st.integers(0, 8)), amount=HOSTILE)
    def test_currency(self, code: object, units: object, amount: object) -> None:
        """Currency and its amount / quantize."""
        currency = call(Currency, code, units)
        if isinstance(currency, Currency):
            call(currency.amount, amount)
            call(currency.quantize, amount)

    @FUZZ
    @given(name=maybe(st.just("ACME")), holidays=maybe(st.lists(st.dates(), max_size=3)),
           working=maybe(st.lists(st.dates(), max_size=3)), day=HOSTILE, n=maybe(st.integers(-400, 400)))
    def test_calendar(self, name: object, holidays: object, working: object, day: object, n: object) -> None:
        """Calendar.from_dates, then its questions."""
        calendar = call(Calendar.from_dates, name, holidays=holidays, working_days=working)
        for target in (calendar, WEEKENDS):
            if isinstance(target, Calendar):
                call(target.is_business_day, day)
                call(target.add_business_days, date(2026, 1, 1), n)
                call(target.add_business_days, day, 1)
        call(Frequency.MONTHLY.nth, day, n)
        call(Frequency.WEEKLY.nth, date(2026, 1, 1), n)

    @FUZZ
    @given(rate=st.none() | HOSTILE, markup=maybe(st.just("0.5")), grace=maybe(st.integers(0, 30)),
           fee=maybe(st.just("0")), basis=maybe(st.just(360)), minimum=maybe(st.just("0")),
           per_day=st.none() | HOSTILE, lockout=maybe(st.integers(0, 5)), fee_rate=maybe(st.just("0")))
    def test_servicing_terms(self, *, rate: object, markup: object, grace: object, fee: object, basis: object,
                             minimum: object, per_day: object, lockout: object, fee_rate: object) -> None:
        """PenaltyTerms and PrepaymentTerms, then a loan's state under them."""
        penalty = call(PenaltyTerms, rate=rate, markup=markup, grace_days=grace, late_fee=fee, day_basis=basis)
        prepayment = call(PrepaymentTerms, minimum=minimum, max_per_day=per_day, lockout_periods=lockout,
                          fee_rate=fee_rate)
        if isinstance(penalty, PenaltyTerms) and isinstance(prepayment, PrepaymentTerms):
            loan = call(Loan, LOAN.terms, penalty=penalty, prepayment=prepayment)
            if isinstance(loan, Loan):
                call(loan.state, as_of=date(2027, 6, 1))
                call(loan.prepay, on=date(2026, 6, 1), amount="100")

    @FUZZ
    @given(on=DATES, amount=AMOUNTS, term=maybe(st.integers(1, 60)), component=maybe(st.sampled_from(Component)),
           as_of=DATES)
    def test_events_and_loan_methods(self, on: object, amount: object, term: object, component: object,
                                     as_of: object) -> None:
        """Events built directly, and the Loan methods that record them, then a state."""
        for make in (lambda: Payment(on=on, amount=amount), lambda: Waiver(on=on, component=component,
                                                                             amount=amount),
                     lambda: Restructure(on=on, term=term)):
            event = call(make)
            if not isinstance(event, LoanRulesError):
                call(Loan, LOAN.terms, events=(event,))
        for method in (lambda: LOAN.pay(on=on, amount=amount), lambda: LOAN.prepay(on=on, amount=amount),
                       lambda: LOAN.settle(on=on), lambda: LOAN.waive(on=on, component=component, amount=amount),
                       lambda: LOAN.restructure(on=on, term=term)):
            loan = call(method)
            if isinstance(loan, Loan):
                call(loan.state, as_of=as_of)
        call(LOAN.state, as_of=as_of)
        call(Loan, amount)

    @FUZZ
    @given(at=maybe(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 2, 16),  # noqa: DTZ001
                                 timezones=st.just(UTC))),  # (Hypothesis takes naive bounds, then adds the zone)
           action=maybe(st.sampled_from(Action)), outcome=maybe(st.sampled_from(Outcome)),
           amount=st.none() | AMOUNTS, promise=st.none() | maybe(st.dates()), flags=maybe(st.frozensets(
               st.sampled_from(["cease_request", "dispute_resolved"]))), zone=maybe(st.sampled_from(
                   ["Asia/Shanghai", "UTC", "America/New_York"])), history=HOSTILE)
    def test_records_and_cases(self, *, at: object, action: object, outcome: object, amount: object,
                               promise: object, flags: object, zone: object, history: object) -> None:
        """Record and Case, then a decision on them."""
        record = call(Record, at=at, action=action, outcome=outcome, promise_amount=amount, promise_date=promise)
        call(Case, state=STATE, history=history)
        call(Case, state=history)
        if isinstance(record, Record):
            case = call(Case, state=STATE, history=(record,), flags=flags, timezone=zone)
            if isinstance(case, Case):
                now = datetime(2026, 2, 16, 12, tzinfo=UTC)
                local = now.astimezone(__import__("zoneinfo").ZoneInfo(case.timezone)).date()
                case = Case(state=LOAN.state(as_of=local), history=case.history, flags=case.flags,
                            timezone=case.timezone)
                call(next_step, policies.standard(), case, now)
                call(next_step, policies.us_reg_f(), case, now)

    @FUZZ
    @given(fact=maybe(st.sampled_from(FactName)), op=maybe(st.sampled_from(Op)), value=HOSTILE,
           within=st.none() | HOSTILE, action=st.none() | HOSTILE, name=maybe(st.just("late")),
           limit=maybe(st.integers(0, 9)), days=maybe(st.integers(1, 30)), start=maybe(st.times()),
           actions=maybe(st.frozensets(st.sampled_from(Action), min_size=1)))
    def test_policy_parts(self, *, fact: object, op: object, value: object, within: object, action: object,
                          name: object, limit: object, days: object, start: object, actions: object) -> None:
        """Fact, Compare, the combinators, steps, stages, holds, prerequisites and constraints."""
        made = call(Fact, name=fact, within_days=within, action=action)
        compare = call(Compare, made if isinstance(made, Fact) else Fact(name=FactName.DPD), op, value)
        condition = compare if isinstance(compare, Compare) else Compare(Fact(name=FactName.DPD), Op.GE, 1)
        for make in (AllOf, AnyOf):
            call(make, [condition, value])
            call(make, value)
        call(Not, value)
        call(Step, action=action, when=condition, max_times=within, within_days=days)
        call(Stage, name=name, entry=condition, ladder=value)
        call(Hold, name=name, condition=value)
        call(Prerequisite, name=name, condition=condition, supply=action)
        call(Cap, actions=actions, limit=limit, days=days)
        call(Cooldown, actions=actions, after=actions, days=value)
        call(ContactWindow, start=start, end=clock(22), actions=actions)


def plain(depth: int) -> st.SearchStrategy[typing.Any]:
    """Random plain data: the shapes TOML and JSON give, nested."""
    leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([10 ** 40, "1e1000000", "nan"]),
                       st.floats(), st.text(max_size=8),
                       st.sampled_from(["dpd", ">=", "call", "all", "any", "not", "window", "08:00"]))
    return st.recursive(leaves, lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["name", "stages", "entry", "ladder", "fact", "op", "value", "all", "any", "not",
                         "action", "holds", "constraints", "type", "when", "days", "within_days"]) | st.text(
            max_size=4), children, max_size=5), max_leaves=depth)


def mutated(data: object, draw: typing.Callable[..., typing.Any]) -> object:
    """The standard policy's data with one value somewhere replaced by a hostile one."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        return {**data, key: mutated(data[key], draw) if draw(st.booleans()) else draw(plain(8) | HOSTILE)}
    if isinstance(data, list) and data:
        index = draw(st.integers(0, len(data) - 1))
        copy = list(data)
        copy[index] = mutated(data[index], draw) if draw(st.booleans()) else draw(plain(8) | HOSTILE)
        return copy
    return draw(plain(8) | HOSTILE)


class TestPolicies:
    """CollectionPolicy.from_dict / from_toml on hostile data and text."""

    @FUZZ
    @given(data=plain(30))
    def test_from_dict_random(self, data: object) -> None:
        """Random nested plain data."""
        call(CollectionPolicy.from_dict, data)  # type: ignore[arg-type]

    @FUZZ
    @given(draw=st.data())
    def test_from_dict_mutated(self, draw: st.DataObject) -> None:
        """The standard policy with a value replaced deep inside: refused with a path, or accepted."""
        policy = call(CollectionPolicy.from_dict, mutated(policies.standard().to_dict(), draw.draw))
        if isinstance(policy, CollectionPolicy):
            now = datetime(2026, 2, 16, 2, tzinfo=UTC)
            call(next_step, policy, Case(state=STATE), now)

    @FUZZ
    @given(text=st.text(alphabet=string.printable + "[]{}=\"'.é中\x00", max_size=200),
           nesting=st.integers(0, 3000), value=st.sampled_from(["1e1000000", "1e308", "inf", "nan", "-0",
                                                               "9" * 30, "\"" + "9" * 5000 + "\""]))
    def test_from_toml(self, text: str, nesting: int, value: str) -> None:
        """Random text, deep arrays, and huge numbers in an otherwise good document."""
        call(CollectionPolicy.from_toml, text)
        call(CollectionPolicy.from_toml, "name = " + "[" * nesting + "]" * nesting)
        call(CollectionPolicy.from_toml, f'name = "x"\n[[stages]]\nname = "a"\nentry = {{ fact = "dpd", op = ">=",'
                                         f' value = {value} }}\nladder = [ {{ action = "call" }} ]\n')
        call(CollectionPolicy.from_toml, text.encode())  # type: ignore[arg-type]


class TestEngineMoments:
    """next_step at moments near the ends of datetime's range."""

    @FUZZ
    @given(moment=st.datetimes(min_value=datetime(9999, 12, 20), timezones=st.just(UTC)),  # noqa: DTZ001 (naive bound)
           zone=st.sampled_from(["Asia/Shanghai", "UTC", "America/New_York", "Pacific/Kiritimati",
                                 "Pacific/Pago_Pago"]),
           promise=st.sampled_from([None, date(9999, 12, 31), date(9999, 12, 30), date(2026, 1, 1)]))
    def test_end_of_time(self, moment: datetime, zone: str, promise: date | None) -> None:
        """A decision or a refusal naming ``now``; never an OverflowError."""
        from zoneinfo import ZoneInfo

        try:
            local = moment.astimezone(ZoneInfo(zone)).date()
        except OverflowError:
            local = date(9999, 12, 31)
        history = () if promise is None else (Record(at=datetime(2026, 1, 1, tzinfo=UTC), action=Action.CALL,
                                                     outcome=Outcome.PROMISED, promise_date=promise),)
        case = Case(state=LOAN.state(as_of=local), history=history, timezone=zone)
        call(next_step, policies.standard(), case, moment)
        call(next_step, policies.us_reg_f(), case, moment)


def test_caller_context_is_ignored() -> None:
    """A hostile global decimal context (2 digits, every signal trapped) changes no result."""
    expected = LOAN.pay(on=date(2026, 3, 1), amount="500").state(as_of=date(2026, 9, 1))
    hostile = decimal.Context(prec=2, traps=list(decimal.getcontext().flags), Emax=10, Emin=-10)
    with decimal.localcontext(hostile):
        assert LOAN.pay(on=date(2026, 3, 1), amount="500").state(as_of=date(2026, 9, 1)) == expected
        assert build_schedule(LOAN.terms) == build_schedule(LOAN.terms)
        assert timedelta(days=1)  # the context is still in force here
