"""The codec: loanrules values to plain data and back, on a cattrs converter (private; see the package).

The value classes whose fields are plain (terms, events) go through
converters that cattrs generates from their attrs fields; the others (a
calendar by name, a loan without its derived schedule, a state by its
installments, a decision's facts) have hooks of their own, registered on
the same converter. Every value read goes through its class's validating
constructor. Whatever goes wrong is reported as one :class:`InvalidDataError`
with the JSON path of the bad value: the hooks raise :class:`_Bad` at a
leaf, cattrs collects the field and index of each step in exception groups,
and :func:`_locate` walks them back into a path.
"""

from __future__ import annotations

import enum
import json
import re
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ForbiddenExtraKeysError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from loanrules.collection import (
    Action,
    Case,
    CollectionPolicy,
    Decision,
    DecisionStatus,
    Outcome,
    Record,
    TraceEntry,
)
from loanrules.conventions import (
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
    Rate,
)
from loanrules.errors import (
    MAX_SHOWN,
    NO_VALUE,
    InvalidDataError,
    InvalidPolicyError,
    LoanRulesError,
    RefusedEventError,
    _FieldError,
    describe,
)
from loanrules.ledger import (
    Allocation,
    Amounts,
    Component,
    CreditLine,
    CreditLineState,
    CreditLineTerms,
    Draw,
    InstallmentState,
    LinePayment,
    LinePrepayment,
    LineSettlement,
    Loan,
    LoanState,
    Payment,
    PenaltyTerms,
    Prepayment,
    PrepaymentTerms,
    PrepayOrder,
    Restructure,
    Settlement,
    Waiver,
)
from loanrules.schedule import Installment, LoanTerms, RepaymentMethod, Schedule

__all__ = ["DOCUMENT_TYPES", "VERSION", "from_data", "from_json", "to_data", "to_json"]

VERSION: Final = 1
"""The format version this loanrules writes (and the newest it reads)."""

_T = typing.TypeVar("_T")

EVENT_KINDS: Final[dict[str, type]] = {
    "payment": Payment, "prepayment": Prepayment, "settlement": Settlement, "waiver": Waiver,
    "restructure": Restructure,
}
"""An event's ``kind`` in a loan's ``events``."""

LINE_EVENT_KINDS: Final[dict[str, type]] = {
    "draw": Draw, "payment": LinePayment, "prepayment": LinePrepayment, "settlement": LineSettlement,
}
"""An event's ``kind`` in a credit line's ``events``."""

DOCUMENT_TYPES: Final[dict[type, str]] = {
    Currency: "currency", Rate: "rate", Calendar: "calendar", LoanTerms: "loan_terms",
    PenaltyTerms: "penalty_terms", PrepaymentTerms: "prepayment_terms", Allocation: "allocation",
    **{cls: kind for kind, cls in EVENT_KINDS.items()},
    Loan: "loan", Schedule: "schedule", LoanState: "loan_state", Amounts: "amounts", Record: "record",
    Case: "case", CollectionPolicy: "collection_policy", Decision: "decision",
    CreditLineTerms: "credit_line_terms", CreditLine: "credit_line", CreditLineState: "credit_line_state",
    Draw: "draw", LinePayment: "line_payment", LinePrepayment: "line_prepayment", LineSettlement: "line_settlement",
}
"""Every type a document can hold, with the name its ``type`` field carries."""

_UPGRADES: Final[dict[int, Callable[[str, dict[str, Any]], dict[str, Any]]]] = {}
"""How a document of version ``n`` becomes one of version ``n + 1`` (none yet: version 1 is the first).
Reading an older document runs these in turn, so every version stays readable."""

MAX_YEARS_ADDED: Final = 200
"""The most years a built-in calendar's ``years_added`` may hold when read."""

_BUILTIN_CURRENCIES: Final = {c.code: c for c in (CNY, USD, EUR, JPY)}
_BUILTIN_CALENDARS: Final = {c.name: c for c in (ALL_DAYS, WEEKENDS, CHINA)}
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_ZONED: Final = re.compile(r"(?P<moment>[^\[\]]+)(?:\[(?P<zone>[A-Za-z0-9_+\-/]{1,64})\])?")


class _Bad(Exception):  # noqa: N818 - internal signal, never escapes: _locate turns it into InvalidDataError
    """A leaf value that breaks a rule, at ``path`` below where it was raised."""

    def __init__(self, rule: str, value: object, path: str = "") -> None:
        super().__init__(rule)
        self.rule = rule
        self.value = value
        self.path = path


# ---------------------------------------------------------------------------
# Paths


def _join(head: str, tail: str) -> str:
    if not head:
        return tail
    if not tail:
        return head
    return head + tail if tail.startswith("[") else f"{head}.{tail}"


