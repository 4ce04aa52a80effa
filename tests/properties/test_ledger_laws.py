"""Laws every loan ledger obeys, checked on loans drawn by ``loanrules.strategies``.

The loans come from :func:`~loanrules.strategies.loans`: any terms of up to
60 periods, any penalty, prepayment and allocation rules, and histories of
payments, waivers, prepayments, settlements and restructures, each valid
when it was recorded. The days asked about are drawn around the loan's due
dates, its events and beyond its last due date.
"""

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import event, example, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from loanrules import (
    Amounts,
    Component,
    Loan,
    LoanState,
    LoanTerms,
    Payment,
    Prepayment,
    Rate,
    Recast,
    RefusedEventError,
    RepaymentMethod,
    Restructure,
    Settlement,
    Status,
    Waiver,
)
from loanrules.strategies import loan_terms, loans, payments, prepayment_terms

SETTLEABLE = loans(prepayment=prepayment_terms(allowed=True, lockout_periods=0, max_per_day=None),
                   kinds=(Payment, Waiver, Prepayment, Restructure))
"""Loans whose prepayment rules never refuse a settlement, with histories that hold none yet."""


def last_day(loan: Loan) -> date:
    """The later of the loan's last event and its start: no event falls after it."""
    return max((e.on for e in loan.events), default=loan.terms.start)


def horizon(loan: Loan) -> date:
    """The day after every due date (of every schedule the loan had) and every event."""
    dues = [row.due_date for phase in loan.phases for row in phase.schedule]
    return max(last_day(loan), *dues) + timedelta(days=1)


def days(loan: Loan) -> st.SearchStrategy[date]:
    """Days from the start to 90 days past the horizon, shrinking towards the start."""
    start = loan.terms.start
    span = (horizon(loan) - start).days + 90
    return st.integers(0, span).map(lambda n: start + timedelta(days=n))


def on_or_after_a_due_date(loan: Loan) -> st.SearchStrategy[date]:
    """Days from a due date (of any schedule the loan had) to 60 days after it: days something is due."""
    dues = sorted({row.due_date for phase in loan.phases for row in phase.schedule})
    return st.tuples(st.sampled_from(dues), st.integers(0, 60)).map(lambda pick: pick[0] + timedelta(days=pick[1]))


def money_in(state: LoanState) -> list[tuple[str, Decimal]]:
    """Every amount a state reports, with its name."""
    named = [
        ("payoff", state.payoff), ("principal_outstanding", state.principal_outstanding),
        ("accrued_interest", state.accrued_interest), ("next_due_amount", state.next_due_amount),
        ("credit", state.credit), ("prepayment_fees", state.prepayment_fees),
    ]
    amounts = [("overdue", state.overdue), ("due_now", state.due_now)]
    for row in state.installments:
        amounts += [(f"installments[{row.number - 1}].{name}", getattr(row, name))
                    for name in ("due", "paid", "waived", "outstanding")]
    for name, figures in amounts:
        named += [(f"{name}.{field}", value) for field, value in zip(Amounts._fields, figures, strict=True)]
    return named


