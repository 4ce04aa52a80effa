"""Benchmark cases of issue 10 (where services and books feel the speed), run by ``bench.py``.

Each case returns contenders to time side by side, interleaved, in one
process, like the other cases; the cases that are not timings (memory,
import) return their figures directly.

- ``daily-payments``: ``state()`` of a delinquent loan repaid in small daily
  amounts, 5,000 payments next to 100: the cost *per event* of both (target:
  the ratio at most 1.5, a linear fold).
- ``chained-pays``: 1,000 ``loan.pay()`` calls one after the other, next to
  building the loan with the same 1,000 events in one go (target <= 5x).
- ``memory``: bytes a ``Loan`` and its ``LoanState`` hold per schedule row,
  over a mixed book of 300 loans (traced with ``tracemalloc``), next to the
  figures of the issue (541 and 246 B a row; target: half of each).
- ``import``: ``import loanrules`` in a new interpreter, less the
  interpreter's own start (target <= 120 ms); and ``import hypothesis`` with
  loanrules' entry point, less the same import with plugins off (target <=
  30 ms). Both with bytecode caching on, as an installed package runs.
- ``policy-preset``: ``policies.standard()`` (built once) next to parsing its
  TOML again.
- ``engine-fresh``: ``next_step`` on a new ``Case`` each call (the history
  indexed each time) next to the hand-written if-chain; the ``engine`` case
  of ``bench.py`` asks one case again and again (its index kept).
- ``serialize``: ``to_json`` + ``from_json`` of a 360-installment loan with
  100 payments, next to ``json.dumps`` + ``json.loads`` of the same document
  as a plain dict (``to_data(loan)``): what the typed codec (decimal strings,
  validated fields, the loan rebuilt through its constructor) costs over
  the bare JSON library.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import ledger_cases
import loanrules as lr
from loanrules.portfolio import evaluate, read_line, read_lines
from loanrules.serialize import from_json, to_data, to_json


def delinquent_loan(payments: int) -> tuple[lr.Loan, date]:
    """12,000 over 240 months, missed from the first due date, then repaid 1.00 a day for ``payments`` days."""
    terms = lr.LoanTerms(principal="120000", rate=lr.Rate.annual("0.12"), term=240, start=date(2026, 1, 15))
    first = lr.Loan(terms).original_schedule[0].due_date + timedelta(days=10)
    events = [lr.Payment(first + timedelta(days=k), "1.00") for k in range(payments)]
    return lr.Loan(terms, penalty=lr.PenaltyTerms(grace_days=3), events=events), first + timedelta(days=payments)


def daily_payments_case() -> dict[str, Callable[[], object]]:
    """``state()`` with 5,000 and with 100 daily payments; bench.py divides each by its event count."""
    many, many_day = delinquent_loan(5_000)
    few, few_day = delinquent_loan(100)
    return {"loanrules": lambda: many.state(many_day), "100 payments": lambda: few.state(few_day)}


DAILY_EVENTS = {"loanrules": 5_000, "100 payments": 100}


def chained_pays_case(count: int = 1_000) -> dict[str, Callable[[], object]]:
    """``count`` chained ``pay()`` calls next to ``Loan(terms, events=...)`` with the same events."""
    loan, _ = ledger_cases.loan_with_payments(term=360, payments=0)
    days = [loan.terms.start + timedelta(days=7 * (k + 1)) for k in range(count)]
    amount = Decimal("10.00")

    def chained() -> lr.Loan:
        current = loan
        for day in days:
            current = current.pay(day, amount)
        return current

    events = [lr.Payment(day, amount) for day in days]
    return {"loanrules": chained, "one go": lambda: lr.Loan(loan.terms, events=events)}


def mixed_book(count: int = 300, seed: int = 20261208) -> list[lr.Loan]:
    """Loans of 12 to 360 installments, each with 0 to 30 installments paid on time, some never."""
    rng = random.Random(seed)
    loans = []
    for _ in range(count):
        term = rng.choice([12, 24, 36, 60, 120, 240, 360])
        terms = lr.LoanTerms(principal=rng.randint(5, 2_000) * 1_000, rate=lr.Rate.annual(f"0.0{rng.randint(3, 9)}"),
                             term=term, start=date(2024, rng.randint(1, 12), rng.randint(1, 28)))
        loan = lr.Loan(terms, penalty=lr.PenaltyTerms(grace_days=3))
        for row in loan.original_schedule[:rng.randint(0, min(term, 30))]:
            loan = loan.pay(row.due_date, row.payment)
        loans.append(loan)
    return loans


ISSUE_BYTES_PER_ROW = {"Loan": 541, "LoanState": 246}
"""The figures the issue measured on the code before it (bytes a schedule row)."""


def memory_per_row(count: int = 300) -> dict[str, float]:
    """Bytes per schedule row held by the loans of a mixed book, and by their states on one day."""
    specs = [(loan.terms, loan.penalty, loan.events) for loan in mixed_book(count)]
    rows = sum(loan.terms.term for loan in mixed_book(count))
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        loans = [lr.Loan(terms, penalty=penalty, events=events) for terms, penalty, events in specs]
        built = tracemalloc.get_traced_memory()[0]
        states = [loan.state(date(2026, 12, 1)) for loan in loans]
        read = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(states) == len(loans)
    # The events are the caller's either way (read from storage): a loan's memory is what it adds to them.
    return {"Loan": (built - start) / rows, "LoanState": (read - built) / rows}


def _subprocess_ms(code: str, env: dict[str, str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", f"import time; t = time.perf_counter(); {code}; "
                              "print(time.perf_counter() - t)"], env=env, capture_output=True, text=True,
                             check=True)
        times.append(float(out.stdout))
    return statistics.median(times) * 1e3


def import_times(repeats: int = 15) -> dict[str, float]:
    """``import loanrules`` and the cost of the entry point on ``import hypothesis``, in ms (medians)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    _subprocess_ms("import loanrules, hypothesis", env, 1)  # write the bytecode caches
    no_plugins = dict(env, HYPOTHESIS_NO_PLUGINS="1")
    loanrules_ms = _subprocess_ms("import loanrules", env, repeats)
    with_hook = _subprocess_ms("import hypothesis", env, repeats)
    without = _subprocess_ms("import hypothesis", no_plugins, repeats)
    return {"import loanrules": loanrules_ms, "entry point": with_hook - without}


