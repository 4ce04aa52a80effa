"""A revolving credit line (随借随还): draws within a limit, each its own IOU (借据), repaid at will.

A line is its terms plus its events, like a loan. Each draw is a
:class:`Loan` of its own (its amount, term and repayment method, interest
accruing daily on its principal only, the line's repayment day for every
draw); a payment to the line is split over the draws when it is recorded
and becomes payments, prepayments and settlements of those loans. The
line's state gathers the draws' states: the limit comes back as principal
is repaid, and the line's days past due are those of its oldest overdue
draw. The rules are in docs/explanation/credit-line.md.

>>> from datetime import date, timedelta
>>> from loanrules import CreditLine, CreditLineTerms, Rate
>>> line = CreditLine(CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365)))
>>> line = line.draw(on=date(2026, 3, 1), amount="10000", term=3)
>>> state = line.state(date(2026, 3, 16))
>>> state.available, state.draws[0].accrued_interest    # 15 days at 0.05 % a day
(Decimal('40000.00'), Decimal('75.00'))
>>> line.settle(on=date(2026, 3, 16)).state(date(2026, 3, 16)).available
Decimal('50000.00')
"""

from __future__ import annotations

import decimal
import enum
import typing
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import attrs

from loanrules._checks import (
    InstanceOf,
    IntIn,
    MemberOf,
    check_date,
    member_repr,
    pretty_repr,
    to_decimal,
    to_tuple,
    value_repr,
)
from loanrules.conventions import ALL_DAYS, CNY, BusinessDay, Calendar, Currency, DayCount, Rate
from loanrules.conventions._money import CONTEXT
from loanrules.errors import InvalidTypeError, InvalidValueError, RefusedEventError
from loanrules.schedule import Accrual, LoanTerms, RepaymentMethod

from ._ledger import (
    Allocation,
    Amounts,
    Loan,
    LoanState,
    PenaltyBase,
    PenaltyTerms,
    PrepaymentTerms,
    Status,
    _amount,
    _on,
    _positive,
)

__all__ = [
    "CreditLine",
    "CreditLineState",
    "CreditLineTerms",
    "Draw",
    "LinePayment",
    "LinePrepayment",
    "LineSettlement",
    "PrepayOrder",
]

_ZERO: Final = Decimal(0)
MAX_DRAWS: Final = 1000
"""The most draws a line holds (each is a loan of its own)."""


class PrepayOrder(enum.Enum):
    """Which draw's principal a payment repays once nothing is due: the costliest (highest rate) first,
    the oldest first, or the newest first. Ties go to the older draw.

    >>> [order.value for order in PrepayOrder]
    ['costliest', 'oldest', 'newest']
    """

    __repr__ = member_repr

    COSTLIEST = "costliest"
    OLDEST = "oldest"
    NEWEST = "newest"


def _money(value: object) -> Decimal:
    return to_decimal(value, "limit")


def _default_penalty(terms: CreditLineTerms) -> PenaltyTerms:
    return PenaltyTerms(markup="0.5", base=PenaltyBase.PRINCIPAL, compound=False, day_basis=terms.basis)


_ALL_METHODS: Final = frozenset(RepaymentMethod)


def _methods(value: Iterable[RepaymentMethod]) -> frozenset[RepaymentMethod]:
    items = frozenset(to_tuple("methods", value))
    for method in items:
        MemberOf(RepaymentMethod).check(method, "methods")
    return items


