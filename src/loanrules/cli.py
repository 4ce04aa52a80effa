"""The command line: loanrules demo, schedule, state, next-step, apr and portfolio.

This is the only module of the package that reads files or prints.

``loanrules demo`` prints the built-in example loan. The other commands read
loanrules documents (:mod:`loanrules.serialize`) from files:

- ``loanrules schedule FILE`` (a loan or loan_terms document), or
  ``loanrules schedule --principal P --rate-percent R --term N --start DATE``;
- ``loanrules state FILE --as-of DATE`` (a loan document);
- ``loanrules next-step FILE --now DATETIME [--policy standard|us_reg_f|FILE.toml]``
  (a case document, or a loan document and ``--timezone``, default Asia/Shanghai);
- ``loanrules apr FILE [--effective] [--upfront-fees X] [--periodic-fees X]``;
- ``loanrules portfolio FILE.jsonl --as-of DATE`` (one loan document per line).

A file is JSON, or TOML when its name ends in ``.toml``; ``-`` is JSON on
standard input. ``--format table|json|csv`` defaults to ``table`` when
standard output is a terminal and to ``json`` when it is not (``schedule``
given by options keeps ``table``, as before files). Bad input of any kind is
one line on standard error, ``loanrules: error: <where>: <rule>, got <value>``,
and exit status 2; see ``loanrules --help``.
"""

from __future__ import annotations

import argparse
import csv
import enum
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final, NoReturn, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import __version__, policies
from .collection._engine import DecisionStatus, next_step
from .collection._policy import Action, Case, CollectionPolicy, Outcome, Record
from .conventions._calendars import CHINA, BusinessDay
from .conventions._frequency import Frequency
from .conventions._money import to_decimal
from .conventions._rates import Rate
from .errors import (
    NO_VALUE,
    InvalidDataError,
    InvalidPolicyError,
    InvalidTypeError,
    InvalidValueError,
    LoanRulesError,
    _FieldError,
    describe,
)
from .ledger._apr import apr
from .ledger._ledger import Loan, LoanState, PenaltyTerms, PrepaymentTerms
from .ledger._line import CreditLine, CreditLineTerms
from .schedule._schedule import MAX_TERM, Installment, LoanTerms, RepaymentMethod, Schedule, build_schedule
from .serialize import from_data, to_json

__all__ = ["demo_loan", "demo_terms", "main"]

_NOTHING: Final = object()


def demo_terms() -> LoanTerms:
    """The built-in example: a 兴闪贷-style consumer loan of 50,000 CNY over 12 months.

    >>> demo_terms().principal
    Decimal('50000.00')
    """
    return LoanTerms(
        principal="50000",
        rate=Rate.percent("7.2"),
        term=12,
        method=RepaymentMethod.ANNUITY,
        start=date(2026, 1, 20),
        calendar=CHINA,
        business_day=BusinessDay.FOLLOWING,
    )


def demo_loan() -> Loan:
    """The built-in example as a loan: penalty at +50 %, a 3-day grace (宽限期), prepayment allowed.

    >>> demo_loan().penalty.grace_days
    3
    """
    return Loan(demo_terms(), penalty=PenaltyTerms(grace_days=3), prepayment=PrepaymentTerms(fee_rate="0.01"))


def _state_lines(state: LoanState) -> list[str]:
    due = state.due_now
    return [
        f"  as of {state.as_of}: {state.status.name}, {state.days_past_due} days past due",
        f"    due now {due.total} = principal {due.principal} + interest {due.interest}"
        f" + penalty {due.penalty} + fee {due.fee}",
        f"    payoff (结清金额) {state.payoff}; principal outstanding {state.principal_outstanding}",
        f"    next due {state.next_due_date} for {state.next_due_amount}",
    ]


_DEMO_OUTCOMES: Final = {Action.CALL: Outcome.NO_ANSWER, Action.LETTER: Outcome.SENT}