def _locate(error: BaseException, path: str = "") -> InvalidDataError:
    """The first failure inside ``error`` (a cattrs exception group, or a leaf), with its JSON path."""
    while isinstance(error, BaseExceptionGroup):
        inner = error.exceptions[0]
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                path = _join(path, note.name)
            elif isinstance(note, IterableValidationNote):  # pragma: no cover - no generated class has a list yet
                path = _join(path, f"[{note.index}]")
        error = inner
    if isinstance(error, ForbiddenExtraKeysError):
        extra = min(error.extra_fields, key=_key_order)
        return InvalidDataError(_join(path, _key_step(extra)), "is not a known field", extra)
    if isinstance(error, InvalidDataError):
        return InvalidDataError(_join(path, error.path), error.rule, error.value)
    if isinstance(error, _Bad):
        return InvalidDataError(_join(path, error.path), error.rule, error.value)
    if isinstance(error, RefusedEventError):
        return InvalidDataError(_join(path, error.path), f"refused by rule {error.rule!r}: {error.detail}")
    if isinstance(error, InvalidPolicyError):
        return InvalidDataError(_join(path, error.path), error.detail)
    if isinstance(error, _FieldError):
        field = error.field if not error.field.startswith("<") else ""
        return InvalidDataError(_join(path, field), error.rule, error.value)
    if isinstance(error, LoanRulesError):
        return InvalidDataError(path, str(error))
    if isinstance(error, KeyError):  # a required field missing (cattrs noted which)
        return InvalidDataError(path, "is required")
    return InvalidDataError(path, f"cannot be read ({type(error).__name__})")


def _key_order(key: object) -> tuple[bool, str]:
    """Unknown fields in the order they are reported: names first, alphabetically; other keys after."""
    return type(key) is not str, key if type(key) is str else ""


def _key_step(key: object) -> str:
    """An unknown field's name as a step of the path: the name, bounded like a value if long; none if no string."""
    if type(key) is not str:
        return ""
    return key if len(key) <= MAX_SHOWN else describe(key)


def _sub(value: object, cls: Any, step: str) -> Any:
    """``value`` structured as ``cls``, its errors placed at ``step``."""
    try:
        return _converter.structure(value, cls)
    except Exception as error:
        raise _locate(error, step) from None


