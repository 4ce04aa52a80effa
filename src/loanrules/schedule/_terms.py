"""Loan terms: :class:`LoanTerms`, its enums and its bounds (private; see ``loanrules.schedule``)."""

from __future__ import annotations

import decimal
import enum
import typing
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import attrs

from loanrules._checks import (
    EXACT_BOOL,
    PLAIN_DATE,
    TRAPS,
    AsDecimal,
    InstanceOf,
    IntIn,
    MemberOf,
    decimal_context,
    member_repr,
    pretty_repr,
    value_repr,
)
from loanrules.conventions._calendars import ALL_DAYS, BusinessDay, Calendar
from loanrules.conventions._dates import month_dates
from loanrules.conventions._daycount import DayCount
from loanrules.conventions._frequency import Frequency
from loanrules.conventions._money import CNY, CONTEXT, ROUNDING_MODES, Currency
from loanrules.conventions._rates import Rate
from loanrules.errors import InvalidTermsError

__all__ = ["MAX_PRINCIPAL", "MAX_TERM", "Accrual", "LoanTerms", "RepaymentMethod"]


class RepaymentMethod(enum.Enum):
    """How principal and interest are spread over the installments."""

    __repr__ = member_repr

    ANNUITY = "annuity"
    """等额本息: a level payment; interest on the declining balance."""
    EQUAL_PRINCIPAL = "equal_principal"
    """等额本金: the same principal each period, so the payment declines."""
    INTEREST_ONLY = "interest_only"
    """先息后本: interest each period, all principal with the last installment."""
    BULLET = "bullet"
    """一次性还本付息: one installment at maturity with all principal and
    simple interest for the whole term."""


class Accrual(enum.Enum):
    """How much interest a period earns."""

    __repr__ = member_repr

    PERIODIC = "periodic"
    """A regular period earns annual / periods-per-year, whatever its length
    (Chinese bank calculators, US mortgages). An irregular first period
    earns annual x ``day_count.year_fraction(start, first due)``."""
    DAILY = "daily"
    """Every period earns annual x ``day_count.year_fraction`` of its own dates;
    the level payment allows for the uneven periods."""


MAX_TERM: Final = 12_000
"""The most installment periods :class:`LoanTerms` accepts (1,000 years of months)."""

MAX_PRINCIPAL: Final = Decimal("1E15")
"""The principal must be below this (a thousand trillion units), so that every
amount of a schedule stays well inside the 34 significant digits of the
library's decimal context, at any minor unit."""

_PRINCIPAL: Final = AsDecimal("principal")


def _principal(value: object) -> Decimal:
    # A named function, so that type checkers see what __init__ accepts.
    return _PRINCIPAL(value)


_TERM: Final = IntIn(1, MAX_TERM, error=InvalidTermsError)
_PAYMENT_DAY: Final = IntIn(1, 31, error=InvalidTermsError, optional=True)
_LAST_START: Final = date(date.max.year, 1, 1)