def _collection_lines(loan: Loan, due: date) -> None:
    """Ask the standard policy for the next step at a few moments after the missed installment."""
    zone = ZoneInfo("Asia/Shanghai")
    policy = policies.standard()
    history: list[Record] = []
    print()
    print("The next collection step (standard policy, debtor in Asia/Shanghai), each step taken as asked:")
    for days, hour in ((-2, 9), (1, 7), (1, 9), (8, 10), (9, 10)):
        day = due + timedelta(days=days)
        now = datetime.combine(day, time(hour), tzinfo=zone)
        decision = next_step(policy, Case(state=loan.state(as_of=day), history=tuple(history),
                                          timezone="Asia/Shanghai"), now)
        when = f" until {decision.not_before:%Y-%m-%d %H:%M}" if decision.not_before else ""
        print(f"  {now:%Y-%m-%d %H:%M}: {decision.status.name} {decision.action.name}{when}"
              f" (stage {decision.stage})")
        for reason in decision.reasons:
            print(f"      - {reason}")
        if decision.status is DecisionStatus.ACT:
            history.append(Record(at=now, action=decision.action,
                                  outcome=_DEMO_OUTCOMES.get(decision.action, Outcome.SENT)))


def _demo(_args: argparse.Namespace) -> int:
    terms = demo_terms()
    schedule = build_schedule(terms)
    print("loanrules demo: a consumer loan, repaid monthly (等额本息)")
    print(
        f"  principal {terms.principal} {terms.currency.code}, {terms.rate.as_percent.normalize()}% a year, "
        f"{terms.term} months from {terms.start}, due dates on the CHINA calendar "
        "(statutory holidays projected past its data), "
        f"{terms.business_day.name} (a due date on a holiday moves to the next working day)"
    )
    print()
    print(schedule)
    loan = demo_loan()
    first = schedule[0]
    print()
    print(f"The first installment ({first.due_date}, {first.payment}) is missed. Penalty interest (罚息) is")
    print("the contract rate +50 % on the overdue principal and interest, after a 3-day grace that")
    print("backdates to the due date once it passes unpaid:")
    for days in (3, 4, 10):
        for line in _state_lines(loan.state(as_of=first.due_date + timedelta(days=days))):
            print(line)
    _collection_lines(loan, first.due_date)
    paid_on = first.due_date + timedelta(days=10)
    due = loan.state(as_of=paid_on).due_now.total
    loan = loan.pay(on=paid_on, amount=due)
    print()
    print(f"Paid {due} on {paid_on}:")
    for line in _state_lines(loan.state(as_of=paid_on)):
        print(line)
    after = next_step(policies.standard(), Case(state=loan.state(as_of=paid_on), timezone="Asia/Shanghai"),
                      datetime.combine(paid_on, time(15), tzinfo=ZoneInfo("Asia/Shanghai")))
    print(f"  next collection step: {after.status.name} ({'; '.join(after.reasons)})")
    _line_demo()
    return 0


def _line_demo() -> None:
    """The product of the source article itself: a revolving line (随借随还), drawn and repaid at will."""
    terms = CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365), suspend_after_dpd=7)
    print()
    print(f"A credit line (随借随还): limit {terms.limit} {terms.currency.code}, 0.05 % a day (daily x 365),")
    print(f"every draw repaid on day {terms.repayment_day} of the month:")
    line = CreditLine(terms).draw(on=date(2026, 3, 1), amount="10000", term=3)
    state = line.state(date(2026, 3, 16))
    print(f"  drew 10000.00 on 2026-03-01; on 2026-03-16: available {state.available}, "
          f"interest for 15 days {state.draws[0].accrued_interest}, payoff {state.payoff}")
    line = line.draw(on=date(2026, 4, 12), amount="6000", term=3)
    state = line.state(date(2026, 5, 10))
    print(f"  drew 6000.00 on 2026-04-12; the first draw's April installment unpaid: on 2026-05-10 the line is "
          f"{state.days_past_due} days past due,")
    print(f"  overdue {state.overdue.total} (penalty {state.overdue.penalty}), new draws suspended: {state.suspended}")
    line = line.pay(on=date(2026, 5, 10), amount="5000")
    state = line.state(date(2026, 5, 10))
    print(f"  paid 5000.00, split over the draws (overdue first): {state.days_past_due} days past due, "
          f"available {state.available}")


