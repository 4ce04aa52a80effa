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
- the cases of ``speed_cases.py`` (issue 10, and ``serialize``: a loan to
  JSON and back next to ``json.dumps`` + ``json.loads`` of its plain dict).
- ``scale-out``: loans per second of a book read from JSON lines (100,000
  loans; state only) in one process (on a tenth of them), on Dask with 1
  and 2 workers and on Spark ``local[1]`` and ``local[2]``; the scaling
  2 workers / 1; and the bytes a parsed loan holds.

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
import speed_cases

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


def run_per_event(name: str, contenders: dict[str, Callable[[], object]], events: dict[str, int],
                  repeats: int) -> dict[str, float]:
    """A timed case whose contenders differ in size: the ratio is of the time per event."""
    medians = run_case(name, contenders, repeats)
    per_event = {key: medians[key] / events[key] for key in medians}
    base = per_event["loanrules"]
    for key, value in per_event.items():
        ratio = "" if key == "loanrules" else f"   per event: {base / value:.3f}x"
        print(f"  {key:<22} {value * 1e6:10.2f} us/event{ratio}")
    return per_event


def report(name: str, figures: dict[str, float], unit: str, targets: dict[str, float],
           baselines: dict[str, float] | None = None) -> None:
    """A case that is not a side-by-side timing (memory, import): its figures against their targets."""
    print(f"\n{name}")
    for key, value in figures.items():
        against = f"   / {baselines[key]:.0f} before = {value / baselines[key]:.2f}x" if baselines else ""
        print(f"  {key:<22} {value:10.1f} {unit}{against}   (target <= {targets[key]:g})")


Case = Callable[["Sizes"], None]


class Sizes:
    """Repeats and counts: full, ``--quick`` or ``--smoke`` (each case runs once or twice: a check that it runs)."""

    def __init__(self, mode: str) -> None:
        self.small, self.big, self.count = {"full": (101, 7, 10_000), "quick": (21, 3, 2_000),
                                            "smoke": (1, 1, 20)}[mode]
        self.smoke = mode == "smoke"


def case_schedule_360(sizes: Sizes) -> None:
    one = [(1_000_000, 490, 360)]
    run_case("schedule-360: build + read one 360-period annuity (target <= 1.0x amortization)", {
        "loanrules": lambda: loanrules_read(one),
        "amortization": lambda: amortization_read(one),
        "numpy-financial": lambda: npf_read(one),
    }, sizes.small)


def case_random(sizes: Sizes) -> None:
    loans = random_loans(sizes.count)
    run_case(f"random: build + read {sizes.count:,} random annuities (terms 12-360; target <= 1.0x amortization)", {
        "loanrules": lambda: loanrules_read(loans),
        "amortization": lambda: amortization_read(loans),
        "numpy-financial": lambda: npf_read(loans),
    }, sizes.big)


def case_ledger_state(sizes: Sizes) -> None:
    run_case("ledger-state: state(as_of) of a 360-installment loan with 100 payments (target <= 2x)",
             ledger_cases.state_case(), sizes.small)


def case_engine(sizes: Sizes) -> None:
    run_case("engine: next_step, standard policy, 20-record history, one case asked again (target <= 3x)",
             ledger_cases.engine_case(), sizes.small * 10)


def case_engine_fresh(sizes: Sizes) -> None:
    run_case("engine-fresh: next_step on a new Case each call (history indexed each time; target <= 3x)",
             speed_cases.engine_fresh_case(), sizes.small * 10)


def case_daily_payments(sizes: Sizes) -> None:
    run_per_event("daily-payments: state() of a delinquent loan with 5,000 daily payments, next to 100 "
                  "(target per event <= 1.5x)", speed_cases.daily_payments_case(), speed_cases.DAILY_EVENTS,
                  max(1, sizes.big))


def case_chained_pays(sizes: Sizes) -> None:
    run_case("chained-pays: 1,000 chained loan.pay() next to the same loan built in one go (target <= 5x)",
             speed_cases.chained_pays_case(20 if sizes.smoke else 1_000), max(1, sizes.big))


def case_memory(sizes: Sizes) -> None:
    report("memory: bytes a schedule row, 300 mixed loans and their states (target: half the issue's figures)",
           speed_cases.memory_per_row(10 if sizes.smoke else 300), "B/row",
           {key: value / 2 for key, value in speed_cases.ISSUE_BYTES_PER_ROW.items()},
           speed_cases.ISSUE_BYTES_PER_ROW)


def case_import(sizes: Sizes) -> None:
    report("import: new interpreters, bytecode cached (medians)",
           speed_cases.import_times(1 if sizes.smoke else 15), "ms",
           {"import loanrules": 120, "entry point": 30})


def case_policy_preset(sizes: Sizes) -> None:
    run_case("policy-preset: policies.standard() (built once) next to parsing its TOML",
             speed_cases.policy_preset_case(), sizes.small)


def case_timeline(sizes: Sizes) -> None:
    contenders, days = speed_cases.timeline_case(every=1_000 if sizes.smoke else 30)
    run_per_event("timeline: the state on every day of a 360-month loan's life, one timeline() next to "
                  "state() per day (target per day <= 1/8 = 0.125x)", contenders, days, max(1, sizes.big // 2))


def case_serialize(sizes: Sizes) -> None:
    run_case("serialize: to_json + from_json of a 360-installment loan with 100 payments, next to json.dumps + "
             "json.loads of its plain dict", speed_cases.serialize_case(), sizes.small)


def case_scale_out(sizes: Sizes) -> None:
    count = 200 if sizes.smoke else 10_000 if sizes.count < 10_000 else 100_000
    figures = speed_cases.scale_out(count, single=count if sizes.smoke else count // 10)
    print(f"\nscale-out: a book of {count:,} loans from JSON lines, state only (loans/s; 2 cores shared)")
    for key, value in figures.items():
        if key != "memory":
            print(f"  {key:<22} {value:10.1f} loans/s   / single process = {value / figures['single process']:.2f}x")
    for engine, one, two in (("dask", "dask, 1 worker", "dask, 2 workers"),
                             ("spark", "spark, local[1]", "spark, local[2]")):
        print(f"  {engine + ' scaling':<22} {figures[two] / figures[one]:10.2f} x     (2 workers / 1)")
    print(f"  {'memory':<22} {figures['memory']:10.1f} B/loan   (1,000 parsed loans)")


CASES: dict[str, Case] = {
    "schedule-360": case_schedule_360,
    "random": case_random,
    "ledger-state": case_ledger_state,
    "engine": case_engine,
    "engine-fresh": case_engine_fresh,
    "daily-payments": case_daily_payments,
    "chained-pays": case_chained_pays,
    "memory": case_memory,
    "import": case_import,
    "policy-preset": case_policy_preset,
    "timeline": case_timeline,
    "serialize": case_serialize,
    "scale-out": case_scale_out,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and loans")
    parser.add_argument("--smoke", action="store_true",
                        help="run every case once, tiny: a check that the script runs (the test suite's)")
    parser.add_argument("--only", action="append", choices=sorted(CASES), metavar="CASE",
                        help=f"run only this case (repeatable): {', '.join(CASES)}")
    args = parser.parse_args(argv)
    sizes = Sizes("smoke" if args.smoke else "quick" if args.quick else "full")
    print(f"python {sys.version.split()[0]}; medians of interleaved runs")
    for name in args.only or CASES:
        CASES[name](sizes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
