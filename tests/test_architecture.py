"""Architecture checks: the layer order of imports, and no I/O or clock outside the CLI."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import loanrules

PACKAGE = Path(loanrules.__file__).parent

# Imports point down only (DESIGN.md, "Layers"); a module may import its own layer. The layers are the
# package's top-level packages (conventions/, schedule/, ledger/, collection/, strategies/) and the few
# top-level modules; the one-line modules that keep old import paths (money, rates, ...) sit in the
# layer of the package they re-export.
LAYERS: dict[str, int] = {
    "errors": 0,
    "_checks": 0,
    "_html": 0,
    "conventions": 1,
    "money": 1,
    "rates": 1,
    "daycount": 1,
    "frequency": 1,
    "calendars": 1,
    "schedule": 2,
    "ledger": 3,
    "collection": 4,
    "policy": 4,
    "policies": 4,
    "engine": 5,
    "__init__": 6,
    "serialize": 6,
    "portfolio": 6,
    "strategies": 7,
    "pandas": 7,
    "plot": 7,
    "cli": 7,
    "_arrow": 7,  # the row in Arrow (needs pyarrow): for dask and spark only
    "dask": 7,    # needs the dask extra; never imported by the core
    "spark": 7,   # needs the spark extra; never imported by the core
    "__main__": 8,
}
PACKAGES = ("conventions", "schedule", "ledger", "collection", "serialize", "strategies")
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


def absolute_imports(name: str, tree: ast.Module) -> set[str]:
    """The loanrules modules that ``name`` imports, as dotted names under the package ("ledger._book")."""
    package = name.split(".")[:-1]  # "ledger._book" -> ["ledger"]; "ledger.__init__" -> ["ledger"]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").startswith("loanrules"):
                rest = (node.module or "").split(".")[1:]
                found.update([".".join(rest)] if rest else [alias.name for alias in node.names])
            elif node.level >= 1:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                if node.module:
                    found.add(".".join([*base, node.module]))
                else:  # "from . import x": a module, or a name of the package's __init__
                    found.update(".".join([*base, a.name]) if base or a.name in LAYERS else "__init__"
                                 for a in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "loanrules" and len(parts) > 1:
                    found.add(".".join(parts[1:]))
    return found


def package_imports(name: str, tree: ast.Module) -> set[str]:
    """The layers (top-level packages and modules) that ``name`` imports, its own excluded."""
    found = {top(module) for module in absolute_imports(name, tree)}
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

    def test_the_layers_are_packages_with_private_modules(self) -> None:
        """Each layer is a package whose ``__init__`` is its face and whose other modules are private."""
        for package in PACKAGES:
            assert (PACKAGE / package / "__init__.py").is_file(), package
            public = sorted(p.name for p in (PACKAGE / package).glob("*.py")
                            if p.name != "__init__.py" and not p.name.startswith("_"))
            assert public == [], package

    def test_policy_data_never_imports_the_engine(self) -> None:
        """In ``collection``, the policy data, the case and the presets never import the engine's modules."""
        engine = {"collection._engine", "collection._compiler"}
        offenders = [(name, sorted(absolute_imports(name, tree) & engine)) for name, tree in modules()
                     if name.startswith("collection.") and name not in engine | {"collection.__init__"}
                     and absolute_imports(name, tree) & engine]
        assert offenders == []

    def test_the_old_import_paths_still_work(self) -> None:
        """The contract's import paths (and the flat modules of 0.1) still give the same objects."""
        import importlib

        pairs = {
            "calendars": ("CHINA", "conventions"), "money": ("Currency", "conventions"),
            "rates": ("Rate", "conventions"), "daycount": ("DayCount", "conventions"),
            "frequency": ("Frequency", "conventions"), "policy": ("CollectionPolicy", "collection"),
            "engine": ("next_step", "collection"), "policies": ("standard", "collection._presets"),
        }
        for old, (attr, new) in pairs.items():
            assert getattr(importlib.import_module(f"loanrules.{old}"), attr) is getattr(
                importlib.import_module(f"loanrules.{new}"), attr), old
        assert loanrules.apr is importlib.import_module("loanrules.ledger").apr

    def test_init_does_not_import_cli_or_strategies(self) -> None:
        """``import loanrules`` (and its portfolio and serialize layers) loads neither the command line nor the
        Hypothesis strategies, nor pandas, pyarrow or matplotlib (only ``loanrules.pandas`` and ``.plot`` do)."""
        code = ("import sys, loanrules, loanrules.portfolio, loanrules.serialize; print(sorted(m for m in sys.modules if m in "
                "('loanrules.cli', 'loanrules.strategies', 'hypothesis', 'loanrules.pandas', 'loanrules.plot', "
                "'pandas', 'pyarrow', 'matplotlib')))")
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


def test_version_is_one_literal() -> None:
    """``__version__`` is a literal (no metadata lookup at import) and the build reads the same one."""
    import importlib.metadata
    import tomllib

    import loanrules

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/loanrules/__init__.py"
    assert importlib.metadata.version("loanrules") == loanrules.__version__ == "0.1.0.dev0"