class UsageError(Exception):
    """Bad input: ``what`` (an option, or a file and the place in it), the ``rule`` it breaks, the ``value`` given.

    The message is ``<what>: <rule>, got <value>``; without a value to show
    (a file that cannot be read, an event the loan refuses) it is ``<what>: <rule>``.
    """

    def __init__(self, what: str, rule: str, value: object = _NOTHING, *, got: str | None = None) -> None:
        shown = got if got is not None else None if value is _NOTHING else describe(value)
        super().__init__(f"{what}: {rule}" if shown is None else f"{what}: {rule}, got {shown}")


_OPTION_OF: Final = {"principal": "--principal", "annual": "--rate-percent", "percent": "--rate-percent",
                     "term": "--term", "start": "--start", "first_due": "--start"}
"""The option that gave each field of the terms, to name it in an error."""

_TERM_DIGITS: Final = re.compile(r"\s*[0-9]{1,6}\s*")
_DAY: Final = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*")
_DAY_RULE: Final = "must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31"


def _term(text: str) -> int:
    if not _TERM_DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_TERM:
        raise UsageError("--term", f"must be a whole number of installments in [1, {MAX_TERM}]", text)
    return int(text)


def _day(option: str, text: str) -> date:
    """The date an option gives, ``YYYY-MM-DD`` (one that exists: 2026-02-30 is refused)."""
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise UsageError(option, _DAY_RULE, text)


def _percent(text: str) -> Decimal:
    try:
        percent = to_decimal(text, "--rate-percent")
    except (InvalidTypeError, InvalidValueError):
        raise UsageError("--rate-percent", "must be a decimal number", text) from None
    if not 0 <= percent <= 100:  # compared before any arithmetic: 1e999999 costs nothing
        raise UsageError("--rate-percent", "must lie in [0, 100] (percent a year)", text)
    return percent


def _choice(option: str, text: str, names: Sequence[str]) -> str:
    if text not in names:
        raise UsageError(option, f"must be one of {', '.join(names)}", text)
    return text


_MOMENT_RULE: Final = ("must be an ISO 8601 date and time, YYYY-MM-DDTHH:MM[:SS][+HH:MM] (without an offset: "
                       "in the case's time zone)")


def _moment(text: str) -> datetime:
    """The moment ``--now`` gives, aware or naive (naive is read in the case's zone later)."""
    try:
        if 16 <= len(text.strip()) <= 40 and text.strip()[10:11] in ("T", "t", " "):
            return datetime.fromisoformat(text.strip())
    except ValueError:
        pass
    raise UsageError("--now", _MOMENT_RULE, text)


def _zone(what: str, name: str) -> ZoneInfo:
    try:
        if 0 < len(name) <= 64 and not name.startswith(("/", ".")):
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    raise UsageError(what, "must be an IANA time zone name such as Asia/Shanghai", name)


# ---------------------------------------------------------------------------
# Files: read, parse, and read as a document


_STDIN: Final = "-"


def _label(name: str) -> str:
    """How an error names a file: its name as given, ``<stdin>`` for ``-``."""
    return "<stdin>" if name == _STDIN else name


def _is_toml(name: str) -> bool:
    return name != _STDIN and name.lower().endswith(".toml")


def _read_text(name: str) -> str:
    """The text of a file (``-``: standard input), UTF-8; or one error naming the file."""
    try:
        if name == _STDIN:
            return sys.stdin.read()
        with open(name, encoding="utf-8") as file:
            return file.read()
    except OSError as error:  # missing, a directory, no permission, ...
        raise UsageError(_label(name), f"cannot be read ({error.strerror or type(error).__name__})") from None
    except UnicodeDecodeError:
        raise UsageError(_label(name), "cannot be read (not UTF-8 text)") from None
    except ValueError as error:  # a name with a NUL character
        raise UsageError(_label(name), f"cannot be read ({error})") from None


