"""Interest rates: nominal annual rates, quoted any way a lender quotes them.

A :class:`Rate` is always held as a nominal annual rate (a fraction, not a
percentage). Monthly and daily quotes convert by simple multiplication,
the way Chinese banks quote 月息 and 日息:

>>> from loanrules.rates import Rate
>>> Rate.percent("4.9").annual
Decimal('0.049')
>>> Rate.monthly("0.004").annual
Decimal('0.048')
>>> Rate.daily("0.0003").annual          # 万分之三 a day, 360-day basis
Decimal('0.1080')
>>> Rate.daily("0.0003", basis=365).annual
Decimal('0.1095')

Two bounds keep rates sane (see ``docs/explanation/conventions.md``): at
most :data:`RATE_DIGITS` significant digits and decimal places, and at most
:data:`MAX_ANNUAL_RATE` (100 % a year) unless the rate is built with
``above_ceiling=True``, for products that really charge more:

>>> Rate.annual("4.9")
Traceback (most recent call last):
...
loanrules.errors.InvalidValueError: 'annual' must be <= 1 (100 % a year; pass above_ceiling=True to allow more), got Decimal('4.9')
>>> Rate.annual("4.9", above_ceiling=True)
Rate.annual('4.9', above_ceiling=True)
"""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Final, Protocol, overload

import attrs

from loanrules._checks import EXACT_BOOL, IntIn, significant_digits, to_decimal
from loanrules.errors import InvalidTypeError, InvalidValueError

from ._money import CONTEXT

__all__ = ["MAX_ANNUAL_RATE", "MAX_RATE", "RATE_DIGITS", "Rate"]

MAX_ANNUAL_RATE: Final = Decimal(1)
"""The highest annual rate a :class:`Rate` takes unless built with ``above_ceiling=True``: 100 % a year.

A rate above it is far more often a percentage typed as a fraction
(``Rate.annual("4.9")`` for 4.9 %) than a real contract rate.
"""

MAX_RATE: Final = Decimal(1000)
"""The highest annual rate a :class:`Rate` takes even with ``above_ceiling=True``: 100,000 % a year.

Past it a schedule's compound factors leave any sensible range; no contract charges that much.
"""

_MAX_QUOTE: Final = MAX_RATE * 100  # MAX_RATE as a percent, the largest of its quotes

RATE_DIGITS: Final = 24
"""The most significant digits, and the most decimal places, a rate (or a quote of one) may have."""

_BASES = (360, 365, 366)
_PERIODS = IntIn(1, None)


def _check_basis(basis: object) -> int:
    if type(basis) is not int:
        raise InvalidTypeError("basis", "must be an int (360, 365 or 366)", basis)
    if basis not in _BASES:
        raise InvalidValueError("basis", "must be 360, 365 or 366", basis)
    return basis


def _check_digits(value: Decimal, field: str) -> Decimal:
    if significant_digits(value) > RATE_DIGITS or value.as_tuple().exponent < -RATE_DIGITS:  # type: ignore[operator]
        raise InvalidValueError(
            field, f"must have at most {RATE_DIGITS} significant digits and {RATE_DIGITS} decimal places", value
        )
    return value


def _annual_converter(value: object) -> Decimal:
    return to_decimal(value, "annual")


class _MakeAnnual(Protocol):
    def __call__(self, value: object, *, above_ceiling: bool = False) -> Rate: ...


class _AnnualAccessor:
    """``Rate.annual(x)`` on the class builds a rate; ``rate.annual`` reads it back."""

    @overload
    def __get__(self, obj: None, objtype: type[Rate]) -> _MakeAnnual: ...
    @overload
    def __get__(self, obj: Rate, objtype: type[Rate] | None = None) -> Decimal: ...
    def __get__(self, obj: Rate | None, objtype: type[Rate] | None = None) -> Decimal | _MakeAnnual:
        if obj is None:
            return _make_annual
        return obj._annual


def _quoted(value: object, field: str) -> Decimal:
    """Read a quote, refusing a negative one under the name the caller used."""
    number = to_decimal(value, field)
    if number < 0:
        raise InvalidValueError(field, "must be >= 0", number)
    if number > _MAX_QUOTE:  # refused before any arithmetic: 1e1000000 x 12 leaves decimal's range
        raise InvalidValueError(field, f"must be <= {_MAX_QUOTE:,} (no quote of a rate within MAX_RATE is "
                                       "larger)", number)
    return _check_digits(number, field)


def _make_annual(value: object, *, above_ceiling: bool = False) -> Rate:
    """A nominal annual rate as a fraction: ``Rate.annual("0.049")`` is 4.9 %."""
    return Rate(annual=value, above_ceiling=above_ceiling)  # the converter reads to_decimal(value, "annual")


def _load_rate(annual: str, above_ceiling: bool = False) -> Rate:
    """Unpickle a rate (private)."""
    return Rate(annual=annual, above_ceiling=above_ceiling)


