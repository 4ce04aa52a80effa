"""Benchmarks: loanrules next to its peers, in one process, with ratios.

Run ``python benchmarks/bench.py`` (``--quick`` for fewer repeats). Each
case runs every contender the same number of times and reports the median
wall time; the ratio is loanrules' median over the peer's.

Cases:

- ``schedule-360``: build and fully read (every installment's principal and
  interest) one 360-period annuity: 1,000,000 at 4.9 %.
- ``random-10k``: the same for 10,000 random annuities (terms 12 to 360,
  principal 1,000 to 2,000,000, rate 1 % to 24 %), fixed seed.
- ``ledger-state``: ``Loan.state(as_of)`` of a 360-installment loan with 100
  payments, next to building that loan's schedule.
- ``engine``: ``next_step`` on the standard policy with a 20-record history,
  next to a plain hand-written if-chain of the same policy (the floor).

Peers: the ``amortization`` package (floats, no dates) and numpy-financial
(``pmt``/``ipmt``/``ppmt``, vectorised floats, no dates). loanrules works in
exact ``Decimal`` with real due dates, and its loan terms are validated.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import numpy as np
import numpy_financial as npf
from amortization import amortization_schedule

import ledger_cases
import loanrules as lr

Loan = tuple[int, int, int]  # principal (whole units), rate in basis points, term


def random_loans(count: int, seed: int = 20261129) -> list[Loan]:
    rng = random.Random(seed)
    return [(rng.randint(1_000, 2_000_000), rng.randint(100, 2_400), rng.randint(12, 360)) for _ in range(count)]


START = date(2026, 1, 15)


# "Reading" is fetching both fields of every row; each contender keeps the
# last pair so that nothing is optimised away, and no arithmetic on its own
# number type (Decimal or float) is charged to it.


def loanrules_read(loans: list[Loan]) -> tuple[Decimal, Decimal]:
    last = (Decimal(0), Decimal(0))
    for principal, bp, term in loans:
        terms = lr.LoanTerms(principal=principal, rate=lr.Rate.annual(Decimal(bp).scaleb(-4)), term=term,
                             start=START)
        for row in lr.build_schedule(terms):
            last = (row.principal, row.interest)
    return last


def amortization_read(loans: list[Loan]) -> tuple[float, float]:
    last = (0.0, 0.0)
    for principal, bp, term in loans:
        for row in amortization_schedule(float(principal), bp / 10_000, term):
            last = (row.principal, row.interest)
    return last


def npf_read(loans: list[Loan]) -> tuple[float, float]:
    last = (0.0, 0.0)
    for principal, bp, term in loans:
        rate = bp / 10_000 / 12
        periods = np.arange(1, term + 1)
        principal_parts = npf.ppmt(rate, periods, term, -principal)
        interest_parts = npf.ipmt(rate, periods, term, -principal)
        for p, i in zip(principal_parts.tolist(), interest_parts.tolist(), strict=True):
            last = (p, i)
    return last


def run_case(name: str, contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    # Interleave contenders run by run so that drift in machine load hits all alike.
    samples: dict[str, list[float]] = {key: [] for key in contenders}
    for key, fn in contenders.items():
        fn()  # warm up
        samples[key].clear()
    for _ in range(repeats):
        for key, fn in contenders.items():
            t0 = time.perf_counter()
            fn()
            samples[key].append(time.perf_counter() - t0)
    medians = {key: statistics.median(values) for key, values in samples.items()}
    base = medians["loanrules"]
    print(f"\n{name}")
    for key, value in medians.items():
        ratio = "" if key == "loanrules" else f"   loanrules / {key} = {base / value:.2f}x"
        print(f"  {key:<22} {value * 1e3:10.3f} ms{ratio}")
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and loans")
    args = parser.parse_args(argv)
    repeats_small, repeats_big, count = (21, 3, 2_000) if args.quick else (101, 7, 10_000)
    print(f"python {sys.version.split()[0]}; medians of interleaved runs")

    one = [(1_000_000, 490, 360)]
    run_case("schedule-360: build + read one 360-period annuity", {
        "loanrules": lambda: loanrules_read(one),
        "amortization": lambda: amortization_read(one),
        "numpy-financial": lambda: npf_read(one),
    }, repeats_small)

    loans = random_loans(count)
    run_case(f"random-{count // 1000}k: build + read {count:,} random annuities (terms 12-360)", {
        "loanrules": lambda: loanrules_read(loans),
        "amortization": lambda: amortization_read(loans),
        "numpy-financial": lambda: npf_read(loans),
    }, repeats_big)

    run_case("ledger-state: state(as_of) of a 360-installment loan with 100 payments (target <= 2x)",
             ledger_cases.state_case(), repeats_small)
    run_case("engine: next_step, standard policy, 20-record history (target <= 3x)",
             ledger_cases.engine_case(), repeats_small * 10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
