"""The events a loan records (private)."""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal

import attrs

from loanrules.conventions._rates import Rate
from loanrules.schedule._schedule import RepaymentMethod

from ._terms import Component, Recast

# ---------------------------------------------------------------------------
# Events


@typing.final
@attrs.frozen
class Payment:
    """A payment of ``amount`` on ``on``, allocated by the loan's :class:`Allocation`."""

    on: date
    amount: Decimal


@typing.final
@attrs.frozen
class Prepayment:
    """An active prepayment (提前还款): settles what is due and accrued, then reduces principal."""

    on: date
    amount: Decimal
    recast: Recast


@typing.final
@attrs.frozen
class Settlement:
    """A payoff (结清) of ``amount``, the payoff the loan showed when it was recorded."""

    on: date
    amount: Decimal


@typing.final
@attrs.frozen
class Waiver:
    """A waiver (减免) of ``amount`` of ``component`` (``None``: all of it outstanding that day)."""

    on: date
    component: Component
    amount: Decimal | None


@typing.final
@attrs.frozen(kw_only=True)
class Restructure:
    """A negotiated plan (协商还款 / 个性化分期) that re-amortizes what is owed from ``on``."""

    on: date
    term: int
    rate: Rate | None = None
    method: RepaymentMethod | None = None
    waive_penalty: bool = False
    waive_fee: bool = False


Event = Payment | Prepayment | Settlement | Waiver | Restructure
"""Any event a loan records."""