class TestMoney:
    @given(loans(), st.integers(0, 4000))
    # Equal principal of 0.02 over 5 months: 0.004 a month rounds to a first part of 0.00, and
    # a REDUCE_TERM prepayment divided by it (DivisionByZero, fixed in 1b0ee85).
    @example(
        loan=Loan(LoanTerms(principal="0.02", rate=Rate.annual(0), term=5, method=RepaymentMethod.EQUAL_PRINCIPAL,
                            start=date(2026, 1, 1))).prepay(on=date(2026, 1, 15), amount="0.01"),
        offset=14,
    )
    def test_money_is_conserved(self, loan: Loan, offset: int) -> None:
        """What installments were paid plus the credit is what was paid in, to the cent, on every day."""
        for as_of in sorted({*(e.on for e in loan.events), horizon(loan), loan.terms.start + timedelta(days=offset)}):
            state = loan.state(as_of=as_of)
            paid_in = sum((e.amount for e in loan.events
                           if isinstance(e, (Payment, Prepayment, Settlement)) and e.on <= as_of), Decimal(0))
            held = sum((row.paid.total for row in state.installments), Decimal(0)) + state.credit
            assert held == paid_in, (as_of, held, paid_in)

    @given(loans(), st.data())
    def test_amounts_are_quantized_and_nothing_outstanding_is_negative(
            self, loan: Loan, data: st.DataObject) -> None:
        """Every figure has the currency's minor-unit places; no outstanding amount is below zero."""
        exponent = -loan.terms.currency.minor_units
        for as_of in sorted({*(e.on for e in loan.events), horizon(loan), data.draw(days(loan), label="as_of")}):
            state = loan.state(as_of=as_of)
            for name, value in money_in(state):
                assert type(value) is Decimal
                assert value.as_tuple().exponent == exponent, (as_of, name, value)
            owed = [*state.overdue, *state.due_now, state.principal_outstanding, state.payoff]
            owed += [figure for row in state.installments for figure in row.outstanding]
            assert min(owed) >= 0, (as_of, [(n, v) for n, v in money_in(state) if v < 0])


class TestTime:
    @given(loans(), st.lists(st.integers(0, 500), min_size=2, max_size=6))
    def test_without_events_things_only_get_worse(self, loan: Loan, offsets: list[int]) -> None:
        """After the last event, DPD and the total penalty never fall, and OVERDUE never turns CURRENT."""
        start = last_day(loan)
        previous: LoanState | None = None
        for offset in sorted(offsets):
            state = loan.state(as_of=start + timedelta(days=offset))
            if previous is not None:
                assert state.days_past_due >= previous.days_past_due, (previous.as_of, state.as_of)
                penalty = sum(row.due.penalty for row in state.installments)
                before = sum(row.due.penalty for row in previous.installments)
                assert penalty >= before, (previous.as_of, before, state.as_of, penalty)
                if previous.status is Status.OVERDUE:
                    assert state.status is not Status.CURRENT, (previous.as_of, state.as_of)
            previous = state


class TestSettlement:
    @given(SETTLEABLE, st.integers(0, 2000), st.integers(0, 2000))
    def test_a_settled_loan_owes_nothing_ever_after(self, loan: Loan, offset: int, later: int) -> None:
        """``settle(on)`` leaves payoff 0, no principal and status SETTLED on that day and every later one."""
        on = last_day(loan) + timedelta(days=offset)
        if loan.state(as_of=on).status is Status.SETTLED:
            event("already settled")  # settle() refuses a settled loan; the law is about settling
            return
        settled = loan.settle(on=on)
        for after in sorted({0, 1, 31, later}):
            state = settled.state(as_of=on + timedelta(days=after))
            assert (state.payoff, state.principal_outstanding, state.status) == (0, 0, Status.SETTLED), after

    @given(SETTLEABLE, st.integers(0, 2000))
    # 100 at 12 % for a month; 100.01 paid on day one goes 1.00 to interest and 99.01 to principal,
    # ahead. The payoff that day shows max(0, 0.99 + 0.00 accrued - 1.00 paid ahead) = 0.00, so
    # settle() records 0.00; the fold then refunds the unearned 1.00: 0.99 principal, 0.01 credit.
    @example(
        loan=Loan(LoanTerms(principal="100", rate=Rate.annual("0.12"), term=1, start=date(2026, 1, 1)))
        .pay(on=date(2026, 1, 1), amount="100.01"),
        offset=0,
    )
    def test_settling_at_the_payoff_leaves_no_credit(self, loan: Loan, offset: int) -> None:
        """The payoff on day d, paid by ``settle(d)``, leaves a credit of 0 on d."""
        on = loan.terms.start + timedelta(days=offset)
        if loan.events:  # a backdated settlement is checked with every later event; keep to the end
            on = max(on, loan.events[-1].on)
        before = loan.state(as_of=on)
        if before.status is Status.SETTLED:
            event("already settled")
            return
        note(f"payoff {before.payoff}, principal outstanding {before.principal_outstanding}, "
             f"credit before {before.credit}")
        assert loan.settle(on=on).state(as_of=on).credit == 0