def _fields(data: object, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """``data`` as a dict with the ``required`` keys and no key outside ``required + optional``."""
    if not isinstance(data, dict):
        raise _Bad("must be an object", data)
    unknown = [key for key in data if key not in required and key not in optional]
    if unknown:
        key = min(unknown, key=_key_order)
        raise _Bad("is not a known field", key, path=_key_step(key))
    for key in required:
        if key not in data:
            raise _Bad("is required", NO_VALUE, path=key)
    return data


def _items(data: object, step: str) -> list[Any]:
    if not isinstance(data, list):
        raise _Bad("must be an array", data, path=step)
    return data


# ---------------------------------------------------------------------------
# Leaves


def _decimal_to(value: Decimal) -> str:
    return str(value)


def _decimal_from(value: object, _cls: object = None) -> Decimal:
    if type(value) is str and len(value) <= 100:
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _Bad("must be a decimal string (JSON numbers are refused for money and rates: write \"30000\", "
                   "\"0.049\")", value)
    raise _Bad("must be a decimal string", value)


def _int_from(value: object, _cls: object = None) -> int:
    if type(value) is not int:
        raise _Bad("must be an integer", value)
    return value


def _bool_from(value: object, _cls: object = None) -> bool:
    if type(value) is not bool:
        raise _Bad("must be true or false", value)
    return value


def _str_from(value: object, _cls: object = None) -> str:
    if type(value) is not str:
        raise _Bad("must be a string", value)
    return value


def _date_from(value: object, _cls: object = None) -> date:
    if type(value) is str and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad("must be an ISO 8601 date (YYYY-MM-DD) that exists", value)


def _datetime_to(value: datetime) -> str:
    """ISO 8601 with the UTC offset, and the IANA zone in brackets when there is one (RFC 9557)."""
    text = value.isoformat()
    return f"{text}[{value.tzinfo.key}]" if isinstance(value.tzinfo, ZoneInfo) else text


def _datetime_from(value: object, _cls: object = None) -> datetime:
    rule = "must be an aware ISO 8601 datetime with its UTC offset, and optionally [IANA zone] (RFC 9557)"
    match = _ZONED.fullmatch(value) if type(value) is str and len(value) <= 100 else None
    if match is None:
        raise _Bad(rule, value)
    try:
        moment = datetime.fromisoformat(match["moment"])
    except ValueError:
        raise _Bad(rule, value) from None
    if moment.tzinfo is None or "T" not in match["moment"]:
        raise _Bad(rule, value)
    if match["zone"] is None:
        return moment
    try:
        zone = ZoneInfo(match["zone"])
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise _Bad("must name an IANA time zone in its brackets", value) from None
    try:
        local = moment.astimezone(zone)
    except OverflowError:
        raise _Bad(rule, value) from None
    if local.utcoffset() != moment.utcoffset():
        raise _Bad(f"must have the UTC offset {zone.key} has at that moment", value)
    return local


def _enum_from(cls: type[enum.Enum]) -> Callable[..., enum.Enum]:
    values = {member.value: member for member in cls}

    def structure(value: object, _cls: object = None) -> enum.Enum:
        if type(value) in (str, int) and value in values:
            return values[value]
        raise _Bad(f"must be one of {', '.join(repr(v) for v in values)}", value)

    return structure


# ---------------------------------------------------------------------------
# Conventions


def _currency_to(currency: Currency) -> object:
    builtin = _BUILTIN_CURRENCIES.get(currency.code)
    if builtin is not None and builtin == currency:
        return currency.code
    return {"code": currency.code, "minor_units": currency.minor_units}


def _currency_from(data: object, _cls: object = None) -> Currency:
    if type(data) is str:
        if data in _BUILTIN_CURRENCIES:
            return _BUILTIN_CURRENCIES[data]
        raise _Bad(f"must be one of {', '.join(_BUILTIN_CURRENCIES)}, or an object with code and minor_units",
                   data)
    fields = _fields(data, ("code", "minor_units"))
    return Currency(_sub(fields["code"], str, "code"), _sub(fields["minor_units"], int, "minor_units"))


def _rate_to(rate: Rate) -> dict[str, Any]:
    return {"annual": str(rate.annual), "above_ceiling": rate.above_ceiling}


def _rate_from(data: object, _cls: object = None) -> Rate:
    fields = _fields(data, ("annual",), ("above_ceiling",))
    return Rate(annual=_sub(fields["annual"], Decimal, "annual"),
                above_ceiling=_sub(fields.get("above_ceiling", False), bool, "above_ceiling"))


def _years_changed(calendar: Calendar, base: Calendar) -> list[int] | None:
    """The years whose data differ from the built-in ``base``; ``None`` if the calendar is not one built so."""
    if calendar.weekend != base.weekend or calendar.projection != base.projection:
        return None
    if calendar.years is None or base.years is None:
        return [] if calendar.years == base.years and calendar.holidays == base.holidays and \
            calendar.working_days == base.working_days else None
    days = calendar.holidays ^ base.holidays | calendar.working_days ^ base.working_days
    return sorted({day.year for day in days} | (set(range(calendar.years[0], calendar.years[1] + 1))
                                                 - set(range(base.years[0], base.years[1] + 1))))


def _calendar_to(calendar: Calendar) -> dict[str, Any]:
    base = _BUILTIN_CALENDARS.get(calendar.name)
    if base is not None and (years := _years_changed(calendar, base)) is not None:
        added = [{"year": year, "holidays": sorted(d.isoformat() for d in calendar.holidays if d.year == year),
                  "working_days": sorted(d.isoformat() for d in calendar.working_days if d.year == year)}
                 for year in years]
        data: dict[str, Any] = {"builtin": calendar.name, "outside": calendar.outside.value, "years_added": added}
        try:
            if _calendar_from(data) == calendar:
                return data
        except (InvalidDataError, _Bad, LoanRulesError):  # pragma: no cover - a built-in changed otherwise
            pass
    return {
        "name": calendar.name, "weekend": sorted(calendar.weekend),
        "holidays": sorted(d.isoformat() for d in calendar.holidays),
        "working_days": sorted(d.isoformat() for d in calendar.working_days),
        "years": None if calendar.years is None else list(calendar.years),
        "projection": None if calendar.projection is None else calendar.projection.value,
        "outside": calendar.outside.value,
    }


def _dates(data: object, step: str) -> list[date]:
    return [_sub(item, date, f"{step}[{index}]") for index, item in enumerate(_items(data, step))]


def _calendar_from(data: object, _cls: object = None) -> Calendar:
    from loanrules.conventions import Outside, Projection  # noqa: PLC0415 - only calendars need them

    if isinstance(data, dict) and "builtin" in data:
        fields = _fields(data, ("builtin",), ("outside", "years_added"))
        name = _sub(fields["builtin"], str, "builtin")
        if name not in _BUILTIN_CALENDARS:
            raise _Bad(f"must be one of {', '.join(_BUILTIN_CALENDARS)}", name, path="builtin")
        calendar = _BUILTIN_CALENDARS[name]
        if "outside" in fields:
            calendar = calendar.with_outside(_sub(fields["outside"], Outside, "outside"))
        added = _items(fields.get("years_added", []), "years_added")
        if len(added) > MAX_YEARS_ADDED:  # each year rebuilds the calendar: unbounded, reading would take minutes
            raise _Bad(f"must hold at most {MAX_YEARS_ADDED} years (its length)", len(added), path="years_added")
        for index, item in enumerate(added):
            step = f"years_added[{index}]"
            try:  # the year's own problems (not an object, a field unknown or missing) are placed at its step too
                year = _fields(item, ("year", "holidays"), ("working_days",))
            except _Bad as error:
                raise _locate(error, step) from None
            try:
                calendar = calendar.with_year(_sub(year["year"], int, f"{step}.year"),
                                              _dates(year["holidays"], f"{step}.holidays"),
                                              _dates(year.get("working_days", []), f"{step}.working_days"))
            except _FieldError as error:
                raise _locate(error, step) from None
        return calendar
    fields = _fields(data, ("name",), ("weekend", "holidays", "working_days", "years", "projection", "outside"))
    years = fields.get("years")
    if years is not None:
        items = _items(years, "years")
        if len(items) != 2:
            raise _Bad("must be [first, last] or null", years, path="years")
        years = (_sub(items[0], int, "years[0]"), _sub(items[1], int, "years[1]"))
    projection = fields.get("projection")
    weekend = [_sub(day, int, f"weekend[{i}]") for i, day in enumerate(_items(fields.get("weekend", [5, 6]),
                                                                                "weekend"))]
    return Calendar(
        name=_sub(fields["name"], str, "name"), weekend=frozenset(weekend),
        holidays=frozenset(_dates(fields.get("holidays", []), "holidays")),
        working_days=frozenset(_dates(fields.get("working_days", []), "working_days")),
        years=years, projection=None if projection is None else _sub(projection, Projection, "projection"),
        outside=_sub(fields.get("outside", "raise"), Outside, "outside"))


# ---------------------------------------------------------------------------
# Ledger


def _amounts_to(amounts: Amounts) -> dict[str, str]:
    return {name: str(value) for name, value in zip(Amounts._fields, amounts, strict=True)}


def _amounts_from(data: object, _cls: object = None) -> Amounts:
    fields = _fields(data, Amounts._fields)
    return Amounts(*(_sub(fields[name], Decimal, name) for name in Amounts._fields))


_KIND_OF: Final[dict[type, str]] = {
    **{cls: kind for kind, cls in EVENT_KINDS.items()}, **{cls: kind for kind, cls in LINE_EVENT_KINDS.items()}}
"""An event's ``kind`` in its loan's or line's ``events``."""


def _event_to(event: Any) -> dict[str, Any]:
    return {"kind": _KIND_OF[type(event)], **_generated_to[type(event)](event)}


def _tagged_from(kinds: Mapping[str, type]) -> Callable[[object, object], Any]:
    """The reader of an event of ``events``: its ``kind`` names its class among ``kinds``."""

    def structure(data: object, _cls: object = None) -> Any:
        if not isinstance(data, dict):
            raise _Bad("must be an object", data)
        kind = data.get("kind")
        if kind not in kinds:
            raise _Bad(f"must be one of {', '.join(repr(k) for k in kinds)}", kind, path="kind")
        body = {key: value for key, value in data.items() if key != "kind"}
        return _converter.structure(body, kinds[typing.cast(str, kind)])

    return structure


def _components_from(data: object, _cls: object = None) -> tuple[Component, ...]:
    """An allocation's ``order``: an array, read up to its first bad item (cattrs would iterate a string's
    characters, and collect an error for each of a million)."""
    read = _enum_from(Component)
    order: list[Any] = []
    for index, item in enumerate(_items(data, "")):
        try:
            order.append(read(item))
        except _Bad as error:
            raise _Bad(error.rule, error.value, path=f"[{index}]") from None
    return tuple(order)


_LOAN_FIELDS: Final = ("penalty", "prepayment", "allocation", "tolerance", "events")


def _loan_to(loan: Loan) -> dict[str, Any]:
    return {
        "terms": _converter.unstructure(loan.terms), "penalty": _converter.unstructure(loan.penalty),
        "prepayment": _converter.unstructure(loan.prepayment), "allocation": _converter.unstructure(loan.allocation),
        "tolerance": str(loan.tolerance), "events": [_event_to(event) for event in loan.events],
    }


def _loan_from(data: object, _cls: object = None) -> Loan:
    fields = _fields(data, ("terms",), _LOAN_FIELDS)
    kwargs: dict[str, Any] = {"terms": _sub(fields["terms"], LoanTerms, "terms")}
    for name, cls in (("penalty", PenaltyTerms), ("prepayment", PrepaymentTerms), ("allocation", Allocation),
                      ("tolerance", Decimal)):
        if name in fields:
            kwargs[name] = _sub(fields[name], cls, name)
    if "events" in fields:
        kwargs["events"] = [_sub(item, _Event, f"events[{index}]")
                            for index, item in enumerate(_items(fields["events"], "events"))]
    return Loan(**kwargs)


_INSTALLMENT_TYPES: Final = {"number": int, "due_date": date, "principal": Decimal, "interest": Decimal,
                             "payment": Decimal, "balance": Decimal, "unadjusted_date": date,
                             "period_start": date, "provisional": bool}


def _installment_to(row: Installment) -> dict[str, Any]:
    return {name: _converter.unstructure(value) for name, value in zip(Installment._fields, row, strict=True)}


def _installment_from(data: object, _cls: object = None) -> Installment:
    fields = _fields(data, Installment._fields)
    return Installment(*(_sub(fields[name], kind, name) for name, kind in _INSTALLMENT_TYPES.items()))


def _schedule_to(schedule: Schedule) -> dict[str, Any]:
    return {"terms": _converter.unstructure(schedule.terms),
            "installments": [_installment_to(row) for row in schedule.installments]}


def _schedule_from(data: object, _cls: object = None) -> Schedule:
    fields = _fields(data, ("terms", "installments"))
    terms = _sub(fields["terms"], LoanTerms, "terms")
    rows = [_sub(item, Installment, f"installments[{index}]")
            for index, item in enumerate(_items(fields["installments"], "installments"))]
    return Schedule(terms=terms, installments=rows)


_STATE_FIELDS: Final = {
    "as_of": date, "days_past_due": int, "status": None, "overdue": Amounts, "due_now": Amounts,
    "payoff": Decimal, "principal_outstanding": Decimal, "accrued_interest": Decimal,
    "next_due_date": date | None, "next_due_amount": Decimal, "credit": Decimal, "prepayment_fees": Decimal,
    "restructured_on": date | None,
}
_ROW_FIELDS: Final = {"number": int, "due_date": date, "due": Amounts, "paid": Amounts, "waived": Amounts,
                      "outstanding": Amounts, "days_late": int, "settled_on": date | None, "phase": int}


def _state_to(state: LoanState) -> dict[str, Any]:
    data = {name: _converter.unstructure(getattr(state, name)) for name in _STATE_FIELDS}
    data["installments"] = [{name: _converter.unstructure(value) for name, value in zip(
        InstallmentState._fields, row, strict=True)} for row in state.installments]
    return data


def _state_from(data: object, _cls: object = None) -> LoanState:
    from loanrules.ledger import Status  # noqa: PLC0415 - a name the field table cannot hold before import

    fields = _fields(data, (*_STATE_FIELDS, "installments"))
    kwargs = {name: _sub(fields[name], Status if kind is None else kind, name) for name, kind in _STATE_FIELDS.items()}
    given = []
    for index, item in enumerate(_items(fields["installments"], "installments")):
        step = f"installments[{index}]"
        try:  # the row's own problems (not an object, a field unknown or missing) are placed at its step too
            row = _fields(item, tuple(_ROW_FIELDS))
            given.append({name: _sub(row[name], kind, name) for name, kind in _ROW_FIELDS.items()})
        except (_Bad, InvalidDataError) as error:
            raise _locate(error, step) from None
    raw = [(r["number"], r["due_date"], *r["due"], *r["paid"], *r["waived"], r["settled_on"], r["phase"])
           for r in given]
    state = LoanState(**kwargs, rows=raw)
    for index, (row, read) in enumerate(zip(given, state.installments, strict=True)):
        for name in ("outstanding", "days_late"):
            if row[name] != getattr(read, name):
                raise _Bad(f"must equal what the installment's due, paid, waived and dates make "
                           f"({describe(getattr(read, name))})", row[name], path=f"installments[{index}].{name}")
    return state


# ---------------------------------------------------------------------------
# Credit lines


_LINE_TERMS_FIELDS: Final = {
    "limit": Decimal, "rate": Rate, "basis": int, "currency": Currency, "calendar": Calendar,
    "business_day": BusinessDay, "repayment_day": int, "methods": None, "draw_terms": None,
    "penalty": PenaltyTerms, "prepayment": PrepaymentTerms, "allocation": Allocation, "suspend_after_dpd": int,
    "prepay_order": PrepayOrder,
}


def _line_terms_to(terms: CreditLineTerms) -> dict[str, Any]:
    data = {name: _converter.unstructure(getattr(terms, name)) for name in _LINE_TERMS_FIELDS}
    data["methods"] = sorted(method.value for method in terms.methods)  # a set: written in one order
    data["draw_terms"] = list(terms.draw_terms)
    return data


def _line_terms_from(data: object, _cls: object = None) -> CreditLineTerms:
    fields = _fields(data, ("limit", "rate"), tuple(_LINE_TERMS_FIELDS))
    kwargs: dict[str, Any] = {}
    for name, kind in _LINE_TERMS_FIELDS.items():
        if name not in fields:
            continue
        if name == "methods":
            kwargs[name] = frozenset(_sub(item, RepaymentMethod, f"methods[{i}]")
                                     for i, item in enumerate(_items(fields[name], "methods")))
        elif name == "draw_terms":
            kwargs[name] = tuple(_sub(item, int, f"draw_terms[{i}]")
                                 for i, item in enumerate(_items(fields[name], "draw_terms")))
        else:
            kwargs[name] = _sub(fields[name], kind, name)
    return CreditLineTerms(**kwargs)


def _line_to(line: CreditLine) -> dict[str, Any]:
    return {"terms": _line_terms_to(line.terms), "events": [_event_to(event) for event in line.events]}


def _line_from(data: object, _cls: object = None) -> CreditLine:
    fields = _fields(data, ("terms",), ("events",))
    events = [_sub(item, _LineEvent, f"events[{index}]")
              for index, item in enumerate(_items(fields.get("events", []), "events"))]
    return CreditLine(_sub(fields["terms"], CreditLineTerms, "terms"), events=events)


_LINE_STATE_FIELDS: Final = {
    "as_of": date, "limit": Decimal, "drawn_principal": Decimal, "available": Decimal, "days_past_due": int,
    "status": None, "overdue": Amounts, "due_now": Amounts, "payoff": Decimal, "principal_outstanding": Decimal,
    "accrued_interest": Decimal, "next_due_date": date | None, "next_due_amount": Decimal, "credit": Decimal,
    "prepayment_fees": Decimal, "restructured_on": date | None, "suspended": bool,
}


def _line_state_to(state: CreditLineState) -> dict[str, Any]:
    data = {name: _converter.unstructure(getattr(state, name)) for name in _LINE_STATE_FIELDS}
    data["draws"] = [_state_to(draw) for draw in state.draws]
    return data


def _line_state_from(data: object, _cls: object = None) -> CreditLineState:
    from loanrules.ledger import Status  # noqa: PLC0415 - as in _state_from

    fields = _fields(data, (*_LINE_STATE_FIELDS, "draws"))
    kwargs = {name: _sub(fields[name], Status if kind is None else kind, name)
              for name, kind in _LINE_STATE_FIELDS.items()}
    draws = [_sub(item, LoanState, f"draws[{index}]")
             for index, item in enumerate(_items(fields["draws"], "draws"))]
    return CreditLineState(**kwargs, draws=draws)


def _account_state_from(data: object, _cls: object = None) -> LoanState | CreditLineState:
    """A case's state: a line's when it has a ``limit``, else a loan's."""
    return _line_state_from(data) if isinstance(data, dict) and "limit" in data else _state_from(data)


# ---------------------------------------------------------------------------
# Collections


def _record_to(record: Record) -> dict[str, Any]:
    return {"at": _datetime_to(record.at), "action": record.action.value, "outcome": record.outcome.value,
            "promise_amount": None if record.promise_amount is None else str(record.promise_amount),
            "promise_date": None if record.promise_date is None else record.promise_date.isoformat()}


def _record_from(data: object, _cls: object = None) -> Record:
    fields = _fields(data, ("at", "action", "outcome"), ("promise_amount", "promise_date"))
    return Record(at=_sub(fields["at"], datetime, "at"), action=_sub(fields["action"], Action, "action"),
                  outcome=_sub(fields["outcome"], Outcome, "outcome"),
                  promise_amount=_sub(fields.get("promise_amount"), Decimal | None, "promise_amount"),
                  promise_date=_sub(fields.get("promise_date"), date | None, "promise_date"))


def _case_to(case: Case) -> dict[str, Any]:
    return {"state": _converter.unstructure(case.state), "history": [_record_to(r) for r in case.history],
            "flags": sorted(case.flags), "timezone": case.timezone}


def _case_from(data: object, _cls: object = None) -> Case:
    fields = _fields(data, ("state",), ("history", "flags", "timezone"))
    history = [_sub(item, Record, f"history[{index}]")
               for index, item in enumerate(_items(fields.get("history", []), "history"))]
    flags = [_sub(item, str, f"flags[{index}]") for index, item in enumerate(_items(fields.get("flags", []), "flags"))]
    kwargs: dict[str, Any] = {"history": history, "flags": frozenset(flags)}
    if "timezone" in fields:  # else the Case's own default
        kwargs["timezone"] = _sub(fields["timezone"], str, "timezone")
    return Case(state=_sub(fields["state"], LoanState | CreditLineState, "state"), **kwargs)


def _policy_from(data: object, _cls: object = None) -> CollectionPolicy:
    # A policy is a document of its own only (from_data hands over the body, a dict).
    return CollectionPolicy.from_dict(typing.cast(dict[str, Any], data))


_FACT_TAGS: Final[dict[str, Callable[..., object]]] = {
    "decimal": _decimal_from, "date": _date_from, "datetime": _datetime_from,
    "action": _enum_from(Action), "outcome": _enum_from(Outcome),
}


def _fact_to(value: object) -> object:
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime):
        return {"datetime": _datetime_to(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Action):
        return {"action": value.value}
    if isinstance(value, Outcome):
        return {"outcome": value.value}
    raise TypeError(f"a fact of type {type(value).__name__} has no plain form")  # pragma: no cover - engine facts


def _fact_from(value: object, step: str) -> object:
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag in _FACT_TAGS:
            try:
                return _FACT_TAGS[tag](inner)
            except _Bad as error:
                raise _Bad(error.rule, error.value, path=_join(step, tag)) from None
    raise _Bad(f"must be null, true, false, an integer, a string, or an object with one of "
               f"{', '.join(_FACT_TAGS)}", value, path=step)


def _decision_to(decision: Decision) -> dict[str, Any]:
    return {
        "action": decision.action.value, "status": decision.status.value, "stage": decision.stage,
        "not_before": None if decision.not_before is None else _datetime_to(decision.not_before),
        "reasons": list(decision.reasons),
        "trace": [{"rule": e.rule, "condition": e.condition, "facts": [[name, _fact_to(v)] for name, v in e.facts],
                   "result": e.result} for e in decision.trace],
    }


def _decision_from(data: object, _cls: object = None) -> Decision:
    fields = _fields(data, ("action", "status", "stage", "not_before", "reasons", "trace"))
    trace = []
    for index, item in enumerate(_items(fields["trace"], "trace")):
        step = f"trace[{index}]"
        try:
            entry = _fields(item, ("rule", "condition", "facts", "result"))
        except _Bad as error:
            raise _Bad(error.rule, error.value, path=_join(step, error.path)) from None
        facts = []
        for number, pair in enumerate(_items(entry["facts"], f"{step}.facts")):
            where = f"{step}.facts[{number}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise _Bad("must be a [name, value] pair", pair, path=where)
            facts.append((_sub(pair[0], str, f"{where}[0]"), _fact_from(pair[1], f"{where}[1]")))
        trace.append(TraceEntry(_sub(entry["rule"], str, f"{step}.rule"),
                                _sub(entry["condition"], str, f"{step}.condition"), tuple(facts),
                                _sub(entry["result"], bool, f"{step}.result")))
    reasons = [_sub(r, str, f"reasons[{i}]") for i, r in enumerate(_items(fields["reasons"], "reasons"))]
    return Decision(action=_sub(fields["action"], Action, "action"),
                    status=_sub(fields["status"], DecisionStatus, "status"),
                    stage=_sub(fields["stage"], str | None, "stage"),
                    not_before=_sub(fields["not_before"], datetime | None, "not_before"),
                    reasons=reasons, trace=trace)


# ---------------------------------------------------------------------------
# The converter


_Event: Any = Payment | Prepayment | Settlement | Waiver | Restructure
_LineEvent: Any = Draw | LinePayment | LinePrepayment | LineSettlement
_converter: Final = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
_generated_to: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _optional(structure: Callable[[object, object], Any]) -> Callable[[object, object], Any]:
    return lambda value, cls: None if value is None else structure(value, cls)


def _register() -> None:
    c = _converter
    for kind, to, read in (
        (Decimal, _decimal_to, _decimal_from), (date, date.isoformat, _date_from),
        (datetime, _datetime_to, _datetime_from), (Currency, _currency_to, _currency_from),
        (Rate, _rate_to, _rate_from), (Calendar, _calendar_to, _calendar_from),
        (Amounts, _amounts_to, _amounts_from), (Installment, _installment_to, _installment_from),
        (Loan, _loan_to, _loan_from), (Schedule, _schedule_to, _schedule_from),
        (LoanState, _state_to, _state_from), (Record, _record_to, _record_from), (Case, _case_to, _case_from),
        (CollectionPolicy, CollectionPolicy.to_dict, _policy_from), (Decision, _decision_to, _decision_from),
        (CreditLineTerms, _line_terms_to, _line_terms_from), (CreditLine, _line_to, _line_from),
        (CreditLineState, _line_state_to, _line_state_from),
    ):
        c.register_unstructure_hook(kind, to)
        c.register_structure_hook(kind, read)
    c.register_structure_hook(int, _int_from)
    c.register_structure_hook(bool, _bool_from)
    c.register_structure_hook(str, _str_from)
    c.register_structure_hook(dict, lambda value, _cls: value if isinstance(value, dict) else _fields(value, ()))
    for leaf in (date, Decimal, datetime, int, str, bool):  # optional leaves
        c.register_structure_hook(leaf | None, _optional(c.get_structure_hook(leaf)))
    c.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
                                      _enum_from)
    c.register_unstructure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, enum.Enum),
                                        lambda _t: lambda member: member.value)
    c.register_structure_hook_func(lambda t: t == tuple[Component, ...], _components_from)  # before Allocation
    # The plain value classes: converters generated from their attrs fields.
    plain: tuple[type, ...] = (LoanTerms, PenaltyTerms, PrepaymentTerms, Allocation, *EVENT_KINDS.values(),
                               *LINE_EVENT_KINDS.values())
    for value_class in plain:
        attrs.resolve_types(value_class)
        c.register_structure_hook(value_class, make_dict_structure_fn(value_class, c, _cattrs_forbid_extra_keys=True))
        _generated_to[value_class] = make_dict_unstructure_fn(value_class, c)
        c.register_unstructure_hook(value_class, _generated_to[value_class])
    for event_class in _KIND_OF:
        c.register_unstructure_hook(event_class, _event_to)
    c.register_structure_hook(_Event, _tagged_from(EVENT_KINDS))
    c.register_structure_hook(_LineEvent, _tagged_from(LINE_EVENT_KINDS))
    c.register_structure_hook(LoanState | CreditLineState, _account_state_from)


