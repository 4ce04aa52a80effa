"""Tests of ``tools/mutation.py``, the mutation runner: its mutants, and its verdicts on a toy package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "mutation.py"


@pytest.fixture(scope="module")
def mutation() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_mutation_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


SNIPPET = '''"""Docstring: never mutated (nor 1 + 2 in it)."""
import decimal
from decimal import Decimal
__all__ = ["f"]


def f(a: int, b: int = 3) -> int:
    """Also never mutated."""
    if a < b and not a == 0:
        a += 1
    return a * 2 + len(f"{a + 1}")


def g(x: Decimal, rounding: str) -> Decimal:
    return x.quantize(Decimal("0.01"), decimal.ROUND_HALF_UP) + x.quantize(Decimal(1), rounding)
'''


def test_the_mutants_of_a_snippet(mutation: ModuleType) -> None:
    """Each operator where it applies; nothing in docstrings, annotations, ``__all__`` or f-strings."""
    found = [(m.line, m.operator, m.detail) for m in mutation.mutants_of(SNIPPET)]
    assert found == [
        (7, "number", "+1"),  # the default b = 3: code, not an annotation
        (7, "number", "-1"),
        (9, "if", "condition -> False"),
        (9, "if", "condition -> True"),
        (9, "boolop", "and -> or"),
        (9, "compare", "#0 < -> <="),
        (9, "not", "drop not"),
        (9, "compare", "#0 == -> !="),
        (9, "number", "+1"),
        (9, "number", "-1"),
        (10, "augassign", "+= -> -="),
        (10, "number", "+1"),
        (10, "number", "-1"),
        (11, "return", "value -> None"),
        (11, "binop", "* -> /"),
        (11, "binop", "+ -> -"),
        (11, "number", "+1"),
        (11, "number", "-1"),
        (15, "return", "value -> None"),
        (15, "binop", "+ -> -"),
        (15, "decimal", "+1"),
        (15, "decimal", "-1"),
        (15, "rounding", "ROUND_HALF_UP -> ROUND_HALF_EVEN"),
        (15, "rounding-arg", "arg #1 -> ROUND_HALF_EVEN"),
        (15, "decimal", "+1"),
        (15, "decimal", "-1"),
    ]


def test_applying_mutants(mutation: ModuleType) -> None:
    """A mutant's source differs from the original exactly where it says."""
    by_detail = {(m.line, m.detail): m for m in mutation.mutants_of(SNIPPET)}
    assert "a -= 1" in mutation.apply(SNIPPET, by_detail[10, "+= -> -="])
    assert "if a < b and a == 0:" in mutation.apply(SNIPPET, by_detail[9, "drop not"])
    assert "if a <= b and (not a == 0):" in mutation.apply(SNIPPET, by_detail[9, "#0 < -> <="])
    rounded = mutation.apply(SNIPPET, by_detail[15, "ROUND_HALF_UP -> ROUND_HALF_EVEN"])
    assert "x.quantize(Decimal('0.01'), decimal.ROUND_HALF_EVEN)" in rounded
    assert "Decimal('1.01')" in mutation.apply(SNIPPET, mutation.mutants_of(SNIPPET)[20])
    assert "x.quantize(Decimal(1), 'ROUND_HALF_EVEN')" in mutation.apply(SNIPPET, by_detail[15, "arg #1 -> ROUND_HALF_EVEN"])


def test_sample_is_seeded_and_in_source_order(mutation: ModuleType) -> None:
    everything = mutation.mutants_of(SNIPPET)
    chosen = mutation.select(everything, 5, 7)
    assert chosen == mutation.select(everything, 5, 7)
    assert len(chosen) == 5
    assert chosen == sorted(chosen, key=everything.index)


TOY = '''def double(x):
    return x * 2


def is_big(x):
    return x > 10
'''
TOY_TESTS = '''from toy import double, is_big


def test_double():
    assert double(3) == 6


def test_big():
    assert is_big(11)
    assert not is_big(9)
'''


def test_runner_on_a_toy_package(mutation: ModuleType, tmp_path: Path) -> None:
    """``x * 2 -> x / 2`` is killed; ``x > 10 -> x >= 10`` survives (no test at 10); the score says so."""
    (tmp_path / "src" / "toy").mkdir(parents=True)
    (tmp_path / "src" / "toy" / "__init__.py").write_text(TOY)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_toy.py").write_text(TOY_TESTS)
    modules = {"toy": (("src/toy/__init__.py",), ("tests/test_toy.py",))}
    everything = mutation.mutants_of(TOY, "src/toy/__init__.py")
    wanted = [m for m in everything if m.detail in {"* -> /", "> -> >="} or m.detail.endswith("> -> >=")]
    results = mutation.run("toy", wanted, root=tmp_path, modules=modules, progress=False)
    assert [(r.detail, r.status) for r in results] == [("* -> /", "killed"), ("#0 > -> >=", "survived")]
    report = mutation.summarise("toy", results, total=len(everything), seed=None, sample=None,
                                equivalents={results[1].id: "toy: pretend so"})
    assert (report.score_raw, report.score_excluding_equivalents) == (50.0, 100.0)
    assert report.counts == {"killed": 1, "timeout": 0, "survived": 1, "invalid": 0, "equivalent": 1}


def test_every_listed_equivalent_is_a_mutant_of_today_s_source(mutation: ModuleType) -> None:
    """tools/mutation_equivalents.toml names only mutants that exist, each with a reason: a moved line
    makes this fail, so the list is checked again rather than silently ignored."""
    equivalents = mutation.load_equivalents()
    assert equivalents
    ids = {m.id for module in mutation.MODULES for m in mutation.module_mutants(module)}
    assert sorted(set(equivalents) - ids) == []
    assert all(len(reason) > 20 for reason in equivalents.values())
