"""Loan terms and repayment schedules.

>>> from datetime import date
>>> from loanrules import LoanTerms, Rate, RepaymentMethod, build_schedule
>>> terms = LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360,
...                   method=RepaymentMethod.ANNUITY, start=date(2026, 1, 15))
>>> schedule = build_schedule(terms)
>>> schedule[0].payment, schedule[0].interest, schedule[0].principal
(Decimal('5307.27'), Decimal('4083.33'), Decimal('1223.94'))
>>> schedule.total_principal
Decimal('1000000.00')
>>> schedule[-1].due_date, schedule[-1].balance
(datetime.date(2056, 1, 15), Decimal('0.00'))

How the numbers are made (see ``docs/explanation/conventions.md``):

- due dates are anchored on the start (start + k periods, day of month =
  ``payment_day`` clipped to the month's end), then moved onto the
  calendar by the business-day convention;
- each installment's interest is rounded to the minor unit once; an
  annuity's level payment is rounded once; principal = payment - interest;
- the last installment takes what is left of the balance, so principal
  sums to the loan amount exactly and every balance is >= 0.
"""

from __future__ import annotations

import decimal
import enum
import typing
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import count, repeat, starmap
from math import gcd
from typing import Any, Final, NamedTuple, overload

import attrs

from loanrules._checks import EXACT_BOOL, PLAIN_DATE, TRAPS, AsDecimal, InstanceOf, IntIn, MemberOf, decimal_context
from loanrules.conventions._calendars import ALL_DAYS, BusinessDay, Calendar
from loanrules.conventions._dates import month_dates
from loanrules.conventions._daycount import DayCount
from loanrules.conventions._frequency import Frequency
from loanrules.conventions._money import CNY, CONTEXT, ROUNDING_MODES, Currency
from loanrules.conventions._rates import Rate
from loanrules.errors import InvalidTermsError, InvalidTypeError

__all__ = [
    "MAX_PRINCIPAL",
    "MAX_TERM",
    "Accrual",
    "Installment",
    "LoanTerms",
    "RepaymentMethod",
    "Schedule",
    "build_schedule",
]


class RepaymentMethod(enum.Enum):
    """How principal and interest are spread over the installments."""

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

_TERM: Final = IntIn(1, MAX_TERM, error=InvalidTermsError)
_PAYMENT_DAY: Final = IntIn(1, 31, error=InvalidTermsError, optional=True)
_LAST_START: Final = date(date.max.year, 1, 1)


@typing.final
@attrs.frozen(kw_only=True)
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

    principal: Decimal = attrs.field(converter=AsDecimal("principal"))
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
        PLAIN_DATE.check(start, "start")
        for field, check in _FIELD_CHECKS:
            check.check(getattr(self, field), field)
        if rounding not in ROUNDING_MODES:
            raise InvalidTermsError("rounding", "must be a decimal rounding mode (decimal.ROUND_*)", rounding)
        if principal <= 0:
            raise InvalidTermsError("principal", "must be > 0", principal)
        if principal >= MAX_PRINCIPAL:
            raise InvalidTermsError("principal", f"must be < {MAX_PRINCIPAL:,} (MAX_PRINCIPAL)", principal)
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
            PLAIN_DATE.check(first_due, "first_due")
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
    values = {name: kinds[name](value) if name in kinds else value for name, value in data.items()}
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


class Installment(NamedTuple):
    """One row of a schedule: what falls due on one date.

    A named tuple (immutable and lean, since schedules hold thousands);
    every amount is a ``Decimal`` in the currency's minor unit.
    """

    number: int
    """1-based position in the schedule."""
    due_date: date
    """The due date after business-day adjustment: the day payment is due."""
    principal: Decimal
    """The principal part."""
    interest: Decimal
    """The interest part, rounded once to the minor unit."""
    payment: Decimal
    """principal + interest."""
    balance: Decimal
    """Principal outstanding after this installment is paid."""
    unadjusted_date: date
    """The anchored due date before business-day adjustment."""
    period_start: date
    """The date interest for this installment starts to accrue (the previous
    accrual date, or the loan's start)."""
    provisional: bool
    """True when ``due_date`` was decided by weekends alone, outside the
    years the calendar's holiday data covers."""


_new_row: Any = tuple.__new__