def _draw_terms(value: Iterable[int]) -> tuple[int, ...]:
    items = to_tuple("draw_terms", value)
    for term in items:
        IntIn(1, 360).check(term, "draw_terms")
    return tuple(sorted(set(items)))


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class CreditLineTerms:
    """The terms of a revolving line (额度): its limit, its rate, and the rules every draw follows.

    Args:
        limit: The credit limit (额度), in ``currency``.
        rate: The line's rate, usually a daily quote (日利率, ``Rate.daily("0.0005", basis=365)``).
        basis: The days in a year of the daily accrual: 365 (internet lenders disclose daily x 365)
            or 360. Interest on a draw is its principal x annual rate x days / basis.
        currency: The line's currency.
        calendar: The business-day calendar of the draws' due dates.
        business_day: How a due date on a closed day moves.
        repayment_day: The day of the month every draw's installments fall on (1 to 28).
        methods: The repayment methods a draw may choose.
        draw_terms: The terms (in months) a draw may choose.
        penalty: Penalty interest on overdue draws: by default 1.5 x the rate on overdue principal
            (``base=INSTALLMENT`` charges it on principal and interest), grace as set there.
        prepayment: Prepayment rules of each draw (free by default; count limits per day, a fee rate).
        allocation: The allocation order within each draw.
        suspend_after_dpd: New draws are suspended while the line is more than this many days past
            due (0: any overdue amount suspends them).
        prepay_order: Which draw a payment repays ahead once nothing is due.

    >>> CreditLineTerms(limit="50000", rate=Rate.daily("0.0005", basis=365)).penalty.annual_rate(
    ...     Rate.daily("0.0005", basis=365))
    Decimal('0.27375')
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    limit: Decimal = attrs.field(converter=_money)
    rate: Rate = attrs.field(validator=InstanceOf(Rate))
    basis: int = attrs.field(default=365)
    currency: Currency = attrs.field(default=CNY, validator=InstanceOf(Currency))
    calendar: Calendar = attrs.field(default=ALL_DAYS, validator=InstanceOf(Calendar))
    business_day: BusinessDay = attrs.field(default=BusinessDay.UNADJUSTED)
    repayment_day: int = attrs.field(default=10)
    methods: frozenset[RepaymentMethod] = attrs.field(default=_ALL_METHODS, converter=_methods)
    draw_terms: tuple[int, ...] = attrs.field(default=(1, 3, 6, 12), converter=_draw_terms)
    penalty: PenaltyTerms = attrs.field(default=attrs.Factory(_default_penalty, takes_self=True),
                                        validator=InstanceOf(PenaltyTerms))
    prepayment: PrepaymentTerms = attrs.field(default=PrepaymentTerms(), validator=InstanceOf(PrepaymentTerms))
    allocation: Allocation = attrs.field(default=Allocation(), validator=InstanceOf(Allocation))
    suspend_after_dpd: int = attrs.field(default=0)
    prepay_order: PrepayOrder = attrs.field(default=PrepayOrder.COSTLIEST)

    def __attrs_post_init__(self) -> None:
        if self.limit <= 0:
            raise InvalidValueError("limit", "must be > 0", self.limit)
        if self.limit != self.limit.quantize(self.currency.quantum):
            raise InvalidValueError("limit", f"must have at most {self.currency.minor_units} decimal places for "
                                    f"{self.currency.code}", self.limit)
        object.__setattr__(self, "limit", self.limit.quantize(self.currency.quantum))
        if self.basis not in (360, 365) or type(self.basis) is not int:
            raise InvalidValueError("basis", "must be 360 or 365", self.basis)
        MemberOf(BusinessDay).check(self.business_day, "business_day")
        IntIn(1, 28).check(self.repayment_day, "repayment_day")
        IntIn(0, 36_500).check(self.suspend_after_dpd, "suspend_after_dpd")
        MemberOf(PrepayOrder).check(self.prepay_order, "prepay_order")
        if not self.methods:
            raise InvalidValueError("methods", "must allow at least one repayment method", self.methods)
        if not self.draw_terms:
            raise InvalidValueError("draw_terms", "must allow at least one term", self.draw_terms)

    @property
    def day_count(self) -> DayCount:
        """ACT/365F or ACT/360, by ``basis``."""
        return DayCount.ACT_365F if self.basis == 365 else DayCount.ACT_360


# ---------------------------------------------------------------------------
# Events


def _optional_draw(value: object) -> int | None:
    if value is None:
        return None
    IntIn(1, MAX_DRAWS).check(value, "draw")
    return typing.cast(int, value)


@typing.final
@attrs.frozen(repr=False)
class Draw:
    """A draw (借款): ``amount`` taken on ``on`` over ``term`` months by ``method``; ``rate`` overrides the line's.

    >>> Draw(date(2026, 3, 1), "10000", 3)
    Draw(on=datetime.date(2026, 3, 1), amount=Decimal('10000'), term=3)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    amount: Decimal = attrs.field(converter=_amount, validator=_positive)
    term: int = attrs.field()
    method: RepaymentMethod = attrs.field(default=RepaymentMethod.ANNUITY)
    rate: Rate | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        IntIn(1, 360).check(self.term, "term")
        MemberOf(RepaymentMethod).check(self.method, "method")
        if self.rate is not None and not isinstance(self.rate, Rate):
            raise InvalidTypeError("rate", "must be a Rate or None", self.rate)


