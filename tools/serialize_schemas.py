"""Write the JSON Schemas of loanrules.serialize (``src/loanrules/serialize/schemas/<type>.json``).

One Python description below; every document type's file is generated
from it, self-contained (the shared definitions it uses copied into its
own ``$defs``), so that ``loanrules.serialize.schema(name)`` is a schema a
validator can use as it is, with no registry. Enum values are read from
the enums themselves, so a new member shows up here on the next run.

Run ``python tools/serialize_schemas.py`` after changing the format or this
description; ``--check`` exits 1 if the shipped files differ from what it
would write (``tests/unit/test_serialize_schema.py`` checks the same).
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Any

from loanrules import (
    Accrual,
    Action,
    BusinessDay,
    DayCount,
    Frequency,
    Outcome,
    RepaymentMethod,
)
from loanrules.collection import DecisionStatus
from loanrules.collection._records import KNOWN_FLAGS
from loanrules.conventions import Outside, Projection
from loanrules.conventions._money import ROUNDING_MODES
from loanrules.ledger import Component, Grace, PenaltyBase, PrepayOrder, Recast, Status
from loanrules.policy import Counting, FactName, Op, Period
from loanrules.serialize import DOCUMENT_TYPES, VERSION
from loanrules.serialize._codec import MAX_YEARS_ADDED

SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "loanrules" / "serialize" / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema, **more: Any) -> Schema:
    return {"type": "array", "items": items, **more}


def values(kind: type[enum.Enum], description: str) -> Schema:
    return {"description": description, "enum": [member.value for member in kind]}


def obj(properties: dict[str, Schema], *, optional: tuple[str, ...] = (), description: str = "") -> Schema:
    """A closed object: every property required unless named in ``optional`` (the reader's defaults)."""
    unknown = set(optional) - set(properties)
    assert not unknown, unknown
    schema: Schema = {"description": description} if description else {}
    schema |= {"type": "object", "properties": properties,
               "required": [name for name in properties if name not in optional], "additionalProperties": False}
    return schema


# ---------------------------------------------------------------------------
# Leaves

DECIMAL = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ZONE = r"[A-Za-z0-9_+\-/]{1,64}"
OFFSET = r"(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)"
DATETIME = rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]{{1,6}})?)?{OFFSET}(\[{ZONE}\])?$"
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

LEAVES: dict[str, Schema] = {
    "decimal": {"description": "A decimal number as a string (never a JSON number): '0.12', '-1.5', '1E+3'.",
                "type": "string", "pattern": DECIMAL, "maxLength": 100},
    "money": {"description": "An amount of money as a decimal string: '12000.00' (a JSON number is refused).",
              "$ref": "#/$defs/decimal"},
    "date": {"description": "An ISO 8601 calendar date, YYYY-MM-DD.", "type": "string", "format": "date",
             "pattern": DATE, "minLength": 10, "maxLength": 10},
    "datetime": {"description": "An aware ISO 8601 datetime with its UTC offset, then optionally its IANA zone in "
                                "brackets (RFC 9557): '2026-03-26T08:00:00+08:00[Asia/Shanghai]'.",
                 "type": "string", "pattern": DATETIME, "maxLength": 100},
    "count": {"description": "A whole number (a JSON integer).", "type": "integer"},
    "text": {"description": "A non-empty string.", "type": "string", "minLength": 1},
}

# ---------------------------------------------------------------------------
# Conventions

BUILTIN_CURRENCIES = ["CNY", "USD", "EUR", "JPY"]
BUILTIN_CALENDARS = ["ALL_DAYS", "WEEKENDS", "CHINA"]