def policy_preset_case() -> dict[str, Callable[[], object]]:
    """``policies.standard()`` next to parsing the same TOML."""
    text = lr.policies.STANDARD_TOML
    return {"loanrules": lr.policies.standard, "from_toml": lambda: lr.CollectionPolicy.from_toml(text)}


def engine_fresh_case() -> dict[str, Callable[[], object]]:
    """``next_step`` on a case built anew each call (nothing kept between calls), next to the if-chain."""
    case, now = ledger_cases.engine_case_inputs()
    policy = lr.policies.standard()
    state, history, zone = case.state, case.history, case.timezone
    return {
        "loanrules": lambda: lr.next_step(policy, lr.Case(state=state, history=history, timezone=zone), now),
        "hand-written if-chain": lambda: ledger_cases.hand_written(
            lr.Case(state=state, history=history, timezone=zone), now),
    }


def timeline_case(every: int = 30) -> tuple[dict[str, Callable[[], object]], dict[str, int]]:
    """The state on every day of a 360-month loan's life (all 360 installments paid on time) with one
    ``timeline()``, next to ``state()`` called on every ``every``-th day (per day, the ratio is fair)."""
    loan, _ = ledger_cases.loan_with_payments(term=360, payments=360)
    start, end = loan.terms.start, loan.original_schedule[-1].due_date
    days = [start + timedelta(days=k) for k in range(0, (end - start).days + 1, every)]
    return ({"loanrules": lambda: loan.timeline(start, end),
             "state() per day": lambda: [loan.state(day) for day in days]},
            {"loanrules": (end - start).days + 1, "state() per day": len(days)})
def serialize_case() -> dict[str, Callable[[], object]]:
    """A loan to JSON and back through loanrules.serialize, next to its plain dict through the json module."""
    loan, _ = ledger_cases.loan_with_payments(term=360, payments=100)
    data = to_data(loan)
    assert from_json(lr.Loan, to_json(loan)) == loan
    assert json.loads(json.dumps(data)) == data
    return {"loanrules": lambda: from_json(lr.Loan, to_json(loan)),
            "json dumps + loads": lambda: json.loads(json.dumps(data))}


# ---------------------------------------------------------------------------
# scale-out (issue 8): a nightly book from JSON lines, in one process, on Dask and on Spark

SCALE_AS_OF = date(2026, 12, 1)


def book_lines(count: int, distinct: int = 1_000) -> list[str]:
    """``count`` JSON lines with ids, cycling through ``distinct`` loans of the mixed book (each line is
    parsed anew, so the cost per line is that of a book of ``count`` different loans)."""
    documents = [to_data(loan) for loan in mixed_book(min(count, distinct))]
    return [json.dumps({"id": f"L-{k:07d}", **documents[k % len(documents)]}) for k in range(count)]


