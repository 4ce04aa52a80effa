"""Fuzzing the public surface (issue 13): hostile values in, only a LoanRulesError (or a value) out, fast.

Each call is timed on its own and must end within a second. The readers
of loanrules.serialize get hostile JSON texts and documents of every type
(deep nesting, huge numbers, NaN and Infinity, wrong types, long strings,
surrogates, bytes): only an InvalidDataError escapes. Under the
``dev`` profile the whole module runs in a few seconds; ``ci`` draws five
times as many examples.
"""

from __future__ import annotations

import decimal
import json
import string
import time
import typing
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanrules import (
    CHINA,
    Action,
    Allocation,
    Amounts,
    Calendar,
    Case,
    CollectionPolicy,
    Component,
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Currency,
    Decision,
    Draw,
    Frequency,
    LinePayment,
    LinePrepayment,
    LineSettlement,
    Loan,
    LoanState,
    LoanTerms,
    Outcome,
    Payment,
    PenaltyTerms,
    Prepayment,
    PrepaymentTerms,
    Rate,
    Recast,
    Record,
    RepaymentMethod,
    Restructure,
    Schedule,
    Settlement,
    Waiver,
    build_schedule,
    next_step,
    policies,
)
from loanrules.calendars import WEEKENDS
from loanrules.errors import MAX_SHOWN, InvalidDataError, LoanRulesError
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
from loanrules.serialize import DOCUMENT_TYPES, from_data, from_json, to_data, to_json

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


def _nested(depth: int, inner: typing.Callable[[object], object]) -> object:
    value: object = 1
    for _ in range(depth):
        value = inner(value)
    return value


_RECORD = Record(at=datetime(2026, 2, 10, 2, tzinfo=UTC), action=Action.CALL, outcome=Outcome.PROMISED,
                 promise_amount="100", promise_date=date(2026, 2, 20))
_CASE = Case(state=STATE, history=(_RECORD,))
_LINE = (CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365), suspend_after_dpd=7))
         .draw(date(2026, 3, 1), "10000", 3).draw(date(2026, 4, 12), "6000", 3).pay(date(2026, 5, 10), "5000"))
GOOD: typing.Final[dict[type, object]] = {
    Currency: Currency("HKD", 2), Rate: Rate.annual("0.12"), Calendar: CHINA.with_year(2027, [date(2027, 1, 1)]),
    LoanTerms: LOAN.terms, PenaltyTerms: PenaltyTerms(grace_days=3), PrepaymentTerms: PrepaymentTerms(),
    Allocation: Allocation(), Payment: Payment(on=date(2026, 2, 15), amount="1066.19"),
    Prepayment: Prepayment(on=date(2026, 3, 1), amount="500", recast=Recast.REDUCE_TERM),
    Settlement: Settlement(on=date(2026, 3, 1), amount="11000"),
    Waiver: Waiver(on=date(2026, 3, 1), component=Component.PENALTY, amount=None),
    Restructure: Restructure(on=date(2026, 3, 1), term=24, rate=Rate.annual("0.08")),
    Loan: LOAN.pay(on=date(2026, 2, 15), amount="1066.19"), Schedule: LOAN.original_schedule, LoanState: STATE,
    Amounts: STATE.overdue, Record: _RECORD, Case: _CASE, CollectionPolicy: policies.standard(),
    Decision: next_step(policies.standard(), _CASE, datetime(2026, 2, 16, 2, tzinfo=UTC)),
    CreditLineTerms: _LINE.terms, CreditLine: _LINE, CreditLineState: _LINE.state(date(2026, 5, 10)),
    Draw: _LINE.events[0], LinePayment: _LINE.events[2], LinePrepayment: LinePrepayment(date(2026, 5, 11), "500", 2),
    LineSettlement: LineSettlement(date(2026, 5, 12), None),
}
"""A good value of every document type, whose documents the tests below spoil."""

