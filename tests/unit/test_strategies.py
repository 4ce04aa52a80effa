"""Unit tests of ``loanrules.strategies``: valid values, eager validation, ``st.from_type``."""

import decimal
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument, Unsatisfiable

from loanrules import (
    CHINA,
    CNY,
    JPY,
    USD,
    Accrual,
    Allocation,
    BusinessDay,
    Calendar,
    Component,
    Currency,
    DayCount,
    Event,
    Frequency,
    Grace,
    Installment,
    Loan,
    LoanState,
    LoanTerms,
    Outside,
    Payment,
    PenaltyBase,
    PenaltyTerms,
    Prepayment,
    PrepaymentTerms,
    Rate,
    Recast,
    RepaymentMethod,
    Restructure,
    Schedule,
    Settlement,
    Status,
    Waiver,
    build_schedule,
    policies,
)
from loanrules import strategies as lst
from loanrules.policy import (
    KNOWN_FLAGS,
    Action,
    Cap,
    Case,
    CollectionPolicy,
    Compare,
    ContactWindow,
    Cooldown,
    Fact,
    FactName,
    Op,
    Outcome,
    Record,
    Stage,
    Step,
)

FAR_FUTURE = date(2075, 12, 31)
T = TypeVar("T")


def is_amount_of(value: Decimal, currency: Currency) -> bool:
    """Whether ``value`` is a Decimal with exactly the currency's minor-unit places."""
    return type(value) is Decimal and value.as_tuple().exponent == -currency.minor_units


class TestModule:
    def test_all_is_sorted_and_complete(self) -> None:
        """``__all__`` is sorted and names every public factory."""
        assert lst.__all__ == sorted(lst.__all__)
        public = {n for n, v in vars(lst).items() if callable(v) and not n.startswith("_")
                  and getattr(v, "__module__", "") == "loanrules.strategies"}
        assert public == set(lst.__all__)

    def test_not_imported_by_the_package(self) -> None:
        """``import loanrules`` does not import Hypothesis or the strategies."""
        code = "import sys, loanrules; print('hypothesis' in sys.modules, 'loanrules.strategies' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.split() == ["False", "False"]


