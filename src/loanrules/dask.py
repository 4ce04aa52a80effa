"""A book on a Dask cluster: :func:`loanrules.portfolio.evaluate` over the partitions of a bag or a dataframe.

Needs the ``dask`` extra (``pip install "loanrules[dask]"``: ``dask[dataframe]`` and
``distributed``). loanrules reads no file: read the book with Dask
(``dask.bag.read_text("book-*.jsonl")``) and pass the bag.

>>> import json
>>> from datetime import date
>>> import dask, dask.bag
>>> from loanrules import Loan, LoanTerms, Rate
>>> from loanrules.serialize import to_data
>>> import loanrules.dask
>>> terms = LoanTerms(principal="12000", rate=Rate.annual("0.12"), term=12, start=date(2026, 1, 15))
>>> paid = Loan(terms).pay(on=date(2026, 2, 15), amount="1066.19")
>>> lines = [json.dumps({"id": "A-1", **to_data(Loan(terms))}), json.dumps(to_data(paid))]
>>> frame = loanrules.dask.evaluate(dask.bag.from_sequence(lines, npartitions=2), as_of=date(2026, 3, 20))
>>> list(frame.columns[:4]), str(frame.dtypes["payoff"])
(['id', 'as_of', 'currency', 'start'], 'decimal128(38, 8)[pyarrow]')
>>> with dask.config.set(scheduler="synchronous"):
...     rows = list(loanrules.dask.to_rows(frame.compute()))
>>> [(r.id, r.days_past_due, r.bucket, r.overdue_total) for r in rows]   # the second line has no id: "2"
[('A-1', 33, 'M2', Decimal('2152.64000000')), ('2', 5, 'M1', Decimal('1068.86000000'))]

The frame's columns are :data:`~loanrules.portfolio.ROW_FIELDS`, in order,
as Arrow-backed pandas dtypes (:data:`META`): strings ``string[pyarrow]``,
dates ``date32[pyarrow]``, counts ``int64[pyarrow]``, ``not_before``
``timestamp[us, tz=UTC][pyarrow]`` and money ``decimal128(38, 8)[pyarrow]``:
8 places, the most a currency has, so that each amount is the exact
``Decimal`` (``Decimal('1066.19000000') == Decimal('1066.19')``), summed
exactly by pandas and Arrow. :func:`to_rows` turns a computed partition
back into :class:`~loanrules.portfolio.Row` values.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Final

import dask.bag
import dask.dataframe
import pandas as pd
import pyarrow as pa
from dask.delayed import delayed

from loanrules._arrow import MONEY_SCALE, SCHEMA, Options, evaluate_batch, options, pairs
from loanrules._arrow import to_rows as _arrow_rows
from loanrules.collection import CollectionPolicy
from loanrules.errors import InvalidTypeError
from loanrules.ledger import Loan
from loanrules.portfolio import DEFAULT_BUCKETS, Bucket, Row, read_line

__all__ = ["META", "MONEY_SCALE", "evaluate", "to_rows"]

META: Final = SCHEMA.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
"""The empty frame of the result: the columns of :data:`~loanrules.portfolio.ROW_FIELDS` and their dtypes.

>>> META.dtypes[["id", "as_of", "days_past_due", "payoff", "not_before"]].astype(str).tolist()
['string[pyarrow]', 'date32[day][pyarrow]', 'int64[pyarrow]', 'decimal128(38, 8)[pyarrow]', 'timestamp[us, tz=UTC][pyarrow]']
"""


def _frame(batch: pa.RecordBatch) -> pd.DataFrame:
    return pa.Table.from_batches([batch], schema=SCHEMA).to_pandas(types_mapper=pd.ArrowDtype)


def _items(partition: Iterable[object], position: int) -> Iterator[object]:
    # Lines are numbered from 1 (as read_lines does), bare loans from 0 (as portfolio.evaluate does).
    for index, item in enumerate(partition, position):
        if isinstance(item, (str, bytes)):
            if item.strip():
                yield read_line(item, index + 1)
        elif isinstance(item, Loan):
            yield str(index), item
        else:
            yield item


def _bag_partition(partition: Iterable[object], position: int, args: Options) -> pd.DataFrame:
    return _frame(evaluate_batch(_items(partition, position), args))


def _frame_partition(frame: pd.DataFrame, args: Options) -> pd.DataFrame:
    ids = pa.Array.from_pandas(frame["id"]).to_pylist()
    return _frame(evaluate_batch(pairs(ids, frame["loan"].tolist()), args))


def evaluate(data: dask.bag.Bag | dask.dataframe.DataFrame, as_of: date, policy: CollectionPolicy | None = None,
             now: datetime | None = None, *, buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
             timezone: str = "Asia/Shanghai") -> dask.dataframe.DataFrame:
    """One row per loan, partition by partition: a lazy Dask dataframe of :data:`META`.

    Each partition runs :func:`loanrules.portfolio.evaluate` on a worker and
    becomes one pandas frame; the order of the input is kept.

    Args:
        data: A bag of JSON lines (:func:`~loanrules.portfolio.read_line`: a line without an ``"id"``
            gets its line number in the whole bag, counted from 1; blank lines are skipped but
            counted), of ``(id, Loan)`` pairs or of loans (a bare loan's id is its position, from 0);
            or a dataframe with an ``id`` column (strings; a null takes the document's own ``"id"``)
            and a ``loan`` column of loan documents (JSON text).
        as_of, policy, now, buckets, timezone: As :func:`loanrules.portfolio.evaluate`.

    Returns:
        The rows, as a Dask dataframe whose columns are :data:`~loanrules.portfolio.ROW_FIELDS`.

    Raises:
        InvalidTypeError: ``data`` is neither a bag nor a dataframe with ``id`` and ``loan`` columns.

    Errors in the data (:class:`~loanrules.errors.InvalidDataError`) are raised when the frame is computed.

    >>> evaluate([], date(2026, 1, 1))
    Traceback (most recent call last):
    ...
    loanrules.errors.InvalidTypeError: 'data' must be a Dask bag, or a Dask dataframe with 'id' and 'loan' columns, got []
    """
    args = options(as_of, policy, now, buckets, timezone)
    result: dask.dataframe.DataFrame
    if isinstance(data, dask.bag.Bag):
        # The id of a line without one is its number in the whole bag: each partition starts where the
        # ones before it ended (a count of each partition; the counts are summed on the way).
        start: Any = 0
        frames = []
        for part in data.to_delayed():  # type: ignore[no-untyped-call]
            frames.append(delayed(_bag_partition)(part, start, args))
            start = delayed(operator.add)(start, delayed(len)(part))
        result = dask.dataframe.from_delayed(frames, meta=META, verify_meta=False)
        return result
    if isinstance(data, dask.dataframe.DataFrame) and {"id", "loan"} <= set(data.columns):
        result = data.map_partitions(_frame_partition, args, meta=META,  # type: ignore[no-untyped-call]
                                     align_dataframes=False)
        return result
    raise InvalidTypeError("data", "must be a Dask bag, or a Dask dataframe with 'id' and 'loan' columns", data)


def to_rows(frame: pd.DataFrame) -> Iterator[Row]:
    """The :class:`~loanrules.portfolio.Row` values of a computed frame (``evaluate(...).compute()``).

    Money keeps :data:`MONEY_SCALE` places (equal to the loan's amounts), ``not_before`` is in UTC
    (the same moment), and the other fields are as :func:`loanrules.portfolio.evaluate` gives them.
    """
    return _arrow_rows(pa.Table.from_pandas(frame, preserve_index=False))