@typing.final
@attrs.frozen(repr=False)
class LinePayment:
    """A payment to the line: to a named draw (``draw``, 1-based), or split over the draws.

    >>> LinePayment(date(2026, 5, 10), "5000").draw is None
    True
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    amount: Decimal = attrs.field(converter=_amount, validator=_positive)
    draw: int | None = attrs.field(default=None, converter=_optional_draw)


@typing.final
@attrs.frozen(repr=False)
class LinePrepayment:
    """A prepayment (提前还款) of a named draw: its due amounts, then interest for the days used, then principal.

    >>> LinePrepayment(date(2026, 5, 11), "500", draw=2).draw
    2
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    amount: Decimal = attrs.field(converter=_amount, validator=_positive)
    draw: int = attrs.field()

    def __attrs_post_init__(self) -> None:
        IntIn(1, MAX_DRAWS).check(self.draw, "draw")


@typing.final
@attrs.frozen(repr=False)
class LineSettlement:
    """The payoff (结清) of a named draw, or of the whole line (``draw`` ``None``), on ``on``.

    >>> LineSettlement(date(2026, 5, 12), draw=0)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'draw' must lie in [1, 1000], got 0
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    on: date = attrs.field(validator=_on)
    draw: int | None = attrs.field(default=None, converter=_optional_draw)


LineEvent = Draw | LinePayment | LinePrepayment | LineSettlement
"""Any event a credit line records."""

_EVENT_TYPES: Final = (Draw, LinePayment, LinePrepayment, LineSettlement)


def _to_events(value: Iterable[LineEvent]) -> tuple[LineEvent, ...]:
    events = to_tuple("events", value)
    for index, event in enumerate(events):
        if type(event) not in _EVENT_TYPES:
            raise InvalidTypeError(f"events[{index}]", "must be a Draw, LinePayment, LinePrepayment or "
                                   "LineSettlement", event)
        if index and event.on < events[index - 1].on:
            raise InvalidValueError(f"events[{index}].on", f"must not be before the event before it "
                                    f"({events[index - 1].on}): a line records events in date order", event.on)
    return events


# ---------------------------------------------------------------------------
# The state


def _states_tuple(value: Iterable[LoanState]) -> tuple[LoanState, ...]:
    return to_tuple("draws", value)


def _sum(amounts: Iterable[Amounts]) -> Amounts:
    total = [_ZERO, _ZERO, _ZERO, _ZERO]
    for a in amounts:
        total = [CONTEXT.add(x, y) for x, y in zip(total, a, strict=True)]
    return Amounts(*total)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class CreditLineState:
    """A line's position at the end of a day: its limit, what is drawn, and every draw's :class:`LoanState`.

    It has the fields the collection engine reads of a loan's state
    (``as_of``, ``days_past_due``, ``status``, ``overdue``, ``due_now``,
    ``payoff``, ``principal_outstanding``, ``next_due_date``,
    ``next_due_amount``, ``restructured_on``): a :class:`~loanrules.Case`
    takes either (see :class:`~loanrules.collection.AccountState`).

    >>> from loanrules import Rate
    >>> line = CreditLine(CreditLineTerms(limit="5000", rate=Rate.daily("0.0005", basis=365)))
    >>> state = line.draw(date(2026, 3, 1), "1000", 1).state(date(2026, 4, 12))
    >>> state.days_past_due, state.available, state.suspended, len(state.draws)
    (2, Decimal('4000.00'), True, 1)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    as_of: date
    limit: Decimal
    drawn_principal: Decimal
    """The principal of every draw not yet repaid (due or not)."""
    available: Decimal
    """``limit - drawn_principal``: what a new draw may take (0 at the least)."""
    draws: tuple[LoanState, ...] = attrs.field(converter=_states_tuple)
    """Each draw's state, in the order drawn."""
    days_past_due: int
    """The line's DPD: that of its oldest overdue draw."""
    status: Status
    overdue: Amounts
    due_now: Amounts
    payoff: Decimal
    """What settles the whole line today: the sum of the draws' payoffs."""
    principal_outstanding: Decimal
    accrued_interest: Decimal
    next_due_date: date | None
    next_due_amount: Decimal
    """What every draw owes on ``next_due_date``."""
    credit: Decimal
    """Paid beyond everything owed, held for the borrower."""
    prepayment_fees: Decimal
    restructured_on: date | None
    suspended: bool
    """Whether new draws are suspended (the line is more than ``suspend_after_dpd`` days past due)."""