class TestPayments:
    @given(loans(histories=False), st.data())
    def test_state_does_not_depend_on_the_order_events_were_added(self, loan: Loan, data: st.DataObject) -> None:
        """The same payments on distinct days, recorded in any order, give equal events and states."""
        paid = data.draw(st.lists(payments(terms=loan.terms), min_size=1, max_size=6, unique_by=lambda p: p.on),
                         label="payments")
        shuffled = data.draw(st.permutations(paid), label="shuffled")
        in_order, out_of_order = loan, loan
        for payment in paid:
            in_order = in_order.pay(on=payment.on, amount=payment.amount)
        for payment in shuffled:
            out_of_order = out_of_order.pay(on=payment.on, amount=payment.amount)
        assert in_order.events == out_of_order.events
        for as_of in sorted({*(p.on for p in paid), horizon(in_order), data.draw(days(in_order), label="as_of")}):
            assert in_order.state(as_of=as_of) == out_of_order.state(as_of=as_of), as_of

    @given(loans(), st.data())
    def test_paying_what_is_due_now_leaves_nothing_due(self, loan: Loan, data: st.DataObject) -> None:
        """A payment of exactly ``due_now.total`` on day d leaves ``due_now.total == 0`` on d."""
        on = data.draw(on_or_after_a_due_date(loan), label="on")
        if loan.events:  # a backdated payment is checked with every later event; keep to the end
            on = max(on, loan.events[-1].on)
        due = loan.state(as_of=on).due_now.total
        event("something due" if due else "nothing due")
        if due:
            after = loan.pay(on=on, amount=due).state(as_of=on)
            assert after.due_now.total == 0, after.due_now


class TestHistory:
    @given(loans(), st.data())
    def test_before_the_first_event_the_loan_is_as_if_new(self, loan: Loan, data: st.DataObject) -> None:
        """As of a day before the first event, the state is that of the loan with no events."""
        first = min((e.on for e in loan.events), default=horizon(loan))
        if first == loan.terms.start:  # no day before the first event that a state may be asked for
            event("first event on the start")
            return
        as_of = first - timedelta(days=data.draw(st.integers(1, (first - loan.terms.start).days), label="back"))
        assert loan.state(as_of=as_of) == attrs.evolve(loan, events=()).state(as_of=as_of)


class TestReplay:
    @given(loans())
    def test_replaying_the_events_gives_an_equal_loan(self, loan: Loan) -> None:
        """``Loan(terms, ..., events=loan.events)`` (a stored loan read back) equals the loan, state for state."""
        again = Loan(loan.terms, penalty=loan.penalty, prepayment=loan.prepayment, allocation=loan.allocation,
                     tolerance=loan.tolerance, events=loan.events)
        assert again == loan
        day = last_day(loan)
        assert again.state(as_of=day) == loan.state(as_of=day)


