"""The loan: terms plus events, folded into a state as of any day (private)."""

from __future__ import annotations

import bisect
import decimal
import typing
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_DOWN, Decimal

import attrs

from loanrules.conventions._dates import check_date
from loanrules.conventions._rates import Rate
from loanrules.errors import InvalidTypeError, InvalidValueError, RefusedEventError
from loanrules.schedule._schedule import LoanTerms, RepaymentMethod, Schedule, build_schedule

from ._book import _Book
from ._events import Event, Payment, Prepayment, Restructure, Settlement, Waiver
from ._state import LoanState, Phase
from ._terms import (
    _ACCRUAL,
    _ZERO,
    Allocation,
    Component,
    PenaltyTerms,
    PrepaymentTerms,
    Recast,
    Status,
    _check_int,
    _dec_tolerance,
)

# ---------------------------------------------------------------------------
# The loan


def _schedule_columns(schedule: Schedule) -> tuple[tuple[typing.Any, ...], ...]:
    rows = schedule.installments
    return (tuple(r.due_date for r in rows), tuple(r.unadjusted_date for r in rows),
            tuple(r.period_start for r in rows), tuple(r.principal for r in rows),
            tuple(r.interest for r in rows))


def _check_events(_self: object, _attribute: object, events: tuple[Event, ...]) -> None:
    previous: date | None = None
    for index, event in enumerate(events):
        if not isinstance(event, (Payment, Prepayment, Settlement, Waiver, Restructure)):
            raise InvalidTypeError(f"events[{index}]", "must be a loanrules event", event)
        if previous is not None and event.on < previous:
            raise InvalidValueError(f"events[{index}]", "must not be earlier than the event before it", event)
        previous = event.on


def _to_events(value: Sequence[Event]) -> tuple[Event, ...]:
    return tuple(value)