class TestCurrencies:
    @given(lst.currencies())
    def test_valid(self, currency: Currency) -> None:
        """Currencies have a three-letter code and 0 to 3 minor units by default."""
        assert isinstance(currency, Currency)
        assert attrs.evolve(currency) == currency
        assert 0 <= currency.minor_units <= 3

    @given(lst.currencies(min_minor_units=2, max_minor_units=2, builtin_only=True))
    def test_builtin_only(self, currency: Currency) -> None:
        """``builtin_only`` keeps to CNY, USD and EUR when two places are asked for."""
        assert currency.code in {"CNY", "USD", "EUR"}

    @given(lst.currencies(min_minor_units=4, max_minor_units=8))
    def test_minor_unit_bounds(self, currency: Currency) -> None:
        """Made-up currencies honour the minor-unit bounds."""
        assert 4 <= currency.minor_units <= 8

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"min_minor_units": -1}, "min_minor_units=-1 must lie in [0, 8]"),
            ({"max_minor_units": 9}, "max_minor_units=9 must lie in [0, 8]"),
            ({"min_minor_units": 3, "max_minor_units": 2}, "min_minor_units=3 must be <= max_minor_units=2"),
            ({"min_minor_units": True}, "min_minor_units=True must be an int"),
            ({"builtin_only": 1}, "builtin_only=1 must be a bool"),
            ({"min_minor_units": 3, "builtin_only": True}, "no built-in currency has 3 to 3 minor units"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^currencies\\(\\): {re.escape(message)}$"):
            lst.currencies(**kwargs)  # type: ignore[arg-type]


class TestMoney:
    @given(lst.money())
    def test_default(self, amount: Decimal) -> None:
        """Amounts are CNY (two places) in [0, 10,000,000] by default."""
        assert is_amount_of(amount, CNY)
        assert 0 <= amount <= 10_000_000

    @given(lst.money(currency=JPY, min_value="-5.5", max_value="1000.9"))
    def test_bounds_rounded_inwards(self, amount: Decimal) -> None:
        """Bounds between minor units are rounded inwards."""
        assert is_amount_of(amount, JPY)
        assert -5 <= amount <= 1000

    @given(st.data())
    def test_currency_strategy(self, data: st.DataObject) -> None:
        """With a strategy of currencies, each amount fits the currency drawn."""
        currency = data.draw(lst.currencies(), label="currency")
        amount = data.draw(lst.money(currency=st.just(currency), min_value=1, max_value=2), label="amount")
        assert is_amount_of(amount, currency)
        assert 1 <= amount <= 2

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"min_value": 0.5}, "'min_value' must be a Decimal, an int or a decimal string (a float is inexact), got 0.5"),
            ({"max_value": "NaN"}, "'max_value' must be a finite number, got Decimal('NaN')"),
            ({"min_value": 10, "max_value": 1}, "min_value=Decimal('10') must be <= max_value=Decimal('1')"),
            ({"currency": JPY, "min_value": "0.1", "max_value": "0.9"}, "no amount of JPY lies in [0.1, 0.9]"),
            ({"currency": "CNY"}, "currency='CNY' must be a Currency or a strategy of them"),
            ({"currency": st.just(CNY), "min_value": "0.1", "max_value": "0.9"},
             "[0.1, 0.9] must contain a whole amount when the currency is drawn"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^money\\(\\): {re.escape(message)}$"):
            lst.money(**kwargs)  # type: ignore[arg-type]


class TestRates:
    @given(lst.rates())
    def test_default(self, rate: Rate) -> None:
        """Rates are 0 to 36 % with at most six places by default."""
        assert isinstance(rate, Rate)
        assert Decimal(0) <= rate.annual <= Decimal("0.36")
        assert rate.annual.as_tuple().exponent == -6

    @given(lst.rates(min_value="0.0435", max_value="0.0435", places=4))
    def test_fixed(self, rate: Rate) -> None:
        """Equal bounds give that rate."""
        assert rate == Rate.percent("4.35")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"min_value": "-0.01"}, "min_value=Decimal('-0.01') must be >= 0"),
            ({"min_value": "0.2", "max_value": "0.1"}, "min_value=Decimal('0.2') must be <= max_value=Decimal('0.1')"),
            ({"places": 13}, "places=13 must lie in [0, 12]"),
            ({"min_value": "0.01", "max_value": "0.02", "places": 1}, "no rate with 1 places lies in [0.01, 0.02]"),
            ({"max_value": 0.1}, "'max_value' must be a Decimal, an int or a decimal string (a float is inexact), got 0.1"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^rates\\(\\): {re.escape(message)}$"):
            lst.rates(**kwargs)  # type: ignore[arg-type]


class TestEnums:
    @given(lst.day_counts(), lst.business_days(), lst.repayment_methods(), lst.accruals(), lst.outsides())
    def test_members(self, dc: DayCount, bd: BusinessDay, rm: RepaymentMethod, ac: Accrual, out: Outside) -> None:
        """Each enum strategy yields members of its enum."""
        assert (type(dc), type(bd), type(rm), type(ac), type(out)) == (
            DayCount, BusinessDay, RepaymentMethod, Accrual, Outside)

    @given(lst.frequencies(month_based=True), lst.frequencies(month_based=False))
    def test_month_based(self, months: Frequency, weeks: Frequency) -> None:
        """``month_based`` splits month-based from week-based frequencies."""
        assert months.months > 0
        assert weeks.days > 0

    def test_frequency_bad_argument(self) -> None:
        """A non-bool ``month_based`` raises InvalidArgument."""
        with pytest.raises(InvalidArgument, match="month_based=1 must be a bool or None"):
            lst.frequencies(month_based=1)  # type: ignore[arg-type]


class TestCalendars:
    @given(lst.calendars(), st.dates(date(1990, 1, 1), FAR_FUTURE), st.sampled_from(BusinessDay))
    def test_never_raise_by_default(self, calendar: Calendar, day: date, convention: BusinessDay) -> None:
        """Default calendars adjust any date from 1990 to 2075 onto a business day, without raising."""
        moved = calendar.adjust(day, convention)
        assert convention is BusinessDay.UNADJUSTED or calendar.is_business_day(moved)
        assert abs((moved - day).days) < 40

    @given(lst.calendars(builtin=False))
    def test_user_calendars(self, calendar: Calendar) -> None:
        """User calendars are valid, never close all seven weekdays, keep dates within their years."""
        assert calendar.name not in {"ALL_DAYS", "WEEKENDS", "CHINA"}
        assert attrs.evolve(calendar) == calendar
        assert len(calendar.weekend) < 7
        for day in calendar.holidays | calendar.working_days:
            assert 2000 <= day.year <= 2040
        assert calendar.years in {None, (2000, 2040)}

    @given(lst.calendars(user=False, outside=Outside.RAISE))
    def test_builtin_raising(self, calendar: Calendar) -> None:
        """``outside=Outside.RAISE`` gives the built-in CHINA calendar raising outside its data."""
        assert calendar.name in {"ALL_DAYS", "WEEKENDS", "CHINA"}
        if calendar.name == "CHINA":
            assert calendar == CHINA.with_outside(Outside.RAISE)

    @given(lst.calendars(builtin=False, outside=lst.outsides(), min_year=2020, max_year=2021))
    def test_year_bounds_and_outside_strategy(self, calendar: Calendar) -> None:
        """Year bounds and a strategy for ``outside`` are honoured."""
        for day in calendar.holidays | calendar.working_days:
            assert 2020 <= day.year <= 2021
        assert calendar.years in {None, (2020, 2021)}

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"builtin": False, "user": False}, "builtin and user cannot both be False"),
            ({"min_year": 2041}, "min_year=2041 must be <= max_year=2040"),
            ({"max_year": 10_000}, "max_year=10000 must lie in [1, 9998]"),
            ({"outside": "raise"}, "outside='raise' must be an Outside or a strategy of them"),
            ({"user": None}, "user=None must be a bool"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^calendars\\(\\): {re.escape(message)}$"):
            lst.calendars(**kwargs)  # type: ignore[arg-type]


def check_terms(terms: LoanTerms) -> None:
    """Assert that ``terms`` is valid and within the documented default ranges."""
    assert attrs.evolve(terms) == terms  # re-runs every validator
    assert is_amount_of(terms.principal, terms.currency)
    assert 1 <= terms.principal <= 10_000_000
    assert 1 <= terms.term <= 30 * terms.frequency.periods_per_year
    assert date(2000, 1, 1) <= terms.start <= date(2040, 12, 31)
    if not terms.frequency.months:
        assert terms.payment_day is None
    if terms.first_due is not None:
        assert terms.start < terms.first_due <= terms.start + relativedelta(months=12)


class TestLoanTerms:
    @given(lst.loan_terms())
    def test_valid(self, terms: LoanTerms) -> None:
        """Default terms are valid and moderate, and their schedules build."""
        check_terms(terms)
        assert len(build_schedule(terms)) == (1 if terms.method is RepaymentMethod.BULLET else terms.term)

    @given(lst.loan_terms(principal="50000", rate=Rate.annual("0.049"), term=12, method=RepaymentMethod.BULLET,
                          start=date(2026, 1, 31), frequency=Frequency.MONTHLY, payment_day=31,
                          first_due=date(2026, 2, 28), accrual=Accrual.DAILY, day_count=DayCount.ACT_365F,
                          calendar=CHINA, business_day=BusinessDay.FOLLOWING, adjusted_accrual=True,
                          currency=USD, rounding=decimal.ROUND_HALF_EVEN))
    def test_plain_values_are_used(self, terms: LoanTerms) -> None:
        """Plain values are used as given."""
        assert terms == LoanTerms(
            principal="50000", rate=Rate.annual("0.049"), term=12, method=RepaymentMethod.BULLET,
            start=date(2026, 1, 31), frequency=Frequency.MONTHLY, payment_day=31, first_due=date(2026, 2, 28),
            accrual=Accrual.DAILY, day_count=DayCount.ACT_365F, calendar=CHINA,
            business_day=BusinessDay.FOLLOWING, adjusted_accrual=True, currency=USD,
            rounding=decimal.ROUND_HALF_EVEN)

    @given(lst.loan_terms(currency=JPY, term=st.integers(2, 3), frequency=lst.frequencies(month_based=False)))
    def test_strategies_are_drawn(self, terms: LoanTerms) -> None:
        """Strategies are drawn from; the principal fits a currency without minor unit."""
        assert terms.currency == JPY
        assert terms.principal == terms.principal.to_integral_value()
        assert terms.term in {2, 3}
        assert terms.frequency in {Frequency.WEEKLY, Frequency.BIWEEKLY}
        assert terms.payment_day is None

    @given(lst.loan_terms(payment_day=31))
    def test_payment_day_restricts_default_frequency(self, terms: LoanTerms) -> None:
        """A plain payment day makes the default frequency month-based, and first_due falls on it."""
        assert terms.frequency.months > 0
        assert terms.payment_day == 31
        if terms.first_due is not None:
            assert terms.first_due == terms.frequency.nth(terms.first_due, 0, 31)

    @given(lst.loan_terms(payment_day=st.integers(1, 31)))
    def test_payment_day_strategy_dropped_for_weeks(self, terms: LoanTerms) -> None:
        """A payment-day strategy applies to month-based frequencies only."""
        assert (terms.payment_day is None) == (terms.frequency.months == 0)

    @given(lst.loan_terms(first_due=None, payment_day=None))
    def test_regular_first_period(self, terms: LoanTerms) -> None:
        """``first_due=None, payment_day=None`` gives regular first periods."""
        assert terms.first_period_regular

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"term": 0}, "term=0 must lie in [1, 1000000]"),
            ({"term": True}, "term=True must be an int"),
            ({"term": "12"}, "term='12' must be an int or a strategy of them"),
            ({"principal": 0}, "principal=Decimal('0') must be > 0"),
            ({"principal": 1.5}, "'principal' must be a Decimal, an int or a decimal string (a float is inexact), got 1.5"),
            ({"principal": "0.5", "currency": JPY}, "principal=Decimal('0.5') has more places than JPY allows"),
            ({"payment_day": 32}, "payment_day=32 must lie in [1, 31]"),
            ({"payment_day": 15, "frequency": Frequency.WEEKLY},
             "payment_day=15 applies to month-based frequencies only, not WEEKLY"),
            ({"first_due": "2026-02-01"}, "first_due='2026-02-01' must be a date, None or a strategy of them"),
            ({"start": date(2026, 1, 31), "first_due": date(2026, 1, 15)},
             "first_due=2026-01-15 must lie in (start, start + 12 months] for start=2026-01-31"),
            ({"start": datetime(2026, 1, 1)},  # noqa: DTZ001 - a naive datetime is the point
             "start=datetime.datetime(2026, 1, 1, 0, 0) must be a date or a strategy of them"),
            ({"rate": Decimal("0.05")}, "rate=Decimal('0.05') must be a Rate or a strategy of them"),
            ({"method": "annuity"}, "method='annuity' must be a RepaymentMethod or a strategy of them"),
            ({"calendar": "CHINA"}, "calendar='CHINA' must be a Calendar or a strategy of them"),
            ({"adjusted_accrual": 1}, "adjusted_accrual=1 must be a bool or a strategy of them"),
            ({"rounding": "HALF_UP"}, "rounding='HALF_UP' must be a decimal rounding mode (decimal.ROUND_*)"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time, naming the argument."""
        with pytest.raises(InvalidArgument, match=f"^loan_terms\\(\\): {re.escape(message)}$"):
            lst.loan_terms(**kwargs)  # type: ignore[arg-type]


class TestSchedules:
    @given(lst.schedules())
    def test_valid(self, schedule: Schedule) -> None:
        """Schedules are built from valid terms."""
        check_terms(schedule.terms)
        assert schedule == build_schedule(schedule.terms)

    @given(lst.installments())
    def test_installments(self, row: Installment) -> None:
        """Installments are rows of schedules."""
        assert isinstance(row, Installment)
        assert row.number >= 1
        assert row.payment == row.principal + row.interest

    def test_bad_arguments(self) -> None:
        """Non-terms and non-schedules raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match="terms=3 must be a LoanTerms or a strategy of them"):
            lst.schedules(terms=3)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument, match="schedule=None must be a Schedule or a strategy of them"):
            lst.installments(schedule=None)  # type: ignore[arg-type]


