"""Money: exact decimal amounts in a currency's minor unit.

Amounts are :class:`decimal.Decimal`. Inputs accept a ``Decimal``, an
``int`` or a decimal string; a ``float`` is refused, because ``0.1`` as a
float is not one tenth:

>>> from loanrules.money import CNY, JPY, to_decimal
>>> CNY.amount("1000.5")
Decimal('1000.50')
>>> JPY.amount(1000)
Decimal('1000')
>>> to_decimal(0.1, "rate")
Traceback (most recent call last):
...
loanrules.errors.InvalidTypeError: 'rate' must be a Decimal, an int or a decimal string (a float is inexact), got 0.1

Quantization to the minor unit happens only where the library documents
it, under a local decimal context, never the caller's global one.
"""

from __future__ import annotations

import decimal
import typing
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from loanrules._checks import IntIn, decimal_context, to_decimal
from loanrules.errors import InvalidTypeError, InvalidValueError

__all__ = [
    "CNY",
    "CONTEXT",
    "EUR",
    "JPY",
    "ROUNDING_MODES",
    "USD",
    "Currency",
    "DecimalInput",
    "to_decimal",
]

DecimalInput = Decimal | int | str
"""What the library accepts where it means an exact decimal."""

_MINOR_UNITS: Final = IntIn(0, 8)

CONTEXT: Final = decimal_context(34)
"""The decimal context every computation runs under (34 significant digits).

It is used through :func:`decimal.localcontext`, so the caller's global
context is never read or changed.
"""

ROUNDING_MODES: Final = frozenset(
    {
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
        decimal.ROUND_05UP,
    }
)
"""The rounding modes a ``rounding`` field accepts (the :mod:`decimal` constants)."""


@typing.final
@attrs.frozen
class Currency:
    """A currency: its ISO 4217 code and how many decimal places its minor unit has.

    Args:
        code: Three capital letters (``"CNY"``).
        minor_units: Decimal places of the minor unit: 2 for CNY (分), 0 for JPY.

    >>> Currency("CNY", 2)
    Currency('CNY', 2)
    >>> Currency("CNY", 2).quantum
    Decimal('0.01')
    >>> Currency("cny", 2)
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidValueError: 'code' must be three capital letters (ISO 4217), got 'cny'
    """

    code: str
    minor_units: int = attrs.field()
    quantum: Decimal = attrs.field(init=False, repr=False, eq=False)

    @minor_units.validator
    def _check(self, _attribute: object, value: int) -> None:
        if not isinstance(self.code, str):
            raise InvalidTypeError("code", "must be a str", self.code)
        if not (len(self.code) == 3 and self.code.isascii() and self.code.isalpha() and self.code.isupper()):
            raise InvalidValueError("code", "must be three capital letters (ISO 4217)", self.code)
        _MINOR_UNITS.check(value, "minor_units")  # its type was checked by _quantum, which runs first

    @quantum.default
    def _quantum(self) -> Decimal:
        # Defaults run before validators, so the type of minor_units is checked here.
        _MINOR_UNITS.check(self.minor_units, "minor_units")
        return Decimal(1).scaleb(-self.minor_units, context=CONTEXT)

    def __repr__(self) -> str:
        return f"Currency({self.code!r}, {self.minor_units})"

    def __reduce__(self) -> tuple[type[Currency], tuple[str, int]]:
        # The two fields, positionally: a pickle need not carry the derived quantum.
        return Currency, (self.code, self.minor_units)

    def quantize(self, value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
        """Round ``value`` to the minor unit.

        Args:
            value: Any finite ``Decimal``.
            rounding: A :mod:`decimal` rounding mode; half-up (四舍五入) by default.

        Returns:
            The rounded amount, with exactly ``minor_units`` decimal places.

        Raises:
            InvalidTypeError: For a float or another wrong type.
            InvalidValueError: For NaN, an infinity, an amount too large for
                34 significant digits, or an unknown rounding mode.

        >>> CNY.quantize(Decimal("2.345"))
        Decimal('2.35')
        >>> CNY.quantize(Decimal("2.345"), decimal.ROUND_HALF_EVEN)
        Decimal('2.34')
        """
        if rounding not in ROUNDING_MODES:
            raise InvalidValueError("rounding", "must be a decimal rounding mode (ROUND_HALF_UP, ...)", rounding)
        return self._quantize(to_decimal(value, "value"), rounding, "value")

    def _quantize(self, value: Decimal, rounding: str, field: str) -> Decimal:
        try:
            return value.quantize(self.quantum, rounding=rounding, context=CONTEXT)
        except decimal.InvalidOperation:
            raise InvalidValueError(
                field, f"must fit in {CONTEXT.prec} significant digits at {self.minor_units} places", value
            ) from None

    def amount(self, value: object, field: str = "amount") -> Decimal:
        """Read an exact amount of this currency, refusing more places than the minor unit.

        Args:
            value: A ``Decimal``, an ``int`` or a decimal string.
            field: The name to use in an error message.

        Returns:
            The amount with exactly ``minor_units`` decimal places.

        Raises:
            InvalidTypeError: For a float or another wrong type.
            InvalidValueError: For NaN, infinity or sub-minor-unit precision.

        >>> USD.amount("12.3")
        Decimal('12.30')
        >>> USD.amount("12.345", "principal")
        Traceback (most recent call last):
        ...
        loanrules.errors.InvalidValueError: 'principal' must have at most 2 decimal places for USD, got Decimal('12.345')
        """
        number = to_decimal(value, field)
        rounded = self._quantize(number, ROUND_HALF_UP, field)
        if rounded != number:
            raise InvalidValueError(
                field, f"must have at most {self.minor_units} decimal places for {self.code}", number
            )
        return rounded


CNY: Final = Currency("CNY", 2)
"""Chinese yuan renminbi: 2 places (角 and 分)."""
USD: Final = Currency("USD", 2)
"""US dollar: 2 places."""
EUR: Final = Currency("EUR", 2)
"""Euro: 2 places."""
JPY: Final = Currency("JPY", 0)
"""Japanese yen: no minor unit."""
