"""Conventions: money and currencies, rates, day counts, frequencies, calendars and business days.

The bottom layer: it imports nothing from the package but ``errors``.

>>> from loanrules.conventions import CNY, Rate
>>> CNY.quantize("1.005"), Rate.percent("4.9").annual
(Decimal('1.01'), Decimal('0.049'))
"""


from ._calendars import (
    ALL_DAYS,
    CHINA,
    WEEKENDS,
    BusinessDay,
    Calendar,
    Outside,
    Projection,
)
from ._daycount import (
    DayCount,
)
from ._frequency import (
    Frequency,
)
from ._money import (
    CNY,
    CONTEXT,
    EUR,
    JPY,
    ROUNDING_MODES,
    USD,
    Currency,
    DecimalInput,
    to_decimal,
)
from ._rates import (
    Rate,
)

__all__ = [
    "ALL_DAYS",
    "CHINA",
    "CNY",
    "CONTEXT",
    "EUR",
    "JPY",
    "ROUNDING_MODES",
    "USD",
    "WEEKENDS",
    "BusinessDay",
    "Calendar",
    "Currency",
    "DayCount",
    "DecimalInput",
    "Frequency",
    "Outside",
    "Projection",
    "Rate",
    "to_decimal",
]