# --- the ledger ---------------------------------------------------------------------------------

START = date(2026, 1, 1)
TERMS = LoanTerms(principal="1200", rate=Rate.annual("0.12"), term=12, start=START)
"""1200 at 12 % over 12 months from 1 Jan 2026: 106.62 a month, the last due 1 Jan 2027."""
NO_DB = settings(database=None, max_examples=2000)  # find() searches until it finds, whatever the profile
FEWER = settings(max_examples=30)
"""For the checks of loans with histories (a few ms each); the ledger laws draw hundreds more of them."""


def simplest(strategy: st.SearchStrategy[T]) -> T:
    """The example of the all-minimal choices: what the strategy's examples shrink towards.

    Hypothesis tries that example first, so finding it needs no shrinking (slow for a loan).
    """
    return find(strategy, lambda _: True, settings=settings(database=None, max_examples=1,
                                                            phases=[Phase.generate]))


def replay(loan: Loan) -> Loan:
    """The loan's history recorded afresh, in order, through the Loan methods (which validate)."""
    fresh = attrs.evolve(loan, events=())
    for e in loan.events:
        fresh = record(fresh, e)
    return fresh


def record(loan: Loan, e: Event) -> Loan:
    """``loan`` with ``e`` recorded through the method that records its kind."""
    if isinstance(e, Payment):
        return loan.pay(on=e.on, amount=e.amount)
    if isinstance(e, Waiver):
        return loan.waive(on=e.on, component=e.component, amount=e.amount)
    if isinstance(e, Prepayment):
        return loan.prepay(on=e.on, amount=e.amount, recast=e.recast)
    if isinstance(e, Settlement):
        settled = loan.settle(on=e.on)
        assert settled.events[-1] == e or e in settled.events
        return settled
    return loan.restructure(on=e.on, term=e.term, rate=e.rate, method=e.method, waive_penalty=e.waive_penalty,
                            waive_fee=e.waive_fee)


def settled_loan() -> Loan:
    """TERMS settled on the day it starts: settled on every day events may fall on."""
    return Loan(TERMS).settle(on=START)


class TestLedgerEnums:
    @given(lst.components(), lst.graces(), lst.penalty_bases(), lst.recasts())
    def test_members(self, component: Component, grace: Grace, base: PenaltyBase, recast: Recast) -> None:
        """Each enum strategy yields members of its enum."""
        assert (type(component), type(grace), type(base), type(recast)) == (Component, Grace, PenaltyBase, Recast)

    def test_shrink_towards_the_defaults(self) -> None:
        """The enum strategies shrink towards the ledger's defaults."""
        firsts = [simplest(s) for s in (lst.components(), lst.graces(), lst.penalty_bases(), lst.recasts())]
        assert firsts == [Component.PENALTY, Grace.BACKDATE, PenaltyBase.PRINCIPAL, Recast.REDUCE_TERM]