@typing.final
@attrs.frozen
class Schedule(Sequence[Installment]):
    """The installments of a loan, with totals; iterable and indexable.

    >>> from loanrules import CNY
    >>> s = build_schedule(LoanTerms(principal="1000", rate=Rate.annual("0.12"), term=3,
    ...                              start=date(2026, 1, 10)))
    >>> len(s), s.total_interest, s.total_payment
    (3, Decimal('20.07'), Decimal('1020.07'))
    >>> print(s)
      #  due date        payment  principal  interest   balance
      1  2026-02-10       340.02     330.02     10.00    669.98
      2  2026-03-10       340.02     333.32      6.70    336.66
      3  2026-04-10       340.03     336.66      3.37      0.00
         total           1020.07    1000.00     20.07
    """

    terms: LoanTerms
    installments: tuple[Installment, ...] = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.installments)

    @overload
    def __getitem__(self, index: int) -> Installment: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Installment, ...]: ...
    def __getitem__(self, index: int | slice) -> Installment | tuple[Installment, ...]:
        return self.installments[index]

    def __iter__(self) -> Iterator[Installment]:
        return iter(self.installments)

    @property
    def total_principal(self) -> Decimal:
        """The sum of principal parts: exactly the loan amount."""
        with decimal.localcontext(CONTEXT):  # exact at 34 digits, whatever the caller's context
            return sum((i.principal for i in self.installments), self.terms.currency.quantum * 0)

    @property
    def total_interest(self) -> Decimal:
        """The sum of interest parts."""
        with decimal.localcontext(CONTEXT):  # exact at 34 digits, whatever the caller's context
            return sum((i.interest for i in self.installments), self.terms.currency.quantum * 0)

    @property
    def total_payment(self) -> Decimal:
        """The sum of payments: principal plus interest."""
        with decimal.localcontext(CONTEXT):  # exact at 34 digits, whatever the caller's context
            return sum((i.payment for i in self.installments), self.terms.currency.quantum * 0)

    @property
    def maturity(self) -> date:
        """The (adjusted) due date of the last installment."""
        return self.installments[-1].due_date

    @property
    def provisional_dates(self) -> tuple[date, ...]:
        """The due dates decided by weekends alone, outside the calendar's data."""
        return tuple(i.due_date for i in self.installments if i.provisional)

    def to_records(self) -> list[dict[str, object]]:
        """The installments as plain dicts (for pandas, JSON, CSV).

        >>> build_schedule(LoanTerms(principal="100", rate=Rate.annual(0), term=1,
        ...                          start=date(2026, 1, 1))).to_records()[0]["payment"]
        Decimal('100.00')
        """
        return [row._asdict() for row in self.installments]

    def __str__(self) -> str:
        names = ("payment", "principal", "interest", "balance")
        rows = [(row.payment, row.principal, row.interest, row.balance) for row in self.installments]
        totals = (self.total_payment, self.total_principal, self.total_interest)
        widths = [max(len(name), *(len(str(row[i])) for row in rows), len(str(totals[i])) if i < 3 else 0)
                  for i, name in enumerate(names)]
        number_width = max(3, len(str(len(rows))))

        def line(first: str, second: str, values: Sequence[object]) -> str:
            cells = "  ".join(f"{value!s:>{width}}" for value, width in zip(values, widths, strict=False))
            return f"{first:>{number_width}}  {second:<11}  {cells}".rstrip()

        lines = [line("#", "due date", names)]
        for row, amounts in zip(self.installments, rows, strict=True):
            mark = "*" if row.provisional else " "
            lines.append(line(str(row.number), row.due_date.isoformat() + mark, amounts))
        lines.append(line("", "total", totals))
        if self.provisional_dates:
            lines.append("* provisional: outside the calendar's holiday data, weekends only")
        return "\n".join(lines)


def _due_dates(terms: LoanTerms) -> tuple[list[date], list[date], list[bool]]:
    unadjusted = terms.unadjusted_dates()
    convention, calendar = terms.business_day, terms.calendar
    if convention is BusinessDay.UNADJUSTED:
        return unadjusted, unadjusted, [False] * len(unadjusted)
    adjusted: list[date] = []
    provisional: list[bool] = []
    previous = terms.start
    one_day = timedelta(days=1)
    for day in unadjusted:
        moved = calendar.adjust(day, convention)
        if moved <= previous:
            # A collision: never two installments on one day. Take the first
            # business day after the previous due date.
            moved = calendar.adjust(previous + one_day, BusinessDay.FOLLOWING)
        adjusted.append(moved)
        provisional.append(calendar.is_provisional(moved))
        previous = moved
    return unadjusted, adjusted, provisional


