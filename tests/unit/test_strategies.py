"""Unit tests of ``loanrules.strategies``: valid values, eager validation, ``st.from_type``."""

import decimal
import re
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from loanrules import (
    CHINA,
    CNY,
    JPY,
    USD,
    Accrual,
    BusinessDay,
    Calendar,
    Currency,
    DayCount,
    Frequency,
    Installment,
    LoanTerms,
    Outside,
    Rate,
    RepaymentMethod,
    Schedule,
    build_schedule,
)
from loanrules import strategies as lst

FAR_FUTURE = date(2075, 12, 31)


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
        """``outside=Outside.RAISE`` gives the built-in CHINA calendar as is."""
        assert calendar.name in {"ALL_DAYS", "WEEKENDS", "CHINA"}
        if calendar.name == "CHINA":
            assert calendar == CHINA

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


REGISTERED = [Currency, Rate, DayCount, Frequency, BusinessDay, Outside, Calendar, RepaymentMethod, Accrual,
              LoanTerms, Schedule, Installment]


class TestFromType:
    @pytest.mark.parametrize("kind", REGISTERED, ids=lambda k: k.__name__)
    def test_from_type(self, kind: type) -> None:
        """``st.from_type`` gives instances of each registered type."""

        @given(st.from_type(kind))
        def check(value: object) -> None:
            assert isinstance(value, kind)
            if isinstance(value, LoanTerms):
                check_terms(value)

        check()

    @given(st.builds(build_schedule))
    def test_builds_infers_terms(self, schedule: Schedule) -> None:
        """``st.builds`` infers a LoanTerms argument from the registered strategy."""
        check_terms(schedule.terms)

    def test_entry_point(self) -> None:
        """Installed, the package registers its strategies when Hypothesis is imported."""
        code = (
            "import sys\n"
            "from hypothesis import find, settings, strategies as st\n"
            "assert 'loanrules.strategies' in sys.modules\n"
            "import loanrules\n"
            "t = find(st.from_type(loanrules.LoanTerms), lambda t: t.term > 3, settings=settings(database=None))\n"
            "print(t.term, t.principal)\n"
        )
        out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True,
                             check=True)
        assert out.stdout.split() == ["4", "1.00"]

    def test_setup_hook_is_idempotent(self) -> None:
        """Calling the hook again changes nothing."""
        before = repr(st.from_type(LoanTerms))
        lst._hypothesis_setup_hook()
        lst._hypothesis_setup_hook()
        assert repr(st.from_type(LoanTerms)) == before