# ---------------------------------------------------------------------------
# The line


@typing.final
@attrs.frozen(repr=False)
class CreditLine:
    """A revolving credit line: its terms and its events; each method records an event and returns a new line.

    Events are recorded in date order (a line's splits of a payment depend on
    what each draw owes that day, so an event before the latest one is
    refused). A line rebuilt from stored events (``CreditLine(terms,
    events=...)``) replays them, checking each as it was checked when recorded.

    Raises:
        RefusedEventError: An event the line refuses, with ``rule`` (``limit``, ``suspended``,
            ``term``, ``method``, ``draw``, ``settled``, or a draw's prepayment rule) and, when
            rebuilt from events, ``path`` (``events[3]``).
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    terms: CreditLineTerms = attrs.field(validator=InstanceOf(CreditLineTerms))
    events: tuple[LineEvent, ...] = attrs.field(default=(), converter=_to_events)
    _loans: tuple[Loan, ...] = attrs.field(init=False, eq=False, repr=False)
    _credit: Decimal = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        loans, credit = _replay(self.terms, self.events)
        object.__setattr__(self, "_loans", tuple(loans))
        object.__setattr__(self, "_credit", credit)
        object.__setattr__(self, "events", tuple(_in_minor_units(self.terms, event) for event in self.events))

    # -- recording -------------------------------------------------------------

    def _record(self, event: LineEvent) -> CreditLine:
        if self.events and event.on < self.events[-1].on:
            raise RefusedEventError("date_order", f"a line records events in date order; the latest is on "
                                    f"{self.events[-1].on}")
        loans, credit = _apply(self.terms, list(self._loans), self._credit, event, "")
        new = object.__new__(CreditLine)
        object.__setattr__(new, "terms", self.terms)
        object.__setattr__(new, "events", (*self.events, _in_minor_units(self.terms, event)))
        object.__setattr__(new, "_loans", tuple(loans))
        object.__setattr__(new, "_credit", credit)
        return new

    def draw(self, on: date, amount: object, term: int, method: RepaymentMethod = RepaymentMethod.ANNUITY,
             rate: Rate | None = None) -> CreditLine:
        """Record a draw; refused beyond the available limit, while draws are suspended, or off the terms.

        >>> from loanrules import Rate
        >>> line = CreditLine(CreditLineTerms(limit="5000", rate=Rate.daily("0.0005", basis=365)))
        >>> line.draw(on=date(2026, 3, 1), amount="6000", term=3)
        Traceback (most recent call last):
        ...
        loanrules.errors.RefusedEventError: refused by rule 'limit': 6000.00 is more than the 5000.00 available on 2026-03-01
        """
        return self._record(Draw(on, amount, term, method, rate))

    def pay(self, on: date, amount: object, draw: int | None = None) -> CreditLine:
        """Record a payment: to ``draw`` (1-based) if named, else split over the draws.

        Split: overdue installments first, oldest due date first (each one's penalty, fee,
        interest, principal in the line's allocation order), then what falls due on ``on``,
        then principal ahead on the draws in ``prepay_order`` (each settled in full, paying
        interest for the days used, before the next); what is left is credit. Named, the
        payment pays that draw's due amounts, then prepays it (interest for the days used,
        then principal), and settles it if it covers the payoff; any excess is credit.
        """
        return self._record(LinePayment(on, amount, draw))

    def prepay(self, on: date, amount: object, draw: int) -> CreditLine:
        """Record a prepayment of ``draw`` (what is due, then interest for the days used, then principal)."""
        return self._record(LinePrepayment(on, amount, draw))

    def settle(self, on: date, draw: int | None = None) -> CreditLine:
        """Record the payoff of ``draw``, or of every draw (``None``); each is then SETTLED."""
        return self._record(LineSettlement(on, draw))

    # -- reading ---------------------------------------------------------------

    @property
    def loans(self) -> tuple[Loan, ...]:
        """The draws as loans (借据), in the order drawn, with the events the line's events made of them."""
        return self._loans

    def state(self, as_of: date) -> CreditLineState:
        """The line's position at the end of ``as_of``: its draws' states, gathered."""
        day = check_date(as_of, "as_of")
        states = tuple(loan.state(day) for loan in self._loans if loan.terms.start <= day)
        return _gather(self.terms, day, states, self._credit_on(day))

    def timeline(self, start: date, end: date) -> tuple[CreditLineState, ...]:
        """The line's state on every day from ``start`` to ``end`` inclusive.

        >>> from loanrules import Rate
        >>> line = CreditLine(CreditLineTerms(limit="5000", rate=Rate.daily("0.0005", basis=365)))
        >>> line = line.draw(date(2026, 3, 1), "1000", 1)
        >>> [s.days_past_due for s in line.timeline(date(2026, 4, 9), date(2026, 4, 12))]
        [0, 0, 1, 2]
        """
        first, last = check_date(start, "start"), check_date(end, "end")
        if last < first:
            raise InvalidValueError("end", f"must not be before start ({first})", last)
        if (last - first).days >= 36_600:
            raise InvalidValueError("end", "must be within 36,600 days of start", last)
        return tuple(self.state(first + timedelta(days=k)) for k in range((last - first).days + 1))

    def _credit_on(self, day: date) -> Decimal:
        if not self.events or self.events[-1].on <= day:
            return self._credit
        # Replay the events up to the day for its credit (rare: a state asked before the latest event).
        return _replay(self.terms, [event for event in self.events if event.on <= day])[1]