CONVENTIONS: dict[str, Schema] = {
    "currency_body": obj({
        "code": {"description": "ISO 4217 code: three capital letters.", "type": "string", "pattern": "^[A-Z]{3}$"},
        "minor_units": {"description": "Decimal places of the minor unit.", "type": "integer", "minimum": 0,
                        "maximum": 8},
    }, description="A currency in full."),
    "currency": {"description": "A built-in currency by its code, or a currency in full.",
                 "anyOf": [{"enum": BUILTIN_CURRENCIES}, ref("currency_body")]},
    "rate": obj({"annual": ref("decimal"), "above_ceiling": {"type": "boolean"}}, optional=("above_ceiling",),
                description="An interest rate, quoted annually ('0.12' is 12 %)."),
    "outside": values(Outside, "What a calendar says of a date outside its data."),
    "calendar_year": obj({"year": ref("count"), "holidays": array(ref("date")),
                          "working_days": array(ref("date"))}, optional=("working_days",),
                         description="A year of holiday data added to a built-in calendar."),
    "builtin_calendar": obj({
        "builtin": {"description": "The built-in calendar's name.", "enum": BUILTIN_CALENDARS},
        "outside": ref("outside"), "years_added": array(ref("calendar_year"), maxItems=MAX_YEARS_ADDED),
    }, optional=("outside", "years_added"), description="A built-in calendar by name, with any years added."),
    "custom_calendar": obj({
        "name": {"type": "string"},
        "weekend": array({"description": "A weekday: 0 is Monday, 6 Sunday.", "type": "integer", "minimum": 0,
                          "maximum": 6}),
        "holidays": array(ref("date")), "working_days": array(ref("date")),
        "years": nullable({"description": "[first, last]: the years the data cover.", "type": "array",
                           "prefixItems": [ref("count"), ref("count")], "items": False, "minItems": 2}),
        "projection": nullable(values(Projection, "How dates past the data are projected.")),
        "outside": ref("outside"),
    }, optional=("weekend", "holidays", "working_days", "years", "projection", "outside"),
        description="A calendar in full."),
    "calendar": {"description": "A business-day calendar: built-in by name, or in full.",
                 "oneOf": [ref("builtin_calendar"), ref("custom_calendar")]},
}

# ---------------------------------------------------------------------------
# Schedules and the ledger

TERMS: dict[str, Schema] = {
    "loan_terms": obj({
        "principal": ref("money"), "rate": ref("rate"), "term": {"description": "Number of installments.",
                                                                 "type": "integer", "minimum": 1},
        "method": values(RepaymentMethod, "The repayment method."), "start": ref("date"),
        "frequency": values(Frequency, "The payment frequency."),
        "payment_day": nullable({"type": "integer", "minimum": 1, "maximum": 31}),
        "first_due": nullable(ref("date")), "accrual": values(Accrual, "How interest accrues."),
        "day_count": values(DayCount, "The day count."), "calendar": ref("calendar"),
        "business_day": values(BusinessDay, "The business-day convention."),
        "adjusted_accrual": {"type": "boolean"}, "currency": ref("currency"),
        "rounding": {"description": "A decimal rounding mode.", "enum": sorted(ROUNDING_MODES)},
    }, optional=("method", "frequency", "payment_day", "first_due", "accrual", "day_count", "calendar",
                 "business_day", "adjusted_accrual", "currency", "rounding"), description="A loan's terms."),
    "penalty_terms": obj({
        "rate": nullable(ref("rate")), "markup": ref("decimal"), "base": values(PenaltyBase, "What penalty accrues on."),
        "compound": {"type": "boolean"}, "grace_days": ref("count"), "grace": values(Grace, "How grace works."),
        "late_fee": ref("money"), "day_basis": ref("count"), "rate_cap": nullable(ref("rate")),
    }, optional=("rate", "markup", "base", "compound", "grace_days", "grace", "late_fee", "day_basis", "rate_cap"),
        description="Penalty interest (罚息), grace and late fees."),
    "prepayment_terms": obj({
        "allowed": {"type": "boolean"}, "minimum": ref("money"), "max_per_day": nullable(ref("count")),
        "lockout_periods": ref("count"), "fee_rate": ref("decimal"),
        "recast": values(Recast, "What a prepayment shortens or lowers."), "fee_minimum": ref("money"),
    }, optional=("allowed", "minimum", "max_per_day", "lockout_periods", "fee_rate", "recast", "fee_minimum"),
        description="Prepayment rules."),
    "component": values(Component, "A component of what is owed."),
    "allocation": obj({"order": array(ref("component")), "installment_first": {"type": "boolean"}},
                      optional=("order", "installment_first"), description="How a payment is allocated."),
}