def _plain(value: object) -> object:
    """TOML's dates, times and datetimes as the ISO 8601 strings the JSON of a document holds."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    return value


def _json(where: str, text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(where, f"must be valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
                         ) from None
    except (ValueError, RecursionError) as error:  # an integer of too many digits; nesting too deep
        raise UsageError(where, f"must be valid JSON ({type(error).__name__})") from None


def _parse(name: str, *, toml_dates: bool = True) -> object:
    """The plain data of a file: JSON, or TOML when its name ends in ``.toml`` (its dates as strings)."""
    text = _read_text(name)
    if not _is_toml(name):
        return _json(_label(name), text)
    import tomllib  # noqa: PLC0415 - lazily: most runs read JSON

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(name, f"must be valid TOML ({error})") from None
    except RecursionError:
        raise UsageError(name, "must be valid TOML (nests too deep to read)") from None
    return _plain(data) if toml_dates else data


def _data_error(where: str, error: InvalidDataError) -> UsageError:
    """An error of :mod:`loanrules.serialize` placed in its file: ``<file>:<JSON path>: <rule>, got <value>``."""
    place = f"{where}:{error.path}" if error.path else where
    if error.rule == "is required":
        return UsageError(place, error.rule, got="nothing")
    if error.value is NO_VALUE:  # a refused event: no value of its own
        return UsageError(place, error.rule)
    return UsageError(place, error.rule, error.value)


def _document(where: str, data: object, kinds: Mapping[str, type]) -> tuple[Any, str | int | None]:
    """The value a document holds (one of ``kinds``, by its ``type``) and its optional top-level ``id``."""
    if not isinstance(data, dict):
        raise UsageError(where, "must be a JSON object (a document with type and version)", data)
    body = dict(data)
    ident = body.pop("id", None)
    if ident is not None and type(ident) not in (str, int):
        raise UsageError(f"{where}:id", "must be a string or an integer", ident)
    kind = body.get("type")
    cls = kinds.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise UsageError(f"{where}:type", f"must be {' or '.join(repr(k) for k in kinds)}", kind)
    try:
        return from_data(cls, body), ident
    except InvalidDataError as error:
        raise _data_error(where, error) from None


def _load(name: str, kinds: Mapping[str, type]) -> Any:
    return _document(_label(name), _parse(name), kinds)[0]


def _state_of(loan: Loan, as_of: date, text: str, where: str = "", option: str = "--as-of") -> LoanState:
    """``loan.state(as_of)``, a date before the loan's start reported against ``option``."""
    try:
        return loan.state(as_of=as_of)
    except InvalidValueError as error:
        if error.field != "as_of":  # pragma: no cover - as_of is the only argument
            raise
        raise UsageError(option, f"{error.rule}{f', for the loan at {where}' if where else ''}", text) from None


def _local(now: datetime, zone: ZoneInfo, text: str) -> datetime:
    """``now`` in ``zone``; a moment whose local date falls outside datetime's years is refused."""
    try:
        return now.astimezone(zone)
    except OverflowError:
        raise UsageError("--now", f"must fall within 0001-01-01 and 9999-12-31 in {zone.key}", text) from None


# ---------------------------------------------------------------------------
# Output


def _format(args: argparse.Namespace, default: str | None = None) -> str:
    """``--format``, else ``table`` when standard output is a terminal and ``json`` when it is not."""
    if args.format is not None:
        return str(args.format)
    if default is not None:
        return default
    return "table" if sys.stdout.isatty() else "json"


def _cell(value: object) -> str:
    """A value as a CSV or table cell: dates ISO, ``None`` empty, enums by value, ``true``/``false``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 0) -> list[str]:
    """Rows as aligned columns: the first ``left`` columns flush left, the others (numbers) flush right."""
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) if i < left else cell.rjust(w) for i, (cell, w) in
                      enumerate(zip(row, widths, strict=True))).rstrip() for row in (header, *rows)]


_SUMMARY: Final = ("as_of", "status", "days_past_due", "overdue", "due_now", "payoff", "principal_outstanding",
                   "next_due_date", "next_due_amount")
"""The columns of a state's summary row (``state --format csv``, and each row of ``portfolio``)."""