def _in_minor_units(terms: CreditLineTerms, event: LineEvent) -> LineEvent:
    """The event with its amount in the line's minor unit (``10000`` recorded as ``10000.00``; the
    event was checked to have no more places)."""
    amount = getattr(event, "amount", None)
    if amount is None:
        return event
    quantized = amount.quantize(terms.currency.quantum)
    return event if quantized.as_tuple() == amount.as_tuple() else attrs.evolve(event, amount=quantized)


def _gather(terms: CreditLineTerms, day: date, states: tuple[LoanState, ...], credit: Decimal) -> CreditLineState:
    with decimal.localcontext(CONTEXT):
        drawn = sum((s.principal_outstanding for s in states), _ZERO)
        dpd = max((s.days_past_due for s in states), default=0)
        payoff = sum((s.payoff for s in states), _ZERO)
        open_states = [s for s in states if s.status is not Status.SETTLED]
        next_day = min((s.next_due_date for s in open_states if s.next_due_date is not None), default=None)
        next_amount = sum((s.next_due_amount for s in open_states if s.next_due_date == next_day), _ZERO)
        if not open_states or payoff <= 0:
            status = Status.SETTLED if states else Status.CURRENT
        elif dpd == 0:
            status = Status.CURRENT
        elif dpd <= terms.penalty.grace_days:
            status = Status.GRACE
        else:
            status = Status.OVERDUE
        quantum = terms.currency.quantum
        zero = quantum * 0
        restructured = [s.restructured_on for s in states if s.restructured_on is not None]
        return CreditLineState(
            as_of=day, limit=terms.limit, drawn_principal=drawn + zero,
            available=max(terms.limit - drawn, zero), draws=states, days_past_due=dpd, status=status,
            overdue=_sum(s.overdue for s in states), due_now=_sum(s.due_now for s in states), payoff=payoff + zero,
            principal_outstanding=drawn + zero,
            accrued_interest=sum((s.accrued_interest for s in states), zero), next_due_date=next_day,
            next_due_amount=next_amount + zero,
            credit=credit + sum((s.credit for s in states), zero),
            prepayment_fees=sum((s.prepayment_fees for s in states), zero),
            restructured_on=max(restructured) if restructured else None,
            suspended=dpd > terms.suspend_after_dpd or (terms.suspend_after_dpd == 0 and
                                                         any(s.overdue.total > 0 for s in states)),
        )