EVENTS: dict[str, Schema] = {
    "payment": obj({"on": ref("date"), "amount": ref("money")}, description="A payment."),
    "prepayment": obj({"on": ref("date"), "amount": ref("money"), "recast": values(Recast, "The recast.")},
                      description="A prepayment (提前还款)."),
    "settlement": obj({"on": ref("date"), "amount": ref("money")}, description="A settlement (结清)."),
    "waiver": obj({"on": ref("date"), "component": ref("component"), "amount": nullable(ref("money"))},
                  description="A waiver (null amount: all of the component)."),
    "restructure": obj({"on": ref("date"), "term": {"type": "integer", "minimum": 1},
                        "rate": nullable(ref("rate")),
                        "method": nullable(values(RepaymentMethod, "The new repayment method.")),
                        "waive_penalty": {"type": "boolean"}, "waive_fee": {"type": "boolean"}},
                       optional=("rate", "method", "waive_penalty", "waive_fee"), description="A restructure."),
}


def with_first(name: str, value: Schema, body: Schema) -> Schema:
    """``body`` (a closed object) with a required first property ``name``."""
    return {**body, "properties": {name: value, **body["properties"]}, "required": [name, *body["required"]]}


EVENT_UNION: dict[str, Schema] = {
    "event": {"description": "An event of a loan's events, named by its kind.",
              "oneOf": [with_first("kind", {"const": kind}, EVENTS[kind]) for kind in EVENTS]},
}

AMOUNTS_FIELDS = ("principal", "interest", "penalty", "fee")

LEDGER: dict[str, Schema] = {
    "amounts": obj(dict.fromkeys(AMOUNTS_FIELDS, ref("money")), description="Principal, interest, penalty, fee."),
    "loan": obj({
        "terms": ref("loan_terms"), "penalty": ref("penalty_terms"), "prepayment": ref("prepayment_terms"),
        "allocation": ref("allocation"), "tolerance": ref("money"), "events": array(ref("event")),
    }, optional=("penalty", "prepayment", "allocation", "tolerance", "events"),
        description="A loan: its terms, servicing terms and events (its schedules are derived, never stored)."),
    "installment": obj({
        "number": ref("count"), "due_date": ref("date"), "principal": ref("money"), "interest": ref("money"),
        "payment": ref("money"), "balance": ref("money"), "unadjusted_date": ref("date"),
        "period_start": ref("date"), "provisional": {"type": "boolean"},
    }, description="A row of a schedule."),
    "schedule": obj({"terms": ref("loan_terms"), "installments": array(ref("installment"))},
                    description="A schedule: its terms and its installments."),
    "installment_state": obj({
        "number": ref("count"), "due_date": ref("date"), "due": ref("amounts"), "paid": ref("amounts"),
        "waived": ref("amounts"), "outstanding": ref("amounts"), "days_late": ref("count"),
        "settled_on": nullable(ref("date")), "phase": ref("count"),
    }, description="An installment of a state (outstanding and days_late must agree with the rest)."),
    "loan_state": obj({
        "as_of": ref("date"), "days_past_due": ref("count"), "status": values(Status, "The loan's status."),
        "overdue": ref("amounts"), "due_now": ref("amounts"), "payoff": ref("money"),
        "principal_outstanding": ref("money"), "accrued_interest": ref("money"),
        "next_due_date": nullable(ref("date")), "next_due_amount": ref("money"), "credit": ref("money"),
        "prepayment_fees": ref("money"), "restructured_on": nullable(ref("date")),
        "installments": array(ref("installment_state")),
    }, description="A loan's state on a day, with its installments."),
}

# ---------------------------------------------------------------------------
# Collections

