"""Laws every repayment schedule obeys, checked on schedules drawn by ``loanrules.strategies``.

Each law is one test; the schedules come from the shipped strategies, so
they range over every method, frequency, accrual, day count, calendar,
business-day convention, currency and rounding mode, with stubs and
payment days, unless a law names its own narrower terms.
"""

import calendar as pycalendar
import decimal
from datetime import date, timedelta
from decimal import Decimal

import numpy_financial as npf
from dateutil.relativedelta import relativedelta
from hypothesis import example, given, note

from loanrules import CNY, Accrual, BusinessDay, Frequency, LoanTerms, Rate, RepaymentMethod, Schedule, build_schedule
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
            assert row.provisional == (not terms.calendar.covers(row.due_date))


class TestAnnuities:
    @given(schedules(terms=PERIODIC_ANNUITIES))
    def test_level_payment(self, schedule: Schedule) -> None:
        """With every period at the same rate, all payments but the last are equal."""
        payments = {row.payment for row in schedule[:-1]}
        assert len(payments) <= 1, sorted(payments)

    @given(MONTHLY_CNY_ANNUITIES)
    @example(LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360, start=date(2026, 1, 15)))
    @example(LoanTerms(principal="1.15", rate=Rate.annual(0), term=2, start=date(2026, 1, 15)))
    def test_matches_numpy_financial(self, terms: LoanTerms) -> None:
        """The level payment is numpy-financial's ``pmt``, rounded half up to the fen."""
        reference = abs(npf.pmt(float(terms.rate.per_month), terms.term, float(terms.principal)))
        expected = Decimal(float(reference)).quantize(Decimal("0.01"), decimal.ROUND_HALF_UP)
        note(f"npf.pmt = {reference!r}")
        assert build_schedule(terms)[0].payment == expected
