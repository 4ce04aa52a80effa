"""The command line: ``loanrules demo`` and ``loanrules schedule``.

This is the only module of the package that reads files or prints.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from . import __version__
from .calendars import CHINA, BusinessDay, Outside
from .errors import LoanRulesError
from .frequency import Frequency
from .rates import Rate
from .schedule import LoanTerms, RepaymentMethod, build_schedule

__all__ = ["demo_terms", "main"]


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
        calendar=CHINA.with_outside(Outside.WEEKENDS_ONLY),
        business_day=BusinessDay.FOLLOWING,
    )


def _demo(_args: argparse.Namespace) -> int:
    terms = demo_terms()
    schedule = build_schedule(terms)
    print("loanrules demo: a consumer loan, repaid monthly (等额本息)")
    print(
        f"  principal {terms.principal} {terms.currency.code}, {terms.rate.as_percent.normalize()}% a year, "
        f"{terms.term} months from {terms.start}, due dates on the CHINA calendar "
        "(weekends only past its data), "
        f"{terms.business_day.name} (a due date on a holiday moves to the next working day)"
    )
    print()
    print(schedule)
    return 0


def _schedule(args: argparse.Namespace) -> int:
    terms = LoanTerms(
        principal=args.principal,
        rate=Rate.percent(args.rate_percent),
        term=args.term,
        method=RepaymentMethod[args.method.upper()],
        start=date.fromisoformat(args.start),
        frequency=Frequency[args.frequency.upper()],
    )
    print(build_schedule(terms))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loanrules", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--version", action="version", version=f"loanrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="show the built-in example loan").set_defaults(run=_demo)
    sched = commands.add_parser("schedule", help="print the schedule of a loan given on the command line")
    sched.add_argument("--principal", required=True)
    sched.add_argument("--rate-percent", required=True, help="nominal annual rate in percent, e.g. 4.9")
    sched.add_argument("--term", type=int, required=True, help="number of installments")
    sched.add_argument("--start", required=True, help="disbursement date, YYYY-MM-DD")
    sched.add_argument("--method", default="annuity", choices=[m.name.lower() for m in RepaymentMethod])
    sched.add_argument("--frequency", default="monthly", choices=[f.name.lower() for f in Frequency])
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
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except LoanRulesError as error:
        print(f"loanrules: error: {error}", file=sys.stderr)
        return 2
    return status