def _summary(state: LoanState) -> dict[str, object]:
    return {"as_of": state.as_of.isoformat(), "status": state.status.value, "days_past_due": state.days_past_due,
            "overdue": str(state.overdue.total), "due_now": str(state.due_now.total), "payoff": str(state.payoff),
            "principal_outstanding": str(state.principal_outstanding),
            "next_due_date": None if state.next_due_date is None else state.next_due_date.isoformat(),
            "next_due_amount": str(state.next_due_amount)}


# ---------------------------------------------------------------------------
# The commands over files


def _print_schedule(schedule: Schedule, fmt: str) -> None:
    if fmt == "json":
        print(to_json(schedule))
    elif fmt == "csv":
        _csv(Installment._fields, schedule.installments)
    else:
        print(schedule)


def _schedule(args: argparse.Namespace) -> int:
    options = {"--principal": args.principal, "--rate-percent": args.rate_percent, "--term": args.term,
               "--start": args.start, "--method": args.method, "--frequency": args.frequency}
    if args.file is not None:
        given = [option for option, value in options.items() if value is not None]
        if given:
            raise UsageError(given[0], "must not be given with a FILE (the document holds the terms)",
                             options[given[0]])
        value: Loan | LoanTerms = _load(args.file, {"loan": Loan, "loan_terms": LoanTerms})
        schedule = value.schedule if isinstance(value, Loan) else build_schedule(value)
        _print_schedule(schedule, _format(args))
        return 0
    missing = [option for option in ("--principal", "--rate-percent", "--term", "--start") if options[option] is None]
    if missing:
        raise UsageError(", ".join(missing), "is required", got="nothing")
    method = _choice("--method", args.method or "annuity", _METHODS)
    frequency = _choice("--frequency", args.frequency or "monthly", _FREQUENCIES)
    try:
        terms = LoanTerms(
            principal=args.principal,
            rate=Rate.percent(_percent(args.rate_percent)),
            term=_term(args.term),
            method=RepaymentMethod[method.upper()],
            start=_day("--start", args.start),
            frequency=Frequency[frequency.upper()],
        )
    except (InvalidTypeError, InvalidValueError) as error:
        option = _OPTION_OF.get(error.field)
        if option is None:  # pragma: no cover - every field of the terms comes from an option above
            raise
        raise UsageError(option, error.rule, options[option]) from None
    _print_schedule(build_schedule(terms), _format(args, default="table"))  # the option form predates files
    return 0


def _state(args: argparse.Namespace) -> int:
    as_of = _day("--as-of", args.as_of)
    state = _state_of(_load(args.file, {"loan": Loan}), as_of, args.as_of)
    fmt = _format(args)
    if fmt == "json":
        print(to_json(state))
    elif fmt == "csv":
        _csv(_SUMMARY, [list(_summary(state).values())])
    else:
        for line in _state_lines(state):
            print(line)
        print()
        rows = [[str(row.number), str(row.due_date), str(row.due.total), str(row.paid.total),
                 str(row.waived.total), str(row.outstanding.total), str(row.days_late), _cell(row.settled_on)]
                for row in state.installments]
        for line in _table(("#", "due date", "due", "paid", "waived", "outstanding", "days late", "settled on"),
                           rows):
            print(line)
    return 0


_POLICIES: Final = {"standard": policies.standard, "us_reg_f": policies.us_reg_f}
_POLICY_RULE: Final = "must be standard, us_reg_f or a policy file whose name ends in .toml"


def _policy(name: str) -> CollectionPolicy:
    if name in _POLICIES:
        return _POLICIES[name]()
    if not _is_toml(name):
        raise UsageError("--policy", _POLICY_RULE, name)
    data = _parse(name, toml_dates=False)  # a policy reads TOML's own times ("08:00" or 08:00)
    try:
        return CollectionPolicy.from_dict(cast(dict[str, Any], data))  # TOML's top level is a table
    except InvalidPolicyError as error:
        place = name if error.path in ("", "<policy>") else f"{name}:{error.path}"
        raise UsageError(place, error.detail) from None


