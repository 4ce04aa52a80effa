"""Architecture checks: the layer order of imports, and no I/O or clock outside the CLI."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import loanrules

PACKAGE = Path(loanrules.__file__).parent

# Imports point down only (DESIGN.md, "Layers"); a module may import its own layer.
LAYERS: dict[str, int] = {
    "errors": 0,
    "_dates": 1,
    "_china_data": 1,
    "money": 1,
    "rates": 1,
    "daycount": 1,
    "frequency": 1,
    "calendars": 1,
    "schedule": 2,
    "ledger": 3,
    "apr": 3,
    "policy": 4,
    "policies": 4,
    "engine": 5,
    "__init__": 6,
    "strategies": 7,
    "cli": 7,
    "__main__": 8,
}
ALLOWED_IO = {"cli", "__main__"}
FORBIDDEN_MODULES = {
    "os", "sys", "io", "pathlib", "socket", "subprocess", "shutil", "tempfile", "time", "random",
    "logging", "urllib", "http", "requests", "sqlite3", "pickle", "threading", "asyncio", "secrets",
}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "breakpoint", "__import__"}
CLOCK_METHODS = {"now", "today", "utcnow"}  # datetime.now(), date.today(), ... on any receiver
TIME_FUNCTIONS = {"time", "time_ns", "monotonic", "perf_counter", "localtime", "gmtime", "process_time"}


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def package_imports(name: str, tree: ast.Module) -> set[str]:
    """The loanrules modules that ``name`` imports (first component under the package)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").startswith("loanrules"):
                rest = (node.module or "").split(".")[1:]
                found.update([rest[0]] if rest else [alias.name for alias in node.names])
            elif node.level >= 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:  # "from . import x": a module, or a name of the package's __init__
                    found.update(a.name if a.name in LAYERS else "__init__" for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "loanrules" and len(parts) > 1:
                    found.add(parts[1])
    found.discard(top(name))
    return found


class TestLayers:
    def test_every_module_has_a_layer(self) -> None:
        """Each module of the package is placed in the layer map (a new module must be placed)."""
        unknown = sorted({top(name) for name, _ in modules()} - set(LAYERS))
        assert unknown == []

    def test_imports_point_down(self) -> None:
        """No module imports a module of a higher layer."""
        upward = [
            (name, imported)
            for name, tree in modules()
            for imported in package_imports(name, tree)
            if LAYERS.get(imported, 99) > LAYERS[top(name)]
        ]
        assert upward == []

    def test_no_import_cycles(self) -> None:
        """The import graph between the package's modules has no cycle."""
        graph = {top(name): package_imports(name, tree) for name, tree in modules()}
        state: dict[str, int] = {}

        def visit(node: str, trail: tuple[str, ...]) -> None:
            if state.get(node) == 2:
                return
            assert state.get(node) != 1, f"cycle: {' -> '.join((*trail, node))}"
            state[node] = 1
            for child in graph.get(node, ()):
                visit(child, (*trail, node))
            state[node] = 2

        for node in graph:
            visit(node, ())
        assert set(state) == set(graph)

    def test_init_does_not_import_cli_or_strategies(self) -> None:
        """``import loanrules`` loads neither the command line nor the Hypothesis strategies."""
        code = "import sys, loanrules; print(sorted(m for m in sys.modules if m in ('loanrules.cli', 'loanrules.strategies', 'hypothesis')))"
        import subprocess

        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "[]"


class TestPurity:
    @pytest.mark.parametrize("name", [n for n, _ in modules() if top(n) not in ALLOWED_IO])
    def test_no_io_modules_imported(self, name: str) -> None:
        """Library modules import no module that does I/O, reads the clock or draws randomness."""
        tree = dict(modules())[name]
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0
        }
        assert imported & FORBIDDEN_MODULES == set()

    @pytest.mark.parametrize("name", [n for n, _ in modules() if top(n) not in ALLOWED_IO])
    def test_no_io_or_clock_calls(self, name: str) -> None:
        """Library modules call no I/O builtin and never read the clock (now, today, time)."""
        tree = dict(modules())[name]
        bad = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                    bad.append((func.id, node.lineno))
                if isinstance(func, ast.Attribute) and (
                    func.attr in CLOCK_METHODS
                    or (func.attr in TIME_FUNCTIONS and isinstance(func.value, ast.Name) and func.value.id == "time")
                ):
                    bad.append((func.attr, node.lineno))
        assert bad == []

    def test_no_file_or_socket_events_at_run_time(self) -> None:
        """Building schedules raises no audit event for files, sockets or processes."""
        import datetime as dt

        events: list[str] = []
        watching = [True]

        def hook(event: str, _args: object) -> None:
            if watching[0] and event.split(".", maxsplit=1)[0] in {"open", "socket", "subprocess", "os", "shutil"}:
                events.append(event)

        sys.addaudithook(hook)
        try:
            terms = loanrules.LoanTerms(
                principal="100000", rate=loanrules.Rate.annual("0.05"), term=20,
                start=dt.date(2025, 1, 31), calendar=loanrules.CHINA,
                business_day=loanrules.BusinessDay.MODIFIED_FOLLOWING,
            )
            schedule = loanrules.build_schedule(terms)
            str(schedule)
        finally:
            watching[0] = False
        assert (events, schedule.total_principal) == ([], loanrules.build_schedule(terms).total_principal)