@typing.final
@attrs.frozen
class Rate:
    """A nominal annual interest rate, as a fraction (``0.049`` is 4.9 %).

    Build one with a named constructor: :meth:`annual`, :meth:`percent`,
    :meth:`monthly` or :meth:`daily`. Rates are never negative, have at most
    :data:`RATE_DIGITS` significant digits and decimal places, and are at
    most :data:`MAX_ANNUAL_RATE` (100 % a year) unless built with
    ``above_ceiling=True``. That permission is part of the value's
    construction, not of the rate: it is kept by :func:`attrs.evolve`, shown
    in the repr, and ignored by equality and hashing (a rate of 1.2 is the
    same rate however it was allowed).

    Args:
        annual: The nominal annual rate as a fraction.
        above_ceiling: Allow a rate above :data:`MAX_ANNUAL_RATE`.

    >>> Rate.annual("0.049")
    Rate.annual('0.049')
    >>> Rate.annual("-0.01")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'annual' must be >= 0, got Decimal('-0.01')
    >>> Rate.annual("1.2", above_ceiling=True) == Rate.annual("1.2", above_ceiling=True)
    True
    """

    _annual: Decimal = attrs.field(converter=_annual_converter, alias="annual")
    _above_ceiling: bool = attrs.field(default=False, alias="above_ceiling", eq=False)

    @_above_ceiling.validator
    def _check(self, _attribute: object, above_ceiling: bool) -> None:
        value = self._annual
        if value < 0:
            raise InvalidValueError("annual", "must be >= 0", value)
        _check_digits(value, "annual")
        EXACT_BOOL.check(above_ceiling, "above_ceiling")
        if value > MAX_ANNUAL_RATE and not above_ceiling:
            raise InvalidValueError(
                "annual", f"must be <= {MAX_ANNUAL_RATE} (100 % a year; pass above_ceiling=True to allow more)",
                value,
            )
        if value > MAX_RATE:
            raise InvalidValueError("annual", f"must be <= {MAX_RATE} (100,000 % a year, MAX_RATE) even above "
                                              "the ceiling", value)

    annual = _AnnualAccessor()

    @property
    def above_ceiling(self) -> bool:
        """Whether this rate was allowed above :data:`MAX_ANNUAL_RATE`.

        >>> Rate.percent("180", above_ceiling=True).above_ceiling
        True
        """
        return self._above_ceiling

    def __reduce__(self) -> tuple[typing.Any, ...]:
        # The rate as its decimal string (and the permission only when given).
        if self._above_ceiling:
            return _load_rate, (str(self._annual), True)
        return _load_rate, (str(self._annual),)

    def __repr__(self) -> str:
        extra = ", above_ceiling=True" if self._above_ceiling else ""
        return f"Rate.annual({str(self._annual)!r}{extra})"

    @classmethod
    def percent(cls, value: object, *, above_ceiling: bool = False) -> Rate:
        """A nominal annual rate given in percent.

        >>> Rate.percent("9.4822").annual
        Decimal('0.094822')
        """
        return cls(annual=CONTEXT.divide(_quoted(value, "percent"), Decimal(100)), above_ceiling=above_ceiling)

    @classmethod
    def monthly(cls, value: object, *, above_ceiling: bool = False) -> Rate:
        """A monthly rate (月利率); the annual rate is 12 times it.

        >>> Rate.monthly("0.005").per_month
        Decimal('0.005')
        """
        return cls(annual=CONTEXT.multiply(_quoted(value, "monthly"), Decimal(12)), above_ceiling=above_ceiling)

    @classmethod
    def daily(cls, value: object, basis: int = 360, *, above_ceiling: bool = False) -> Rate:
        """A daily rate (日利率); the annual rate is ``basis`` times it.

        Args:
            value: The daily rate as a fraction (``"0.0003"`` is 万分之三).
            basis: Days in the year the quote assumes: 360 (the Chinese
                bank convention, the default), 365 or 366.
            above_ceiling: Allow an annual rate above :data:`MAX_ANNUAL_RATE`.

        >>> Rate.daily("0.0005", basis=365).per_day(365)
        Decimal('0.0005')
        >>> Rate.daily("0.005").annual   # 0.5 % a day is 180 % a year
        Traceback (most recent call last):
        ...
        loanrules.errors.InvalidValueError: 'annual' must be <= 1 (100 % a year; pass above_ceiling=True to allow more), got Decimal('1.800')
        """
        annual = CONTEXT.multiply(_quoted(value, "daily"), Decimal(_check_basis(basis)))
        return cls(annual=annual, above_ceiling=above_ceiling)

    @property
    def per_month(self) -> Decimal:
        """The monthly rate: annual / 12.

        >>> Rate.annual("0.06").per_month
        Decimal('0.005')
        """
        return CONTEXT.divide(self._annual, Decimal(12))

    def per_day(self, basis: int = 360) -> Decimal:
        """The daily rate on a ``basis``-day year: annual / basis.

        >>> Rate.annual("0.108").per_day()
        Decimal('0.0003')
        """
        return CONTEXT.divide(self._annual, Decimal(_check_basis(basis)))

    def per_period(self, periods_per_year: int) -> Decimal:
        """The rate of one regular period: annual / periods per year.

        Raises:
            InvalidTypeError: If ``periods_per_year`` is not an int (a bool is refused).
            InvalidValueError: If ``periods_per_year`` is < 1.

        >>> Rate.annual("0.08").per_period(4)
        Decimal('0.02')
        """
        return CONTEXT.divide(self._annual, Decimal(_PERIODS.check(periods_per_year, "periods_per_year")))

    @property
    def as_percent(self) -> Decimal:
        """The annual rate in percent.

        >>> Rate.annual("0.049").as_percent
        Decimal('4.900')
        """
        return CONTEXT.multiply(self._annual, Decimal(100))