class TestPayingThePayoff:
    @given(loans(), st.data())
    def test_paying_the_payoff_settles_with_the_excess_as_credit(self, loan: Loan, data: st.DataObject) -> None:
        """A payment of at least ``payoff(d)`` on a day d after every event leaves the loan SETTLED on d,
        with the excess added to the credit."""
        on = last_day(loan) + timedelta(days=data.draw(st.integers(0, (horizon(loan) - last_day(loan)).days + 30),
                                                        label="days after the last event"))
        before = loan.state(as_of=on)
        excess = loan.terms.currency.quantum * data.draw(st.sampled_from([0, 1, 10_000]), label="excess in minor units")
        if before.payoff + excess <= 0:
            event("nothing to pay")
            return
        after = loan.pay(on=on, amount=before.payoff + excess).state(as_of=on)
        assert (after.status, after.payoff, after.credit) == (Status.SETTLED, 0, before.credit + excess)

    @given(loans(), st.data())
    def test_a_payoff_of_zero_is_settled(self, loan: Loan, data: st.DataObject) -> None:
        """A state whose payoff is 0.00 is SETTLED, and a SETTLED state's payoff is 0.00."""
        state = loan.state(as_of=data.draw(days(loan), label="as_of"))
        event("settled" if state.status is Status.SETTLED else "not settled")
        assert (state.payoff == 0) == (state.status is Status.SETTLED)

    @given(loans(), st.data())
    def test_settled_stays_settled(self, loan: Loan, data: st.DataObject) -> None:
        """Once SETTLED on a day after every event, the loan is SETTLED on every later day."""
        on = data.draw(days(loan).filter(lambda d: d >= last_day(loan)), label="on")
        if loan.state(as_of=on).status is not Status.SETTLED:
            event("not settled")
            return
        for later in (1, 30, (horizon(loan) - on).days + 1, (horizon(loan) - on).days + 400):
            state = loan.state(as_of=on + timedelta(days=max(later, 1)))
            assert (state.status, state.payoff, state.days_past_due) == (Status.SETTLED, 0, 0), later


# The loan's life as a state machine.
#
# A loan's life as a Hypothesis state machine: every step is checked against the ledger's laws.
#
# The machine draws a loan with no history, then records payments (on the
# latest day or backdated), prepayments, waivers, restructures and
# settlements in any order the ledger accepts, and asks for states on days
# it draws. A step the ledger refuses (``RefusedEventError``) must leave the
# loan as it was; everything else is an event. After every step the
# invariants below hold for every day the machine has looked at:
#
# * money is conserved: the installments' paid amounts plus the credit are
#   what was paid in, to the cent;
# * no figure is negative and every figure has the currency's minor unit;
# * a payoff of 0 is exactly SETTLED, and a loan SETTLED on a day after its
#   last event stays SETTLED, owing nothing, on every later day;
# * the state is deterministic (asked twice, or of the loan rebuilt from its
#   stored events, it is the same) and blind to later events (a state seen
#   before an event dated after it is recorded is unchanged by it).

SMALL_LOANS = loans(terms=loan_terms(term=st.integers(1, 24)), histories=False)
"""Loans of up to 24 periods with any servicing terms and no events yet: the machine writes their history."""


def paid_in(loan: Loan, as_of: date) -> Decimal:
    """What the borrower paid in up to ``as_of``: payments, prepayments and settlements."""
    return sum((e.amount for e in loan.events if isinstance(e, (Payment, Prepayment, Settlement)) and e.on <= as_of),
               Decimal(0))


