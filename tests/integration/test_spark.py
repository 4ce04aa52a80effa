"""loanrules.spark on ``local[2]``: the rows equal the single-process ones, row for row."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal

import pytest

pytest.importorskip("pyspark")
from pyspark import SparkContext
from pyspark.sql import SparkSession
from pyspark.sql import functions as sf

import loanrules.spark
from loanrules.collection import CollectionPolicy
from loanrules.errors import InvalidTypeError
from loanrules.portfolio import ROW_FIELDS, Row, evaluate

from .conftest import AS_OF, BOOK, NIGHT, NOW, lines

# PySpark 4.3 warns that it "does not yet fully support pandas >= 3.0.0" whenever it checks for pandas;
# loanrules.spark uses Arrow batches only (mapInArrow, toArrow), not pandas.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """One local session of two cores for the module; its JVM is ended after it (no process left behind)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("loanrules-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.session.timeZone", "Asia/Shanghai")
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        gateway = SparkContext._gateway
        if gateway is not None:
            process = getattr(gateway, "proc", None)
            gateway.shutdown()
            if process is not None:
                process.stdin.close()
                process.wait(timeout=60)
            SparkContext._gateway = None
            SparkContext._jvm = None


def book(spark: SparkSession, text: list[str], partitions: int = 4) -> object:
    """A DataFrame of ``id`` (null: taken from each line) and ``loan``, as ``spark.read.text`` would give."""
    frame = spark.createDataFrame(spark.sparkContext.parallelize([(line,) for line in text], partitions),
                                  "value string")
    return frame.select(sf.lit(None).cast("string").alias("id"), sf.col("value").alias("loan"))


def collected(result: object) -> list[Row]:
    assert result.schema == loanrules.spark.SCHEMA  # type: ignore[attr-defined]
    assert result.columns == [name for name, _, _ in ROW_FIELDS]  # type: ignore[attr-defined]
    return list(loanrules.spark.to_rows(result.toArrow()))  # type: ignore[attr-defined]


def test_json_lines_state_only(spark: SparkSession, expected: dict[str, list[Row]]) -> None:
    """Lines in four partitions, ids from the lines; the order of the input is kept."""
    rows = collected(loanrules.spark.evaluate(book(spark, lines()), AS_OF))
    assert rows == expected["state"]


def test_with_a_policy(spark: SparkSession, policy: CollectionPolicy, expected: dict[str, list[Row]]) -> None:
    """With the standard policy, by day and at night (calls deferred; not_before a moment, back in UTC)."""
    frame = spark.createDataFrame([(account, json.dumps(json.loads(line))) for (account, _), line
                                   in zip(BOOK, lines(without_id=frozenset(range(1, 201))), strict=True)],
                                  "id string, loan string")
    assert collected(loanrules.spark.evaluate(frame, AS_OF, policy, NOW)) == expected["policy"]
    night = collected(loanrules.spark.evaluate(frame, AS_OF, policy, NIGHT))
    assert night == list(evaluate(BOOK, AS_OF, policy, NIGHT))
    assert any(r.not_before is not None for r in night)


def test_sums_in_spark_sql_are_exact(spark: SparkSession, expected: dict[str, list[Row]]) -> None:
    result = loanrules.spark.evaluate(book(spark, lines()), AS_OF)
    total = result.agg(sf.sum("payoff").alias("total")).collect()[0]["total"]
    assert isinstance(total, Decimal)
    assert total == sum(r.payoff for r in expected["state"])
    buckets = {r["bucket"]: r["n"] for r in result.groupBy("bucket").agg(sf.count("*").alias("n")).collect()}
    assert sum(buckets.values()) == len(BOOK)


def test_errors(spark: SparkSession) -> None:
    with pytest.raises(InvalidTypeError, match="'df' must be a Spark DataFrame with 'id' and 'loan'"):
        loanrules.spark.evaluate(spark.createDataFrame([("x",)], "value string"), AS_OF)
    bad = spark.createDataFrame([("X", '{"type": "loan", "version": 1}')], "id string, loan string")
    with pytest.raises(Exception, match="terms: is required"):  # Spark wraps the worker's error
        loanrules.spark.evaluate(bad, AS_OF).collect()