def _next_step(args: argparse.Namespace) -> int:
    moment = _moment(args.now)
    policy = _policy(args.policy)
    value: Case | Loan = _document(_label(args.file), _parse(args.file), {"case": Case, "loan": Loan})[0]
    if isinstance(value, Case):
        if args.timezone is not None:
            raise UsageError("--timezone", "must not be given with a case document (the case names its zone)",
                             args.timezone)
        case = value
        zone = _zone(f"{_label(args.file)}:timezone", case.timezone)
        now = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
        local = _local(now, zone, args.now).date()
        if local != case.state.as_of:
            raise UsageError("--now", f"must fall on the date of the case's state ({case.state.as_of}) in "
                             f"{case.timezone}, where it is {local}", args.now)
    else:
        name = "Asia/Shanghai" if args.timezone is None else args.timezone
        zone = _zone("--timezone", name)
        now = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
        case = Case(state=_state_of(value, _local(now, zone, args.now).date(), args.now, option="--now"),
                    timezone=name)
    decision = next_step(policy, case, now)
    fmt = _format(args)
    if fmt == "json":
        print(to_json(decision))
    elif fmt == "csv":
        _csv(("status", "action", "stage", "not_before", "reasons"),
             [(decision.status, decision.action, decision.stage,
               None if decision.not_before is None else decision.not_before.isoformat(),
               "; ".join(decision.reasons))])
    else:
        local_now = now.astimezone(zone)
        when = f" until {decision.not_before:%Y-%m-%d %H:%M}" if decision.not_before else ""
        stage = f" (stage {decision.stage})" if decision.stage else ""
        print(f"{local_now:%Y-%m-%d %H:%M} {case.timezone}, policy {policy.name}: "
              f"{decision.status.name} {decision.action.name}{when}{stage}")
        for reason in decision.reasons:
            print(f"  - {reason}")
    return 0


_FEE_OPTIONS: Final = {"upfront_fees": "--upfront-fees", "periodic_fees": "--periodic-fees"}


def _apr(args: argparse.Namespace) -> int:
    value: Loan | LoanTerms = _load(args.file, {"loan": Loan, "loan_terms": LoanTerms})
    try:
        rate = apr(value if isinstance(value, Loan) else build_schedule(value), effective=args.effective,
                   upfront_fees=args.upfront_fees, periodic_fees=args.periodic_fees)
    except (InvalidTypeError, InvalidValueError) as error:
        option = _FEE_OPTIONS.get(error.field)
        if option is None:  # pragma: no cover - a loan read from a document always has a schedule
            raise
        raise UsageError(option, error.rule, getattr(args, error.field)) from None
    basis = "effective" if args.effective else "nominal"
    percent = format((rate * 100).normalize(), "f")
    row = {"apr": str(rate), "percent": percent, "basis": basis,
           "upfront_fees": args.upfront_fees, "periodic_fees": args.periodic_fees}
    fmt = _format(args)
    if fmt == "json":
        print(json.dumps(row))
    elif fmt == "csv":
        _csv(tuple(row), [tuple(row.values())])
    else:
        print(f"APR by the IRR method (年化利率, IRR法), {basis}: {percent} % ({rate})")
    return 0


_PORTFOLIO: Final = ("line", "id", *_SUMMARY)


