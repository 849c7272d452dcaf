"""Contract: planning and running queries (rows, paging, limits, timeout, cancel), for every registered engine."""

import threading
import time

import pytest

from tests.warehouse.engine.contract.conftest import SLOW
from warehouse.engine import QueryCancelledError, QueryTimeoutError, ResultTooLargeError


def test_plan_columns_types_without_reading(engine, catalog, tree):
    planned = engine.plan_columns(
        catalog, tree("select name, age, count() as n from people group by name, age")
    )
    assert [name for name, _ in planned] == ["name", "age", "n"]
    fields = [engine.stored_column(engine_type)["hogql"] for _, engine_type in planned]
    assert fields == ["StringDatabaseField", "IntegerDatabaseField", "IntegerDatabaseField"]


def test_run_returns_rows_columns_and_types(engine, run):
    result = run("select name, age from people where city = 'Paris' order by name")
    assert result.columns == ["name", "age"]
    assert result.rows == [("ann", 31), ("cid", 40)]
    assert [engine.clickhouse_type(kind) for kind in result.types] == ["String", "Int64"]
    assert result.has_more is False


def test_limit_offset_and_has_more(run):
    page = run("select name from people order by name", limit=2)
    assert page.rows == [("ann",), ("bob",)] and page.has_more
    last = run("select name from people order by name", limit=2, offset=2)
    assert last.rows == [("cid",), ("dee",)] and not last.has_more


def test_rows_are_capped_by_the_setting(run, settings):
    settings.WAREHOUSE_MAX_ROWS = 1
    capped = run("select name from people", limit=1000)
    assert len(capped.rows) == 1 and capped.has_more


def test_a_result_past_the_size_limit_is_refused(run, settings):
    settings.WAREHOUSE_MAX_RESULT_BYTES = 1000
    with pytest.raises(ResultTooLargeError, match="WAREHOUSE_MAX_RESULT_BYTES"):
        run("select repeat('x', 5000) as big from people")


def test_a_long_query_is_stopped_at_its_time_limit(run):
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        run(SLOW, limit=1, timeout_seconds=0.3)
    assert time.monotonic() - started < 5


def test_a_running_query_can_be_cancelled(run):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(QueryCancelledError):
        run(SLOW, limit=1, should_cancel=cancel.is_set)
    assert time.monotonic() - started < 5


def test_to_sql_prints_the_tree_with_the_engines_table_names(engine, catalog, tree):
    printed = engine.to_sql(tree("select name from people"))
    assert isinstance(printed, str)
    assert engine.table(catalog.project_id, "people").sql() in tree("select name from people").sql()
