"""Strategies for the ledger layer.

Penalty and prepayment terms and their enums, allocations, payments,
loans with histories of events, single events and loan states.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import EllipsisType
from typing import Any, Final

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from loanrules.conventions import CNY, CONTEXT, Currency, DecimalInput, Rate
from loanrules.errors import RefusedEventError
from loanrules.ledger import (
    Allocation,
    Amounts,
    Component,
    Event,
    Grace,
    InstallmentState,
    Loan,
    LoanState,
    Payment,
    PenaltyBase,
    PenaltyTerms,
    Phase,
    Prepayment,
    PrepaymentTerms,
    Recast,
    Restructure,
    Settlement,
    Status,
    Waiver,
)
from loanrules.ledger._ledger import least_prepayment
from loanrules.schedule import LoanTerms
from loanrules.strategies._conventions import money, rates
from loanrules.strategies._schedule import _FIRST_START, loan_terms, repayment_methods
from loanrules.strategies._validation import _arg, _bool, _decimal, _fail, _int, described

_EVENT_KINDS: Final[tuple[type[Event], ...]] = (Payment, Waiver, Prepayment, Settlement, Restructure)
_MAX_TERM: Final = 60
"""The longest term :func:`loans` draws by default, and the longest restructure plan it records."""
_EARLY_DAYS: Final = 20
"""Event days are drawn from this many days before a due date ..."""
_LATE_DAYS: Final = 45
"""... to this many days after it."""
_CAP_PAYMENTS: Final = 3
"""Payments and waivers are drawn up to this many times the largest scheduled payment."""
_LAST_DAY: Final = date(2075, 12, 31)
_MAX_PAYMENT: Final = Decimal(1_000_000)


@described
def components() -> SearchStrategy[Component]:
    """A strategy for the components of what an installment owes.

    Returns:
        A strategy of :class:`~loanrules.Component` members. Examples shrink
        towards ``PENALTY`` (the first one the default allocation pays).

    >>> components().validate()
    """
    return st.sampled_from(Component)


@described
def graces() -> SearchStrategy[Grace]:
    """A strategy for how a grace period treats penalty interest.

    Returns:
        A strategy of :class:`~loanrules.Grace` members. Examples shrink
        towards ``BACKDATE`` (the default).

    >>> graces().validate()
    """
    return st.sampled_from(Grace)


@described
def penalty_bases() -> SearchStrategy[PenaltyBase]:
    """A strategy for what penalty interest is charged on.

    Returns:
        A strategy of :class:`~loanrules.PenaltyBase` members. Examples
        shrink towards ``PRINCIPAL`` (the default).

    >>> penalty_bases().validate()
    """
    return st.sampled_from(PenaltyBase)


@described
def recasts() -> SearchStrategy[Recast]:
    """A strategy for how a schedule is rebuilt after a prepayment.

    Returns:
        A strategy of :class:`~loanrules.Recast` members. Examples shrink
        towards ``REDUCE_TERM`` (the default).

    >>> recasts().validate()
    """
    return st.sampled_from(Recast)


def _field(
    func: str, kind: Callable[..., object], name: str, value: object, default: Callable[[], SearchStrategy[Any]]
) -> SearchStrategy[Any]:
    """Field ``name`` of ``kind`` as a strategy: the default for ``...``, a strategy as is, or
    a plain value, checked and converted by ``kind`` itself (its error becomes InvalidArgument)."""
    if isinstance(value, EllipsisType):
        return default()
    if isinstance(value, SearchStrategy):
        return value
    try:
        made = kind(**{name: value})
    except (TypeError, ValueError) as error:  # LoanRulesError, or a converter's own error
        raise _fail(func, str(error)) from None
    return st.just(getattr(made, name))


def _hundredths(low: int, high: int) -> SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2, CONTEXT))


def _whole(high: int) -> SearchStrategy[Decimal]:
    """0, or a whole amount up to ``high``: it fits the minor unit of every currency."""
    return st.just(Decimal(0)) | st.integers(1, high).map(Decimal)


@described
def penalty_terms(
    *,
    rate: Rate | SearchStrategy[Rate | None] | EllipsisType | None = ...,
    markup: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    base: PenaltyBase | SearchStrategy[PenaltyBase] | EllipsisType = ...,
    compound: bool | SearchStrategy[bool] | EllipsisType = ...,
    grace_days: int | SearchStrategy[int] | EllipsisType = ...,
    grace: Grace | SearchStrategy[Grace] | EllipsisType = ...,
    late_fee: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    day_basis: int | SearchStrategy[int] | EllipsisType = ...,
    rate_cap: Rate | SearchStrategy[Rate | None] | EllipsisType | None = ...,
) -> SearchStrategy[PenaltyTerms]:
    """A strategy for penalty terms: penalty interest (罚息), grace and late fees.

    Every argument takes a plain value (always used, checked now as
    :class:`~loanrules.PenaltyTerms` checks it), a strategy (drawn from),
    or ``...`` (the default, below).

    Args:
        rate: ``...`` draws ``None`` (the contract rate marked up) or :func:`rates`.
        markup: ``...`` draws 0.5, or 0.00 to 1.00.
        base: ``...`` draws :func:`penalty_bases`.
        compound: ``...`` draws a bool.
        grace_days: ``...`` draws 0 to 15.
        grace: ``...`` draws :func:`graces`.
        late_fee: ``...`` draws 0 or a whole amount up to 50, which fits every
            currency's minor unit. A late fee given must fit the loan's currency.
        day_basis: ``...`` draws 360, 365 or 366.
        rate_cap: ``...`` draws ``None`` or :func:`rates`.

    Returns:
        A strategy of :class:`~loanrules.PenaltyTerms`. Examples shrink
        towards ``PenaltyTerms()``: the contract rate + 50 % on overdue
        principal and interest, no grace, no late fee, 360-day basis, no cap.

    >>> penalty_terms(grace_days=-1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: penalty_terms(): 'grace_days' must lie in [0, 36500], got -1
    """
    func = "penalty_terms"
    return st.builds(
        PenaltyTerms,
        rate=_field(func, PenaltyTerms, "rate", rate, lambda: st.none() | rates()),
        markup=_field(func, PenaltyTerms, "markup", markup, lambda: st.just(Decimal("0.5")) | _hundredths(0, 100)),
        base=_field(func, PenaltyTerms, "base", base, penalty_bases),
        compound=_field(func, PenaltyTerms, "compound", compound, lambda: st.sampled_from([True, False])),
        grace_days=_field(func, PenaltyTerms, "grace_days", grace_days, lambda: st.integers(0, 15)),
        grace=_field(func, PenaltyTerms, "grace", grace, graces),
        late_fee=_field(func, PenaltyTerms, "late_fee", late_fee, lambda: _whole(50)),
        day_basis=_field(func, PenaltyTerms, "day_basis", day_basis, lambda: st.sampled_from([360, 365, 366])),
        rate_cap=_field(func, PenaltyTerms, "rate_cap", rate_cap, lambda: st.none() | rates()),
    )


@described
def prepayment_terms(
    *,
    allowed: bool | SearchStrategy[bool] | EllipsisType = ...,
    minimum: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    max_per_day: int | SearchStrategy[int | None] | EllipsisType | None = ...,
    lockout_periods: int | SearchStrategy[int] | EllipsisType = ...,
    fee_rate: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    recast: Recast | SearchStrategy[Recast] | EllipsisType = ...,
) -> SearchStrategy[PrepaymentTerms]:
    """A strategy for the rules of active repayment (主动还款).

    Every argument takes a plain value (always used, checked now as
    :class:`~loanrules.PrepaymentTerms` checks it), a strategy, or ``...``.

    Args:
        allowed: ``...`` draws a bool.
        minimum: ``...`` draws 0 or a whole amount up to 1,000 (fits every currency).
        max_per_day: ``...`` draws ``None`` or 1 to 3.
        lockout_periods: ``...`` draws 0 to 6.
        fee_rate: ``...`` draws 0 or 0.1 % to 5 %.
        recast: ``...`` draws :func:`recasts`.

    Returns:
        A strategy of :class:`~loanrules.PrepaymentTerms`. Examples shrink
        towards ``PrepaymentTerms()``: allowed, no minimum, no limit a day,
        no lockout, no fee, ``REDUCE_TERM``.

    >>> prepayment_terms(fee_rate=1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: prepayment_terms(): 'fee_rate' must lie in [0, 1), got Decimal('1')
    """
    func = "prepayment_terms"
    fee_rates = st.just(Decimal(0)) | st.integers(1, 50).map(lambda n: Decimal(n).scaleb(-3, CONTEXT))
    return st.builds(
        PrepaymentTerms,
        allowed=_field(func, PrepaymentTerms, "allowed", allowed, lambda: st.sampled_from([True, False])),
        minimum=_field(func, PrepaymentTerms, "minimum", minimum, lambda: _whole(1000)),
        max_per_day=_field(func, PrepaymentTerms, "max_per_day", max_per_day, lambda: st.none() | st.integers(1, 3)),
        lockout_periods=_field(func, PrepaymentTerms, "lockout_periods", lockout_periods,
                               lambda: st.just(0) | st.integers(1, 6)),
        fee_rate=_field(func, PrepaymentTerms, "fee_rate", fee_rate, lambda: fee_rates),
        recast=_field(func, PrepaymentTerms, "recast", recast, recasts),
    )


@described
def allocations(
    *,
    order: Iterable[Component] | SearchStrategy[Iterable[Component]] | EllipsisType = ...,
    installment_first: bool | SearchStrategy[bool] | EllipsisType = ...,
) -> SearchStrategy[Allocation]:
    """A strategy for how payments are split over what is owed.

    Args:
        order: The order components are paid in: a sequence naming each
            :class:`~loanrules.Component` once, or a strategy of them;
            ``...`` draws every permutation.
        installment_first: ``...`` draws a bool.

    Returns:
        A strategy of :class:`~loanrules.Allocation`. Examples shrink
        towards ``Allocation()``: penalty, fee, interest, principal, oldest
        installment first.

    >>> from loanrules import Component
    >>> allocations(order=[Component.PRINCIPAL])
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: allocations(): 'order' must name each Component exactly once, got (Component.PRINCIPAL,)
    """
    func = "allocations"
    if not isinstance(order, (EllipsisType, SearchStrategy, Iterable)):
        raise _fail(func, f"order={order!r} must be a sequence of Components or a strategy of them")
    return st.builds(
        Allocation,
        order=_field(func, Allocation, "order", order, lambda: st.permutations(Allocation().order)),
        installment_first=_field(func, Allocation, "installment_first", installment_first,
                                 lambda: st.sampled_from([True, False])),
    )


def _days_around(dues: Iterable[date], start: date) -> SearchStrategy[date]:
    """Days from ``_EARLY_DAYS`` before to ``_LATE_DAYS`` after one of ``dues``, none before ``start``.

    They shrink towards the first due date: the day the ledger's rules start to matter.
    """
    days = sorted(set(dues))
    return st.tuples(st.integers(0, len(days) - 1), st.integers(-_EARLY_DAYS, _LATE_DAYS)).map(
        lambda pick: max(start, days[pick[0]] + timedelta(days=pick[1])))


def _due_dates(loan: Loan, *, in_force: bool = False) -> list[date]:
    """The due dates of the original schedule (and of the schedule in force if ``in_force``),
    then as many more periods of the same average length (12 at most) after the last: a
    restructure plan may run that long, and a loan may be paid long after it matured."""
    dues = [row.due_date for row in loan.original_schedule]
    if in_force:
        dues += [row.due_date for row in loan.schedule]
    last, count = max(dues), len(loan.original_schedule)
    span = (loan.original_schedule[-1].due_date - loan.terms.start).days
    return dues + [last + timedelta(days=j * span // count) for j in range(1, min(count, 12) + 1)]


def _cap(loan: Loan) -> Decimal:
    """The largest payment and waiver drawn for ``loan``: a few times its largest scheduled payment."""
    return _CAP_PAYMENTS * max(row.payment for row in loan.original_schedule)


def _date_arg(func: str, name: str, value: object) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise _fail(func, f"{name}={value!r} must be a date or None")


@described
def payments(
    *,
    terms: LoanTerms | SearchStrategy[LoanTerms] | None = None,
    min_date: date | None = None,
    max_date: date | None = None,
    amounts: DecimalInput | SearchStrategy[Decimal] | EllipsisType = ...,
) -> SearchStrategy[Payment]:
    """A strategy for payments, either for a loan's terms or between two dates.

    Args:
        terms: Loan terms or a strategy of them: each payment is then one that
            ``Loan(terms).pay`` accepts, dated from 20 days before to 45 days
            after one of the schedule's due dates, or of as many more periods
            (12 at most) after the last one, never before the start; in the
            terms' currency. Not with ``min_date`` / ``max_date``.
        min_date: Without ``terms``: the earliest day (2000-01-01 by default).
        max_date: Without ``terms``: the latest day (2075-12-31 by default).
        amounts: An amount or a strategy of them (each must fit the currency);
            ``...`` draws a minor unit to three times the largest scheduled
            payment with ``terms``, 0.01 to 1,000,000.00 without.

    Returns:
        A strategy of :class:`~loanrules.Payment`. Examples shrink towards
        the smallest amount on the first due date (on ``min_date`` without terms).

    >>> from datetime import date
    >>> payments(terms=loan_terms(), min_date=date(2026, 1, 1))
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: payments(): give terms or min_date / max_date, not both
    """
    func = "payments"
    low = _date_arg(func, "min_date", min_date)
    high = _date_arg(func, "max_date", max_date)
    if terms is not None and (low is not None or high is not None):
        raise _fail(func, "give terms or min_date / max_date, not both")
    low = _FIRST_START if low is None else low
    high = _LAST_DAY if high is None else high
    if low > high:
        raise _fail(func, f"min_date={low} must be <= max_date={high}")
    amount_st: SearchStrategy[Decimal] | None = None
    if isinstance(amounts, SearchStrategy):
        amount_st = amounts
    elif not isinstance(amounts, EllipsisType):
        amount = _decimal(func, "amounts", amounts)
        if amount <= 0:
            raise _fail(func, f"amounts={amount!r} must be > 0")
        if isinstance(terms, LoanTerms) and terms.currency.quantize(amount) != amount:
            raise _fail(func, f"amounts={amount!r} has more places than {terms.currency.code} allows")
        amount_st = st.just(amount)
    if terms is None:
        return st.builds(Payment, st.dates(low, high),
                         money(min_value="0.01", max_value=_MAX_PAYMENT) if amount_st is None else amount_st)
    terms_st = _arg(func, "terms", terms, LoanTerms, loan_terms)

    @st.composite
    def _payments(draw: st.DrawFn) -> Payment:
        loan = Loan(draw(terms_st))
        currency = loan.terms.currency
        day = draw(_days_around(_due_dates(loan), loan.terms.start))
        amount = draw(money(currency=currency, min_value=currency.quantum, max_value=_cap(loan))
                      if amount_st is None else amount_st)
        event = loan.pay(on=day, amount=amount).events[0]
        assert isinstance(event, Payment)
        return event

    return _payments()


def _kinds(func: str, kinds: object) -> tuple[type[Event], ...]:
    """``kinds`` checked: a non-empty collection of event classes, in ``_EVENT_KINDS`` order."""
    if not isinstance(kinds, Iterable):
        raise _fail(func, f"kinds={kinds!r} must be a collection of event classes")
    given = list(kinds)
    for kind in given:
        if kind not in _EVENT_KINDS:
            names = ", ".join(k.__name__ for k in _EVENT_KINDS)
            raise _fail(func, f"kinds: {kind!r} is not an event class ({names})")
    if not given:
        raise _fail(func, "kinds must name at least one event class")
    return tuple(k for k in _EVENT_KINDS if k in given)


def _prepayable(loan: Loan, day: date, state: LoanState) -> bool:
    """Whether the prepayment rules let ``Loan.prepay`` and ``Loan.settle`` record on ``day`` (the loan's own check)."""
    try:
        loan._check_prepayment(day)
    except RefusedEventError:
        return False
    return True


# Built once: strategies that do not depend on the loan (each new one is validated when first drawn).
_FLAGS: Final = st.booleans()
_NEAR: Final = st.integers(-100, 100)
"""How many minor units off a notable amount (what is due, the payoff) a drawn amount is."""
_PLAN_TERMS: Final = st.integers(1, _MAX_TERM)
_PLAN_RATES: Final = st.none() | rates()
_PLAN_METHODS: Final = st.none() | repayment_methods()
_RECASTS: Final = st.none() | recasts()
_COMPONENTS: Final = components()


def _near(notable: list[Decimal], least: Decimal, quantum: Decimal) -> SearchStrategy[Decimal]:
    """One of ``notable`` exactly or a few minor units off, never below ``least``."""
    return st.tuples(st.sampled_from(notable), _NEAR).map(lambda pick: max(least, pick[0] + pick[1] * quantum))


def _record_one(draw: st.DrawFn, loan: Loan, day: date, kinds: tuple[type[Event], ...]) -> Loan | None:
    """``loan`` with one event of a kind in ``kinds`` recorded on ``day``, through the Loan methods.

    Only kinds the loan accepts on that day are drawn, so no method refuses;
    ``None`` when there is none (a settlement on a settled loan, say).
    """
    state = loan.state(as_of=day)
    live = state.status is not Status.SETTLED
    prepayable = _prepayable(loan, day, state)
    feasible = [
        kind for kind in kinds
        if kind in (Payment, Waiver)
        or (kind is Prepayment and prepayable)
        or (kind is Settlement and prepayable)
        or (kind is Restructure and live)
    ]
    if not feasible:
        return None
    kind = draw(st.sampled_from(feasible))
    currency = loan.terms.currency
    quantum, cap = currency.quantum, _cap(loan)
    amounts = money(currency=currency, min_value=quantum, max_value=cap)
    if kind is Payment:
        # Now and then what is due, what the next installment owes, the payoff, or all that the
        # installments still owe as scheduled, exactly or a few minor units off either way.
        scheduled = sum((row.outstanding.total for row in state.installments), quantum * 0)
        notable = sorted({a for a in (state.due_now.total, state.next_due_amount, state.payoff, scheduled) if a > 0})
        return loan.pay(on=day, amount=draw(amounts | _near(notable, quantum, quantum) if notable else amounts))
    if kind is Waiver:
        return loan.waive(on=day, component=draw(_COMPONENTS), amount=draw(st.none() | amounts))
    if kind is Prepayment:
        least = least_prepayment(loan, state)  # the ledger's own rule
        most = max(least, state.payoff) + cap
        amount = draw(money(currency=currency, min_value=least, max_value=most)
                      | _near([max(least, state.payoff)], least, quantum))
        return loan.prepay(on=day, amount=amount, recast=draw(_RECASTS))
    if kind is Settlement:
        return loan.settle(on=day)
    return loan.restructure(on=day, term=draw(_PLAN_TERMS), rate=draw(_PLAN_RATES), method=draw(_PLAN_METHODS),
                            waive_penalty=draw(_FLAGS), waive_fee=draw(_FLAGS))


def _horizon(loan: Loan) -> date:
    """A day after every due date and every event of ``loan``: all its principal is due by then."""
    last = max(loan.original_schedule[-1].due_date, loan.schedule[-1].due_date,
               *(event.on for event in loan.events))
    return last + timedelta(days=1)


@described
def loans(
    *,
    terms: LoanTerms | SearchStrategy[LoanTerms] | EllipsisType = ...,
    penalty: PenaltyTerms | SearchStrategy[PenaltyTerms] | EllipsisType = ...,
    prepayment: PrepaymentTerms | SearchStrategy[PrepaymentTerms] | EllipsisType = ...,
    allocation: Allocation | SearchStrategy[Allocation] | EllipsisType = ...,
    tolerance: DecimalInput | SearchStrategy[DecimalInput] | EllipsisType = ...,
    histories: bool = True,
    max_events: int = 6,
    kinds: Iterable[type[Event]] = _EVENT_KINDS,
) -> SearchStrategy[Loan]:
    """A strategy for loans with histories of events that were valid when recorded.

    The history is recorded in date order through the Loan methods
    (``pay``, ``waive``, ``prepay``, ``settle``, ``restructure``), so every
    event passes their validation; each event is drawn among the kinds the
    loan accepts on its day (a prepayment within the rules, no settlement
    of a settled loan), so none is refused and no example is filtered away.

    Args:
        terms: ``...`` draws :func:`loan_terms` with at most 60 periods, so
            that a state is quick to compute.
        penalty: ``...`` draws :func:`penalty_terms`.
        prepayment: ``...`` draws :func:`prepayment_terms`.
        allocation: ``...`` draws :func:`allocations`.
        tolerance: ``...`` draws 0 or a whole amount up to 5.
        histories: ``False`` gives loans without events.
        max_events: The most events in a history (0 to 100); 6 by default.
        kinds: The kinds of event recorded (classes among ``Payment``,
            ``Waiver``, ``Prepayment``, ``Settlement``, ``Restructure``); all
            by default. A day on which the loan accepts none of them is skipped.

    Each event falls between 20 days before and 45 days after a due date of
    the original schedule, or of as many more periods (12 at most) after
    its last one, when a restructure plan may run. Payments are up to three
    times the largest scheduled payment, or what is due, what the next
    installment owes, the payoff, or all the installments still owe, exactly
    or a few minor units off; waivers are of all of a component or of up to
    three payments; prepayments are at least what ``prepay`` accepts, up to
    beyond the payoff; restructure plans have 1 to 60 periods.

    Returns:
        A strategy of :class:`~loanrules.Loan`. Examples shrink towards a
        loan of the plainest terms (see :func:`loan_terms`) with the default
        penalty, prepayment and allocation, and no events.

    >>> from loanrules import Status
    >>> loans(kinds=[Status.SETTLED])
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loans(): kinds: Status.SETTLED is not an event class (Payment, Waiver, Prepayment, Settlement, Restructure)
    """
    func = "loans"
    with_history = _bool(func, "histories", histories)
    most = _int(func, "max_events", max_events, 0, 100)
    chosen = _kinds(func, kinds)
    terms_st = _arg(func, "terms", terms, LoanTerms, lambda: loan_terms(term=st.integers(1, _MAX_TERM)))
    penalty_st = _arg(func, "penalty", penalty, PenaltyTerms, penalty_terms)
    prepayment_st = _arg(func, "prepayment", prepayment, PrepaymentTerms, prepayment_terms)
    allocation_st = _arg(func, "allocation", allocation, Allocation, allocations)
    tolerance_st: SearchStrategy[DecimalInput] = (
        _whole(5) if isinstance(tolerance, EllipsisType)
        else tolerance if isinstance(tolerance, SearchStrategy)
        else st.just(_tolerance(func, tolerance))
    )

    @st.composite
    def _loans(draw: st.DrawFn) -> Loan:
        loan = Loan(draw(terms_st), penalty=draw(penalty_st), prepayment=draw(prepayment_st),
                    allocation=draw(allocation_st), tolerance=draw(tolerance_st))
        if not with_history:
            return loan
        days = draw(st.lists(_days_around(_due_dates(loan), loan.terms.start), max_size=most))
        for day in sorted(days):
            recorded = _record_one(draw, loan, day, chosen)
            if recorded is not None:
                loan = recorded
        return loan

    return _loans()


def _tolerance(func: str, value: object) -> Decimal:
    tolerance = _decimal(func, "tolerance", value)
    if tolerance < 0:
        raise _fail(func, f"tolerance={tolerance!r} must be >= 0")
    return tolerance


@described
def events(
    *,
    loan: Loan | SearchStrategy[Loan] | EllipsisType = ...,
    kinds: Iterable[type[Event]] = _EVENT_KINDS,
) -> SearchStrategy[Event]:
    """A strategy for events that a loan accepts: recorded through its methods, then taken out.

    Args:
        loan: A loan or a strategy of them; ``...`` draws :func:`loans`.
        kinds: The kinds of event drawn (classes among ``Payment``,
            ``Waiver``, ``Prepayment``, ``Settlement``, ``Restructure``); all
            by default.

    The day is drawn as for :func:`loans`, around the due dates of the
    original schedule and the schedule in force; the kind among those of
    ``kinds`` the loan accepts that day. If it accepts none, the day moves to
    the day after the last due date and event, where a payment or a waiver
    is always accepted, and a prepayment, settlement or restructure unless
    the loan is settled (the prepayment rules no longer apply: all principal
    is due). Only a loan settled by then, asked for none of payments and
    waivers, has no such event: those examples are rejected.

    Returns:
        A strategy of events (:class:`~loanrules.Payment`, ``Waiver``,
        ``Prepayment``, ``Settlement``, ``Restructure``): ``loan.pay(...)``
        and the other methods accept each one on its day. Examples shrink
        towards a payment of one minor unit on the first due date.

    >>> events(kinds=())
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: events(): kinds must name at least one event class
    """
    func = "events"
    chosen = _kinds(func, kinds)
    loan_st = _arg(func, "loan", loan, Loan, loans)

    @st.composite
    def _events(draw: st.DrawFn) -> Event:
        drawn = draw(loan_st)
        day = draw(_days_around(_due_dates(drawn, in_force=True), drawn.terms.start))
        if drawn.events and day < drawn.events[-1].on:
            day = drawn.events[-1].on  # after the events on record: a backdated event could refuse them
        recorded = _record_one(draw, drawn, day, chosen)
        if recorded is None:
            day = _horizon(drawn)
            recorded = _record_one(draw, drawn, day, chosen)
        if recorded is None:
            reject()
        return recorded.events[bisect_right([event.on for event in drawn.events], day)]

    return _events()


def _events_of(kind: type[Event]) -> Callable[[], SearchStrategy[object]]:
    """The strategy ``st.from_type(kind)`` uses: events of that kind on loans without history."""
    return lambda: events(loan=loans(histories=False), kinds=(kind,))


_MAX_DPD: Final = 720
"""The longest DPD :func:`loan_states` draws for a status or DPD range when no upper bound is given."""


def _dpd_range(func: str, status: Status | None, low: int | None, high: int | None) -> tuple[int, int]:
    """The DPD range asked for, checked against the status: ``[low, high]``."""
    least = 0 if low is None else _int(func, "min_days_past_due", low, 0, 100_000)
    most = (_MAX_DPD if high is None else _int(func, "max_days_past_due", high, 0, 100_000))
    if high is None and least > most:
        most = least + _MAX_DPD
    if least > most:
        raise _fail(func, f"min_days_past_due={least} must be <= max_days_past_due={most}")
    if status in (Status.OVERDUE, Status.GRACE):
        least = max(least, 1)
        if least > most:
            raise _fail(func, f"status={status.name} needs max_days_past_due >= 1")
    elif status is not None and (low or high):
        raise _fail(func, f"status={status.name} has no days past due: drop the DPD range")
    return least, most


def _aimed(draw: st.DrawFn, loan: Loan, status: Status | None, least: int, most: int) -> LoanState:
    """A state of ``loan`` with ``status`` and a DPD in ``[least, most]``, found by construction.

    After the loan's last event nothing changes but time: a loan overdue on that day is ``p`` days
    past due and one more each day after; a current one falls overdue the day after its next due
    date. So the day that gives a DPD of ``d`` is known in advance, and the state drawn is checked.
    """
    first = max((e.on for e in loan.events), default=loan.terms.start)
    there = loan.state(as_of=first)
    if status is Status.SETTLED:
        if there.payoff > 0:
            loan = loan.pay(on=first, amount=there.payoff)
        return loan.state(as_of=first + timedelta(days=draw(st.integers(0, 400), label="days after settling")))
    if there.status is Status.SETTLED:
        reject()  # pragma: no cover - the default loans draw no history when a status is asked for
    if status is Status.CURRENT:
        if there.days_past_due:
            reject()  # pragma: no cover - as above
        last = there.next_due_date or first
        return loan.state(as_of=first + timedelta(days=draw(st.integers(0, (last - first).days), label="days")))
    if there.days_past_due:
        since = first - timedelta(days=there.days_past_due)
    elif there.next_due_date is not None:
        since = there.next_due_date
    else:  # pragma: no cover - a loan that owes nothing more is settled
        reject()
    low = max(least, (first - since).days)
    high = most
    grace = loan.penalty.grace_days
    if status is Status.OVERDUE:
        low = max(low, grace + 1)
    elif status is Status.GRACE:
        high = min(high, grace)
    if low > high:
        reject()
    state = loan.state(as_of=since + timedelta(days=draw(st.integers(low, high), label="days past due")))
    if not least <= state.days_past_due <= most or (status is not None and state.status is not status):
        reject()  # pragma: no cover - an installment within the tolerance, say; rare
    return state


@described
def loan_states(
    *,
    loan: Loan | SearchStrategy[Loan] | EllipsisType = ...,
    as_of: date | SearchStrategy[date] | EllipsisType = ...,
    status: Status | None = None,
    min_days_past_due: int | None = None,
    max_days_past_due: int | None = None,
) -> SearchStrategy[LoanState]:
    """A strategy for loan states: ``loan.state(as_of)`` of drawn loans and days.

    Aim it with ``status`` and a DPD range: ``loan_states(status=Status.OVERDUE,
    min_days_past_due=30, max_days_past_due=89)`` draws states 30 to 89 days
    past due, found by construction (the day after the loan's last event
    that gives the DPD), not by filtering.

    Args:
        loan: A loan or a strategy of them; ``...`` draws :func:`loans` (when a
            status or DPD range is asked for: without history, and for
            ``GRACE`` with 1 to 15 grace days, for ``OVERDUE`` with fewer grace
            days than the least DPD).
        as_of: A day or a strategy of them; ``...`` draws a day from 20 days
            before to 45 days after a due date of the loan. Not with a status
            or DPD range, which choose the day.
        status: ``CURRENT``, ``GRACE``, ``OVERDUE`` or ``SETTLED`` (a loan paid
            off on its last event's day, seen then or up to 400 days later).
        min_days_past_due: The least DPD (``GRACE`` and ``OVERDUE``: at least 1).
        max_days_past_due: The greatest DPD; 720 past the least by default.

    Returns:
        A strategy of :class:`~loanrules.LoanState`. Examples shrink
        towards the state of a plain loan without events on its first due
        date. A failing example shows the loan and the day it came from:
        ``state(Loan(...), as_of=datetime.date(...))``.

    >>> from loanrules import Status
    >>> loan_states(as_of="2026-01-01")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loan_states(): as_of='2026-01-01' must be a date or a strategy of them
    >>> loan_states(status=Status.SETTLED, min_days_past_due=3)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: loan_states(): status=SETTLED has no days past due: drop the DPD range
    """
    func = "loan_states"
    if status is not None and not isinstance(status, Status):
        raise _fail(func, f"status={status!r} must be a Status or None")
    aimed = status is not None or min_days_past_due is not None or max_days_past_due is not None
    least, most = _dpd_range(func, status, min_days_past_due, max_days_past_due)
    if aimed and not isinstance(as_of, EllipsisType):
        raise _fail(func, "as_of is chosen by status and the DPD range: give one or the other")
    if aimed and isinstance(loan, EllipsisType):
        grace = (st.integers(1, 15) if status is Status.GRACE
                 else st.integers(0, least - 1) if status is Status.OVERDUE else ...)
        loan_st = loans(histories=False, penalty=penalty_terms(grace_days=grace))
    else:
        loan_st = _arg(func, "loan", loan, Loan, loans)
    as_of_st = None if isinstance(as_of, EllipsisType) else _arg(func, "as_of", as_of, date, st.nothing)

    @st.composite
    def _loan_states(draw: st.DrawFn) -> LoanState:
        drawn = draw(loan_st)
        if aimed:
            return _aimed(draw, drawn, status, least, most)
        day = draw(_days_around(_due_dates(drawn, in_force=True), drawn.terms.start)
                   if as_of_st is None else as_of_st)
        return draw(st.builds(Loan.state, st.just(drawn), as_of=st.just(day)))

    return _loan_states()


@described
def amounts(
    *,
    currency: Currency | SearchStrategy[Currency] = CNY,
    min_value: DecimalInput = 0,
    max_value: DecimalInput = 1_000_000,
) -> SearchStrategy[Amounts]:
    """A strategy for :class:`~loanrules.Amounts`: four amounts of one currency, each in ``[min_value, max_value]``.

    Returns:
        A strategy of ``Amounts(principal, interest, penalty, fee)``, each
        with the currency's minor-unit places (see :func:`money`). Examples
        shrink towards four zeros.

    >>> amounts(min_value=-1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: amounts(): min_value=Decimal('-1') must be >= 0 (amounts owed and paid are never negative)
    """
    func = "amounts"
    if _decimal(func, "min_value", min_value) < 0:
        raise _fail(func, f"min_value={_decimal(func, 'min_value', min_value)!r} must be >= 0 "
                          "(amounts owed and paid are never negative)")
    if isinstance(currency, Currency):
        part = money(currency=currency, min_value=min_value, max_value=max_value)
        return st.builds(Amounts, part, part, part, part)
    currency_st = _arg(func, "currency", currency, Currency, st.nothing)
    money(currency=currency_st, min_value=min_value, max_value=max_value)  # checks the range now
    return currency_st.flatmap(lambda c: amounts(currency=c, min_value=min_value, max_value=max_value))


@described
def installment_states(
    *, state: LoanState | SearchStrategy[LoanState] | EllipsisType = ...
) -> SearchStrategy[InstallmentState]:
    """A strategy for the installments of drawn loan states (``state.installments``).

    Args:
        state: A loan state or a strategy of them; ``...`` draws :func:`loan_states`.

    Returns:
        A strategy of :class:`~loanrules.InstallmentState`. Examples shrink
        towards the first installment of the plainest state.

    >>> installment_states(state=None)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: installment_states(): state=None must be a LoanState or a strategy of them
    """
    state_st = _arg("installment_states", "state", state, LoanState, loan_states)
    return state_st.flatmap(lambda s: st.sampled_from(s.installments))


@described
def phases(*, loan: Loan | SearchStrategy[Loan] | EllipsisType = ...) -> SearchStrategy[Phase]:
    """A strategy for the phases of drawn loans (``loan.phases``: the schedules a loan has had).

    Args:
        loan: A loan or a strategy of them; ``...`` draws :func:`loans`.

    Returns:
        A strategy of :class:`~loanrules.Phase`. Examples shrink towards the
        first phase of the plainest loan.

    >>> phases(loan=1)
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: phases(): loan=1 must be a Loan or a strategy of them
    """
    loan_st = _arg("phases", "loan", loan, Loan, loans)
    return loan_st.flatmap(lambda loan: st.sampled_from(loan.phases))