class _Progress:
    """A counter on standard error, ``\\r``-rewritten, only when standard error is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.shown = total > 0 and sys.stderr.isatty()
        self.every = max(1, total // 200)

    def step(self, done: int) -> None:
        if self.shown and (done % self.every == 0 or done == self.total):
            sys.stderr.write(f"\rloanrules portfolio: {done}/{self.total} loans")
            sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")  # clear the line: an error, or nothing, is what stays
            sys.stderr.flush()


def _portfolio(args: argparse.Namespace) -> int:
    as_of = _day("--as-of", args.as_of)
    label = _label(args.file)
    lines = [(number, line) for number, line in enumerate(_read_text(args.file).splitlines(), 1) if line.strip()]
    progress = _Progress(len(lines))
    rows: list[dict[str, object]] = []
    currencies: set[str] = set()
    try:
        for done, (number, line) in enumerate(lines, 1):
            where = f"{label}:{number}"
            loan, ident = _document(where, _json(where, line), {"loan": Loan})
            currencies.add(loan.terms.currency.code)
            rows.append({"line": number, "id": ident, **_summary(_state_of(loan, as_of, args.as_of, where))})
            progress.step(done)
    finally:
        progress.close()
    fmt = _format(args)
    if fmt == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        _csv(_PORTFOLIO, [list(row.values()) for row in rows])
    else:
        header = ("line", "id", "status", "dpd", "overdue", "due now", "payoff", "principal", "next due", "amount")
        cells = [[_cell(row[name]) for name in _PORTFOLIO if name != "as_of"] for row in rows]
        for text in _table(header, cells, left=3):
            print(text)
        late = sum(1 for row in rows if row["days_past_due"] != 0)
        totals = ""
        if len(currencies) == 1:  # amounts of different currencies do not add up
            overdue = sum((Decimal(str(row["overdue"])) for row in rows), Decimal(0))
            payoff = sum((Decimal(str(row["payoff"])) for row in rows), Decimal(0))
            totals = f"; overdue {overdue}, payoff {payoff} {currencies.pop()}"
        print(f"{len(rows)} loans as of {as_of}, {late} past due{totals}")
    return 0


_METHODS: Final = tuple(m.name.lower() for m in RepaymentMethod)
_FREQUENCIES: Final = tuple(f.name.lower() for f in Frequency)
_ARGPARSE: Final = (
    (re.compile(r"the following arguments are required: (?P<what>.+)"), "{what}", "is required", "nothing"),
    (re.compile(r"unrecognized arguments: (?P<value>.+)"), "arguments", "must be options of loanrules",
     "{value}"),
    (re.compile(r"argument (?P<what>[^:]+): invalid choice: (?P<value>'.*?') \(choose from (?P<known>.*)\)"),
     "{what}", "must be one of {known}", "{value}"),
    (re.compile(r"argument (?P<what>[^:]+): (?P<rule>.+)"), "{what}", "{rule}", "nothing"),
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, ``loanrules: error: <what>: <rule>, got <value>``."""

    def error(self, message: str) -> NoReturn:
        for pattern, what, rule, value in _ARGPARSE:
            found = pattern.fullmatch(message)
            if found:
                parts = found.groupdict()
                line = f"{what.format(**parts)}: {rule.format(**parts)}, got {value.format(**parts)}"
                break
        else:  # pragma: no cover - argparse's other messages (none is reachable with these options)
            line = f"command line: {message}"
        print(f"loanrules: error: {line}", file=sys.stderr)
        raise SystemExit(2)


_FILES_HELP: Final = """\
files:
  FILE is a loanrules document (loanrules.serialize): JSON, or TOML when its
  name ends in .toml; - reads JSON from standard input. A document may carry
  a top-level "id" (a string or an integer), which is set aside before the
  document is read; portfolio prints it.

output:
  --format table|json|csv; the default is table when standard output is a
  terminal, json when it is not (schedule given by options: table). JSON is
  loanrules.serialize.to_json of the value printed, on one line; portfolio
  prints one JSON object per loan and line.

errors:
  bad input of any kind prints one line on standard error and exits 2:
    loanrules: error: <where>: <rule>, got <value>
  where <where> is an option (--as-of), a file (loan.json), or a place in a
  file: loan.json:events[2].amount, book.jsonl:7:terms.start (line 7).
"""


