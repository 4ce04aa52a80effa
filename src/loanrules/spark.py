"""A book on Spark: :func:`loanrules.portfolio.evaluate` over a DataFrame's Arrow batches (``mapInArrow``).

Needs the ``spark`` extra (``pip install "loanrules[spark]"``: pyspark, pandas and
pyarrow) and Java 17. loanrules reads no file: read the book with Spark and
give :func:`evaluate` a DataFrame with an ``id`` column and a ``loan`` column
of loan documents (JSON text):

.. code-block:: python

    from pyspark.sql import functions as F
    lines = spark.read.text("book-*.jsonl")            # one column, "value"
    book = lines.select(F.lit(None).cast("string").alias("id"), F.col("value").alias("loan"))
    rows = loanrules.spark.evaluate(book, as_of=date(2026, 3, 20))   # ids from each line's "id"
    rows.groupBy("bucket").agg(F.sum("principal_outstanding")).show()

The result's schema is :data:`SCHEMA`, built from
:data:`~loanrules.portfolio.ROW_FIELDS` (in order): ``str`` is ``StringType``,
``date`` ``DateType``, ``int`` ``LongType``, ``not_before`` ``TimestampType``
(a moment; shown in the session's time zone) and money
``DecimalType(38, 8)``: 8 places, the most a currency has, so that each
amount is the exact ``Decimal`` (``Decimal('1066.19000000') ==
Decimal('1066.19')``), and sums in Spark SQL are exact. :func:`to_rows`
turns the result back into :class:`~loanrules.portfolio.Row` values.

>>> SCHEMA["payoff"].dataType, SCHEMA["next_due_date"].nullable
(DecimalType(38,8), True)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import pyarrow as pa
from pyspark.sql.types import (
    DataType,
    DateType,
    DecimalType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from loanrules._arrow import MONEY_SCALE, evaluate_batch, options, pairs
from loanrules._arrow import SCHEMA as ARROW_SCHEMA
from loanrules._arrow import to_rows as _arrow_rows
from loanrules.collection import CollectionPolicy
from loanrules.errors import InvalidTypeError
from loanrules.portfolio import DEFAULT_BUCKETS, ROW_FIELDS, Bucket, Row

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["MONEY_SCALE", "SCHEMA", "evaluate", "to_rows"]

_TYPES: Final[dict[object, DataType]] = {
    str: StringType(), date: DateType(), int: LongType(), Decimal: DecimalType(38, MONEY_SCALE),
    datetime: TimestampType(),
}

SCHEMA: Final = StructType([StructField(field.name, _TYPES[kind if not field.nullable else next(
    arg for arg in kind.__args__ if arg is not type(None))], nullable=field.nullable)  # type: ignore[attr-defined]
    for (_, kind, _), field in zip(ROW_FIELDS, ARROW_SCHEMA, strict=True)])
"""The Spark schema of a :class:`~loanrules.portfolio.Row`: the fields of ROW_FIELDS, in order."""


def evaluate(df: DataFrame, as_of: date, policy: CollectionPolicy | None = None, now: datetime | None = None, *,
             buckets: Sequence[Bucket] = DEFAULT_BUCKETS, timezone: str = "Asia/Shanghai") -> DataFrame:
    """One row per loan: a lazy DataFrame of :data:`SCHEMA`, computed batch by batch on the executors.

    Args:
        df: A DataFrame with an ``id`` column (strings; a null takes the document's own ``"id"``)
            and a ``loan`` column of loan documents (JSON text, as :func:`~loanrules.portfolio.read_line`).
        as_of, policy, now, buckets, timezone: As :func:`loanrules.portfolio.evaluate`.

    Returns:
        The rows, one per input row, in the order of each partition.

    Raises:
        InvalidTypeError: ``df`` has no ``id`` or no ``loan`` column.

    Errors in the data (:class:`~loanrules.errors.InvalidDataError`) are raised when the result is computed.

    >>> rows = evaluate(spark.createDataFrame(book, "id string, loan string"), date(2026, 3, 20))  # doctest: +SKIP
    >>> evaluate([], date(2026, 3, 20))
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'df' must be a Spark DataFrame with 'id' and 'loan' columns, got []
    """
    columns = getattr(df, "columns", None)
    if not isinstance(columns, list) or not {"id", "loan"} <= set(columns):
        raise InvalidTypeError("df", "must be a Spark DataFrame with 'id' and 'loan' columns", df)
    args = options(as_of, policy, now, buckets, timezone)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:  # pragma: no cover - in Spark's workers
        for batch in batches:
            yield evaluate_batch(pairs(batch.column("id").to_pylist(), batch.column("loan").to_pylist()), args)

    return df.select("id", "loan").mapInArrow(run, SCHEMA)


def to_rows(table: pa.Table) -> Iterator[Row]:
    """The :class:`~loanrules.portfolio.Row` values of a result as Arrow (``evaluate(...).toArrow()``).

    Money keeps :data:`MONEY_SCALE` places (equal to the loan's amounts), ``not_before`` is in UTC
    (the same moment), and the other fields are as :func:`loanrules.portfolio.evaluate` gives them.
    """
    return _arrow_rows(table)