_register()


# ---------------------------------------------------------------------------
# The public face


def to_data(value: object) -> dict[str, Any]:
    """``value`` as a document of plain data: ``{"type": ..., "version": 1, ...}``; see the package."""
    name = DOCUMENT_TYPES.get(type(value))
    if name is None:
        raise InvalidDataError("", f"must be a value of one of the types {', '.join(sorted(DOCUMENT_TYPES.values()))}"
                               " (loanrules.serialize.DOCUMENT_TYPES)", value)
    body = _converter.unstructure(value)
    if type(value) in _KIND_OF:  # an event's own document: its type says its kind
        body = {key: item for key, item in body.items() if key != "kind"}
    elif not isinstance(body, dict):  # a built-in currency is its code when nested; a document is an object
        body = {"code": value.code, "minor_units": value.minor_units} if isinstance(value, Currency) else body
    return {"type": name, "version": VERSION, **body}


def from_data(cls: type[_T], data: object) -> _T:
    """The value of type ``cls`` a document holds, built through its validating constructor.

    Raises:
        InvalidDataError: The document is not one of ``cls`` or breaks a rule; ``path`` says where.
    """
    name = DOCUMENT_TYPES.get(cls)
    if name is None:
        raise InvalidDataError("", f"must be one of the document types {', '.join(sorted(DOCUMENT_TYPES.values()))}",
                               cls)
    if not isinstance(data, Mapping):
        raise InvalidDataError("", "must be an object (a document with type and version)", data)
    if data.get("type") != name:
        raise InvalidDataError("type", f"must be {name!r} for a {cls.__name__}", data.get("type"))
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise InvalidDataError("version", f"must be an integer from 1 to {VERSION} (the versions this loanrules "
                               "reads)", version)
    body = {key: value for key, value in data.items() if key not in ("type", "version")}
    for older in range(version, VERSION):  # pragma: no cover - version 1 is the only one yet
        body = _UPGRADES[older](name, body)
    try:
        return _converter.structure(body, cls)
    except Exception as error:
        raise _locate(error) from None


def to_json(value: object, *, indent: int | None = None) -> str:
    """``value`` as a JSON document (:func:`to_data`, then ``json.dumps``; non-ASCII text kept as is)."""
    return json.dumps(to_data(value), ensure_ascii=False, indent=indent)


def from_json(cls: type[_T], text: str | bytes) -> _T:
    """The value of type ``cls`` a JSON document holds (``json.loads``, then :func:`from_data`).

    Raises:
        InvalidDataError: The text is not JSON (``path`` is ``""``), or as for :func:`from_data`.
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise InvalidDataError("", "must be the text of a JSON document", text)
    try:
        data = json.loads(text)  # numbers stay numbers: where money is read, they are refused
    except (ValueError, RecursionError) as error:  # JSONDecodeError, an int of too many digits, deep nesting
        detail = error.msg if isinstance(error, json.JSONDecodeError) else type(error).__name__
        where = f" at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        raise InvalidDataError("", f"must be valid JSON ({detail}{where})", text) from None
    return from_data(cls, data)
