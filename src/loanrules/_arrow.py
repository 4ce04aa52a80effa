"""The portfolio row in Arrow, shared by :mod:`loanrules.dask` and :mod:`loanrules.spark` (needs pyarrow).

One schema, built from :data:`~loanrules.portfolio.ROW_FIELDS`: ``str`` is
``string``, ``date`` ``date32``, ``int`` ``int64``, an aware ``datetime``
``timestamp[us, UTC]``, and money ``decimal128(38, 8)``: 8 places, the most a
:class:`~loanrules.Currency` has, so that every amount fits exactly (an
amount with 30 or more digits before the point does not fit and is refused,
never rounded). A field that may be ``None`` is nullable, the others not.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Final

import pyarrow as pa

from loanrules.collection import CollectionPolicy
from loanrules.errors import InvalidDataError
from loanrules.portfolio import ROW_FIELDS, Bucket, Row, evaluate, read_line

MONEY_SCALE: Final = 8
"""Decimal places of the money columns: the most a currency may have, so that no amount is rounded."""

_TYPES: Final[dict[object, pa.DataType]] = {
    str: pa.string(), date: pa.date32(), int: pa.int64(), Decimal: pa.decimal128(38, MONEY_SCALE),
    datetime: pa.timestamp("us", tz="UTC"),
}


def _field(name: str, kind: object) -> pa.Field:
    if isinstance(kind, types.UnionType):  # "X | None"
        (base,) = (arg for arg in kind.__args__ if arg is not type(None))
        return pa.field(name, _TYPES[base], nullable=True)
    return pa.field(name, _TYPES[kind], nullable=False)


SCHEMA: Final = pa.schema([_field(name, kind) for name, kind, _ in ROW_FIELDS])
"""The Arrow schema of a :class:`~loanrules.portfolio.Row`, field by field."""


def to_batch(rows: Iterable[Row]) -> pa.RecordBatch:
    """The rows as one record batch of :data:`SCHEMA`."""
    columns: Sequence[Sequence[object]] = list(zip(*rows, strict=True)) or [()] * len(SCHEMA)
    return pa.RecordBatch.from_arrays([pa.array(column, type=field.type) for column, field in
                                       zip(columns, SCHEMA, strict=True)], schema=SCHEMA)


def to_rows(data: pa.Table | pa.RecordBatch) -> Iterator[Row]:
    """The rows a table or batch of :data:`SCHEMA` holds (its columns by name, in any order), as ``Row`` values.

    Money comes back with :data:`MONEY_SCALE` places (``Decimal('1066.19000000')``, equal to ``1066.19``),
    ``not_before`` in UTC (the same moment).
    """
    columns = [data.column(name).to_pylist() for name in Row._fields]
    return (Row._make(values) for values in zip(*columns, strict=True))


def pairs(ids: Iterable[object], documents: Iterable[str | bytes]) -> Iterator[tuple[str, object]]:
    """``(id, loan)`` from an ``id`` column and a ``loan`` column of JSON documents.

    A missing id (null) is taken from the document's own ``"id"``; a given one wins over it.
    """
    for account, text in zip(ids, documents, strict=True):
        if isinstance(account, str):
            yield account, read_line(text, 0)[1]
        elif account is None:
            yield read_line(text)
        else:
            raise InvalidDataError("id", "must be a string or null (the account's id)", account)


Options = tuple[date, CollectionPolicy | None, datetime | None, Sequence[Bucket], str]
"""The arguments of :func:`loanrules.portfolio.evaluate` after the loans: as_of, policy, now, buckets, timezone."""


def options(as_of: date, policy: CollectionPolicy | None, now: datetime | None, buckets: Sequence[Bucket],
            timezone: str) -> Options:
    """The options, checked here (on the driver) as :func:`~loanrules.portfolio.evaluate` checks them."""
    for _ in evaluate((), as_of, policy, now, buckets=buckets, timezone=timezone):
        pass  # pragma: no cover (no loans: the generator only checks the buckets)
    return as_of, policy, now, tuple(buckets), timezone


def evaluate_batch(items: Iterable[object], options: Options) -> pa.RecordBatch:
    """:func:`loanrules.portfolio.evaluate` over ``(id, loan)`` pairs, as one record batch."""
    as_of, policy, now, buckets, timezone = options
    return to_batch(evaluate(items, as_of, policy, now, buckets=buckets, timezone=timezone))  # type: ignore[arg-type]