@typing.final
@attrs.frozen
class Loan:
    """A loan: its terms, how it is serviced, and the events recorded so far.

    Every method that records an event returns a new ``Loan``; the events
    stay ordered by date (events of one day in the order they were added).

    Args:
        terms: The contract's terms.
        penalty: Penalty interest, grace and late fees.
        prepayment: The rules of active repayment.
        allocation: How payments are split.
        tolerance: An installment owing no more than this does not count as past due.
        events: The recorded events, in date order.

    >>> from loanrules import LoanTerms
    >>> loan = Loan(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1)))
    >>> loan.pay(on=date(2026, 2, 1), amount="340.02").state(as_of=date(2026, 2, 1)).next_due_date
    datetime.date(2026, 3, 1)
    """

    terms: LoanTerms = attrs.field()
    penalty: PenaltyTerms = attrs.field(default=PenaltyTerms(), kw_only=True)
    prepayment: PrepaymentTerms = attrs.field(default=PrepaymentTerms(), kw_only=True)
    allocation: Allocation = attrs.field(default=Allocation(), kw_only=True)
    tolerance: Decimal = attrs.field(default=_ZERO, converter=_dec_tolerance, kw_only=True)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_to_events, validator=_check_events,
                                            kw_only=True)
    _original: Schedule | None = attrs.field(default=None, alias="original_schedule", kw_only=True,
                                             repr=False, eq=False)
    # The original schedule's due dates, anchor dates, period starts, principal and interest.
    _columns: tuple[tuple[typing.Any, ...], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        # Build the original schedule once; a schedule handed in is reused only
        # if it is the schedule of these very terms.
        schedule = self._original
        if schedule is None or schedule.terms != self.terms:
            schedule = build_schedule(self.terms)
            object.__setattr__(self, "_original", schedule)
        object.__setattr__(self, "_columns", _schedule_columns(schedule))

    @property
    def original_schedule(self) -> Schedule:
        """The schedule the terms build, before any event."""
        assert self._original is not None  # set in __attrs_post_init__
        return self._original

    @terms.validator
    def _check_terms(self, _attribute: object, terms: LoanTerms) -> None:
        if not isinstance(terms, LoanTerms):
            raise InvalidTypeError("terms", "must be a LoanTerms", terms)

    @tolerance.validator
    def _check_parts(self, _attribute: object, tolerance: Decimal) -> None:
        for field, kind in (("penalty", PenaltyTerms), ("prepayment", PrepaymentTerms),
                            ("allocation", Allocation)):
            if not isinstance(getattr(self, field), kind):
                raise InvalidTypeError(field, f"must be a {kind.__name__}", getattr(self, field))
        if tolerance < 0:
            raise InvalidValueError("tolerance", "must be >= 0", tolerance)
        self.terms.currency.amount(self.penalty.late_fee, "late_fee")

    # -- recording events ---------------------------------------------------

    def _record(self, event: Event) -> Loan:
        check_date(event.on, "on")
        if event.on < self.terms.start:
            raise InvalidValueError("on", f"must not be before the loan's start ({self.terms.start})", event.on)
        index = bisect.bisect_right([e.on for e in self.events], event.on)
        return attrs.evolve(self, events=(*self.events[:index], event, *self.events[index:]),
                            original_schedule=self._original)

    def _amount(self, amount: object, field: str = "amount") -> Decimal:
        value = self.terms.currency.amount(amount, field)
        if value <= 0:
            raise InvalidValueError(field, "must be > 0", value)
        return value

    def pay(self, on: date, amount: object) -> Loan:
        """Record a payment; returns the new loan.

        Args:
            on: The day the money arrived (it counts at the end of that day).
            amount: The amount, in the currency's minor unit at most.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> Loan(t).pay(on=date(2026, 2, 1), amount="100").events
        (Payment(on=datetime.date(2026, 2, 1), amount=Decimal('100.00')),)
        """
        return self._record(Payment(on, self._amount(amount)))

    def prepay(self, on: date, amount: object, recast: Recast | None = None) -> Loan:
        """Record an active prepayment (提前还款): due first, then accrued interest, then principal.

        Raises:
            RefusedEventError: The prepayment terms refuse it; ``rule`` names the rule.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
        >>> Loan(t, prepayment=PrepaymentTerms(lockout_periods=3)).prepay(on=date(2026, 2, 10), amount="500")
        Traceback (most recent call last):
        ...
        loanrules.errors.RefusedEventError: refused by rule 'lockout_periods': prepayment is locked out until installment 3 has fallen due (2026-04-01)
        """
        value = self._amount(amount)
        if recast is not None and not isinstance(recast, Recast):
            raise InvalidTypeError("recast", "must be a Recast or None", recast)
        state = self._check_prepayment(on)
        prepaid = value - state.due_now.total - state.accrued_interest
        if prepaid <= 0:
            raise RefusedEventError("covers_due", f"{value} does not exceed what is due and accrued "
                                                  f"({state.due_now.total + state.accrued_interest})")
        minimum = self.prepayment.minimum
        principal = _ACCRUAL.divide(prepaid, 1 + self.prepayment.fee_rate).quantize(
            self.terms.currency.quantum, ROUND_DOWN, _ACCRUAL)
        if principal < minimum and principal < state.principal_outstanding - state.due_now.principal:
            raise RefusedEventError("minimum", f"the principal prepaid ({principal}) is below the minimum {minimum}")
        return self._record(Prepayment(on, value, recast or self.prepayment.recast))

    def _check_prepayment(self, on: date) -> LoanState:
        check_date(on, "on")
        state = self.state(as_of=on)
        if state.status is Status.SETTLED:
            raise RefusedEventError("settled", f"the loan is already settled on {on}")
        if state.principal_outstanding <= state.due_now.principal:
            return state  # nothing left to prepay: a payment in all but name
        rules = self.prepayment
        if not rules.allowed:
            raise RefusedEventError("allowed", "these terms do not allow prepayment")
        if rules.lockout_periods:
            schedule = self.original_schedule
            unlock = schedule[min(rules.lockout_periods, len(schedule)) - 1].due_date
            if on < unlock:
                raise RefusedEventError("lockout_periods", f"prepayment is locked out until installment "
                                                           f"{rules.lockout_periods} has fallen due ({unlock})")
        if rules.max_per_day is not None:
            count = sum(1 for e in self.events if e.on == on and isinstance(e, (Prepayment, Settlement)))
            if count >= rules.max_per_day:
                raise RefusedEventError("max_per_day", f"{count} prepayment(s) already recorded on {on}; "
                                                       f"at most {rules.max_per_day} a day")
        return state

    def settle(self, on: date) -> Loan:
        """Record the payoff (结清): pays exactly ``state(on).payoff``; the loan is then SETTLED.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> Loan(t).settle(on=date(2026, 1, 16)).state(as_of=date(2026, 1, 16)).status.name
        'SETTLED'
        """
        state = self._check_prepayment(on)
        return self._record(Settlement(on, state.payoff))

    def waive(self, on: date, component: Component = Component.PENALTY, amount: object | None = None) -> Loan:
        """Record a waiver (减免) of ``amount`` of ``component`` owed on ``on`` (all of it if ``None``).

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> late = Loan(t).waive(on=date(2026, 3, 1))
        >>> late.state(as_of=date(2026, 3, 1)).overdue.penalty
        Decimal('0.00')
        """
        if not isinstance(component, Component):
            raise InvalidTypeError("component", "must be a Component", component)
        value = None if amount is None else self._amount(amount)
        return self._record(Waiver(on, component, value))

    def restructure(self, on: date, term: int, rate: Rate | None = None, method: RepaymentMethod | None = None,
                    *, waive_penalty: bool = False, waive_fee: bool = False) -> Loan:
        """Record a negotiated plan (协商还款): re-amortize what is owed over ``term`` periods from ``on``.

        What is capitalised into the plan's principal: all principal outstanding,
        overdue interest and interest accrued in the current period, and the
        penalty and fees owed unless ``waive_penalty`` / ``waive_fee`` waive them.
        The old installments stay in the history; :attr:`phases` shows the plan.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 1))
        >>> plan = Loan(t).restructure(on=date(2026, 4, 1), term=24, waive_penalty=True)
        >>> plan.phases[-1].cause, plan.phases[-1].schedule.terms.term
        ('restructure', 24)
        """
        _check_int("term", term, 1)
        if rate is not None and not isinstance(rate, Rate):
            raise InvalidTypeError("rate", "must be a Rate or None", rate)
        if method is not None and not isinstance(method, RepaymentMethod):
            raise InvalidTypeError("method", "must be a RepaymentMethod or None", method)
        state = self.state(as_of=on)
        if state.status is Status.SETTLED:
            raise RefusedEventError("settled", f"the loan is already settled on {on}")
        return self._record(Restructure(on=on, term=term, rate=rate, method=method,
                                        waive_penalty=waive_penalty, waive_fee=waive_fee))

    # -- reading ------------------------------------------------------------

    def _fold(self, as_of: date | None) -> _Book:
        book = _Book(self)
        for event in self.events:
            if as_of is not None and event.on > as_of:
                break
            if isinstance(event, Payment):
                book.payment(event.on, event.amount)
            elif isinstance(event, Prepayment):
                book.prepayment(event.on, event.amount, event.recast)
            elif isinstance(event, Settlement):
                book.prepayment(event.on, event.amount, None)
            elif isinstance(event, Waiver):
                book.waive(event.on, event.component, event.amount)
            else:
                book.restructure(event)
        return book

    def state(self, as_of: date) -> LoanState:
        """The loan's position at the end of ``as_of``: a pure fold of the events up to that day.

        >>> from loanrules import LoanTerms
        >>> t = LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3, start=date(2026, 1, 1))
        >>> s = Loan(t).state(as_of=date(2026, 1, 20))
        >>> s.status.name, s.payoff, s.accrued_interest
        ('CURRENT', Decimal('1006.33'), Decimal('6.33'))
        """
        check_date(as_of, "as_of")
        with decimal.localcontext(_ACCRUAL):
            return self._fold(as_of).state(as_of)

    @property
    def phases(self) -> tuple[Phase, ...]:
        """Every schedule the loan has had, in order: the original, then each prepayment's or plan's."""
        with decimal.localcontext(_ACCRUAL):
            return tuple(self._fold(None).phases)

    @property
    def schedule(self) -> Schedule:
        """The schedule in force after every recorded event."""
        return self.phases[-1].schedule