def _replay(terms: CreditLineTerms, events: Sequence[LineEvent]) -> tuple[list[Loan], Decimal]:
    """The draws' loans and the line's credit after ``events``, each checked as when it was recorded."""
    loans: list[Loan] = []
    credit = _ZERO
    for index, event in enumerate(events):
        loans, credit = _apply(terms, loans, credit, event, f"events[{index}]")
    return loans, credit


def _draw_loan(terms: CreditLineTerms, draw: Draw) -> Loan:
    loan_terms = LoanTerms(
        principal=draw.amount, rate=draw.rate or terms.rate, term=draw.term, method=draw.method, start=draw.on,
        payment_day=terms.repayment_day, accrual=Accrual.DAILY, day_count=terms.day_count,
        calendar=terms.calendar, business_day=terms.business_day, currency=terms.currency)
    return Loan(loan_terms, penalty=terms.penalty, prepayment=terms.prepayment, allocation=terms.allocation)


def _refuse(rule: str, detail: str, path: str) -> typing.NoReturn:
    raise RefusedEventError(rule, detail, path=path)


def _apply(terms: CreditLineTerms, loans: list[Loan], credit: Decimal, event: LineEvent,
           path: str) -> tuple[list[Loan], Decimal]:
    """The draws' loans and the line's credit after ``event`` (checked as when it is recorded)."""
    day = event.on
    amount = getattr(event, "amount", None)
    if amount is not None and amount != amount.quantize(terms.currency.quantum):
        raise InvalidValueError(f"{path}.amount" if path else "amount", f"must have at most "
                                f"{terms.currency.minor_units} decimal places for {terms.currency.code}", amount)
    live = [(i, loan) for i, loan in enumerate(loans) if loan.terms.start <= day]
    if isinstance(event, Draw):
        if len(loans) >= MAX_DRAWS:
            _refuse("draws", f"a line holds at most {MAX_DRAWS} draws", path)
        if event.term not in terms.draw_terms:
            _refuse("term", f"a draw's term must be one of {', '.join(map(str, terms.draw_terms))} months, "
                    f"not {event.term}", path)
        if event.method not in terms.methods:
            _refuse("method", f"the line does not allow {event.method.value} draws", path)
        amount = event.amount
        state = _gather(terms, day, tuple(loan.state(day) for _, loan in live), credit)
        if state.suspended:
            _refuse("suspended", f"new draws are suspended: the line is {state.days_past_due} days past due "
                    f"on {day}", path)
        if amount > state.available:
            _refuse("limit", f"{amount.quantize(terms.currency.quantum)} is more than the {state.available} "
                    f"available on {day}", path)
        return [*loans, _draw_loan(terms, event)], credit
    named = event.draw
    if named is not None and not 1 <= named <= len(loans):
        _refuse("draw", f"the line has {len(loans)} draw(s); there is no draw {named}", path)
    if isinstance(event, LineSettlement):
        targets = [named - 1] if named is not None else [i for i, _ in live]
        for i in targets:
            if loans[i].state(day).status is Status.SETTLED:
                if named is not None:
                    _refuse("settled", f"draw {named} is already settled on {day}", path)
                continue
            loans[i] = _on_draw(loans[i], "settle", day, None, path)
        return loans, credit
    amount = event.amount
    if isinstance(event, LinePrepayment):
        loans[named - 1] = _on_draw(loans[named - 1], "prepay", day, amount, path)  # type: ignore[operator]
        return loans, credit
    if named is not None:
        return _pay_draw(loans, named - 1, day, amount, credit=credit, path=path)
    return _split(terms, loans, live, day, amount=amount, credit=credit, path=path)