SPECIAL: typing.Final[dict[str, object]] = {
    "nan": float("nan"), "infinity": float("inf"), "-infinity": float("-inf"), "1e308": 1e308, "-0.0": -0.0,
    "int of 5000 digits": 10 ** 4999, "2**64": 2 ** 64, "-1": -1, "huge exponent": "1e999999",
    "tiny exponent": "1E-999999", "5000 nines": "9" * 5000, "long string": "x" * 1_000_000,
    "long date-like": "2026-01-01" * 1000, "surrogate": "\ud800", "surrogate pair text": "\udbff\udfff",
    "nul": "\x00", "unicode digits": "١٢٠٠٠", "fullwidth": "１２０００", "emoji": "💰", "rtl": "\u202e2026-01-01",
    "snan": "sNaN", "infinity text": "Infinity", "bad date": "2026-02-30", "year 0": "0000-01-01",
    "late moment": "9999-12-31T23:59:59-14:00[Etc/GMT+12]", "early moment": "0001-01-01T00:00:00+14:00",
    "zone path": "2026-01-01T00:00:00+08:00[../../etc/passwd]", "bad offset": "2026-01-01T00:00:00+99:00",
    "wrong offset": "2026-01-01T00:00:00+01:00[Asia/Shanghai]", "open bracket": "2026-01-01T08:00:00+08:00[Asia",
    "deep list": _nested(100_000, lambda inner: [inner]), "deep object": _nested(100_000, lambda inner: {"a": inner}),
    "long list": [1] * 100_000, "long list of strings": ["penalty"] * 100_000, "wide object": {
        str(k): k for k in range(10_000)}, "bytes": b"12000.00", "bytearray": bytearray(b"{}"), "tuple": ("a", 1),
    "set": {1, 2}, "Decimal": Decimal("12000.00"), "date": date(2026, 1, 15), "object": object(),
    "non-string key": {1: "a"}, "None key": {None: 1},
}
"""Hostile values, by name (so that a failing example prints its name, not 100,000 brackets)."""

JSON_TEXTS: typing.Final = [
    "", " ", "{", "}", "[]", "null", "true", "0", '"loan"', "NaN", "Infinity", "-Infinity", "1e999999", "-1e999999",
    "9" * 5000, "0." + "0" * 5000 + "1", "[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000,
    '"' + "x" * 1_000_000 + '"', '"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', "\ufeff{}", '{"type": "loan"',
    '{"type": "loan", "version": 1, "version": 2}', '{"type": "loan", "version": 1e999999}',
    '{"type": "loan", "version": 1.0}', '{"type": "loan", "version": NaN}', '{"type": "loan", "version": 1, "terms": '
    + "[" * 50_000 + "]" * 50_000 + "}", '{"type": "loan", "version": 1, "terms": {"principal": 1e999999}}',
    '{"type": "loan", "version": 1, "terms": {"principal": "' + "9" * 5000 + '"}}',
    '{"type": "loan", "version": 1, "terms": {"principal": ' + "9" * 5000 + "}}",
]
"""Whole hostile JSON texts (also given as UTF-8 and UTF-16 bytes)."""


