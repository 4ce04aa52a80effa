"""Tests of the how-to's web service (docs/how-to/web-service.md): examples/web_service.py with TestClient."""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from loanrules import Decision
from loanrules.serialize import from_data

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    # Starlette 1.x prefers its fork httpx2 and warns when it finds only httpx (our dev extra's choice);
    # only that warning, only at this import, is let through: the suite turns every other warning into an error.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient` is deprecated")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "examples" / "web_service.py"
PAGE = ROOT / "docs" / "how-to" / "web-service.md"


def load_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_service_example", APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client() -> TestClient:
    """A fresh app (its store empty) and a client for it."""
    return TestClient(load_app().app)


def example_loan() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / "loan.json").read_text("utf-8"))
    return data


class TestWebService:
    def test_post_then_state(self, client: TestClient) -> None:
        """Post the example loan, then its state as of 2026-08-15: 36 days past due, payoff 23442.66."""
        posted = client.post("/loans", json=example_loan())
        assert posted.status_code == 201
        assert posted.json() == {"id": "1", "principal": "30000.00", "events": 3}
        state = client.get("/loans/1/state", params={"as_of": "2026-08-15"})
        assert state.status_code == 200
        body = state.json()
        assert (body["type"], body["status"], body["days_past_due"]) == ("loan_state", "overdue", 36)
        assert (body["payoff"], body["principal_outstanding"]) == ("23442.66", "22799.63")
        assert body["overdue"] == {"principal": "4908.89", "interest": "388.41", "penalty": "48.87", "fee": "0.00"}

    def test_next_step(self, client: TestClient) -> None:
        """The next step at 10:00 in Shanghai: write the letter (formal stage); the same under Regulation F."""
        client.post("/loans", json=example_loan())
        step = client.get("/loans/1/next-step", params={"now": "2026-08-15T10:00:00+08:00"})
        assert step.status_code == 200
        assert (step.json()["status"], step.json()["action"], step.json()["stage"]) == ("act", "letter", "formal")
        us = client.get("/loans/1/next-step", params={"now": "2026-08-15T10:00:00-04:00", "policy": "us_reg_f",
                                                      "timezone": "America/New_York"})
        decision = from_data(Decision, us.json())
        assert (decision.action.value, decision.stage, decision.trace[-1].facts[0]) == ("letter", "formal",
                                                                                        ("dpd", 36))

    def test_reload_is_the_same_loan(self, client: TestClient) -> None:
        """The stored document reloads as the loan posted (every field written, events kept)."""
        client.post("/loans", json=example_loan())
        stored = client.get("/loans/1").json()
        assert stored == example_loan()

    def test_bad_loan_is_422_with_the_path(self, client: TestClient) -> None:
        """A loan whose second payment falls on 2026-02-30: 422, with the JSON path and the rule."""
        bad = example_loan()
        bad["events"][1]["on"] = "2026-02-30"
        response = client.post("/loans", json=bad)
        assert response.status_code == 422
        assert response.json() == {"detail": {"path": "events[1].on",
                                              "rule": "must be an ISO 8601 date (YYYY-MM-DD) that exists",
                                              "value": "'2026-02-30'"}}
        assert client.get("/loans/1").status_code == 404

    def test_float_money_is_422(self, client: TestClient) -> None:
        """Money as a JSON number: refused where it stands."""
        bad = example_loan()
        bad["terms"]["principal"] = 30000.5
        detail = client.post("/loans", json=bad).json()["detail"]
        assert (detail["path"], detail["value"]) == ("terms.principal", "30000.5")

    def test_other_refusals_are_422(self, client: TestClient) -> None:
        """A state before the loan's start, a naive moment, an unknown policy or zone: 422; an unknown loan 404."""
        client.post("/loans", json=example_loan())
        early = client.get("/loans/1/state", params={"as_of": "2026-01-01"})
        assert (early.status_code, early.json()) == (422, {"detail": {
            "message": "'as_of' must not be before the loan's start (2026-03-10), got datetime.date(2026, 1, 1)"}})
        for params in ({"now": "2026-08-15T10:00:00"}, {"now": "2026-08-15T10:00:00Z", "policy": "lenient"},
                       {"now": "2026-08-15T10:00:00Z", "timezone": "Mars/Olympus"}):
            assert client.get("/loans/1/next-step", params=params).status_code == 422
        assert client.get("/loans/9/state", params={"as_of": "2026-08-15"}).status_code == 404


def test_the_page_shows_the_app() -> None:
    """docs/how-to/web-service.md shows examples/web_service.py verbatim, so the two cannot drift apart."""
    assert f"```python\n{APP.read_text('utf-8')}```" in PAGE.read_text("utf-8")


def test_core_never_imports_fastapi() -> None:
    """Importing every loanrules module (the CLI and serialize included) loads no FastAPI."""
    import subprocess
    import sys

    code = ("import sys, loanrules, loanrules.cli, loanrules.serialize; "
            "print([m for m in ('fastapi', 'starlette', 'httpx') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")}).stdout
    assert out == "[]\n"
