"""loanrules.dask on a local cluster of two worker processes: the rows equal the single-process ones, row for row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

pytest.importorskip("distributed")
import dask.bag
import dask.dataframe
import pandas as pd
from distributed import Client, LocalCluster

import loanrules.dask
from loanrules.collection import CollectionPolicy
from loanrules.errors import InvalidDataError, InvalidTypeError
from loanrules.portfolio import ROW_FIELDS, Row, evaluate

from .conftest import AS_OF, BOOK, NIGHT, NOW, lines


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two worker processes of one thread each; closed (and their processes ended) after the module."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      worker_dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def computed(frame: dask.dataframe.DataFrame) -> list[Row]:
    result = frame.compute()
    assert list(result.columns) == [name for name, _, _ in ROW_FIELDS]
    assert (result.dtypes == loanrules.dask.META.dtypes).all()
    return list(loanrules.dask.to_rows(result))


def test_the_book_is_mixed(expected: dict[str, list[Row]]) -> None:
    """The book has current, overdue (in several buckets), settled loans, and steps acted and deferred."""
    rows = expected["policy"]
    assert {r.status for r in rows} >= {"current", "overdue", "settled"}
    assert len({r.bucket for r in rows}) >= 5
    assert {r.decision for r in rows} >= {"act", "none"}
    assert {r.currency for r in rows} == {"CNY", "JPY"}


def test_a_bag_of_json_lines(client: Client, expected: dict[str, list[Row]]) -> None:
    """A bag of lines in 7 partitions, state only: the same rows, in the same order."""
    bag = dask.bag.from_sequence(lines(), npartitions=7)
    assert computed(loanrules.dask.evaluate(bag, AS_OF)) == expected["state"]


@pytest.mark.parametrize("moment", ["day", "night"])
def test_with_a_policy(client: Client, policy: CollectionPolicy, expected: dict[str, list[Row]],
                       moment: str) -> None:
    """With the standard policy: acts by day; at night calls are deferred to 08:00 (not_before, in UTC)."""
    now = NOW if moment == "day" else NIGHT
    bag = dask.bag.from_sequence(lines(), npartitions=5)
    rows = computed(loanrules.dask.evaluate(bag, AS_OF, policy, now))
    assert rows == (expected["policy"] if moment == "day" else list(evaluate(BOOK, AS_OF, policy, now)))
    assert moment == "day" or any(r.not_before is not None for r in rows)


def test_lines_without_an_id_get_their_line_number(client: Client, expected: dict[str, list[Row]]) -> None:
    """Numbered across partitions from 1; a blank line is skipped and counted."""
    text = lines(without_id=frozenset({1, 50, 200}))
    text.insert(100, "\n")
    rows = computed(loanrules.dask.evaluate(dask.bag.from_sequence(text, npartitions=4), AS_OF))
    ids = {0: "1", 49: "50", 199: "201"}
    assert rows == [r._replace(id=ids.get(k, r.id)) for k, r in enumerate(expected["state"])]


def test_a_bag_of_pairs_and_of_loans(client: Client, expected: dict[str, list[Row]]) -> None:
    """Pairs keep their ids; bare loans are numbered by position from 0 (as portfolio.evaluate does)."""
    assert computed(loanrules.dask.evaluate(dask.bag.from_sequence(BOOK, npartitions=3), AS_OF)) == expected["state"]
    loans = dask.bag.from_sequence([loan for _, loan in BOOK[:20]], npartitions=3)
    assert computed(loanrules.dask.evaluate(loans, AS_OF)) == list(evaluate([loan for _, loan in BOOK[:20]], AS_OF))


def test_a_dataframe_of_id_and_loan(client: Client, policy: CollectionPolicy,
                                    expected: dict[str, list[Row]]) -> None:
    """An ``id`` column and a ``loan`` column of documents; a null id takes the document's own."""
    documents = [json.dumps({"id": "ignored", **json.loads(line)}) for line in lines()]
    ids: list[str | None] = [account for account, _ in BOOK]
    ids[3] = None
    documents[3] = lines()[3]
    frame = dask.dataframe.from_pandas(pd.DataFrame({"id": ids, "loan": documents}), npartitions=4)
    assert computed(loanrules.dask.evaluate(frame, AS_OF, policy, NOW)) == expected["policy"]


def test_sums_are_exact(client: Client, expected: dict[str, list[Row]]) -> None:
    """Money columns are Arrow decimals: a sum over the cluster is the exact Decimal sum.

    (``Series.sum()`` on an Arrow decimal column fails in Dask 2026.11 while tokenizing; a reduction works.)
    """
    frame = loanrules.dask.evaluate(dask.bag.from_sequence(lines(), npartitions=4), AS_OF)
    total = frame["payoff"].reduction(chunk=lambda s: s.sum(), aggregate=lambda s: s.sum(), meta=Decimal(0))
    assert total.compute() == sum(r.payoff for r in expected["state"])


def test_errors(client: Client) -> None:
    """A bad line fails the computation with the loanrules error; bad input fails at once."""
    bad = dask.bag.from_sequence([*lines()[:3], '{"id": "X", "type": "loan", "version": 1}'], npartitions=2)
    with pytest.raises(InvalidDataError, match="terms: is required"):
        loanrules.dask.evaluate(bad, AS_OF).compute()
    frame = dask.dataframe.from_pandas(pd.DataFrame({"id": [7], "loan": [lines()[0]]}), npartitions=1)
    with pytest.raises(InvalidDataError, match="id: must be a string or null"):
        loanrules.dask.evaluate(frame, AS_OF).compute()
    with pytest.raises(InvalidTypeError, match="'data' must be a Dask bag"):
        loanrules.dask.evaluate(dask.dataframe.from_pandas(pd.DataFrame({"id": ["A"]}), npartitions=1), AS_OF)


def test_an_empty_bag(client: Client) -> None:
    assert computed(loanrules.dask.evaluate(dask.bag.from_sequence([], npartitions=1), date(2026, 1, 1))) == []


def test_in_process(expected: dict[str, list[Row]]) -> None:
    """The same paths on the synchronous scheduler (in this process, so that coverage sees the partitions)."""
    from loanrules._arrow import pairs

    with dask.config.set(scheduler="synchronous"):
        frame = dask.dataframe.from_pandas(pd.DataFrame({"id": [a for a, _ in BOOK[:30]],
                                                         "loan": lines()[:30]}), npartitions=2)
        assert computed(loanrules.dask.evaluate(frame, AS_OF)) == expected["state"][:30]
        mixed = [BOOK[0], BOOK[1][1]]
        assert computed(loanrules.dask.evaluate(dask.bag.from_sequence(mixed, npartitions=1), AS_OF)) == [
            expected["state"][0], expected["state"][1]._replace(id="1")]
    assert [a for a, _ in pairs([None], lines()[:1])] == ["L-0000"]
    with pytest.raises(InvalidDataError, match="id: must be a string or null"):
        list(pairs([7], lines()[:1]))
