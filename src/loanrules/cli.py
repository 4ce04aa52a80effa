"""The command line: ``loanrules demo`` and ``loanrules schedule``.

This is the only module of the package that reads files or prints.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final, NoReturn
from zoneinfo import ZoneInfo

from . import __version__, policies
from .collection._engine import DecisionStatus, next_step
from .collection._policy import Action, Case, Outcome, Record
from .conventions._calendars import CHINA, BusinessDay
from .conventions._frequency import Frequency
from .conventions._money import to_decimal
from .conventions._rates import Rate
from .errors import InvalidTypeError, InvalidValueError, LoanRulesError, describe
from .ledger._ledger import Loan, LoanState, PenaltyTerms, PrepaymentTerms
from .schedule._schedule import MAX_TERM, LoanTerms, RepaymentMethod, build_schedule

__all__ = ["demo_loan", "demo_terms", "main"]


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
    return 0


class UsageError(Exception):
    """A bad command line: ``what`` (an option), the ``rule`` it breaks and the ``value`` given."""

    def __init__(self, what: str, rule: str, value: object) -> None:
        super().__init__(f"{what}: {rule}, got {describe(value)}")


_OPTION_OF: Final = {"principal": "--principal", "annual": "--rate-percent", "percent": "--rate-percent",
                     "term": "--term", "start": "--start", "first_due": "--start"}
"""The option that gave each field of the terms, to name it in an error."""

_TERM_DIGITS: Final = re.compile(r"\s*[0-9]{1,6}\s*")


def _term(text: str) -> int:
    if not _TERM_DIGITS.fullmatch(text) or not 1 <= int(text) <= MAX_TERM:
        raise UsageError("--term", f"must be a whole number of installments in [1, {MAX_TERM}]", text)
    return int(text)


def _start(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError("--start", "must be a date YYYY-MM-DD between 0001-01-01 and 9999-12-31", text) from None


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


def _schedule(args: argparse.Namespace) -> int:
    raw = {"--principal": args.principal, "--rate-percent": args.rate_percent, "--term": args.term,
           "--start": args.start}
    method = _choice("--method", args.method, _METHODS)
    frequency = _choice("--frequency", args.frequency, _FREQUENCIES)
    try:
        terms = LoanTerms(
            principal=args.principal,
            rate=Rate.percent(_percent(args.rate_percent)),
            term=_term(args.term),
            method=RepaymentMethod[method.upper()],
            start=_start(args.start),
            frequency=Frequency[frequency.upper()],
        )
    except (InvalidTypeError, InvalidValueError) as error:
        option = _OPTION_OF.get(error.field)
        if option is None:  # pragma: no cover - every field of the terms comes from an option above
            raise
        raise UsageError(option, error.rule, raw[option]) from None
    print(build_schedule(terms))
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


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="loanrules", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--version", action="version", version=f"loanrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("demo", help="show the built-in example loan").set_defaults(run=_demo)
    sched = commands.add_parser("schedule", help="print the schedule of a loan given on the command line")
    sched.add_argument("--principal", required=True, help="the amount lent, e.g. 100000")
    sched.add_argument("--rate-percent", required=True, help="nominal annual rate in percent, e.g. 4.9")
    sched.add_argument("--term", required=True, help=f"number of installments, 1 to {MAX_TERM}")
    sched.add_argument("--start", required=True, help="disbursement date, YYYY-MM-DD")
    sched.add_argument("--method", default="annuity", help=f"one of {', '.join(_METHODS)} (default annuity)")
    sched.add_argument("--frequency", default="monthly",
                       help=f"one of {', '.join(_FREQUENCIES)} (default monthly)")
    sched.set_defaults(run=_schedule)
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
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # --help and --version exit 0; a bad command line exits 2 (one line printed)
        return exit_.code if isinstance(exit_.code, int) else 2
    try:
        status: int = args.run(args)
    except (UsageError, LoanRulesError) as error:
        print(f"loanrules: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (``loanrules demo | head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status
