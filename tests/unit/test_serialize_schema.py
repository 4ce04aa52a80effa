"""The JSON Schemas of loanrules.serialize: shipped, up to date, and agreeing with the reader.

Every document the strategies draw validates against its type's schema
(``jsonschema.Draft202012Validator``; each schema is self-contained, so no
registry is needed); the schema refuses what :func:`from_data` refuses in
the cases that matter (a float for money, an unknown field, a missing
field, a bad enum value, a wrong ``type``, version 2, a date as a number,
a datetime without its offset), and both name the same place; and the
fields a schema requires are the fields the reader requires.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from loanrules import (
    CHINA,
    Action,
    Calendar,
    Case,
    Component,
    Currency,
    Loan,
    LoanTerms,
    Outcome,
    Payment,
    Rate,
    Record,
    Waiver,
    next_step,
    policies,
)
from loanrules.errors import InvalidDataError
from loanrules.serialize import DOCUMENT_TYPES, VERSION, from_data, from_json, schema, to_data, to_json

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
SLOW = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])



STRATEGIES: dict[type, st.SearchStrategy[Any]] = {kind: st.from_type(kind) for kind in DOCUMENT_TYPES}
"""Every document type's registered strategy (loanrules.strategies registers one for each public type)."""


def validator(kind: type) -> Draft202012Validator:
    return Draft202012Validator(schema(kind))


def generator() -> ModuleType:
    """``tools/serialize_schemas.py``, the script that writes the schema files."""
    spec = importlib.util.spec_from_file_location("serialize_schemas", ROOT / "tools" / "serialize_schemas.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------
# The files


def test_the_shipped_schemas_are_what_the_generator_writes() -> None:
    """``python tools/serialize_schemas.py`` was run after the last change of the format's description."""
    files = generator().build()
    shipped = ROOT / "src" / "loanrules" / "serialize" / "schemas"
    assert sorted(p.name for p in shipped.glob("*.json")) == sorted(files)
    assert sorted(files) == sorted(f"{name}.json" for name in DOCUMENT_TYPES.values())
    for name, text in files.items():
        assert (shipped / name).read_text(encoding="utf-8") == text, f"{name}: run python tools/serialize_schemas.py"


def test_the_generator_check_mode_agrees() -> None:
    assert generator().main(["--check"]) == 0


@pytest.mark.parametrize("kind", list(DOCUMENT_TYPES), ids=lambda k: k.__name__)
def test_each_schema_is_a_valid_strict_draft_2020_12_schema(kind: type) -> None:
    name = DOCUMENT_TYPES[kind]
    document = schema(kind)
    Draft202012Validator.check_schema(document)
    assert document == schema(name)
    assert document is not schema(name)  # a new dict each call: the caller may change it
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    forms = document.get("oneOf", [document])  # a calendar document has two forms
    for form in forms:
        assert form["type"] == "object"
        assert form["additionalProperties"] is False
        assert form["properties"]["type"] == {"const": name}
        assert form["properties"]["version"] == {"const": VERSION}
        assert form["required"][:2] == ["type", "version"]
    text = json.dumps(document)
    assert '"type": "number"' not in text  # no JSON number anywhere: money and rates are strings
    for definition in document.get("$defs", {}).values():  # every object of every definition is closed
        for form in [definition, *definition.get("oneOf", []), *definition.get("anyOf", [])]:
            if form.get("type") == "object":
                assert form["additionalProperties"] is False, form


def test_schema_names_and_refusals() -> None:
    assert schema("loan")["required"] == ["type", "version", "terms"]
    assert schema(Payment)["required"] == ["type", "version", "on", "amount"]
    assert schema(Currency)["properties"]["code"]["pattern"] == "^[A-Z]{3}$"
    for wrong in ("money", "Loan", int, None, ["loan"]):
        with pytest.raises(InvalidDataError) as error:
            schema(wrong)  # type: ignore[arg-type]
        assert error.value.path == ""
        assert error.value.value == wrong


def test_enums_list_their_values() -> None:
    defs = schema(Loan)["$defs"]
    assert defs["loan_terms"]["properties"]["method"]["enum"] == ["annuity", "equal_principal", "interest_only",
                                                                  "bullet"]
    assert defs["loan_terms"]["properties"]["day_count"]["enum"] == ["ACT/360", "ACT/365F", "ACT/ACT ISDA", "30/360",
                                                                     "30E/360"]
    assert defs["component"]["enum"] == ["penalty", "fee", "interest", "principal"]
    assert [form["properties"]["kind"] for form in defs["event"]["oneOf"]] == [
        {"const": "payment"}, {"const": "prepayment"}, {"const": "settlement"}, {"const": "waiver"},
        {"const": "restructure"}]
    assert schema(Case)["properties"]["flags"]["items"]["enum"] == ["cease_request",
                                                                                     "dispute_resolved"]


# ---------------------------------------------------------------------------
# What the codec writes, the schema accepts


@pytest.mark.parametrize("kind", list(STRATEGIES), ids=lambda k: k.__name__)
def test_every_drawn_document_validates(kind: type) -> None:
    check_schema = validator(kind)

    @SLOW
    @given(STRATEGIES[kind])
    def check(value: Any) -> None:
        document = json.loads(to_json(value))
        errors = [f"{e.json_path}: {e.message[:200]}" for e in check_schema.iter_errors(document)]
        assert errors == []

    check()



@pytest.mark.parametrize("kind", list(STRATEGIES), ids=lambda k: k.__name__)
def test_the_schema_requires_what_the_reader_requires(kind: type) -> None:
    """Each top-level field left out: the schema refuses it exactly when it is required, and then so does the
    reader; a field the schema lets out, the reader never calls required."""
    check_schema = validator(kind)
    required = set(schema(kind).get("required", ()))

    @SLOW
    @given(STRATEGIES[kind])
    def check(value: Any) -> None:
        document = to_data(value)
        for key in document:
            smaller = {k: v for k, v in document.items() if k != key}
            try:
                from_data(kind, smaller)
            except InvalidDataError as error:
                refused_there = error.path == key  # "is required", or "must be ..." of the value missing
            else:
                refused_there = False
            if key in required:
                assert refused_there, key
                assert not check_schema.is_valid(smaller), key
            elif "oneOf" not in schema(kind):  # a calendar's form is chosen by its fields: see below
                # optional, or required only with other values (a promise's date): both, or neither
                assert refused_there is not check_schema.is_valid(smaller), key

    check()


def test_a_calendar_form_without_its_name_is_refused_by_both() -> None:
    for calendar in (CHINA, Calendar.from_dates("ACME", holidays=[date(2026, 5, 1)])):
        document = to_data(calendar)
        key = "builtin" if "builtin" in document else "name"
        smaller = {k: v for k, v in document.items() if k != key}
        assert not validator(Calendar).is_valid(smaller)
        with pytest.raises(InvalidDataError):
            from_data(Calendar, smaller)


# ---------------------------------------------------------------------------
# What the reader refuses, the schema refuses, at the same place

LOAN = Loan(LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))).pay(
    on=date(2026, 2, 15), amount="1066.19")