@typing.final
@attrs.frozen(kw_only=True, repr=False)
class LoanTerms:
    """What a loan contract says about repayment. Keyword-only and immutable.

    Args:
        principal: The amount lent (> 0), in ``currency``'s minor unit at most.
        rate: The nominal annual contract rate.
        term: The number of installment periods (>= 1); for ``BULLET``, the
            periods to maturity, with one installment at the end.
        method: The repayment method; ``ANNUITY`` by default.
        start: The disbursement date; interest runs from it.
        frequency: How often installments fall due; ``MONTHLY`` by default.
        payment_day: The fixed day of the month installments fall on (1 to
            31, clipped to the month's end); ``first_due.day`` when a first due
            date is given, else ``start.day``. Month-based frequencies only.
        first_due: The first (unadjusted) due date, for a short or long first
            period; in ``(start, start + 12 months]``. By default one period after start.
        accrual: ``PERIODIC`` (default) or ``DAILY``.
        day_count: The day count for ``DAILY`` accrual, an irregular first
            period and accrued interest; ``ACT_360`` by default.
        calendar: The business-day calendar; ``ALL_DAYS`` by default.
        business_day: How due dates move onto business days; ``UNADJUSTED`` by default.
        adjusted_accrual: Accrue interest between adjusted due dates instead
            of the unadjusted ones (matters under ``DAILY`` and for an
            irregular first period, whose length is counted in days).
        currency: ``CNY`` by default.
        rounding: The :mod:`decimal` rounding mode for interest and the level
            payment; ``ROUND_HALF_UP`` (四舍五入) by default.

    Raises:
        InvalidTypeError: A field of the wrong type (a float, a datetime, ...).
        InvalidTermsError: A field value that breaks a rule, named in the message.

    >>> LoanTerms(principal="0", rate=Rate.annual("0.05"), term=12, start=date(2026, 1, 1))
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTermsError: 'principal' must be > 0, got Decimal('0')
    >>> LoanTerms(principal="100", rate=Rate.annual("0.05"), term=12, start=date(2026, 1, 31),
    ...           first_due=date(2026, 1, 15))
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTermsError: 'first_due' must lie in (start, start + 12 months] = (2026-01-31, 2027-01-31], got datetime.date(2026, 1, 15)
    """

    __repr__ = value_repr
    _repr_pretty_ = pretty_repr

    principal: Decimal = attrs.field(converter=_principal)
    rate: Rate
    term: int
    method: RepaymentMethod = RepaymentMethod.ANNUITY
    start: date
    frequency: Frequency = Frequency.MONTHLY
    payment_day: int | None = None
    first_due: date | None = None
    accrual: Accrual = Accrual.PERIODIC
    day_count: DayCount = DayCount.ACT_360
    calendar: Calendar = ALL_DAYS
    business_day: BusinessDay = BusinessDay.UNADJUSTED
    adjusted_accrual: bool = False
    currency: Currency = CNY
    rounding: str = attrs.field(default=decimal.ROUND_HALF_UP)

    @rounding.validator
    def _check_all(self, _attribute: object, rounding: str) -> None:
        # Every rule in one validator (on the last field, so it sees them
        # all), in the order the errors take precedence.
        principal, currency, start = self.principal, self.currency, self.start
        if type(start) is not date:  # a subclass keeps only its day (nothing else it carries)
            object.__setattr__(self, "start", start := PLAIN_DATE.check(start, "start"))
        for field, check in _FIELD_CHECKS:
            check.check(getattr(self, field), field)
        if rounding not in ROUNDING_MODES:
            raise InvalidTermsError("rounding", "must be a decimal rounding mode (decimal.ROUND_*)", rounding)
        if principal <= 0:
            raise InvalidTermsError("principal", "must be > 0", principal)
        if principal >= MAX_PRINCIPAL:
            raise InvalidTermsError("principal", f"must be < {int(MAX_PRINCIPAL):,} (MAX_PRINCIPAL)", principal)
        try:
            held = _EXACT.quantize(principal, currency.quantum)
        except decimal.DecimalException:  # a digit below the minor unit, or too many digits
            held = currency.amount(principal, "principal")  # raises with the full message
        term = _TERM.check(self.term, "term")
        EXACT_BOOL.check(self.adjusted_accrual, "adjusted_accrual")
        payment_day = _PAYMENT_DAY.check(self.payment_day, "payment_day")
        first_due = self.first_due
        if payment_day is not None and not self.frequency.months:
            raise InvalidTermsError(
                "payment_day", f"applies to month-based frequencies only, not {self.frequency.name}",
                payment_day,
            )
        if first_due is not None:
            if type(first_due) is not date:
                object.__setattr__(self, "first_due", first_due := PLAIN_DATE.check(first_due, "first_due"))
            if start >= _LAST_START:
                raise InvalidTermsError("start", f"must be before {_LAST_START} to leave room for a term", start)
            latest = Frequency.ANNUAL.nth(start, 1)
            if not start < first_due <= latest:
                raise InvalidTermsError(
                    "first_due", f"must lie in (start, start + 12 months] = ({start}, {latest}]", first_due,
                )
            if (payment_day is not None and self.frequency.months
                    and self.frequency.nth(first_due, 0, payment_day) != first_due):
                raise InvalidTermsError(
                    "first_due", f"must fall on payment_day {payment_day} (clipped to the month's end)", first_due,
                )
        # The maturity must be a date (years 1 to 9999): at most span periods from the anchor.
        anchor, extra = (start, 0) if first_due is None else (first_due, 1)
        room = self.frequency.span(anchor)[1] + extra
        if term > room:
            raise InvalidTermsError(
                "term", f"must be <= {room} so that the maturity stays within datetime.date's range "
                f"(on or before {date.max}) from {anchor}", term,
            )
        # Hold the principal in the currency's minor unit ("50000" -> 50000.00).
        object.__setattr__(self, "principal", held)

    def __reduce__(self) -> tuple[typing.Any, ...]:
        """Pickle the fields that differ from their defaults, enums by value.

        >>> import pickle
        >>> terms = LoanTerms(principal="1000", rate=Rate.annual("0.05"), term=12, start=date(2026, 1, 1))
        >>> pickle.loads(pickle.dumps(terms)) == terms, len(pickle.dumps(terms)) < 300
        (True, True)
        """
        data: dict[str, object] = {}
        for field in _TERMS_FIELDS:
            value = getattr(self, field.name)
            if field.default is attrs.NOTHING or value != field.default:
                data[field.name] = value.value if isinstance(value, enum.Enum) else value
        data["principal"] = str(self.principal)
        return _load_terms, (data,)

    def __attrs_post_init__(self) -> None:
        # The validator holds the principal in the minor unit; with validators
        # disabled (attrs.validators.set_disabled), round it here instead.
        if attrs.validators.get_disabled():
            object.__setattr__(self, "principal", self.principal.quantize(self.currency.quantum, context=CONTEXT))

    @property
    def anchor_day(self) -> int:
        """The day of month due dates are anchored on (``payment_day`` resolved).

        >>> LoanTerms(principal=100, rate=Rate.annual(0), term=1, start=date(2026, 1, 31)).anchor_day
        31
        """
        if self.payment_day is not None:
            return self.payment_day
        return self.first_due.day if self.first_due is not None else self.start.day

    def unadjusted_dates(self) -> list[date]:
        """The unadjusted due date of every period, in order (anchored, never chained).

        >>> LoanTerms(principal=100, rate=Rate.annual(0), term=3,
        ...           start=date(2026, 1, 31)).unadjusted_dates()
        [datetime.date(2026, 2, 28), datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)]
        """
        freq, day = self.frequency, self.anchor_day
        anchor, first = (self.start, 1) if self.first_due is None else (self.first_due, 0)
        if freq.months:
            return month_dates(anchor, first, self.term, freq.months, day)
        step = timedelta(days=freq.days)
        current = anchor + step * first
        out = []
        for _ in range(self.term):
            out.append(current)
            current += step
        return out

    @property
    def maturity(self) -> date:
        """The unadjusted due date of the last period.

        >>> LoanTerms(principal=100, rate=Rate.annual(0), term=12, start=date(2026, 1, 15)).maturity
        datetime.date(2027, 1, 15)
        """
        if self.first_due is None:
            return self.frequency.nth(self.start, self.term, self.anchor_day)
        return self.frequency.nth(self.first_due, self.term - 1, self.anchor_day)

    @property
    def first_period_regular(self) -> bool:
        """Whether the first period is a whole regular period (no stub).

        It is when the first due date is one period after the start and the
        start itself lies on the anchor day (clipped to its month's end, so
        a loan from 28 Feb paid on the 31st starts a regular month).

        >>> LoanTerms(principal=100, rate=Rate.annual(0), term=12, start=date(2026, 1, 15),
        ...           payment_day=1).first_period_regular
        False
        >>> LoanTerms(principal=100, rate=Rate.annual(0), term=12, start=date(2026, 2, 28),
        ...           payment_day=31).first_period_regular
        True
        """
        if self.first_due is None and (self.payment_day is None or self.payment_day == self.start.day):
            return True
        freq, day = self.frequency, self.anchor_day
        first = self.first_due if self.first_due is not None else freq.nth(self.start, 1, day)
        if not freq.months:
            return first == freq.nth(self.start, 1)
        return freq.nth(self.start, 0, day) == self.start and first == freq.nth(self.start, 1, day)


# CONTEXT, but trapping Inexact too: quantizes the principal to its minor unit
# only if that drops no digit. A constant (its flags are never read).
_EXACT: Final = decimal_context(CONTEXT.prec, traps=(*TRAPS, decimal.Inexact))

_TERMS_FIELDS: Final = attrs.fields(LoanTerms)


def _load_terms(data: dict[str, typing.Any]) -> LoanTerms:
    """Unpickle loan terms (private): enums come back from their values."""
    kinds = {"method": RepaymentMethod, "frequency": Frequency, "accrual": Accrual, "day_count": DayCount,
             "business_day": BusinessDay}
    values: dict[str, typing.Any] = {name: kinds[name](value) if name in kinds else value for name, value in data.items()}
    return LoanTerms(**values)


_FIELD_CHECKS: Final = (
    ("rate", InstanceOf(Rate, ' (use Rate.annual("0.049"))')),
    ("method", MemberOf(RepaymentMethod)),
    ("frequency", MemberOf(Frequency)),
    ("accrual", MemberOf(Accrual)),
    ("day_count", MemberOf(DayCount)),
    ("calendar", InstanceOf(Calendar)),
    ("business_day", MemberOf(BusinessDay)),
    ("currency", InstanceOf(Currency)),
)