class TestPenaltyTerms:
    @given(lst.penalty_terms())
    def test_valid(self, terms: PenaltyTerms) -> None:
        """Penalty terms are valid: whole late fees up to 50, grace up to 15 days, a 360/365/366 basis."""
        assert attrs.evolve(terms) == terms
        assert 0 <= terms.grace_days <= 15
        assert terms.late_fee == terms.late_fee.to_integral_value()
        assert 0 <= terms.late_fee <= 50
        assert 0 <= terms.markup <= 1
        assert terms.day_basis in {360, 365, 366}

    @given(lst.penalty_terms(rate=Rate.annual("0.2"), markup="0.3", base=PenaltyBase.INSTALLMENT, compound=False,
                             grace_days=3, grace=Grace.AFTER_GRACE, late_fee="20", day_basis=365,
                             rate_cap=Rate.annual("0.18")))
    def test_plain_values_are_used(self, terms: PenaltyTerms) -> None:
        """Plain values are used as given."""
        assert terms == PenaltyTerms(rate=Rate.annual("0.2"), markup="0.3", base=PenaltyBase.INSTALLMENT,
                                     compound=False, grace_days=3, grace=Grace.AFTER_GRACE, late_fee="20",
                                     day_basis=365, rate_cap=Rate.annual("0.18"))

    @given(lst.penalty_terms(rate=None, rate_cap=None, grace_days=st.integers(5, 6)))
    def test_none_and_strategies(self, terms: PenaltyTerms) -> None:
        """``None`` is a plain value for the optional rates; strategies are drawn from."""
        assert (terms.rate, terms.rate_cap) == (None, None)
        assert terms.grace_days in {5, 6}

    def test_shrinks_towards_the_default(self) -> None:
        """Examples shrink towards ``PenaltyTerms()``."""
        assert simplest(lst.penalty_terms()) == PenaltyTerms()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"grace_days": -1}, "'grace_days' must lie in [0, 36500], got -1"),
            ({"grace_days": True}, "'grace_days' must be an int, not a bool, got True"),
            ({"markup": 0.5}, "'markup' must be a Decimal, an int or a decimal string (a float is inexact), got 0.5"),
            ({"markup": "-0.1"}, "'markup' must be >= 0, got Decimal('-0.1')"),
            ({"rate": "0.2"}, "'rate' must be a Rate or None, got '0.2'"),
            ({"day_basis": 100}, "'day_basis' must be 360, 365 or 366, got 100"),
            ({"late_fee": "-1"}, "'late_fee' must be >= 0, got Decimal('-1')"),
            ({"compound": 1}, "'compound' must be a bool, got 1"),
            ({"base": "principal"}, "'base' must be a PenaltyBase, got 'principal'"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad plain values raise InvalidArgument at call time, with the ledger's own message."""
        with pytest.raises(InvalidArgument, match=f"^penalty_terms\\(\\): {re.escape(message)}$"):
            lst.penalty_terms(**kwargs)  # type: ignore[arg-type]


class TestPrepaymentTerms:
    @given(lst.prepayment_terms())
    def test_valid(self, terms: PrepaymentTerms) -> None:
        """Prepayment terms are valid and moderate."""
        assert attrs.evolve(terms) == terms
        assert terms.minimum == terms.minimum.to_integral_value()
        assert 0 <= terms.minimum <= 1000
        assert terms.max_per_day in {None, 1, 2, 3}
        assert 0 <= terms.lockout_periods <= 6
        assert 0 <= terms.fee_rate <= Decimal("0.05")

    @given(lst.prepayment_terms(allowed=False, minimum="500", max_per_day=None, lockout_periods=2, fee_rate="0.01",
                                recast=Recast.REDUCE_PAYMENT))
    def test_plain_values_are_used(self, terms: PrepaymentTerms) -> None:
        """Plain values are used as given."""
        assert terms == PrepaymentTerms(allowed=False, minimum="500", lockout_periods=2, fee_rate="0.01",
                                        recast=Recast.REDUCE_PAYMENT)

    def test_shrinks_towards_the_default(self) -> None:
        """Examples shrink towards ``PrepaymentTerms()``."""
        assert simplest(lst.prepayment_terms()) == PrepaymentTerms()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"fee_rate": 1}, "'fee_rate' must lie in [0, 1), got Decimal('1')"),
            ({"max_per_day": 0}, "'max_per_day' must lie in [1, 12000], got 0"),
            ({"lockout_periods": -1}, "'lockout_periods' must lie in [0, 12000], got -1"),
            ({"minimum": "-5"}, "'minimum' must be >= 0, got Decimal('-5')"),
            ({"allowed": "yes"}, "'allowed' must be a bool, got 'yes'"),
            ({"recast": "reduce_term"}, "'recast' must be a Recast, got 'reduce_term'"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad plain values raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^prepayment_terms\\(\\): {re.escape(message)}$"):
            lst.prepayment_terms(**kwargs)  # type: ignore[arg-type]


class TestAllocations:
    @given(lst.allocations())
    def test_valid(self, allocation: Allocation) -> None:
        """Allocations name every component once."""
        assert attrs.evolve(allocation) == allocation
        assert sorted(allocation.order, key=lambda c: c.value) == sorted(Component, key=lambda c: c.value)

    @given(lst.allocations(order=[Component.PRINCIPAL, Component.INTEREST, Component.FEE, Component.PENALTY],
                           installment_first=False))
    def test_plain_values_are_used(self, allocation: Allocation) -> None:
        """A plain order (any sequence) and flag are used as given."""
        assert allocation == Allocation(order=(Component.PRINCIPAL, Component.INTEREST, Component.FEE,
                                               Component.PENALTY), installment_first=False)

    def test_shrinks_towards_the_default(self) -> None:
        """Examples shrink towards ``Allocation()``."""
        assert simplest(lst.allocations()) == Allocation()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"order": [Component.PRINCIPAL]},
             "'order' must name each Component exactly once, got (Component.PRINCIPAL,)"),
            ({"order": 5}, "order=5 must be a sequence of Components or a strategy of them"),
            ({"installment_first": 1}, "'installment_first' must be a bool, got 1"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad plain values raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^allocations\\(\\): {re.escape(message)}$"):
            lst.allocations(**kwargs)  # type: ignore[arg-type]


class TestPayments:
    @given(lst.payments())
    def test_default(self, payment: Payment) -> None:
        """Without terms: CNY amounts of 0.01 to 1,000,000.00 on days from 2000 to 2075."""
        assert is_amount_of(payment.amount, CNY)
        assert Decimal("0.01") <= payment.amount <= 1_000_000
        assert date(2000, 1, 1) <= payment.on <= date(2075, 12, 31)

    @given(lst.payments(min_date=date(2026, 3, 1), max_date=date(2026, 3, 2), amounts="12.50"))
    def test_dates_and_plain_amount(self, payment: Payment) -> None:
        """Date bounds and a plain amount are honoured."""
        assert payment.on in {date(2026, 3, 1), date(2026, 3, 2)}
        assert payment.amount == Decimal("12.50")

    @given(lst.payments(terms=TERMS))
    def test_for_terms(self, payment: Payment) -> None:
        """With terms: a payment the loan accepts, near a due date (or up to 12 months after the last),
        of up to three monthly payments."""
        assert Loan(TERMS).pay(on=payment.on, amount=payment.amount).events == (payment,)
        assert START <= payment.on <= date(2028, 1, 1) + relativedelta(days=45)
        assert is_amount_of(payment.amount, CNY)
        assert Decimal("0.01") <= payment.amount <= 3 * Decimal("106.62")

    @given(lst.payments(terms=lst.loan_terms(currency=JPY, term=st.integers(1, 12)),
                        amounts=st.integers(1, 9).map(Decimal)))
    def test_terms_and_amount_strategies(self, payment: Payment) -> None:
        """Strategies of terms and of amounts are drawn from."""
        assert 1 <= payment.amount <= 9

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"terms": TERMS, "max_date": date(2026, 1, 1)}, "give terms or min_date / max_date, not both"),
            ({"min_date": date(2026, 1, 2), "max_date": date(2026, 1, 1)},
             "min_date=2026-01-02 must be <= max_date=2026-01-01"),
            ({"min_date": datetime(2026, 1, 1)},  # noqa: DTZ001 - a naive datetime is the point
             "min_date=datetime.datetime(2026, 1, 1, 0, 0) must be a date or None"),
            ({"amounts": 0}, "amounts=Decimal('0') must be > 0"),
            ({"amounts": 1.5}, "'amounts' must be a Decimal, an int or a decimal string (a float is inexact), got 1.5"),
            ({"terms": TERMS, "amounts": "0.001"}, "amounts=Decimal('0.001') has more places than CNY allows"),
            ({"terms": "monthly"}, "terms='monthly' must be a LoanTerms or a strategy of them"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^payments\\(\\): {re.escape(message)}$"):
            lst.payments(**kwargs)  # type: ignore[arg-type]


def check_loan(loan: Loan) -> None:
    """Assert that ``loan`` is valid and that its history replays through the Loan methods."""
    assert attrs.evolve(loan) == loan
    assert replay(loan).events == loan.events
    last = max([loan.original_schedule[-1].due_date, *(e.on for e in loan.events)])
    assert loan.state(as_of=last).as_of == last


class TestLoans:
    @FEWER
    @given(lst.loans())
    def test_valid(self, loan: Loan) -> None:
        """Loans are valid, of at most 60 periods, with at most 6 events, each valid when recorded."""
        check_loan(loan)
        assert loan.terms.term <= 60
        assert len(loan.events) <= 6
        for e in loan.events:
            if isinstance(e, (Payment, Waiver)) and e.amount is not None:
                assert is_amount_of(e.amount, loan.terms.currency)

    @FEWER
    @given(lst.loans(histories=False))
    def test_without_histories(self, loan: Loan) -> None:
        """``histories=False`` gives loans without events."""
        assert loan.events == ()

    @FEWER
    @given(lst.loans(kinds=[Payment], max_events=3))
    def test_kinds_and_max_events(self, loan: Loan) -> None:
        """``kinds`` and ``max_events`` bound the history."""
        assert len(loan.events) <= 3
        assert all(type(e) is Payment for e in loan.events)

    @FEWER
    @given(lst.loans(kinds=(Settlement,), max_events=4))
    def test_days_without_an_acceptable_event_are_skipped(self, loan: Loan) -> None:
        """Settlements only: after the first, the loan refuses more, so there is at most one."""
        check_loan(loan)
        assert len(loan.events) <= 1
        assert all(type(e) is Settlement for e in loan.events)

    @FEWER
    @given(lst.loans(terms=TERMS, penalty=PenaltyTerms(grace_days=3), prepayment=PrepaymentTerms(fee_rate="0.01"),
                     allocation=Allocation(installment_first=False), tolerance="1", kinds=(Prepayment, Payment)))
    def test_plain_values_are_used(self, loan: Loan) -> None:
        """Plain values are used as given; prepayments pass the fee-adjusted minimum."""
        check_loan(loan)
        assert (loan.terms, loan.penalty, loan.prepayment, loan.allocation, loan.tolerance) == (
            TERMS, PenaltyTerms(grace_days=3), PrepaymentTerms(fee_rate="0.01"),
            Allocation(installment_first=False), Decimal(1))

    @FEWER
    @given(lst.loans(terms=TERMS, prepayment=lst.prepayment_terms(allowed=True, minimum=st.integers(0, 2000)),
                     tolerance=st.just(Decimal("0.5")), kinds=(Prepayment, Payment)))
    def test_prepayment_minimum(self, loan: Loan) -> None:
        """Prepayments drawn meet any minimum, fee included."""
        check_loan(loan)
        assert loan.tolerance == Decimal("0.5")

    def test_shrinks_towards_a_plain_loan_without_events(self) -> None:
        """Examples shrink towards the plainest terms, default rules and no events."""
        assert simplest(lst.loans()) == Loan(LoanTerms(principal="1", rate=Rate.annual(0), term=1,
                                                       start=date(2000, 1, 1)))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"histories": 1}, "histories=1 must be a bool"),
            ({"max_events": -1}, "max_events=-1 must lie in [0, 100]"),
            ({"kinds": [Status.SETTLED]},
             "kinds: Status.SETTLED is not an event class "
             "(Payment, Waiver, Prepayment, Settlement, Restructure)"),
            ({"kinds": ()}, "kinds must name at least one event class"),
            ({"kinds": Payment}, "kinds=<class 'loanrules.ledger._ledger.Payment'> must be a collection of event classes"),
            ({"terms": "monthly"}, "terms='monthly' must be a LoanTerms or a strategy of them"),
            ({"penalty": 3}, "penalty=3 must be a PenaltyTerms or a strategy of them"),
            ({"tolerance": "-1"}, "tolerance=Decimal('-1') must be >= 0"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^loans\\(\\): {re.escape(message)}$"):
            lst.loans(**kwargs)  # type: ignore[arg-type]


class TestEvents:
    @FEWER
    @given(lst.events())
    def test_valid(self, e: Event) -> None:
        """Events are of the five kinds."""
        assert isinstance(e, (Payment, Waiver, Prepayment, Settlement, Restructure))

    def test_shrinks_towards_a_small_payment_on_the_first_due_date(self) -> None:
        """The simplest event: 0.01 paid on the first due date of the plainest loan."""
        assert simplest(lst.events()) == Payment(date(2000, 2, 1), Decimal("0.01"))

    @FEWER
    @given(st.data())
    def test_accepted_by_the_loan(self, data: st.DataObject) -> None:
        """The loan accepts each event drawn for it, on its day."""
        loan = data.draw(lst.loans(max_events=3), label="loan")
        e = data.draw(lst.events(loan=loan), label="event")
        assert e in record(loan, e).events

    @FEWER
    @given(lst.events(loan=Loan(TERMS, prepayment=PrepaymentTerms(allowed=False)), kinds=(Prepayment,)))
    def test_moves_to_a_day_the_loan_accepts(self, e: Event) -> None:
        """Prepayment not allowed: the prepayment falls once all principal is due (1 Jan 2027 on)."""
        assert isinstance(e, Prepayment)
        assert e.on >= date(2027, 1, 1)

    @FEWER
    @given(lst.events(loan=Loan(TERMS, prepayment=PrepaymentTerms(lockout_periods=3)),
                      kinds=(Prepayment, Settlement)))
    def test_lockout(self, e: Event) -> None:
        """A lockout of 3 periods: no prepayment nor settlement before the third due date."""
        assert e.on >= date(2026, 4, 1)
        Loan(TERMS, prepayment=PrepaymentTerms(lockout_periods=3)).settle(on=e.on)

    @FEWER
    @given(lst.events(loan=settled_loan(), kinds=(Payment, Restructure)))
    def test_settled_loan_takes_payments_only(self, e: Event) -> None:
        """A settled loan refuses a restructure; payments are still accepted (as credit)."""
        assert isinstance(e, Payment)

    def test_no_acceptable_event_is_unsatisfiable(self) -> None:
        """A settled loan, asked for settlements alone: no example exists."""
        with pytest.raises(Unsatisfiable):
            find(lst.events(loan=settled_loan(), kinds=(Settlement,)), lambda _: True, settings=NO_DB)

    def test_max_per_day(self) -> None:
        """With one prepayment a day at most, a day holding one accepts no other."""
        day = date(2026, 1, 20)
        loan = Loan(TERMS, prepayment=PrepaymentTerms(max_per_day=1)).prepay(on=day, amount="300")
        assert not lst._prepayable(loan, day, loan.state(as_of=day))
        assert lst._prepayable(loan, day + relativedelta(days=1), loan.state(as_of=day + relativedelta(days=1)))

    def test_bad_arguments(self) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=r"^events\(\): kinds must name at least one event class$"):
            lst.events(kinds=())
        with pytest.raises(InvalidArgument, match="loan=3 must be a Loan or a strategy of them"):
            lst.events(loan=3)  # type: ignore[arg-type]


