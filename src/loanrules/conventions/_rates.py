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
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from decimal import Decimal
from typing import overload

import attrs

from loanrules.errors import InvalidTypeError, InvalidValueError

from ._money import CONTEXT, to_decimal

__all__ = ["Rate"]

_BASES = (360, 365, 366)


def _check_basis(basis: object) -> int:
    if type(basis) is not int:
        raise InvalidTypeError("basis", "must be an int (360, 365 or 366)", basis)
    if basis not in _BASES:
        raise InvalidValueError("basis", "must be 360, 365 or 366", basis)
    return basis


def _annual_converter(value: object) -> Decimal:
    return to_decimal(value, "annual")


class _AnnualAccessor:
    """``Rate.annual(x)`` on the class builds a rate; ``rate.annual`` reads it back."""

    @overload
    def __get__(self, obj: None, objtype: type[Rate]) -> Callable[[object], Rate]: ...
    @overload
    def __get__(self, obj: Rate, objtype: type[Rate] | None = None) -> Decimal: ...
    def __get__(self, obj: Rate | None, objtype: type[Rate] | None = None) -> Decimal | Callable[[object], Rate]:
        if obj is None:
            return _make_annual
        return obj._annual


def _quoted(value: object, field: str) -> Decimal:
    """Read a quote, refusing a negative one under the name the caller used."""
    number = to_decimal(value, field)
    if number < 0:
        raise InvalidValueError(field, "must be >= 0", number)
    return number


def _make_annual(value: object) -> Rate:
    """A nominal annual rate as a fraction: ``Rate.annual("0.049")`` is 4.9 %."""
    return Rate(annual=value)  # the converter reads it as to_decimal(value, "annual")


@typing.final
@attrs.frozen
class Rate:
    """A nominal annual interest rate, as a fraction (``0.049`` is 4.9 %).

    Build one with a named constructor: :meth:`annual`, :meth:`percent`,
    :meth:`monthly` or :meth:`daily`. Rates are never negative.

    >>> Rate.annual("0.049")
    Rate.annual('0.049')
    >>> Rate.annual("-0.01")
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'annual' must be >= 0, got Decimal('-0.01')
    """

    _annual: Decimal = attrs.field(converter=_annual_converter, alias="annual")

    @_annual.validator
    def _check(self, _attribute: object, value: Decimal) -> None:
        if value < 0:
            raise InvalidValueError("annual", "must be >= 0", value)

    annual = _AnnualAccessor()

    def __repr__(self) -> str:
        return f"Rate.annual({str(self._annual)!r})"

    @classmethod
    def percent(cls, value: object) -> Rate:
        """A nominal annual rate given in percent.

        >>> Rate.percent("9.4822").annual
        Decimal('0.094822')
        """
        return cls(annual=CONTEXT.divide(_quoted(value, "percent"), Decimal(100)))

    @classmethod
    def monthly(cls, value: object) -> Rate:
        """A monthly rate (月利率); the annual rate is 12 times it.

        >>> Rate.monthly("0.005").per_month
        Decimal('0.005')
        """
        return cls(annual=CONTEXT.multiply(_quoted(value, "monthly"), Decimal(12)))

    @classmethod
    def daily(cls, value: object, basis: int = 360) -> Rate:
        """A daily rate (日利率); the annual rate is ``basis`` times it.

        Args:
            value: The daily rate as a fraction (``"0.0003"`` is 万分之三).
            basis: Days in the year the quote assumes: 360 (the Chinese
                bank convention, the default), 365 or 366.

        >>> Rate.daily("0.0005", basis=365).per_day(365)
        Decimal('0.0005')
        """
        return cls(annual=CONTEXT.multiply(_quoted(value, "daily"), Decimal(_check_basis(basis))))

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
        if type(periods_per_year) is not int:
            raise InvalidTypeError("periods_per_year", "must be an int", periods_per_year)
        if periods_per_year < 1:
            raise InvalidValueError("periods_per_year", "must be >= 1", periods_per_year)
        return CONTEXT.divide(self._annual, Decimal(periods_per_year))

    @property
    def as_percent(self) -> Decimal:
        """The annual rate in percent.

        >>> Rate.annual("0.049").as_percent
        Decimal('4.900')
        """
        return CONTEXT.multiply(self._annual, Decimal(100))