def _file_command(commands: Any, name: str, help_: str, what: str) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = commands.add_parser(
        name, help=help_, description=help_, epilog=_FILES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("file", metavar="FILE", help=what)
    _format_option(command)
    return command


def _format_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--format", choices=("table", "json", "csv"),
                         help="table, json or csv (default: table on a terminal, else json)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="loanrules", description=__doc__.splitlines()[0] if __doc__ else "",
                     epilog=_FILES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"loanrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("demo", help="show the built-in example loan").set_defaults(run=_demo)
    sched = commands.add_parser(
        "schedule", help="print the schedule of a loan in FILE, or of one given by options",
        description="Print the schedule of a loan document (the schedule in force after its events) or of a "
                    "loan_terms document; or of the terms given by --principal, --rate-percent, --term, "
                    "--start [--method] [--frequency].",
        epilog=_FILES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sched.add_argument("file", metavar="FILE", nargs="?", help="a loan or loan_terms document")
    sched.add_argument("--principal", help="the amount lent, e.g. 100000")
    sched.add_argument("--rate-percent", help="nominal annual rate in percent, e.g. 4.9")
    sched.add_argument("--term", help=f"number of installments, 1 to {MAX_TERM}")
    sched.add_argument("--start", help="disbursement date, YYYY-MM-DD")
    sched.add_argument("--method", help=f"one of {', '.join(_METHODS)} (default annuity)")
    sched.add_argument("--frequency", help=f"one of {', '.join(_FREQUENCIES)} (default monthly)")
    _format_option(sched)
    sched.set_defaults(run=_schedule)
    state = _file_command(commands, "state", "print a loan's state as of a date", "a loan document")
    state.add_argument("--as-of", required=True, help="the day, YYYY-MM-DD")
    state.set_defaults(run=_state)
    step = _file_command(commands, "next-step", "print the next collection step at a moment",
                         "a case document, or a loan document (the case is then its state as of the local "
                         "date of --now, with no steps on record)")
    step.add_argument("--now", required=True,
                      help="the moment, ISO 8601: 2026-08-15T10:00+08:00, or without an offset in the case's zone")
    step.add_argument("--policy", default="standard",
                      help="standard (default), us_reg_f, or a policy file ending in .toml")
    step.add_argument("--timezone", help="the debtor's IANA time zone, for a loan document (default Asia/Shanghai)")
    step.set_defaults(run=_next_step)
    rate = _file_command(commands, "apr", "print a loan's annualised rate by the IRR method (年化利率)",
                         "a loan or loan_terms document (a loan's contract schedule is used)")
    rate.add_argument("--effective", action="store_true",
                      help="the effective annual rate (1 + i)**n - 1 instead of the nominal i x n")
    rate.add_argument("--upfront-fees", default="0", help="fees taken at disbursement, e.g. 300 (default 0)")
    rate.add_argument("--periodic-fees", default="0", help="a fee paid with every installment (default 0)")
    rate.set_defaults(run=_apr)
    book = _file_command(commands, "portfolio", "print one state row per loan of a JSON Lines file",
                         "one loan document per line (JSON Lines), each with an optional \"id\"")
    book.add_argument("--as-of", required=True, help="the day, YYYY-MM-DD")
    book.set_defaults(run=_portfolio)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["schedule", "--principal", "300", "--rate-percent", "0", "--term", "3",
    ...       "--start", "2026-01-31"])
      #  due date        payment  principal  interest   balance
      1  2026-02-28       100.00     100.00      0.00    200.00
      2  2026-03-31       100.00     100.00      0.00    100.00
      3  2026-04-30       100.00     100.00      0.00      0.00
         total            300.00     300.00      0.00
    0

    Bad input is one line on standard error (``loanrules: error: no-such-loan.json:
    cannot be read (No such file or directory)``) and exit status 2:

    >>> main(["state", "no-such-loan.json", "--as-of", "2026-08-15"])
    2
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # --help and --version exit 0; a bad command line exits 2 (one line printed)
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        status: int = args.run(args)
    except UsageError as error:
        print(f"loanrules: error: {error}", file=sys.stderr)
        return 2
    except LoanRulesError as error:  # a field's error in the same form: '<field>: <rule>, got <value>'
        line = (f"{error.field}: {error.rule}, got {describe(error.value)}" if isinstance(error, _FieldError)
                else str(error))
        print(f"loanrules: error: {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (``loanrules demo | head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError, OSError) as error:
        # The last resort, so that no input ends in a traceback: an input nothing above foresaw.
        print(f"loanrules: error: {args.command}: cannot be done with this input "
              f"({type(error).__name__}: {describe(str(error))}); please report it", file=sys.stderr)
        return 2
    return status