STATE = LOAN.state(as_of=date(2026, 3, 20))
RECORD = Record(at=datetime(2026, 3, 18, 10, tzinfo=SHANGHAI), action=Action.CALL, outcome=Outcome.PROMISED,
                promise_amount="1066.19", promise_date=date(2026, 3, 25))
CASE = Case(state=STATE, history=(RECORD,))
DECISION = next_step(policies.standard(), CASE, datetime(2026, 3, 20, 10, tzinfo=SHANGHAI))
WAIVER = Waiver(on=date(2026, 3, 20), component=Component.PENALTY, amount=None)


def setting(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


def removing(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    return change


REFUSED: list[tuple[str, object, Callable[[dict[str, Any]], None], str]] = [
    ("float for money", LOAN, setting(("events", 0, "amount"), 1066.19), "events[0].amount"),
    ("float for principal", LOAN, setting(("terms", "principal"), 12000.0), "terms.principal"),
    ("integer for money", LOAN, setting(("terms", "principal"), 12000), "terms.principal"),
    ("float for a rate", LOAN, setting(("terms", "rate", "annual"), 0.12), "terms.rate.annual"),
    ("float in amounts", STATE, setting(("overdue", "penalty"), 2.67), "overdue.penalty"),
    ("not a number", LOAN, setting(("tolerance",), "NaN"), "tolerance"),
    ("unknown field", LOAN, setting(("colour",), "red"), "colour"),
    ("unknown nested field", LOAN, setting(("terms", "colour"), "red"), "terms.colour"),
    ("unknown event field", LOAN, setting(("events", 0, "memo"), "cash"), "events[0].memo"),
    ("unknown row field", STATE, setting(("installments", 1, "memo"), "x"), "installments[1].memo"),
    ("missing terms", LOAN, removing(("terms",)), "terms"),
    ("missing principal", LOAN, removing(("terms", "principal")), "terms.principal"),
    ("missing amount", Payment(on=date(2026, 2, 15), amount="1066.19"), removing(("amount",)), "amount"),
    ("missing waiver amount", WAIVER, removing(("amount",)), "amount"),
    ("missing row field", STATE, removing(("installments", 0, "phase")), "installments[0].phase"),
    ("missing record action", RECORD, removing(("action",)), "action"),
    ("missing promise date", RECORD, removing(("promise_date",)), "promise_date"),
    ("null promise date", RECORD, setting(("promise_date",), None), "promise_date"),
    ("unknown field of an added year", CHINA, setting(("years_added",), [{"year": 2027, "holidays": [], "memo": 1}]),
     "years_added[0].memo"),
    ("missing field of an added year", CHINA, setting(("years_added",), [{"year": 2027}]), "years_added[0].holidays"),
    ("row not an object", STATE, setting(("installments", 0), 5), "installments[0]"),
    ("bad method", LOAN, setting(("terms", "method"), "balloon"), "terms.method"),
    ("bad event kind", LOAN, setting(("events", 0, "kind"), "refund"), "events[0].kind"),
    ("bad action", RECORD, setting(("action",), "visit"), "action"),
    ("bad status", DECISION, setting(("status",), "maybe"), "status"),
    ("bad state status", STATE, setting(("status",), "late"), "status"),
    ("bad flag", CASE, setting(("flags",), ["vip"]), "flags"),
    ("bad currency", LOAN, setting(("terms", "currency"), "GBP"), "terms.currency"),
    ("bad builtin calendar", LOAN, setting(("terms", "calendar", "builtin"), "MARS"), "terms.calendar.builtin"),
    ("wrong type", LOAN, setting(("type",), "schedule"), "type"),
    ("no type", LOAN, removing(("type",)), "type"),
    ("version 2", LOAN, setting(("version",), 2), "version"),
    ("version 0", RECORD, setting(("version",), 0), "version"),
    ("version as text", RECORD, setting(("version",), "1"), "version"),
    ("date as a number", LOAN, setting(("events", 0, "on"), 20260215), "events[0].on"),
    ("start as a number", LOAN, setting(("terms", "start"), 20260115), "terms.start"),
    ("date with a time", STATE, setting(("as_of",), "2026-03-20T00:00:00"), "as_of"),
    ("datetime without offset", RECORD, setting(("at",), "2026-03-18T10:00:00"), "at"),
    ("datetime as a date", RECORD, setting(("at",), "2026-03-18"), "at"),
    ("not_before without offset", DECISION, setting(("not_before",), "2026-03-26T08:00:00[Asia/Shanghai]"),
     "not_before"),
    ("term as text", LOAN, setting(("terms", "term"), "12"), "terms.term"),
    ("bool for an integer", STATE, setting(("days_past_due",), True), "days_past_due"),
    ("integer for a bool", LOAN, setting(("terms", "adjusted_accrual"), 0), "terms.adjusted_accrual"),
    ("events not a list", LOAN, setting(("events",), {"kind": "payment"}), "events"),
]


@pytest.mark.parametrize(("value", "change", "path"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED])
def test_the_schema_refuses_what_the_reader_refuses(value: object, change: Callable[[dict[str, Any]], None],
                                                    path: str) -> None:
    kind = type(value)
    document = copy.deepcopy(to_data(value))
    assert validator(kind).is_valid(document)  # the document before the change is good
    change(document)
    assert not validator(kind).is_valid(document)
    with pytest.raises(InvalidDataError) as error:
        from_data(kind, document)
    assert error.value.path == path
    with pytest.raises(InvalidDataError) as again:
        from_json(kind, json.dumps(document))
    assert again.value.path == path


def test_a_refusal_names_the_place_in_the_schema_too() -> None:
    document = to_data(LOAN)
    document["events"][0]["amount"] = 1066.19
    document["terms"]["start"] = 20260115
    paths = sorted(e.json_path for e in validator(Loan).iter_errors(document))
    assert "$.terms.start" in paths
    assert any(p.startswith("$.events[0]") for p in paths)  # inside the event union: its branches each refuse
