"""A small AST mutation-testing runner for loanrules (not part of the package, not run in CI).

Why our own: mutmut 3 copies the tree into ``mutants/`` and routes every
function through a trampoline, which fights the ``src`` layout, the
``--import-mode=importlib`` test imports and the per-call speed the
schedule tests rely on. This runner is ~400 lines and does the plain
thing: it parses a module with :mod:`ast`, makes one mutant per
(place, operator), writes each mutant's source into a private copy of
``src/`` and runs the module's own tests there in a fresh ``pytest``
process. A mutant is *killed* when the tests fail (or the module no longer
imports), *survives* when they pass, and *times out* when the run takes
more than ``--timeout-factor`` x the clean run (counted as detected, and
reported on its own line).

Usage (from the repository root; one core, niced, as the maintainers run it)::

    nice -n 10 python3 tools/mutation.py --module schedule --jobs 1 --json mutation-schedule.json
    nice -n 10 python3 tools/mutation.py --module ledger --sample 250 --seed 13 --list-survivors
    python3 tools/mutation.py --module engine --list            # the mutants, not run
    python3 tools/mutation.py --module engine --only ID [ID...] # run these mutants only

The tests run under the Hypothesis profile ``mutation`` (``tests/conftest.py``:
few examples, derandomized, no database), so a run is repeatable. Mutants
known to be equivalent (no test can tell them apart, because the program
computes the same thing) are listed with the reason in
``tools/mutation_equivalents.toml``; the score is reported both raw and
without them. See ``docs/explanation/mutation-testing.md``.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import dataclasses
import datetime
import decimal
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = Path(__file__).resolve().parent / "mutation_equivalents.toml"

# Module -> (source files, relative to the repository root; its own tests). The quick unit tests
# come first: pytest -x stops at the first failure, so a mutant they kill costs little.
MODULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "schedule": (
        ("src/loanrules/schedule/_build.py", "src/loanrules/schedule/_fast.py",
         "src/loanrules/schedule/_rows.py"),
        ("tests/unit/test_mutation_kills_schedule.py", "tests/unit/test_schedule.py",
         "tests/properties/test_schedule_laws.py"),
    ),
    "ledger": (
        ("src/loanrules/ledger/_ledger.py", "src/loanrules/ledger/_fold.py",
         "src/loanrules/ledger/_book.py", "src/loanrules/ledger/_penalty.py",
         "src/loanrules/ledger/_allocation.py", "src/loanrules/ledger/_recast.py"),
        ("tests/unit/test_mutation_kills_ledger.py", "tests/unit/test_ledger.py",
         "tests/unit/test_ledger_construction.py", "tests/unit/test_ledger_fold.py",
         "tests/properties/test_ledger_laws.py", "tests/properties/test_fold_lazy.py"),
    ),
    "engine": (
        ("src/loanrules/collection/_engine.py",),
        ("tests/unit/test_mutation_kills_engine.py", "tests/unit/test_engine.py",
         "tests/properties/test_engine_laws.py"),
    ),
}

_BINOP_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult,
    ast.LShift: ast.RShift, ast.RShift: ast.LShift, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
}
_CMP_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}
_SYMBOLS: dict[type[ast.AST], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|",
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
    ast.And: "and", ast.Or: "or",
}
# Each rounding mode and the one it is swapped for: the pairs that differ on ties or signs.
ROUNDING_SWAPS: dict[str, str] = {
    "ROUND_HALF_UP": "ROUND_HALF_EVEN", "ROUND_HALF_EVEN": "ROUND_HALF_UP",
    "ROUND_HALF_DOWN": "ROUND_HALF_UP", "ROUND_UP": "ROUND_DOWN", "ROUND_DOWN": "ROUND_UP",
    "ROUND_CEILING": "ROUND_FLOOR", "ROUND_FLOOR": "ROUND_CEILING", "ROUND_05UP": "ROUND_DOWN",
}


@dataclass(frozen=True)
class Mutant:
    """One mutation: where it is, what it does, and its stable id."""

    file: str
    index: int  # position of the node in ast.walk order (how the mutation is applied)
    line: int
    col: int
    operator: str
    detail: str
    repeat: int = 0  # the n-th mutant with the same place and operator (nested a + b + c): ~n

    @property
    def id(self) -> str:
        """Stable while the source stays put: file:line:col:operator:detail, then ~n for a repeat."""
        suffix = f"~{self.repeat}" if self.repeat else ""
        return f"{Path(self.file).name}:{self.line}:{self.col}:{self.operator}:{self.detail}{suffix}"


@dataclass
class Result:
    """What running the tests against one mutant gave."""

    id: str
    file: str
    line: int
    operator: str
    detail: str
    source_line: str
    status: str  # killed | survived | timeout | invalid
    seconds: float
    equivalent: str | None = None


@dataclass
class Report:
    """A run's summary, written as JSON."""

    module: str
    date: str
    seed: int | None
    sample: int | None
    total_mutants: int
    run: int
    counts: dict[str, int] = field(default_factory=dict)
    score_raw: float = 0.0
    score_excluding_equivalents: float = 0.0
    results: list[Result] = field(default_factory=list)


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Nodes never mutated: docstrings, annotations, ``__all__`` and f-strings (messages)."""
    skip: set[int] = set()

    def drop(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            drop(body[0])
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            drop(node)  # bare string statements: attribute docstrings
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            drop(node.returns)
            for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                        node.args.vararg, node.args.kwarg]:
                if arg is not None:
                    drop(arg.annotation)
        if isinstance(node, ast.AnnAssign):
            drop(node.annotation)
        if isinstance(node, ast.JoinedStr):
            drop(node)
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                drop(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            drop(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {
                "TypeVar", "cast", "Final"}:
            drop(node)
    return skip


def _decimal_literal(node: ast.AST) -> ast.Constant | None:
    """The constant argument of ``Decimal(<int or numeric str>)``, if ``node`` is one."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Decimal"
            and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Constant)):
        value = node.args[0].value
        if isinstance(value, int) and not isinstance(value, bool):
            return node.args[0]
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                return None
            return node.args[0]
    return None