def single_process_rate(lines: list[str]) -> float:
    """Loans per second: ``evaluate(read_lines(lines), as_of)``, state only, every row read."""
    start = time.perf_counter()
    count = sum(1 for _ in evaluate(read_lines(lines), SCALE_AS_OF))
    return count / (time.perf_counter() - start)


def memory_per_loan(lines: list[str]) -> float:
    """Bytes a parsed loan holds (tracemalloc over ``read_line`` of each line; the text not counted)."""
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        loans = [read_line(line) for line in lines]
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (held - start) / len(loans)


class _quiet_stderr:  # noqa: N801 (a context manager used like a function)
    """Send fd 2 (the JVM's and the workers' logs) to /dev/null while the clusters run."""

    def __enter__(self) -> None:
        sys.stderr.flush()
        self.saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self.warnings.__exit__(*exc)
        os.dup2(self.saved, 2)
        os.close(self.saved)


def dask_rates(path: str, count: int, workers: tuple[int, ...] = (1, 2)) -> dict[int, float]:
    """Loans per second on a local Dask cluster of 1 and of 2 worker processes (one thread each), the book
    read with ``dask.bag.read_text`` and the rows counted on the workers."""
    import dask.bag  # noqa: PLC0415 (the engines are imported by this case only)
    from distributed import Client, LocalCluster  # noqa: PLC0415 (the engines are imported by this case only)

    import loanrules.dask  # noqa: PLC0415 (the engines are imported by this case only)

    rates = {}
    with _quiet_stderr():
        for n in workers:
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                              worker_dashboard_address=None) as cluster, Client(cluster):
                blocksize = max(1, os.path.getsize(path) // (4 * n) + 1)
                start = time.perf_counter()
                frame = loanrules.dask.evaluate(dask.bag.read_text(path, blocksize=blocksize), SCALE_AS_OF)
                assert len(frame) == count
                rates[n] = count / (time.perf_counter() - start)
    return rates


def spark_rates(path: str, count: int, cores: tuple[int, ...] = (1, 2)) -> dict[int, float]:
    """Loans per second on Spark ``local[1]`` and ``local[2]``, the book read with ``spark.read.text`` and
    the rows counted and their payoffs summed in Spark (the session's start not timed)."""
    from pyspark import SparkContext  # noqa: PLC0415 (the engines are imported by this case only)
    from pyspark.sql import SparkSession  # noqa: PLC0415 (the engines are imported by this case only)
    from pyspark.sql import functions as sf  # noqa: PLC0415 (the engines are imported by this case only)

    import loanrules.spark  # noqa: PLC0415 (the engines are imported by this case only)

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    rates = {}
    with _quiet_stderr():
        for n in cores:
            spark = (SparkSession.builder.master(f"local[{n}]").config("spark.ui.enabled", "false")
                     .config("spark.sql.shuffle.partitions", str(n))
                     .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
            spark.sparkContext.setLogLevel("ERROR")
            try:
                start = time.perf_counter()
                lines = spark.read.text(path).repartition(4 * n)
                book = lines.select(sf.lit(None).cast("string").alias("id"), sf.col("value").alias("loan"))
                result = loanrules.spark.evaluate(book, SCALE_AS_OF).agg(sf.count("*"), sf.sum("payoff"))
                assert result.collect()[0][0] == count
                rates[n] = count / (time.perf_counter() - start)
            finally:
                spark.stop()
        gateway = SparkContext._gateway
        if gateway is not None:
            process = getattr(gateway, "proc", None)
            gateway.shutdown()
            if process is not None:
                process.stdin.close()
                process.wait(timeout=60)
            SparkContext._gateway = None
            SparkContext._jvm = None
    return rates


def scale_out(count: int, single: int) -> dict[str, float]:
    """The figures of the scale-out case: loans per second and bytes per loan."""
    lines = book_lines(count)
    figures = {"single process": single_process_rate(lines[:single])}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "book.jsonl")
        with open(path, "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        for n, rate in dask_rates(path, count).items():
            figures[f"dask, {n} worker{'s' if n > 1 else ''}"] = rate
        for n, rate in spark_rates(path, count).items():
            figures[f"spark, local[{n}]"] = rate
    figures["memory"] = memory_per_loan(lines[:1_000])
    return figures