ACTION = values(Action, "A collection action.")
OUTCOME = values(Outcome, "The outcome of an action.")
ACTIONS = array(ref("action"))
PARAMETRIC = sorted(fact.value for fact in (FactName.COUNT, FactName.DAYS_SINCE))

COLLECTIONS: dict[str, Schema] = {
    "action": ACTION, "outcome": OUTCOME,
    "record": {
        **obj({"at": ref("datetime"), "action": ref("action"), "outcome": ref("outcome"),
               "promise_amount": nullable(ref("money")), "promise_date": nullable(ref("date"))},
              optional=("promise_amount", "promise_date"),
              description="A step on record and its outcome (a promise has its date)."),
        "if": {"properties": {"outcome": {"const": Outcome.PROMISED.value}}, "required": ["outcome"]},
        "then": {"properties": {"promise_date": ref("date")}, "required": ["promise_date"]},
    },
    "case": obj({
        "state": {"description": "A loan's state, or a credit line's.",
                  "oneOf": [ref("loan_state"), ref("credit_line_state")]}, "history": array(ref("record")),
        "flags": array({"description": "A known flag.", "enum": sorted(KNOWN_FLAGS)}),
        "timezone": {"description": "The debtor's IANA time zone.", "type": "string", "pattern": f"^{ZONE}$"},
    }, optional=("history", "flags", "timezone"), description="What the engine decides on."),
    "comparison_value": {"description": "What a fact is compared with: true, false, an integer or a decimal string.",
                         "anyOf": [{"type": "boolean"}, {"type": "integer"}, ref("decimal")]},
    "comparison": {
        "description": "A fact compared with a value; only count and days_since take action, outcomes, "
                       "within_days.",
        "oneOf": [
            obj({"fact": {"enum": [f.value for f in FactName if f.value not in PARAMETRIC]},
                 "op": values(Op, "The comparison."), "value": ref("comparison_value")}),
            obj({"fact": {"enum": PARAMETRIC}, "action": ref("action"), "outcomes": array(ref("outcome")),
                 "within_days": nullable({"type": "integer", "minimum": 1}),
                 "op": values(Op, "The comparison."), "value": ref("comparison_value")},
                optional=("action", "outcomes", "within_days")),
        ]},
    "condition": {"description": "A condition: all, any, not, or a comparison.", "oneOf": [
        obj({"all": array(ref("condition"))}), obj({"any": array(ref("condition"))}),
        obj({"not": ref("condition")}), ref("comparison")]},
    "hold": obj({"name": ref("text"), "when": ref("condition")}, description="A hold: no contact while it holds."),
    "step": obj({"action": ref("action"), "when": ref("condition"),
                 "max_times": nullable({"type": "integer", "minimum": 1}),
                 "within_days": nullable({"type": "integer", "minimum": 1})},
                optional=("when", "max_times", "within_days"), description="A step of a stage's ladder."),
    "prerequisite": obj({"name": ref("text"), "when": ref("condition"), "supply": ref("action")},
                        description="What must be on record before a stage acts."),
    "stage": obj({"name": ref("text"), "entry": ref("condition"), "ladder": array(ref("step"), minItems=1),
                  "prerequisites": array(ref("prerequisite"))}, optional=("prerequisites",),
                 description="A stage: entered on a condition, acting by its ladder."),
    "constraint": {"description": "A contact window, a frequency cap or a cooldown, named by its type.", "oneOf": [
        obj({"type": {"const": "window"}, "start": {"type": "string", "pattern": CLOCK},
             "end": {"type": "string", "pattern": CLOCK}, "actions": ACTIONS}, optional=("actions",)),
        obj({"type": {"const": "cap"}, "actions": ACTIONS, "limit": {"type": "integer", "minimum": 0},
             "counting": values(Counting, "What a cap counts."), "period": values(Period, "A cap's period."),
             "days": {"type": "integer", "minimum": 1}}, optional=("counting", "period", "days")),
        obj({"type": {"const": "cooldown"}, "actions": ACTIONS, "after": ACTIONS,
             "days": {"type": "integer", "minimum": 1}}),
    ]},
    "collection_policy": obj({"name": ref("text"), "holds": array(ref("hold")),
                              "stages": array(ref("stage"), minItems=1), "constraints": array(ref("constraint"))},
                             optional=("holds", "constraints"), description="A collection policy (as data)."),
    "fact_value": {"description": "A fact's value: null, true, false, an integer, a string, or one tagged object.",
                   "anyOf": [{"type": ["null", "boolean", "integer", "string"]},
                             obj({"decimal": ref("decimal")}), obj({"date": ref("date")}),
                             obj({"datetime": ref("datetime")}), obj({"action": ref("action")}),
                             obj({"outcome": ref("outcome")})]},
    "trace_entry": obj({
        "rule": {"type": "string"}, "condition": {"type": "string"},
        "facts": array({"description": "[name, value]", "type": "array",
                        "prefixItems": [{"type": "string"}, ref("fact_value")], "items": False, "minItems": 2}),
        "result": {"type": "boolean"},
    }, description="One rule the engine looked at, the facts it read and its result."),
    "decision": obj({
        "action": ref("action"), "status": values(DecisionStatus, "What the decision says to do."),
        "stage": nullable({"type": "string"}), "not_before": nullable(ref("datetime")),
        "reasons": array({"type": "string"}), "trace": array(ref("trace_entry")),
    }, description="A decision of next_step, with its reasons and trace."),
}