def _rounding_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ROUNDING_SWAPS:
        return node.value
    if isinstance(node, ast.Attribute) and node.attr in ROUNDING_SWAPS and isinstance(node.ctx, ast.Load):
        return node.attr
    if isinstance(node, ast.Name) and node.id in ROUNDING_SWAPS and isinstance(node.ctx, ast.Load):
        return node.id
    return None


def _mutations(node: ast.AST, parents: dict[int, ast.AST]) -> Iterator[tuple[str, str]]:
    """The (operator, detail) pairs that apply to ``node``."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOP_SWAPS:
        new = _BINOP_SWAPS[type(node.op)]
        yield "binop", f"{_SYMBOLS[type(node.op)]} -> {_SYMBOLS[new]}"
    elif isinstance(node, ast.AugAssign) and type(node.op) in _BINOP_SWAPS:
        new = _BINOP_SWAPS[type(node.op)]
        yield "augassign", f"{_SYMBOLS[type(node.op)]}= -> {_SYMBOLS[new]}="
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in _CMP_SWAPS:
                yield "compare", f"#{i} {_SYMBOLS[type(op)]} -> {_SYMBOLS[_CMP_SWAPS[type(op)]]}"
    elif isinstance(node, ast.BoolOp):
        other = "or" if isinstance(node.op, ast.And) else "and"
        yield "boolop", f"{_SYMBOLS[type(node.op)]} -> {other}"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield "not", "drop not"
    elif isinstance(node, ast.If):
        yield "if", "condition -> True"
        yield "if", "condition -> False"
    elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        yield "return", "value -> None"
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        parent = parents.get(id(node))
        if parent is None or _decimal_literal(parent) is None:
            yield "number", "+1"
            yield "number", "-1"
    if _decimal_literal(node) is not None:
        yield "decimal", "+1"
        yield "decimal", "-1"
    name = _rounding_name(node)
    if name is not None:
        yield "rounding", f"{name} -> {ROUNDING_SWAPS[name]}"
    # A rounding mode passed on as an argument, replaced by the context default (mode ignored).
    if isinstance(node, ast.Call):
        for i, arg in enumerate([*node.args, *(k.value for k in node.keywords)]):
            if (isinstance(arg, ast.Name) and arg.id == "rounding") or (
                    isinstance(arg, ast.Attribute) and arg.attr == "rounding"):
                yield "rounding-arg", f"arg #{i} -> ROUND_HALF_EVEN"


def _walk(tree: ast.AST) -> list[ast.AST]:
    return list(ast.walk(tree))


def mutants_of(source: str, file: str = "<module>") -> list[Mutant]:
    """Every mutant of ``source``, in source order."""
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    out = []
    for index, node in enumerate(_walk(tree)):
        if id(node) in skip:
            continue
        for operator, detail in _mutations(node, parents):
            out.append(Mutant(file, index, getattr(node, "lineno", 0), getattr(node, "col_offset", 0),
                              operator, detail))
    out.sort(key=lambda m: (m.line, m.col, m.operator, m.detail))
    seen: dict[str, int] = {}
    for i, m in enumerate(out):
        n = seen[m.id] = seen.get(m.id, -1) + 1
        if n:
            out[i] = dataclasses.replace(m, repeat=n)
    return out


def _number(value: object, delta: int) -> int | str:
    if isinstance(value, int):
        return value + delta
    return str(decimal.Decimal(str(value)) + delta)


def apply(source: str, mutant: Mutant) -> str:
    """The source of ``mutant`` (unparsed from the mutated tree: comments are lost, code is not)."""
    tree = ast.parse(source)
    node = _walk(tree)[mutant.index]
    op, detail = mutant.operator, mutant.detail
    if op in {"binop", "augassign"}:
        assert isinstance(node, ast.BinOp | ast.AugAssign)
        node.op = _BINOP_SWAPS[type(node.op)]()
    elif op == "compare":
        assert isinstance(node, ast.Compare)
        i = int(detail.split()[0][1:])
        node.ops[i] = _CMP_SWAPS[type(node.ops[i])]()
    elif op == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif op == "not":
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    elif op == "if":
        assert isinstance(node, ast.If)
        node.test = ast.Constant(detail.endswith("True"))
    elif op == "return":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    elif op == "number":
        assert isinstance(node, ast.Constant)
        node.value = _number(node.value, 1 if detail == "+1" else -1)
    elif op == "decimal":
        constant = _decimal_literal(node)
        assert constant is not None
        constant.value = _number(constant.value, 1 if detail == "+1" else -1)
    elif op == "rounding":
        name = _rounding_name(node)
        assert name is not None
        if isinstance(node, ast.Constant):
            node.value = ROUNDING_SWAPS[name]
        elif isinstance(node, ast.Attribute):
            node.attr = ROUNDING_SWAPS[name]
        else:
            _replace(tree, node, ast.Constant(ROUNDING_SWAPS[name]))
    elif op == "rounding-arg":
        assert isinstance(node, ast.Call)
        i = int(detail.split()[1][1:])
        if i < len(node.args):
            node.args[i] = ast.Constant("ROUND_HALF_EVEN")
        else:
            node.keywords[i - len(node.args)].value = ast.Constant("ROUND_HALF_EVEN")
    else:  # pragma: no cover - every operator above
        raise ValueError(op)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return
    raise ValueError("node not found")  # pragma: no cover


def load_equivalents(path: Path = EQUIVALENTS) -> dict[str, str]:
    """Mutant id -> why it is equivalent."""
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {entry["id"]: entry["reason"] for entry in data.get("equivalent", [])}


class Worktree:
    """A private copy of ``src/`` where one mutated file at a time is written."""

    def __init__(self, root: Path, files: Sequence[str]) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="loanrules-mutation-"))
        shutil.copytree(root / "src", self.dir / "src", ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(self.dir / "src")], check=True)
        # The files that get mutated must never be served from a stale .pyc.
        for f in files:
            path = self.dir / f
            for pyc in (path.parent / "__pycache__").glob(path.stem + ".*.pyc"):
                pyc.unlink()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(self.dir / "src")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["HYPOTHESIS_PROFILE"] = "mutation"
        return env

    def write(self, file: str, text: str) -> None:
        (self.dir / file).write_text(text, encoding="utf-8")

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def run_tests(tree: Worktree, tests: Sequence[str], timeout: float | None, root: Path = ROOT) -> tuple[str, float]:
    """Run ``tests`` against ``tree``: ("passed" | "failed" | "timeout", seconds)."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-cov",
               "--no-header", "-o", "addopts=--import-mode=importlib", *tests]
    began = time.monotonic()
    with subprocess.Popen(command, cwd=root, env=tree.env(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True) as process:
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return "timeout", time.monotonic() - began
    return ("passed" if code == 0 else "failed"), time.monotonic() - began


def run(module: str, mutants: Sequence[Mutant], *, jobs: int = 1, timeout_factor: float = 10.0,
        root: Path = ROOT, modules: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None,
        progress: bool = True) -> list[Result]:
    """Run every mutant in ``mutants`` against ``module``'s tests."""
    files, tests = (modules or MODULES)[module]
    tests = tuple(t for t in tests if (root / t).exists())
    sources = {f: (root / f).read_text(encoding="utf-8") for f in files}
    trees: queue.Queue[Worktree] = queue.Queue()
    for _ in range(max(1, jobs)):
        trees.put(Worktree(root, files))
    probe = trees.get()
    package = Path(files[0]).parts[1]  # src/<package>/...
    check = subprocess.run([sys.executable, "-c", f"import {package}; print({package}.__file__)"],
                           env=probe.env(), capture_output=True, text=True, check=True, cwd=root)
    if not check.stdout.strip().startswith(str(probe.dir)):
        raise SystemExit(f"the copy is not the code tested: {check.stdout.strip()}")
    status, clean = run_tests(probe, tests, None, root)
    trees.put(probe)
    if status != "passed":
        raise SystemExit(f"the clean run of {module}'s tests fails: fix that first")
    timeout = max(timeout_factor * clean, 30.0)
    if progress:
        print(f"{module}: clean run {clean:.1f} s, timeout {timeout:.0f} s, {len(mutants)} mutants",
              file=sys.stderr)

    def one(mutant: Mutant) -> Result:
        source = sources[mutant.file]
        line = source.splitlines()[mutant.line - 1].strip() if mutant.line else ""
        try:
            text = apply(source, mutant)
            compile(text, mutant.file, "exec")
        except (SyntaxError, ValueError):
            return Result(mutant.id, mutant.file, mutant.line, mutant.operator, mutant.detail, line,
                          "invalid", 0.0)
        tree = trees.get()
        try:
            tree.write(mutant.file, text)
            outcome, seconds = run_tests(tree, tests, timeout, root)
        finally:
            tree.write(mutant.file, source)
            trees.put(tree)
        status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[outcome]
        return Result(mutant.id, mutant.file, mutant.line, mutant.operator, mutant.detail, line,
                      status, round(seconds, 2))

    results: list[Result] = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
            for done, result in enumerate(pool.map(one, mutants), 1):
                results.append(result)
                if progress:
                    print(f"[{done}/{len(mutants)}] {result.status:8} {result.id}", file=sys.stderr)
    finally:
        while not trees.empty():
            trees.get().close()
    return results


def summarise(module: str, results: list[Result], *, total: int, seed: int | None, sample: int | None,
              equivalents: dict[str, str]) -> Report:
    """Counts and scores: detected = killed + timeout, over the mutants that ran."""
    for r in results:
        r.equivalent = equivalents.get(r.id) if r.status == "survived" else None
    counts = {s: sum(r.status == s for r in results) for s in ("killed", "timeout", "survived", "invalid")}
    counts["equivalent"] = sum(r.equivalent is not None for r in results)
    ran = counts["killed"] + counts["timeout"] + counts["survived"]
    detected = counts["killed"] + counts["timeout"]
    raw = 100.0 * detected / ran if ran else 100.0
    real = ran - counts["equivalent"]
    excluding = 100.0 * detected / real if real else 100.0
    return Report(module, datetime.datetime.now(datetime.UTC).date().isoformat(), seed, sample, total, len(results), counts,
                  round(raw, 1), round(excluding, 1), results)


def select(all_mutants: list[Mutant], sample: int | None, seed: int) -> list[Mutant]:
    """All mutants, or a seeded sample of ``sample`` of them in source order."""
    if sample is None or sample >= len(all_mutants):
        return list(all_mutants)
    chosen = random.Random(seed).sample(range(len(all_mutants)), sample)
    return [all_mutants[i] for i in sorted(chosen)]


def module_mutants(module: str, root: Path = ROOT) -> list[Mutant]:
    files, _ = MODULES[module]
    return [m for f in files for m in mutants_of((root / f).read_text(encoding="utf-8"), f)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--module", choices=sorted(MODULES), required=True)
    parser.add_argument("--sample", type=int, default=None, help="run a seeded sample of N mutants")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout-factor", type=float, default=10.0)
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutant ids")
    parser.add_argument("--list", action="store_true", help="list the mutants; run nothing")
    parser.add_argument("--list-survivors", action="store_true")
    parser.add_argument("--show", metavar="ID", help="print the mutated source line(s) of one mutant")
    parser.add_argument("--json", type=Path, default=None, help="write the report here")
    parser.add_argument("--rerun", type=Path, default=None, metavar="REPORT",
                        help="run again only the survivors of an earlier JSON report (same mutants, after new "
                             "tests); the report written merges both runs")
    args = parser.parse_args(argv)
    # A plain `kill` ends the run through the finally blocks: the private copies of src/ are removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    everything = module_mutants(args.module)
    if args.show:
        mutant = next(m for m in everything if m.id == args.show)
        print(apply((ROOT / mutant.file).read_text(encoding="utf-8"), mutant))
        return 0
    chosen = select(everything, args.sample, args.seed)
    if args.only:
        wanted = set(args.only)
        chosen = [m for m in everything if m.id in wanted]
    earlier: list[Result] = []
    if args.rerun:
        previous = json.loads(args.rerun.read_text(encoding="utf-8"))
        earlier = [Result(**r) for r in previous["results"]]
        again = {r.id for r in earlier if r.status == "survived"}
        # An id without its ~n (a report of an older runner) stands for every repeat of it.
        chosen = [m for m in everything if m.id in again or m.id.split("~")[0] in again]
        rerun = {m.id for m in chosen} | again
        earlier = [r for r in earlier if r.id not in rerun]
        args.sample, args.seed = previous["sample"], previous["seed"] if previous["seed"] is not None else args.seed
    if args.list:
        for m in chosen:
            print(m.id)
        print(f"{len(chosen)} of {len(everything)} mutants", file=sys.stderr)
        return 0
    results = run(args.module, chosen, jobs=args.jobs, timeout_factor=args.timeout_factor)
    if earlier:
        order = {m.id: i for i, m in enumerate(everything)}
        results = sorted([*earlier, *results], key=lambda r: order.get(r.id, -1))
    report = summarise(args.module, results, total=len(everything), seed=args.seed if args.sample else None,
                       sample=args.sample, equivalents=load_equivalents())
    c = report.counts
    print(f"{args.module}: {report.run} of {report.total_mutants} mutants: {c['killed']} killed, "
          f"{c['timeout']} timeout, {c['survived']} survived ({c['equivalent']} equivalent), "
          f"{c['invalid']} invalid; score {report.score_raw} % raw, "
          f"{report.score_excluding_equivalents} % excluding equivalents")
    if args.list_survivors:
        for r in results:
            if r.status == "survived":
                mark = "  [equivalent]" if r.equivalent else ""
                print(f"  {r.id}{mark}\n      {r.source_line}")
    if args.json:
        payload = asdict(report)
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