def _on_draw(loan: Loan, method: str, day: date, amount: Decimal | None, path: str) -> Loan:
    try:
        if method == "settle":
            return loan.settle(day)
        if method == "prepay":
            return loan.prepay(day, amount)
        return loan.pay(day, amount)
    except RefusedEventError as error:
        raise RefusedEventError(error.rule, error.detail, path=path) from None


def _pay_draw(loans: list[Loan], i: int, day: date, amount: Decimal, *, credit: Decimal,
              path: str) -> tuple[list[Loan], Decimal]:
    """A payment to draw ``i``: what it owes now, then a prepayment, or its payoff and credit beyond."""
    state = loans[i].state(day)
    if state.status is Status.SETTLED:
        _refuse("settled", f"draw {i + 1} is already settled on {day}", path)
    due = state.due_now.total
    if amount >= state.payoff:
        loans[i] = _on_draw(loans[i], "settle", day, None, path)
        return loans, credit + amount - state.payoff
    if amount <= due or state.principal_outstanding <= state.due_now.principal:
        loans[i] = _on_draw(loans[i], "pay", day, amount, path)
        return loans, credit
    loans[i] = _on_draw(loans[i], "prepay", day, amount, path)
    return loans, credit


def _split(terms: CreditLineTerms, loans: list[Loan], live: list[tuple[int, Loan]], day: date, *,
           amount: Decimal, credit: Decimal, path: str) -> tuple[list[Loan], Decimal]:
    """A payment without a draw named, split over the draws (see :meth:`CreditLine.pay`)."""
    states = {i: loan.state(day) for i, loan in live}
    owed: list[tuple[date, int, Decimal]] = [
        (row.due_date, i, row.outstanding.total) for i, state in states.items() for row in state.installments
        if row.due_date <= day and row.outstanding.total > 0]
    owed.sort(key=lambda item: (item[0], item[1]))  # oldest due date first, then the older draw
    shares = dict.fromkeys(states, _ZERO)
    left = amount
    for _due, i, total in owed:  # overdue (oldest first), then what falls due today
        if not left:
            break
        take = min(total, left)
        shares[i] += take
        left -= take
    for i, share in shares.items():
        if share:
            loans[i] = _on_draw(loans[i], "pay", day, share, path)
    if not left:
        return loans, credit
    order = sorted((i for i in states if loans[i].state(day).status is not Status.SETTLED),
                   key=lambda i: _prepay_key(terms.prepay_order, loans[i], i))
    for i in order:
        state = loans[i].state(day)
        if left >= state.payoff:
            loans[i] = _on_draw(loans[i], "settle", day, None, path)
            left -= state.payoff
        else:
            loans[i] = _on_draw(loans[i], "prepay", day, left, path)
            left = _ZERO
        if not left:
            break
    return loans, credit + left


def _prepay_key(order: PrepayOrder, loan: Loan, index: int) -> tuple[Decimal | int, int]:
    if order is PrepayOrder.COSTLIEST:
        return -loan.terms.rate.annual, index
    if order is PrepayOrder.NEWEST:
        return -index, index
    return index, index