# ---------------------------------------------------------------------------
# Credit lines

LINE_EVENTS: dict[str, Schema] = {
    "draw": obj({"on": ref("date"), "amount": ref("money"), "term": {"type": "integer", "minimum": 1},
                 "method": values(RepaymentMethod, "The draw's repayment method."), "rate": nullable(ref("rate"))},
                optional=("method", "rate"), description="A draw on a credit line (its own IOU, 借据)."),
    "line_payment": obj({"on": ref("date"), "amount": ref("money"),
                         "draw": nullable({"type": "integer", "minimum": 1})}, optional=("draw",),
                        description="A payment to a line: to a named draw (1-based) or split over the draws."),
    "line_prepayment": obj({"on": ref("date"), "amount": ref("money"), "draw": {"type": "integer", "minimum": 1}},
                           description="A prepayment of a named draw."),
    "line_settlement": obj({"on": ref("date"), "draw": nullable({"type": "integer", "minimum": 1})},
                           optional=("draw",), description="The payoff of a draw, or of the whole line (null)."),
}
LINE_KINDS = {"draw": "draw", "payment": "line_payment", "prepayment": "line_prepayment",
              "settlement": "line_settlement"}

LINES: dict[str, Schema] = {
    "line_event": {"description": "An event of a credit line's events, named by its kind.",
                   "oneOf": [with_first("kind", {"const": kind}, LINE_EVENTS[name])
                             for kind, name in LINE_KINDS.items()]},
    "credit_line_terms": obj({
        "limit": ref("money"), "rate": ref("rate"), "basis": {"enum": [360, 365]}, "currency": ref("currency"),
        "calendar": ref("calendar"), "business_day": values(BusinessDay, "The business-day convention."),
        "repayment_day": {"type": "integer", "minimum": 1, "maximum": 28},
        "methods": array(values(RepaymentMethod, "A repayment method a draw may choose."), minItems=1),
        "draw_terms": array({"type": "integer", "minimum": 1}, minItems=1),
        "penalty": ref("penalty_terms"), "prepayment": ref("prepayment_terms"), "allocation": ref("allocation"),
        "suspend_after_dpd": ref("count"),
        "prepay_order": values(PrepayOrder, "Which draw's principal is repaid ahead first."),
    }, optional=("basis", "currency", "calendar", "business_day", "repayment_day", "methods", "draw_terms",
                 "penalty", "prepayment", "allocation", "suspend_after_dpd", "prepay_order"),
        description="The terms of a revolving credit line (随借随还)."),
    "credit_line": obj({"terms": ref("credit_line_terms"), "events": array(ref("line_event"))},
                       optional=("events",),
                       description="A credit line: its terms and its events, in date order (draws' loans derived)."),
    "credit_line_state": obj({
        "as_of": ref("date"), "limit": ref("money"), "drawn_principal": ref("money"), "available": ref("money"),
        "days_past_due": ref("count"), "status": values(Status, "The line's status."),
        "overdue": ref("amounts"), "due_now": ref("amounts"), "payoff": ref("money"),
        "principal_outstanding": ref("money"), "accrued_interest": ref("money"),
        "next_due_date": nullable(ref("date")), "next_due_amount": ref("money"), "credit": ref("money"),
        "prepayment_fees": ref("money"), "restructured_on": nullable(ref("date")), "suspended": {"type": "boolean"},
        "draws": array(ref("loan_state")),
    }, description="A credit line's state on a day, with each draw's state."),
}

