"""Laws every repayment schedule obeys, checked on schedules drawn by ``loanrules.strategies``.

Each law is one test; the schedules come from the shipped strategies, so
they range over every method, frequency, accrual, day count, calendar,
business-day convention, currency and rounding mode, with stubs and
payment days, unless a law names its own narrower terms.
"""

import calendar as pycalendar
import decimal
import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import attrs
import numpy_financial as npf
from dateutil.relativedelta import relativedelta
from hypothesis import example, given, note
from hypothesis import strategies as st

from loanrules import (
    ALL_DAYS,
    CNY,
    Accrual,
    BusinessDay,
    Frequency,
    LoanTerms,
    Rate,
    RepaymentMethod,
    Schedule,
    build_schedule,
)
from loanrules.strategies import loan_terms, schedules

PERIODIC_ANNUITIES = loan_terms(method=RepaymentMethod.ANNUITY, accrual=Accrual.PERIODIC, first_due=None,
                                payment_day=None)
"""Annuities whose periods all earn the same rate: PERIODIC accrual, regular first period."""

MONTHLY_CNY_ANNUITIES = loan_terms(method=RepaymentMethod.ANNUITY, accrual=Accrual.PERIODIC,
                                   frequency=Frequency.MONTHLY, first_due=None, payment_day=None,
                                   currency=CNY, rounding=decimal.ROUND_HALF_UP)
"""The loans a textbook annuity formula describes: monthly, regular, rounded half up to the fen."""


def anchor_day(terms: LoanTerms) -> int:
    """The day of month due dates are anchored on, resolved from the fields as documented."""
    if terms.payment_day is not None:
        return terms.payment_day
    return terms.first_due.day if terms.first_due is not None else terms.start.day


class TestMoney:
    @given(schedules())
    def test_principal_sums_to_the_loan_amount(self, schedule: Schedule) -> None:
        """The principal parts sum to the loan amount exactly."""
        assert sum(row.principal for row in schedule) == schedule.terms.principal
        assert schedule.total_principal == schedule.terms.principal

    @given(schedules())
    def test_balances_never_negative_never_rise_end_at_zero(self, schedule: Schedule) -> None:
        """Each balance is the previous one less the principal part, >= 0, and the last is 0."""
        previous = schedule.terms.principal
        for row in schedule:
            assert 0 <= row.balance <= previous
            assert row.balance == previous - row.principal
            previous = row.balance
        assert schedule[-1].balance == 0

    @given(schedules())
    def test_amounts_are_in_the_minor_unit(self, schedule: Schedule) -> None:
        """Every amount has exactly the currency's minor-unit places."""
        exponent = -schedule.terms.currency.minor_units
        for row in schedule:
            for amount in (row.principal, row.interest, row.payment, row.balance):
                assert type(amount) is Decimal
                assert amount.as_tuple().exponent == exponent, (row, amount)
        for total in (schedule.total_principal, schedule.total_interest, schedule.total_payment):
            assert total.as_tuple().exponent == exponent

    @given(schedules())
    def test_payment_is_principal_plus_interest(self, schedule: Schedule) -> None:
        """Each payment is its principal part plus its interest part."""
        for row in schedule:
            assert row.payment == row.principal + row.interest
        assert schedule.total_payment == schedule.total_principal + schedule.total_interest

    @given(schedules())
    def test_interest_is_never_negative(self, schedule: Schedule) -> None:
        """No installment has negative interest (nor negative principal)."""
        for row in schedule:
            assert row.interest >= 0
            assert row.principal >= 0

    @given(schedules(terms=loan_terms(rate=Rate.annual(0))))
    def test_zero_rate_earns_no_interest(self, schedule: Schedule) -> None:
        """A loan at 0 % has no interest at all, whatever its accrual and dates."""
        assert schedule.total_interest == 0
        assert all(row.interest == 0 for row in schedule)


class TestDates:
    @given(schedules())
    def test_installment_count(self, schedule: Schedule) -> None:
        """There are ``term`` installments, numbered from 1; one for a bullet loan."""
        terms = schedule.terms
        expected = 1 if terms.method is RepaymentMethod.BULLET else terms.term
        assert len(schedule) == expected
        assert [row.number for row in schedule] == list(range(1, expected + 1))

    @given(schedules())
    def test_due_dates_strictly_increase(self, schedule: Schedule) -> None:
        """Due dates, adjusted or not, strictly increase, all after the start."""
        previous = previous_unadjusted = schedule.terms.start
        for row in schedule:
            assert row.due_date > previous
            assert row.unadjusted_date > previous_unadjusted
            previous, previous_unadjusted = row.due_date, row.unadjusted_date

    @given(schedules(terms=loan_terms(method=RepaymentMethod.EQUAL_PRINCIPAL)))
    def test_unadjusted_dates_are_anchored(self, schedule: Schedule) -> None:
        """The k-th unadjusted date is k periods on from the anchor, never chained.

        Month-based: in the anchor's month plus k periods, on the anchor day
        clipped to that month's length. Week-based: a whole number of weeks on.
        """
        terms = schedule.terms
        frequency, day = terms.frequency, anchor_day(terms)
        anchor, first = (terms.start, 1) if terms.first_due is None else (terms.first_due, 0)
        for k, row in enumerate(schedule):
            got = row.unadjusted_date
            if frequency.months:
                month = date(anchor.year, anchor.month, 1) + relativedelta(months=(first + k) * frequency.months)
                length = pycalendar.monthrange(month.year, month.month)[1]
                assert (got.year, got.month) == (month.year, month.month), row
                assert got.day == min(day, length), row
            else:
                assert got == anchor + timedelta(days=(first + k) * frequency.days), row
        if terms.first_due is not None:
            assert schedule[0].unadjusted_date == terms.first_due

    @given(schedules())
    def test_due_dates_follow_the_calendar(self, schedule: Schedule) -> None:
        """Adjusted due dates are business days; unadjusted terms keep the anchored date."""
        terms = schedule.terms
        for row in schedule:
            if terms.business_day is BusinessDay.UNADJUSTED:
                assert row.due_date == row.unadjusted_date
            else:
                assert terms.calendar.is_business_day(row.due_date), row
            # Provisional: placed by the calendar on weekends alone, outside its data.
            decided = terms.business_day is not BusinessDay.UNADJUSTED
            assert row.provisional == (decided and not terms.calendar.covers(row.due_date)), row