def period_rates(terms: LoanTerms, starts: Sequence[date], ends: Sequence[date]) -> list[Fraction]:
    """The exact interest rate each period earns (private to the package).

    ``PERIODIC``: annual / periods-per-year, except an irregular first period,
    which earns annual x ``day_count.fraction(start, first due)``: the same
    ``Fraction`` object for every regular period. ``DAILY``: annual x
    ``day_count.fraction`` of each period's own dates.
    """
    numerator, denominator = terms.rate.annual.as_integer_ratio()
    if terms.accrual is Accrual.PERIODIC and terms.first_period_regular:
        return [Fraction(numerator, denominator * terms.frequency.periods_per_year)] * len(starts)
    annual = Fraction(numerator, denominator)
    if terms.accrual is Accrual.DAILY:
        fraction = terms.day_count.fraction
        return [annual * fraction(a, b) for a, b in zip(starts, ends, strict=True)]
    rates = [annual / terms.frequency.periods_per_year] * len(starts)
    if not terms.first_period_regular:
        rates[0] = annual * terms.day_count.fraction(starts[0], ends[0])
    return rates


def _is_uniform(rates: Sequence[Fraction]) -> bool:
    """Whether every period earns the same rate (one object repeated, or equal values)."""
    first = rates[0]
    return rates.count(first) == len(rates) if rates[-1] is first else False


# Rounding the product balance x rate to the minor unit must give the same
# cent as rounding the exact product, ties included: 60.00 at 4.9 % for a
# month earns exactly 0.245, which rounds half up to 0.25, yet 0.049 / 12
# recurs, and 60 x 0.0040833...3 (the rate cut to any number of digits)
# rounds to 0.24. So the rate is carried to enough digits and rounded in the
# one direction that cannot push a tie or an exact cent to the wrong side
# under the chosen mode (up for HALF_UP, DOWN and FLOOR; down for HALF_DOWN,
# UP and CEILING). Enough digits: with the rate r = n/D exact, the product in
# minor units B*n/D is either on a boundary or at least 1/(2D) away from the
# nearest one, and a rate rounded to p significant digits moves the product
# by less than B*r*10^(1-p); p = digits(B) + digits(ceil r) + digits(D) + 3
# keeps that below 1/(2D). HALF_EVEN and 05UP need the exact quotient and
# take it: (B x n) / D, carried as far. _uniform_annuity, the path of the
# common annuity, applies the same bound to its one rate, held as the
# integers n and D of the lowest-terms Fraction instead of the Fraction.
_DIRECTED: Final = {
    decimal.ROUND_HALF_UP: decimal.ROUND_CEILING,
    decimal.ROUND_DOWN: decimal.ROUND_CEILING,
    decimal.ROUND_FLOOR: decimal.ROUND_CEILING,
    decimal.ROUND_HALF_DOWN: decimal.ROUND_FLOOR,
    decimal.ROUND_UP: decimal.ROUND_FLOOR,
    decimal.ROUND_CEILING: decimal.ROUND_FLOOR,
}


def _digits(value: int) -> int:
    """An upper bound on the decimal digits of ``value`` (exact or one more)."""
    return (abs(value).bit_length() * 1233 >> 12) + 1


_TRAPS: Final = (decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow)


def _new_context(prec: int, rounding: str) -> decimal.Context:
    return decimal.Context(prec=prec, rounding=rounding, Emax=CONTEXT.Emax, Emin=CONTEXT.Emin,
                           traps=list(_TRAPS))


# Contexts are made once at import for the precisions schedules need and
# are never changed afterwards (treat them as constants).
_CONTEXTS: Final = {
    (prec, rounding): _new_context(prec, rounding)
    for prec in range(12, 121)
    for rounding in (decimal.ROUND_HALF_EVEN, decimal.ROUND_CEILING, decimal.ROUND_FLOOR)
}


def _context(prec: int, rounding: str = decimal.ROUND_HALF_EVEN) -> decimal.Context:
    prec = max(prec, 12)
    found = _CONTEXTS.get((prec, rounding))
    return found if found is not None else _new_context(prec, rounding)