DEFS: dict[str, Schema] = {**LEAVES, **CONVENTIONS, **TERMS, **EVENTS, **EVENT_UNION, **LEDGER, **LINE_EVENTS,
                           **LINES, **COLLECTIONS}

BODIES: dict[str, str] = {"currency": "currency_body", "calendar": "calendar"}
"""The definition of a document type's body, where it is not the definition of the same name."""


# ---------------------------------------------------------------------------
# Documents


def refs(schema: object) -> set[str]:
    """The names of the definitions ``schema`` refers to, directly."""
    if isinstance(schema, dict):
        found = {schema["$ref"].removeprefix("#/$defs/")} if "$ref" in schema else set()
        return found.union(*(refs(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(refs(value) for value in schema))
    return set()


def closure(schema: Schema) -> list[str]:
    """Every definition ``schema`` needs, directly or not, in the order of DEFS."""
    seen: set[str] = set()
    todo = refs(schema)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= refs(DEFS[name])
    return [name for name in DEFS if name in seen]


def enveloped(body: Schema, name: str) -> Schema:
    """A closed object body with the document's ``type`` and ``version`` added in front."""
    envelope = {"type": {"const": name}, "version": {"const": VERSION}}
    return {**body, "properties": {**envelope, **body["properties"]}, "required": ["type", "version",
                                                                               *body["required"]]}


def document(name: str) -> Schema:
    """The schema of a document of type ``name``."""
    body = DEFS[BODIES.get(name, name)]
    if "oneOf" in body:  # a calendar: each of its forms, enveloped
        shape: Schema = {"oneOf": [enveloped(DEFS[r["$ref"].removeprefix("#/$defs/")], name) for r in body["oneOf"]]}
    else:
        shape = enveloped(body, name)
    shape.pop("description", None)
    schema: Schema = {
        "$schema": DIALECT, "title": f"loanrules {name} document, version {VERSION}",
        "description": f"A {name} as loanrules.serialize writes it (to_data / to_json) and reads it "
                       f"(from_data / from_json). {body.get('description', '')}".strip(),
        **shape,
    }
    needed = closure(schema)
    if needed:
        schema["$defs"] = {key: DEFS[key] for key in needed}
    return schema


def build() -> dict[str, str]:
    """File name to text, for every document type."""
    return {f"{name}.json": json.dumps(document(name), indent=2, ensure_ascii=False) + "\n"
            for name in sorted(DOCUMENT_TYPES.values())}


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = sorted(name for name, text in files.items()
                       if not (SCHEMAS / name).is_file() or (SCHEMAS / name).read_text(encoding="utf-8") != text)
        extra = sorted(p.name for p in SCHEMAS.glob("*.json") if p.name not in files)
        for name in stale + extra:
            print(f"out of date: {name}")
        return 1 if stale or extra else 0
    SCHEMAS.mkdir(exist_ok=True)
    for path in SCHEMAS.glob("*.json"):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        (SCHEMAS / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} schemas to {SCHEMAS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