class TestAnnuities:
    @given(PERIODIC_ANNUITIES)
    @example(LoanTerms(principal="1.00", rate=Rate.annual(0), term=18, start=date(2000, 1, 1)))
    def test_level_payment(self, terms: LoanTerms) -> None:
        """With every period at the same rate, the payments are level until the balance is repaid.

        The level payment is rounded once, so it may repay the loan before the
        last installment (1.00 over 18 months at 0 %: 17 x 0.06 > 1.00); the
        installment that reaches zero pays what is left and any after it pay
        nothing (DESIGN.md: the last installments take the residue). Before
        that point every payment equals the first.
        """
        schedule = build_schedule(terms)
        first = schedule[0].payment
        repaid = next((i for i, row in enumerate(schedule) if row.balance == 0), len(schedule) - 1)
        assert {row.payment for row in schedule[:repaid]} <= {first}
        assert all(row.payment == 0 for row in schedule[repaid + 1:])
        assert schedule[repaid].payment <= first or repaid == len(schedule) - 1

    @given(MONTHLY_CNY_ANNUITIES)
    @example(LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360, start=date(2026, 1, 15)))
    # numpy is off by a float rounding at an exact half fen: 1.13 / 2 = 0.565 exactly, which
    # rounds half up to 0.57, but npf.pmt gives the double 0.56499999999999994671 (0.56).
    @example(LoanTerms(principal="1.13", rate=Rate.annual(0), term=2, start=date(2000, 1, 1)))
    # numpy loses digits in (1 + r)**n - 1 at a tiny rate: 5,700,000 x (1 + 0.000001 / 12) is
    # 5,700,000.475 exactly (0.48 half up), but npf.pmt gives 5,700,000.474203265 (0.47).
    @example(LoanTerms(principal="5700000", rate=Rate.annual("0.000001"), term=1, start=date(2000, 1, 1)))
    def test_matches_numpy_financial(self, terms: LoanTerms) -> None:
        """The level payment is numpy-financial's ``pmt``, rounded half up to the fen.

        Where numpy's float result lies so near a half fen that its own
        rounding error could put it on either side, the float cannot say
        which way the payment rounds; there the exact rational payment
        decides (see ``reference_payment``).
        """
        assert build_schedule(terms)[0].payment == reference_payment(terms)


def reference_payment(terms: LoanTerms) -> Decimal:
    """``npf.pmt`` for ``terms`` rounded half up to the fen, exact where the float cannot decide.

    npf.pmt computes P r (1+r)^n / ((1+r)^n - 1) in binary floating point.
    Its relative error is a few units of 2^-53 times n, amplified by
    (1+r)^n / ((1+r)^n - 1) (about 1 / (n r) for a small rate: the
    cancellation in (1+r)^n - 1). When the result lies farther than that
    error from a half fen, rounding it half up gives the right fen. When it
    lies within it (an exact tie such as 0.565, or a tiny rate), the exact
    payment, computed in rationals, says which side of the half fen it is on.
    """
    n, principal = terms.term, terms.principal
    rate = float(terms.rate.per_month)
    payment = abs(float(npf.pmt(rate, n, float(principal))))
    note(f"npf.pmt = {payment!r}")
    growth = math.expm1(n * math.log1p(rate)) if rate else 0.0
    amplification = (growth + 1) / growth if rate else 1.0
    error = payment * 2.0**-53 * 8 * (n + 2) * (1 + amplification)
    cents = payment * 100
    if abs(cents - math.floor(cents) - 0.5) * 0.01 > error:
        return Decimal(payment).quantize(Decimal("0.01"), decimal.ROUND_HALF_UP)
    exact_rate = Fraction(terms.rate.annual) / 12
    if exact_rate:
        grown = (1 + exact_rate) ** n
        exact = Fraction(principal) * exact_rate * grown / (grown - 1)
    else:
        exact = Fraction(principal) / n
    note(f"within {error:.3g} of a half fen: exact payment {float(exact)!r}")
    return Decimal(math.floor(exact * 100 + Fraction(1, 2))) / 100


class TestFastPath:
    @given(MONTHLY_CNY_ANNUITIES, st.sampled_from([decimal.ROUND_HALF_UP, decimal.ROUND_DOWN, decimal.ROUND_UP,
                                                  decimal.ROUND_CEILING, decimal.ROUND_FLOOR,
                                                  decimal.ROUND_HALF_DOWN]))
    def test_fast_path_equals_general_path(self, terms: LoanTerms, rounding: str) -> None:
        """The unadjusted-date annuity fast path gives exactly the rows of the general path.

        FOLLOWING on ALL_DAYS moves no date but takes the general path.
        """
        fast = build_schedule(attrs.evolve(terms, rounding=rounding, business_day=BusinessDay.UNADJUSTED))
        general = build_schedule(attrs.evolve(terms, rounding=rounding, business_day=BusinessDay.FOLLOWING,
                                              calendar=ALL_DAYS))
        assert fast.installments == general.installments