def _interest_plan(
    principal: Decimal, quantum: Decimal, rates: Sequence[Fraction], uniform: bool, rounding: str
) -> tuple[list[Decimal], list[Decimal] | None, decimal.Context]:
    """How to compute each period's rounded interest exactly.

    Returns the per-period multipliers, the per-period divisors (``None`` on
    the directed-rate path) and the context the products run under.
    """
    balance_digits = principal.adjusted() - quantum.adjusted() + 1
    if uniform:
        first = rates[0]
        numerator_digits, denominator_digits = _digits(first.numerator), _digits(first.denominator)
        rate_digits = _digits(first.numerator // first.denominator + 1)
    else:
        pairs = [(r.numerator, r.denominator) for r in rates]
        numerator_digits = max(_digits(n) for n, _ in pairs)
        denominator_digits = max(_digits(d) for _, d in pairs)
        rate_digits = max(_digits(n // d + 1) for n, d in pairs)
    prec = balance_digits + rate_digits + denominator_digits + 3
    direction = _DIRECTED.get(rounding)
    if direction is None:
        wide = _context(balance_digits + numerator_digits + prec)
        return [Decimal(r.numerator) for r in rates], [Decimal(r.denominator) for r in rates], wide
    rounded = _context(prec, direction)
    multipliers = [_as_decimal(rates[0], rounded)] * len(rates) if uniform else _decimals(rates, rounded)
    return multipliers, None, _context(balance_digits + prec + 2)


def round_product(amount: Decimal, rate: Fraction, quantum: Decimal, rounding: str) -> Decimal:
    """``amount x rate`` rounded to ``quantum`` exactly as the exact product would be.

    >>> round_product(Decimal("60.00"), Fraction(49, 12000), Decimal("0.01"), decimal.ROUND_HALF_UP)
    Decimal('0.25')
    """
    digits = _digits(int(amount / quantum)) + _digits(rate.numerator) + _digits(rate.denominator) + 4
    wide = _context(digits)
    exact = wide.divide(wide.multiply(amount, Decimal(rate.numerator)), Decimal(rate.denominator))
    return exact.quantize(quantum, rounding, wide)


def _as_decimal(rate: Fraction, context: decimal.Context) -> Decimal:
    return context.divide(Decimal(rate.numerator), Decimal(rate.denominator))


def _decimals(rates: Sequence[Fraction], context: decimal.Context) -> list[Decimal]:
    """Each rate as a ``Decimal`` under ``context``; equal rates convert once."""
    cache: dict[tuple[int, int], Decimal] = {}
    out: list[Decimal] = []
    previous: Fraction | None = None
    value = Decimal(0)
    for rate in rates:
        if rate is not previous:
            key = (rate.numerator, rate.denominator)
            found = cache.get(key)
            if found is None:
                found = cache[key] = _as_decimal(rate, context)
            value, previous = found, rate
        out.append(value)
    return out


def level_payment(principal: Decimal, rates: Sequence[Fraction], uniform: bool) -> Decimal:
    """The unrounded annuity payment that amortizes ``principal`` exactly.

    ``P / sum_k prod_{j<=k} 1/(1+r_j)``; the closed form when every rate is equal.
    """
    with decimal.localcontext(CONTEXT):
        if uniform:
            first = rates[0]
            return _uniform_level(principal, Decimal(first.numerator), Decimal(first.denominator), len(rates))
        discount = Decimal(1)
        total = Decimal(0)
        for r in _decimals(rates, CONTEXT):
            discount /= 1 + r
            total += discount
        return principal / total


def _uniform_level(principal: Decimal, numerator: Decimal, denominator: Decimal, n: int) -> Decimal:
    """The unrounded level payment of ``n`` periods that each earn ``numerator / denominator``.

    ``P r / (1 - (1 + r)^-n)``, under the current context (a copy of ``CONTEXT``).
    """
    if not numerator:
        return principal / n
    r = numerator / denominator
    return principal * r / (1 - (1 + r) ** -n)


def build_schedule(terms: LoanTerms) -> Schedule:
    """Build the repayment schedule of ``terms``.

    Args:
        terms: The loan's terms.

    Returns:
        A :class:`Schedule` whose principal parts sum to ``terms.principal``
        exactly, with balances that never rise and end at zero, and due
        dates that strictly increase.

    Raises:
        CalendarCoverageError: A due date falls outside the calendar's data
            and the calendar says to raise there.

    >>> s = build_schedule(LoanTerms(principal="1000000", rate=Rate.annual("0.049"), term=360,
    ...     method=RepaymentMethod.EQUAL_PRINCIPAL, start=date(2026, 1, 15)))
    >>> s[0].payment, s[1].payment
    (Decimal('6861.11'), Decimal('6849.77'))
    """
    if not isinstance(terms, LoanTerms):
        raise InvalidTypeError("terms", "must be a LoanTerms", terms)
    # Every step runs under the library's contexts, never the caller's.
    with decimal.localcontext(CONTEXT):
        return _build(terms)


def _build(terms: LoanTerms) -> Schedule:
    """:func:`build_schedule`'s body, under a copy of ``CONTEXT``."""
    if (terms.method is RepaymentMethod.ANNUITY and terms.accrual is Accrual.PERIODIC
            and terms.business_day is BusinessDay.UNADJUSTED and terms.first_due is None
            and (terms.payment_day is None or terms.payment_day == terms.start.day)):
        direction = _DIRECTED.get(terms.rounding)
        if direction is not None:
            schedule = _uniform_annuity(terms, direction)
            if schedule is not None:
                return schedule
    unadjusted, adjusted, provisional = _due_dates(terms)
    ends = adjusted if terms.adjusted_accrual else unadjusted
    starts = [terms.start, *ends[:-1]]
    rates = period_rates(terms, starts, ends)
    currency, rounding, method = terms.currency, terms.rounding, terms.method
    quantum = currency.quantum
    principal = terms.principal
    n = len(rates)
    zero = quantum * 0
    if method is RepaymentMethod.BULLET:
        interest = round_product(principal, sum(rates, Fraction(0)), quantum, rounding)
        row = (1, adjusted[-1], principal, interest, principal + interest, zero,
               unadjusted[-1], terms.start, provisional[-1])
        return Schedule(terms, (_new_row(Installment, row),))
    uniform = _is_uniform(rates)
    if method is RepaymentMethod.ANNUITY:
        level = level_payment(principal, rates, uniform).quantize(quantum, rounding, CONTEXT)
    elif method is RepaymentMethod.EQUAL_PRINCIPAL:
        level = CONTEXT.divide(principal, Decimal(n)).quantize(quantum, rounding, CONTEXT)
    else:
        level = zero
    multipliers, divisors, wide = _interest_plan(principal, quantum, rates, uniform, rounding)
    with decimal.localcontext(wide):
        columns = None
        if method is RepaymentMethod.ANNUITY and uniform and divisors is None:
            columns = _level_columns(principal, level, multipliers[0], count=n - 1, quantum=quantum,
                                     rounding=rounding)
        if columns is None:
            columns = _general_columns(principal, level, multipliers=multipliers, divisors=divisors,
                                       method=method, uniform=uniform, quantum=quantum, rounding=rounding)
        parts, interests, payments, balances = columns
        balance = balances[-1] if balances else principal
        if divisors is None:
            interest = (balance * multipliers[-1]).quantize(quantum, rounding)
        else:
            interest = (balance * multipliers[-1] / divisors[-1]).quantize(quantum, rounding)
        parts.append(balance)
        interests.append(interest)
        payments.append(balance + interest)
        balances.append(zero)
    rows = map(_new_row, repeat(Installment), zip(
        count(1), adjusted, parts, interests, payments, balances, unadjusted, starts, provisional))
    return Schedule(terms, tuple(rows))


def _uniform_annuity(terms: LoanTerms, direction: str) -> Schedule | None:
    """The schedule of an annuity on unadjusted dates whose periods all earn one regular rate.

    The common case, in one pass and under one decimal context: the numbers
    :func:`build_schedule` would compute through ``period_rates``,
    ``level_payment``, ``_interest_plan`` and ``_level_columns``, with the
    rate held as its lowest-terms integer ratio instead of a ``Fraction``.
    ``direction`` is ``_DIRECTED[terms.rounding]``. Returns ``None`` when a
    principal part would overshoot, for the general path to handle.
    """
    principal, currency, rounding, n, start = terms.principal, terms.currency, terms.rounding, terms.term, terms.start
    frequency = terms.frequency
    months = frequency.months
    dates = month_dates(start, 1, n, months, start.day) if months else terms.unadjusted_dates()
    # annual / periods-per-year in lowest terms: the numerator and denominator
    # of the Fraction that period_rates makes.
    numerator, denominator = terms.rate.annual.as_integer_ratio()
    denominator *= frequency.periods_per_year
    common = gcd(numerator, denominator)
    numerator //= common
    denominator //= common
    quantum = currency.quantum
    # _interest_plan's precision for this one rate (the quantum's adjusted
    # exponent is -minor_units; _digits is inlined).
    balance_digits = principal.adjusted() + currency.minor_units + 1
    prec = (balance_digits + ((numerator // denominator + 1).bit_length() * 1233 >> 12)
            + (denominator.bit_length() * 1233 >> 12) + 5)
    places = currency.minor_units
    rows: list[tuple[int, date, Decimal, Decimal, Decimal, Decimal, date, date, bool]] = []
    add = rows.append
    round_to = Decimal.__round__
    balance = principal
    begin = start
    # One private copy of CONTEXT, re-set to the precision and rounding of
    # each step: the contexts level_payment and _interest_plan use.
    with decimal.localcontext(CONTEXT) as context:
        top, bottom = Decimal(numerator), Decimal(denominator)
        level = _uniform_level(principal, top, bottom, n).quantize(quantum, rounding)
        context.prec, context.rounding = max(prec, 12), direction
        rate = top / bottom
        # _level_columns' loop. Its products and differences are exact at this
        # precision, so the context's rounding serves the rounding of the
        # interest (round_to(x, places) is x.quantize(quantum) in the
        # context's rounding, with cheaper argument parsing), and decides
        # nothing else but the sign of a zero difference, which only
        # ROUND_FLOOR makes negative. ROUND_DOWN stands in for it: the two
        # agree on the products kept, which are >= 0 (a negative balance
        # means an overshoot, and the rows are dropped).
        context.prec = max(balance_digits + prec + 2, 12)
        context.rounding = decimal.ROUND_DOWN if rounding == decimal.ROUND_FLOOR else rounding
        for number, due in enumerate(dates[:-1], 1):
            interest = round_to(balance * rate, places)
            part = level - interest
            balance -= part
            add((number, due, part, interest, level, balance, due, begin, False))
            begin = due
        if balance < 0:
            return None
        interest = round_to(balance * rate, places)
        due = dates[-1]
        add((n, due, balance, interest, balance + interest, quantum * 0, due, begin, False))
    # Each row's fields made an Installment in C. starmap, not map: it hands
    # zip's pair to tuple.__new__ as the argument tuple, where map would
    # build a new one per row.
    installments = starmap(_new_row, zip(repeat(Installment), rows))  # noqa: RUF058 - see above
    return Schedule(terms, tuple(installments))


_Columns = tuple[list[Decimal], list[Decimal], list[Decimal], list[Decimal]]


def _level_columns(
    balance: Decimal, level: Decimal, rate: Decimal, *, count: int, quantum: Decimal, rounding: str
) -> _Columns | None:
    """The first ``count`` rows of a level-payment loan whose periods all earn ``rate``.

    No per-row checks (the general path's loop for a uniform rate; the common
    annuity takes _uniform_annuity). The interest never exceeds the level
    payment (the balance only falls), so the parts are >= 0 and the balances
    fall; only the last balance can show that a part overshot (a tiny loan
    over a long term), and then ``None`` sends the caller to the general path.
    """
    parts: list[Decimal] = []
    interests: list[Decimal] = []
    balances: list[Decimal] = []
    add_part, add_interest, add_balance = parts.append, interests.append, balances.append
    quantize = Decimal.quantize
    for _ in range(count):
        interest = quantize(balance * rate, quantum, rounding)
        part = level - interest
        balance -= part
        add_interest(interest)
        add_part(part)
        add_balance(balance)
    if balance < 0:
        return None
    return parts, interests, [level] * count, balances


def _general_columns(
    balance: Decimal,
    level: Decimal,
    *,
    multipliers: Sequence[Decimal],
    divisors: Sequence[Decimal] | None,
    method: RepaymentMethod,
    uniform: bool,
    quantum: Decimal,
    rounding: str,
) -> _Columns:
    """All rows but the last, for any method, rate pattern and rounding mode."""
    parts: list[Decimal] = []
    interests: list[Decimal] = []
    payments: list[Decimal] = []
    balances: list[Decimal] = []
    annuity = method is RepaymentMethod.ANNUITY
    zero = quantum * 0
    for k in range(len(multipliers) - 1):
        if divisors is None:
            interest = (balance * multipliers[k]).quantize(quantum, rounding)
        else:
            interest = (balance * multipliers[k] / divisors[k]).quantize(quantum, rounding)
        if annuity:
            part = level - interest
            # A long period (uneven rates) can earn more than the level
            # payment: that installment is then interest-only.
            if part < 0:
                part = zero
        else:
            part = level
        part = min(part, balance)
        balance -= part
        parts.append(part)
        interests.append(interest)
        payments.append(part + interest)
        balances.append(balance)
    return parts, interests, payments, balances