class LoanLife(RuleBasedStateMachine):
    """One loan, its events recorded step by step, its states checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.loan: Loan | None = None
        self.today = date(1, 1, 1)
        self.seen: dict[date, LoanState] = {}

    @property
    def current(self) -> Loan:
        assert self.loan is not None
        return self.loan

    @initialize(loan=SMALL_LOANS)
    def open_the_loan(self, loan: Loan) -> None:
        self.loan = loan
        self.today = loan.terms.start

    def _record(self, attempt: str, on: date, record: object) -> None:
        """Record an event through ``record`` (a thunk); a refusal must change nothing."""
        before = self.current
        try:
            after = record()  # type: ignore[operator]
        except RefusedEventError as refusal:
            event(f"{attempt} refused: {refusal.rule}")
            assert self.current is before
            return
        assert isinstance(after, Loan)
        event(f"{attempt} recorded")
        note(f"{attempt} on {on}: {after.events[-1] if after.events[-1].on == on else after.events}")
        # Blind to later events: what was seen before `on` does not change.
        for day, state in self.seen.items():
            if day < on:
                assert after.state(as_of=day) == state, (attempt, on, day)
        self.seen = {day: state for day, state in self.seen.items() if day < on}
        self.loan = after
        self.today = max(self.today, on)

    @rule(days=st.integers(0, 62), minor_units=st.integers(1, 200_000))
    def pay(self, days: int, minor_units: int) -> None:
        on = self.today + timedelta(days=days)
        amount = self.current.terms.currency.quantum * minor_units
        self._record("pay", on, lambda: self.current.pay(on=on, amount=amount))

    @rule(back=st.integers(0, 400), minor_units=st.integers(1, 50_000))
    def pay_backdated(self, back: int, minor_units: int) -> None:
        start = self.current.terms.start
        on = max(start, self.today - timedelta(days=back))
        amount = self.current.terms.currency.quantum * minor_units
        self._record("backdated pay", on, lambda: self.current.pay(on=on, amount=amount))

    @rule(days=st.integers(0, 62), minor_units=st.integers(1, 500_000),
          recast=st.sampled_from(Recast) | st.none())
    def prepay(self, days: int, minor_units: int, recast: Recast | None) -> None:
        on = self.today + timedelta(days=days)
        amount = self.current.terms.currency.quantum * minor_units
        self._record("prepay", on, lambda: self.current.prepay(on=on, amount=amount, recast=recast))

    @rule(days=st.integers(0, 62), component=st.sampled_from(Component),
          minor_units=st.none() | st.integers(1, 10_000))
    def waive(self, days: int, component: Component, minor_units: int | None) -> None:
        on = self.today + timedelta(days=days)
        amount = None if minor_units is None else self.current.terms.currency.quantum * minor_units
        self._record("waive", on, lambda: self.current.waive(on=on, component=component, amount=amount))

    @rule(days=st.integers(0, 62), term=st.integers(1, 24))
    def restructure(self, days: int, term: int) -> None:
        on = self.today + timedelta(days=days)
        self._record("restructure", on, lambda: self.current.restructure(on=on, term=term))

    @rule(days=st.integers(0, 62))
    def settle(self, days: int) -> None:
        on = self.today + timedelta(days=days)
        self._record("settle", on, lambda: self.current.settle(on=on))

    @rule(days=st.integers(0, 800))
    def look(self, days: int) -> None:
        """Ask for the state on a day from the start to well past the last due date."""
        on = self.current.terms.start + timedelta(days=days)
        state = self.current.state(as_of=on)
        event(f"looked at a {state.status.name} loan")
        self.seen[on] = state
        if len(self.seen) > 4:  # keep the checks after every step bounded: the latest four days looked at
            del self.seen[min(self.seen)]

    @precondition(lambda self: self.loan is not None)
    @invariant()
    def laws_hold(self) -> None:
        loan = self.current
        exponent = -loan.terms.currency.minor_units
        rebuilt = Loan(loan.terms, penalty=loan.penalty, prepayment=loan.prepayment, allocation=loan.allocation,
                       tolerance=loan.tolerance, events=loan.events)
        assert rebuilt == loan
        days = {self.today, horizon(loan), *self.seen}
        for as_of in sorted(days):
            state = loan.state(as_of=as_of)
            assert state == loan.state(as_of=as_of) == rebuilt.state(as_of=as_of), as_of
            if as_of in self.seen:
                assert state == self.seen[as_of], as_of
            held = sum((row.paid.total for row in state.installments), Decimal(0)) + state.credit
            assert held == paid_in(loan, as_of), (as_of, held)
            for name, value in money_in(state):
                assert value.as_tuple().exponent == exponent, (as_of, name, value)
            owed = [*state.overdue, *state.due_now, state.principal_outstanding, state.payoff, state.credit]
            owed += [figure for row in state.installments for figure in row.outstanding]
            assert min(owed) >= 0, (as_of, owed)
            assert (state.payoff == 0) == (state.status is Status.SETTLED), as_of
            if state.status is Status.SETTLED and as_of >= self.today:
                for later in (1, 45, 400):
                    after = loan.state(as_of=as_of + timedelta(days=later))
                    assert (after.status, after.payoff, after.days_past_due, after.principal_outstanding) == (
                        Status.SETTLED, 0, 0, 0), (as_of, later)


LoanLife.TestCase.settings = settings(stateful_step_count=20)
TestLoanLife = LoanLife.TestCase