def _paths(node: object, here: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in a document (the first three items of each array)."""
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            found += _paths(value, (*here, index))
    return found


def _replaced(document: object, path: tuple[object, ...], value: object) -> object:
    """A copy of ``document`` with the value at ``path`` replaced (the rest shared: nothing is changed)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        return {**document, head: _replaced(document[head], rest, value)}  # type: ignore[index]
    copy = list(document)  # type: ignore[call-overload]
    copy[head] = _replaced(copy[head], rest, value)  # type: ignore[index]
    return copy


HOSTILE_JSON: typing.Final = st.one_of(st.sampled_from(sorted(SPECIAL)).map(SPECIAL.__getitem__), plain(8),
                                       HOSTILE)


def _read(kind: type, document: object) -> None:
    """``from_data`` and ``from_json`` (where the document is JSON at all): a value, or an InvalidDataError."""
    result = call(from_data, kind, document)
    assert not isinstance(result, LoanRulesError) or isinstance(result, InvalidDataError), result
    try:
        text = json.dumps(document, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):  # not JSON (bytes, sets, objects) or too deep to write
        return
    again = call(from_json, kind, text)
    assert not isinstance(again, LoanRulesError) or isinstance(again, InvalidDataError), again


class TestDocuments:
    """loanrules.serialize's readers on hostile JSON texts and documents of every type."""

    def test_good_documents_read_back(self) -> None:
        """The documents the tests below spoil are good to begin with (so a refusal is the spoiling's)."""
        assert set(GOOD) == set(DOCUMENT_TYPES)
        for kind, value in GOOD.items():
            assert from_data(kind, to_data(value)) == value
            assert from_json(kind, to_json(value)) == value

    @FUZZ
    @given(kind=st.sampled_from(list(DOCUMENT_TYPES)), text=st.sampled_from(JSON_TEXTS) | st.text(max_size=50),
           encoding=st.sampled_from(["str", "utf-8", "utf-16", "latin-1"]))
    def test_hostile_texts(self, kind: type, text: str, encoding: str) -> None:
        """Any text, as str or bytes: refused with path ``""`` (or at a field, for a document)."""
        given_text: str | bytes = text
        if encoding != "str":
            given_text = text.encode(encoding, errors="surrogatepass" if encoding != "latin-1" else "replace")
        result = call(from_json, kind, given_text)
        assert isinstance(result, InvalidDataError), result

    @FUZZ
    @given(kind=st.sampled_from(list(DOCUMENT_TYPES)), junk=st.binary(max_size=40) | HOSTILE)
    def test_hostile_text_arguments(self, kind: type, junk: object) -> None:
        """Random bytes, or something that is no text at all."""
        result = call(from_json, kind, junk)
        assert isinstance(result, InvalidDataError), result

    @FUZZ
    @given(kind=st.sampled_from(list(DOCUMENT_TYPES)), value=HOSTILE_JSON)
    def test_hostile_whole_documents(self, kind: type, value: object) -> None:
        """Anything at all as the document."""
        _read(kind, value)

    @FUZZ
    @given(kind=st.sampled_from(list(DOCUMENT_TYPES)), draw=st.data(), value=HOSTILE_JSON)
    def test_a_good_document_with_a_hostile_value_anywhere(self, kind: type, draw: st.DataObject,
                                                           value: object) -> None:
        """A good document of each type with one value, at any depth, replaced by a hostile one."""
        document = to_data(GOOD[kind])
        path = draw.draw(st.sampled_from(_paths(document)[1:]))
        _read(kind, _replaced(document, path, value))

    @FUZZ
    @given(kind=st.sampled_from(list(DOCUMENT_TYPES)), draw=st.data(), key=st.sampled_from(sorted(SPECIAL)),
           other=st.sampled_from([(), (7,), (None, 2.5)]))
    def test_a_good_document_with_a_hostile_key(self, kind: type, draw: st.DataObject, key: str,
                                                other: tuple[object, ...]) -> None:
        """Extra fields with hostile names somewhere (and keys that are no strings, as a dict may have): refused,
        at the name, bounded."""
        document = to_data(GOOD[kind])
        objects = [path for path in _paths(document) if isinstance(_at(document, path), dict)]
        path = draw.draw(st.sampled_from(objects))
        name = SPECIAL[key] if isinstance(SPECIAL[key], str) else key
        target = _at(document, path)
        assert isinstance(target, dict)
        result = call(from_data, kind, _replaced(document, path, {**dict.fromkeys(other, 1), **target, name: 1}))
        assert isinstance(result, InvalidDataError), result
        assert isinstance(result.path, str)

    def test_found_by_fuzzing(self) -> None:
        """The cases this fuzzing found, each fixed in the codec, kept as examples with their paths."""
        allocation = to_data(GOOD[Allocation])
        # A string for an allocation's order was read character by character (a million characters: 25 s).
        refused = call(from_data, Allocation, {**allocation, "order": "x" * 1_000_000})
        assert isinstance(refused, InvalidDataError)
        assert (refused.path, refused.rule) == ("order", "must be an array")
        loan = to_data(GOOD[Loan])
        refused = call(from_data, Loan, {**loan, "allocation": {**allocation, "order": ["penalty", "x"]}})
        assert isinstance(refused, InvalidDataError)
        assert refused.path == "allocation.order[1]"
        # An unknown field's name went into the path whole (5,000 characters), and keys of two types
        # (1 and "b") made sorting them raise a TypeError.
        refused = call(from_data, Payment, {**to_data(GOOD[Payment]), "9" * 5000: 1})
        assert isinstance(refused, InvalidDataError)
        assert refused.path == "'" + "9" * 56 + "..."
        for kind in (Payment, Loan):
            refused = call(from_data, kind, {**to_data(GOOD[kind]), 1: "a", "b": 2})
            assert isinstance(refused, InvalidDataError)
            assert (refused.path, refused.value) == ("b", "b")
            refused = call(from_data, kind, {**to_data(GOOD[kind]), 1: "a"})  # no name to place it at
            assert isinstance(refused, InvalidDataError)
            assert (refused.path, refused.value) == ("", 1)
        # Each added year rebuilt the calendar: 100,000 of them took a minute.
        calendar = to_data(GOOD[Calendar])
        refused = call(from_data, Calendar, {**calendar, "years_added": [{"year": 2027, "holidays": []}] * 100_000})
        assert isinstance(refused, InvalidDataError)
        assert (refused.path, refused.value) == ("years_added", 100_000)


def _at(document: object, path: tuple[object, ...]) -> object:
    for step in path:
        document = document[step]  # type: ignore[index]
    return document
