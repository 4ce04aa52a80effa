"""A small web service over loanrules (docs/how-to/web-service.md): post a loan, ask its state and next step.

Run it with ``uvicorn examples.web_service:app`` (FastAPI and uvicorn are not
dependencies of loanrules: install them in your service).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Body, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from loanrules import Case, CollectionPolicy, Loan, LoanRulesError, next_step, policies
from loanrules.errors import InvalidDataError, describe
from loanrules.serialize import from_data, to_data

app = FastAPI(title="loans")

STORE: dict[str, dict[str, Any]] = {}
"""Loan id -> the loan document. A real service keeps these rows in its database (a JSON column)."""

_IDS = itertools.count(1)
POLICIES: dict[str, CollectionPolicy] = {"standard": policies.standard(), "us_reg_f": policies.us_reg_f()}


@app.exception_handler(InvalidDataError)
def invalid_data(_request: Request, error: InvalidDataError) -> JSONResponse:
    """A document that does not read: 422, with where (the JSON path), the rule, and the value, described."""
    return JSONResponse(status_code=422, content={"detail": {
        "path": error.path, "rule": error.rule, "value": describe(error.value)}})


@app.exception_handler(LoanRulesError)
def refused(_request: Request, error: LoanRulesError) -> JSONResponse:
    """Any other refusal of the library (a date before the loan's start, ...): 422 with its message."""
    return JSONResponse(status_code=422, content={"detail": {"message": str(error)}})


def load(loan_id: str) -> Loan:
    """The stored loan, read back from its document (validated again: the store is data, not objects)."""
    if loan_id not in STORE:
        raise HTTPException(status_code=404, detail=f"no loan {loan_id!r}")
    return from_data(Loan, STORE[loan_id])


@app.post("/loans", status_code=201)
def post_loan(document: dict[str, Any] = Body()) -> dict[str, Any]:  # noqa: B008 - FastAPI's idiom
    """Store a loan document; a bad one is refused with 422 before anything is stored."""
    loan = from_data(Loan, document)
    loan_id = str(next(_IDS))
    STORE[loan_id] = to_data(loan)  # the document as loanrules writes it: every field, this format version
    return {"id": loan_id, "principal": str(loan.terms.principal), "events": len(loan.events)}


@app.get("/loans/{loan_id}")
def get_loan(loan_id: str) -> dict[str, Any]:
    """The stored document, as it would be reloaded."""
    return to_data(load(loan_id))


@app.get("/loans/{loan_id}/state")
def get_state(loan_id: str, as_of: date) -> dict[str, Any]:
    """The loan's state as of a day: what is due, overdue, and the payoff."""
    return to_data(load(loan_id).state(as_of=as_of))


@app.get("/loans/{loan_id}/next-step")
def get_next_step(loan_id: str, now: datetime, timezone: str = "Asia/Shanghai",
                  policy: str = "standard") -> dict[str, Any]:
    """The next collection step at ``now`` (with its UTC offset), the state as of the debtor's local date."""
    if now.tzinfo is None:
        raise HTTPException(status_code=422, detail="now must carry its UTC offset, e.g. 2026-08-15T10:00+08:00")
    if policy not in POLICIES:
        raise HTTPException(status_code=422, detail=f"policy must be one of {', '.join(POLICIES)}")
    try:
        local = now.astimezone(ZoneInfo(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise HTTPException(status_code=422, detail="timezone must be an IANA time zone name") from None
    case = Case(state=load(loan_id).state(as_of=local.date()), timezone=timezone)
    return to_data(next_step(POLICIES[policy], case, now))