class TestLoanStates:
    @FEWER
    @given(lst.loan_states())
    def test_valid(self, state: LoanState) -> None:
        """States are states, as of a day near a due date."""
        assert isinstance(state, LoanState)
        assert state.days_past_due >= 0

    @given(lst.loan_states(loan=Loan(TERMS), as_of=date(2026, 2, 2)))
    def test_plain_values_are_used(self, state: LoanState) -> None:
        """A plain loan and day give that state: one day late on the first installment."""
        assert state == Loan(TERMS).state(as_of=date(2026, 2, 2))
        assert (state.days_past_due, state.status) == (1, Status.OVERDUE)

    def test_bad_arguments(self) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match="as_of='2026-01-01' must be a date or a strategy of them"):
            lst.loan_states(as_of="2026-01-01")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument, match="loan='x' must be a Loan or a strategy of them"):
            lst.loan_states(loan="x")  # type: ignore[arg-type]


# --- collections --------------------------------------------------------------------------------

ZONES = {"Asia/Shanghai", "America/New_York", "UTC", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
         "America/Santiago"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2075, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
MARCH = datetime(2026, 3, 1, 9, tzinfo=SHANGHAI)


def is_real(moment: datetime) -> bool:
    """Whether ``moment`` is aware and a wall time that exists, with the right ``fold``: a real instant."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return moment.utcoffset() is not None and (back.replace(tzinfo=None), back.fold) == (
        moment.replace(tzinfo=None), moment.fold)


def check_record(record: Record) -> None:
    """Assert that ``record`` is valid, at a real instant, and carries a promise exactly when it is PROMISED."""
    assert attrs.evolve(record) == record
    assert is_real(record.at)
    promised = record.outcome is Outcome.PROMISED
    assert (record.promise_date is not None) is promised
    if promised:
        assert 0 <= (record.promise_date - record.at.date()).days <= 30
    else:
        assert record.promise_amount is None
    assert record.promise_amount is None or record.promise_amount > 0


def in_time_order(history: tuple[Record, ...]) -> bool:
    instants = [r.at.astimezone(UTC) for r in history]
    return instants == sorted(instants)


class TestAwareDatetimes:
    @given(lst.aware_datetimes())
    def test_default(self, moment: datetime) -> None:
        """Real instants from 2000 to 2075, in one of the seven zones."""
        assert isinstance(moment.tzinfo, ZoneInfo)
        assert moment.tzinfo.key in ZONES
        assert is_real(moment)
        assert EARLIEST <= moment <= LATEST

    @given(lst.aware_datetimes(min_value=datetime(2026, 3, 8, 6, tzinfo=UTC),
                               max_value=datetime(2026, 3, 8, 8, tzinfo=UTC), timezone="America/New_York"))
    def test_bounds_and_zone(self, moment: datetime) -> None:
        """Bounds are instants; the zone given is used; across a change the offset follows the instant."""
        assert moment.tzinfo is NEW_YORK
        assert datetime(2026, 3, 8, 6, tzinfo=UTC) <= moment <= datetime(2026, 3, 8, 8, tzinfo=UTC)
        expected = timedelta(hours=-5 if moment < datetime(2026, 3, 8, 7, tzinfo=UTC) else -4)
        assert moment.utcoffset() == expected

    @given(lst.aware_datetimes(timezone=st.sampled_from(["Asia/Kolkata", "UTC"])))
    def test_zone_strategy(self, moment: datetime) -> None:
        """A strategy of zone names is drawn from."""
        assert str(moment.tzinfo) in {"Asia/Kolkata", "UTC"}

    def test_falls_in_a_repeated_hour(self) -> None:
        """Moments come near offset changes: the second 01:xx of the night New York falls back is found."""
        moment = find(lst.aware_datetimes(min_value=datetime(2026, 1, 1, tzinfo=UTC),
                                          max_value=datetime(2026, 12, 31, tzinfo=UTC), timezone="America/New_York"),
                      lambda m: m.fold == 1, settings=NO_DB)
        assert (moment.date(), moment.hour, moment.fold) == (date(2026, 11, 1), 1, 1)
        assert moment.utcoffset() == timedelta(hours=-5)

    def test_transitions(self) -> None:
        """The offset changes found are exact: New York's in 2026, none in Shanghai."""
        def naive_utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
            return datetime(year, month, day, hour, tzinfo=UTC).replace(tzinfo=None)

        year = (naive_utc(2026, 1, 1), naive_utc(2027, 1, 1))
        assert lst._transitions("America/New_York", *year) == (naive_utc(2026, 3, 8, 7), naive_utc(2026, 11, 1, 6))
        assert lst._transitions("Asia/Shanghai", *year) == ()

    def test_shrinks_towards_the_earliest_moment_in_shanghai(self) -> None:
        """Examples shrink towards ``min_value`` in Asia/Shanghai."""
        moment = simplest(lst.aware_datetimes())
        assert moment == EARLIEST
        assert moment.tzinfo is SHANGHAI

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"min_value": datetime(2026, 1, 1)},  # noqa: DTZ001 - a naive datetime is the point
             "min_value=datetime.datetime(2026, 1, 1, 0, 0) must be a timezone-aware datetime"),
            ({"max_value": date(2026, 1, 1)}, "max_value=datetime.date(2026, 1, 1) must be a timezone-aware datetime"),
            ({"min_value": datetime(2026, 1, 2, tzinfo=UTC), "max_value": datetime(2026, 1, 1, tzinfo=UTC)},
             "min_value=2026-01-02T00:00:00+00:00 must not be after max_value=2026-01-01T00:00:00+00:00"),
            ({"timezone": "Mars/Olympus"}, "timezone='Mars/Olympus' is not an IANA time zone name"),
            ({"timezone": SHANGHAI},
             "timezone=zoneinfo.ZoneInfo(key='Asia/Shanghai') must be an IANA time zone name or a strategy of them"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^aware_datetimes\\(\\): {re.escape(message)}$"):
            lst.aware_datetimes(**kwargs)  # type: ignore[arg-type]


class TestActionsAndOutcomes:
    @given(lst.actions(), lst.outcomes())
    def test_members(self, action: Action, outcome: Outcome) -> None:
        """Each enum strategy yields members of its enum."""
        assert (type(action), type(outcome)) == (Action, Outcome)

    def test_shrink_towards_the_first_members(self) -> None:
        """``actions`` shrinks towards NONE, ``outcomes`` towards NO_ANSWER."""
        assert (simplest(lst.actions()), simplest(lst.outcomes())) == (Action.NONE, Outcome.NO_ANSWER)


class TestRecords:
    @given(lst.records())
    def test_valid(self, record: Record) -> None:
        """Records are valid, of a step taken (never NONE), with a promise date exactly when PROMISED."""
        check_record(record)
        assert record.action is not Action.NONE

    @given(lst.records(at=MARCH, action=Action.CALL, outcome=Outcome.PROMISED))
    def test_plain_values_are_used(self, record: Record) -> None:
        """Plain values are used; a promise falls due within 30 days of the call."""
        assert (record.at, record.action, record.outcome) == (MARCH, Action.CALL, Outcome.PROMISED)
        assert date(2026, 3, 1) <= record.promise_date <= date(2026, 3, 31)

    @given(lst.records(at=lst.aware_datetimes(timezone="UTC"), action=st.sampled_from([Action.SMS, Action.NONE]),
                       outcome=st.just(Outcome.REACHED)))
    def test_strategies_are_drawn(self, record: Record) -> None:
        """Strategies are drawn from (NONE too, when asked for)."""
        assert str(record.at.tzinfo) == "UTC"
        assert record.action in {Action.SMS, Action.NONE}
        assert record.outcome is Outcome.REACHED

    def test_usual_outcomes(self) -> None:
        """A letter is most often SENT, yet any outcome may come up: a disputed letter is found."""
        letters = lst.records(action=Action.LETTER)
        assert simplest(letters).outcome is Outcome.SENT
        disputed = find(letters, lambda r: r.outcome is Outcome.DISPUTED,
                        settings=settings(database=None, max_examples=5000))
        assert disputed.outcome is Outcome.DISPUTED

    def test_shrinks_towards_an_unanswered_call(self) -> None:
        """Examples shrink towards an unanswered call at the earliest moment."""
        assert simplest(lst.records()) == Record(at=EARLIEST, action=Action.CALL, outcome=Outcome.NO_ANSWER)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"at": datetime(2026, 3, 1, 9)},  # noqa: DTZ001 - a naive datetime is the point
             "at=datetime.datetime(2026, 3, 1, 9, 0) must be a timezone-aware datetime"),
            ({"at": "2026-03-01T09:00+08:00"}, "at='2026-03-01T09:00+08:00' must be a timezone-aware datetime"),
            ({"action": "call"}, "action='call' must be an Action or a strategy of them"),
            ({"outcome": "sent"}, "outcome='sent' must be an Outcome or a strategy of them"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^records\\(\\): {re.escape(message)}$"):
            lst.records(**kwargs)  # type: ignore[arg-type]


class TestHistories:
    @given(lst.histories())
    def test_valid(self, history: tuple[Record, ...]) -> None:
        """Histories are tuples of at most 20 valid records, in the order of their instants."""
        assert isinstance(history, tuple)
        assert len(history) <= 20
        for record in history:
            check_record(record)
        assert in_time_order(history)

    @given(lst.histories(start=MARCH, end=MARCH + timedelta(hours=1), min_size=2, max_size=3, action=Action.SMS,
                         outcome=Outcome.SENT, timezone="America/New_York"))
    def test_arguments_are_used(self, history: tuple[Record, ...]) -> None:
        """Bounds, sizes, action, outcome and zone are honoured."""
        assert 2 <= len(history) <= 3
        for record in history:
            assert MARCH <= record.at <= MARCH + timedelta(hours=1)
            assert (record.action, record.outcome, record.at.tzinfo) == (Action.SMS, Outcome.SENT, NEW_YORK)

    @given(lst.histories(start=datetime(2026, 11, 1, 5, tzinfo=UTC), end=datetime(2026, 11, 1, 7, tzinfo=UTC),
                         min_size=2, timezone="America/New_York"))
    def test_time_order_is_the_instants(self, history: tuple[Record, ...]) -> None:
        """Across New York's repeated hour the records follow the time line, whatever their wall clocks say."""
        assert in_time_order(history)

    def test_shrinks_towards_the_empty_history(self) -> None:
        """Examples shrink towards ``()``."""
        assert simplest(lst.histories()) == ()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"min_size": 3, "max_size": 2}, "min_size=3 must be <= max_size=2"),
            ({"max_size": -1}, "max_size=-1 must lie in [0, 1000]"),
            ({"start": MARCH, "end": MARCH - timedelta(seconds=1)},
             "start=2026-03-01T09:00:00+08:00 must not be after end=2026-03-01T08:59:59+08:00"),
            ({"end": datetime(2026, 3, 1)},  # noqa: DTZ001 - a naive datetime is the point
             "end=datetime.datetime(2026, 3, 1, 0, 0) must be a timezone-aware datetime"),
            ({"timezone": "Shanghai"}, "timezone='Shanghai' is not an IANA time zone name"),
            ({"action": Outcome.SENT}, "action=Outcome.SENT must be an Action or a strategy of them"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^histories\\(\\): {re.escape(message)}$"):
            lst.histories(**kwargs)  # type: ignore[arg-type]


class TestCases:
    @FEWER
    @given(lst.cases())
    def test_valid(self, case: Case) -> None:
        """Cases are valid: known flags, one of the seven zones, a history in time order from 180 days before
        the state's day to its end in the case's zone."""
        assert attrs.evolve(case) == case
        assert case.flags <= KNOWN_FLAGS
        assert case.timezone in ZONES
        assert in_time_order(case.history)
        zone = ZoneInfo(case.timezone)
        for record in case.history:
            check_record(record)
            day = record.at.astimezone(zone).date()
            assert case.state.as_of - timedelta(days=180) <= day <= case.state.as_of

    @given(lst.cases(state=Loan(TERMS).state(as_of=date(2026, 2, 5)),
                     history=[Record(at=MARCH, action=Action.CALL, outcome=Outcome.REACHED)],
                     flags={"cease_request"}, timezone="America/New_York"))
    def test_plain_values_are_used(self, case: Case) -> None:
        """Plain values are used as given (any iterable of records or flags)."""
        assert case == Case(state=Loan(TERMS).state(as_of=date(2026, 2, 5)),
                            history=(Record(at=MARCH, action=Action.CALL, outcome=Outcome.REACHED),),
                            flags=frozenset({"cease_request"}), timezone="America/New_York")

    @given(lst.cases(state=lst.loan_states(loan=Loan(TERMS)), history=lst.histories(max_size=2),
                     flags=st.just(frozenset({"dispute_resolved"})), timezone=st.sampled_from(["UTC"])))
    def test_strategies_are_drawn(self, case: Case) -> None:
        """Strategies are drawn from."""
        assert case.state.days_past_due >= 0
        assert len(case.history) <= 2
        assert (case.flags, case.timezone) == (frozenset({"dispute_resolved"}), "UTC")

    def test_shrinks_towards_a_plain_case(self) -> None:
        """Examples shrink towards the plainest state, no history, no flags, in Asia/Shanghai."""
        assert simplest(lst.cases()) == Case(state=simplest(lst.loan_states()), timezone="Asia/Shanghai")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"flags": "cease_request"}, "flags='cease_request' must be a collection of flags or a strategy of them"),
            ({"flags": {"cease_requested"}},
             "flags: unknown flag 'cease_requested'; known: cease_request, dispute_resolved"),
            ({"history": 5}, "history=5 must be a sequence of Records or a strategy of them"),
            ({"history": [Action.CALL]}, "history[0]=Action.CALL must be a Record"),
            ({"timezone": 8}, "timezone=8 must be an IANA time zone name or a strategy of them"),
            ({"state": "overdue"}, "state='overdue' must be a LoanState or a strategy of them"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^cases\\(\\): {re.escape(message)}$"):
            lst.cases(**kwargs)  # type: ignore[arg-type]


def dpd_thresholds(policy: CollectionPolicy) -> list[int]:
    """Each stage's DPD threshold: the value of the ``dpd >= t`` its entry starts with."""
    thresholds = []
    for stage in policy.stages:
        entry = stage.entry
        first = entry if isinstance(entry, Compare) else entry.conditions[0]  # type: ignore[union-attr]
        assert isinstance(first, Compare)
        assert (first.fact.name, first.op) == (FactName.DPD, Op.GE)
        assert isinstance(first.value, int)
        thresholds.append(first.value)
    return thresholds


class TestCollectionPolicies:
    @given(lst.collection_policies())
    def test_valid(self, policy: CollectionPolicy) -> None:
        """Policies pass validation again and round-trip through plain dicts and TOML-free data."""
        assert attrs.evolve(policy) == policy
        assert CollectionPolicy.from_dict(policy.to_dict()) == policy

    @given(lst.collection_policies(presets=False, max_stages=8))
    def test_custom(self, policy: CollectionPolicy) -> None:
        """Random policies: 1 to 8 stages entered from strictly increasing DPD thresholds, short ladders,
        at most 2 holds and 4 constraints."""
        thresholds = dpd_thresholds(policy)
        assert 1 <= len(thresholds) <= 8
        assert thresholds == sorted(set(thresholds))
        assert all(1 <= len(stage.ladder) <= 3 and len(stage.prerequisites) <= 2 for stage in policy.stages)
        assert len(policy.holds) <= 2
        assert len(policy.constraints) <= 4

    @given(lst.collection_policies(custom=False))
    def test_presets_only(self, policy: CollectionPolicy) -> None:
        """``custom=False`` gives the two presets."""
        assert policy in (policies.standard(), policies.us_reg_f())

    @given(lst.collection_policies(presets=False, max_stages=1))
    def test_max_stages(self, policy: CollectionPolicy) -> None:
        """``max_stages`` bounds the stages."""
        assert len(policy.stages) == 1

    @pytest.mark.parametrize(
        "rich",
        [
            lambda p: len(p.stages) == 4 and any(stage.prerequisites for stage in p.stages) and bool(p.holds),
            lambda p: {type(c) for c in p.constraints} == {ContactWindow, Cap, Cooldown},
        ],
        ids=["4 stages, a prerequisite, a hold", "a window, a cap and a cool-down"],
    )
    def test_rich_policies_come_up(self, rich: Callable[[CollectionPolicy], bool]) -> None:
        """Random policies are varied enough: these come up (found without shrinking, which is slow)."""
        found = find(lst.collection_policies(presets=False), rich,
                     settings=settings(database=None, max_examples=5000, phases=[Phase.generate]))
        assert rich(found)

    def test_shrinks_towards_the_standard_policy(self) -> None:
        """Examples shrink towards the standard policy; random ones towards one stage of calls from DPD 0."""
        assert simplest(lst.collection_policies()) == policies.standard()
        assert simplest(lst.collection_policies(presets=False)) == CollectionPolicy(
            name="_", stages=(Stage(name="early", entry=Compare(Fact(name=FactName.DPD), Op.GE, 0),
                                    ladder=(Step(action=Action.CALL),)),))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"presets": False, "custom": False}, "presets and custom cannot both be False"),
            ({"presets": 1}, "presets=1 must be a bool"),
            ({"max_stages": 0}, "max_stages=0 must lie in [1, 8]"),
            ({"max_stages": 9}, "max_stages=9 must lie in [1, 8]"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """Bad arguments raise InvalidArgument at call time."""
        with pytest.raises(InvalidArgument, match=f"^collection_policies\\(\\): {re.escape(message)}$"):
            lst.collection_policies(**kwargs)  # type: ignore[arg-type]


REGISTERED = [Currency, Rate, DayCount, Frequency, BusinessDay, Outside, Calendar, RepaymentMethod, Accrual,
              LoanTerms, Schedule, Installment, Component, Grace, PenaltyBase, Recast, PenaltyTerms,
              PrepaymentTerms, Allocation, Loan, LoanState, Payment, Waiver, Prepayment, Settlement, Restructure,
              Action, Outcome, Record, Case, CollectionPolicy]
LEDGER = {Loan, LoanState, Waiver, Prepayment, Settlement, Restructure, Case}
"""Types whose examples are loans with histories, or are drawn from them: fewer examples."""


class TestFromType:
    @pytest.mark.parametrize("kind", REGISTERED, ids=lambda k: k.__name__)
    def test_from_type(self, kind: type) -> None:
        """``st.from_type`` gives instances of each registered type."""

        @given(st.from_type(kind))
        def check(value: object) -> None:
            assert isinstance(value, kind)
            if isinstance(value, LoanTerms):
                check_terms(value)
            if isinstance(value, Loan):
                check_loan(value)

        (FEWER(check) if kind in LEDGER else check)()

    @given(st.builds(build_schedule))
    def test_builds_infers_terms(self, schedule: Schedule) -> None:
        """``st.builds`` infers a LoanTerms argument from the registered strategy."""
        check_terms(schedule.terms)

    @pytest.mark.parametrize("first", ["hypothesis", "loanrules"])
    def test_entry_point(self, first: str) -> None:
        """Installed, the package registers its strategies whichever of Hypothesis and loanrules comes first.

        The entry point loads no loanrules code until loanrules is imported (the lazy hook).
        """
        second = "loanrules" if first == "hypothesis" else "hypothesis"
        code = (
            "import sys\n"
            f"import {first}\n"
            "assert 'loanrules.strategies' not in sys.modules\n"
            f"import {second}\n"
            "assert 'loanrules.strategies' in sys.modules\n"
            "from hypothesis import find, settings, strategies as st\n"
            "t = find(st.from_type(loanrules.LoanTerms), lambda t: t.term > 3, settings=settings(database=None))\n"
            "print(t.term, t.principal)\n"
        )
        out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True,
                             check=True)
        assert out.stdout.split() == ["4", "1.00"]

    def test_entry_point_is_the_small_module(self) -> None:
        """The entry point is ``_loanrules_hypothesis``, outside the package; with loanrules never imported,
        ``import hypothesis`` loads no module of loanrules."""
        from importlib.metadata import entry_points

        (hook,) = [e for e in entry_points(group="hypothesis") if e.value.startswith("_loanrules_hypothesis")]
        assert hook.value == "_loanrules_hypothesis:_hypothesis_setup_hook"
        code = "import sys, hypothesis\nprint(sorted(m for m in sys.modules if 'loanrules' in m))\n"
        out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip() == "['_loanrules_hypothesis']"

    def test_setup_hook_is_idempotent(self) -> None:
        """Calling the hook again changes nothing."""
        before = repr(st.from_type(LoanTerms))
        lst._hypothesis_setup_hook()
        lst._hypothesis_setup_hook()
        assert repr(st.from_type(LoanTerms)) == before
