"""The result-size guard on a reused read connection (engine/duckdb/results.py): the guarded SQL kept per
connection still stops an oversized value on a repeated query, and a table whose column became text is checked
inside the engine (its value never reaches Python)."""

import tracemalloc

import pytest

from tests.warehouse.engine_support import wait_until
from tests.warehouse.hogql_support import analyze
from warehouse.catalog import Column, build_catalog
from warehouse.engine import ResultTooLargeError, get_engine
from warehouse.engine.duckdb.connection import write_pending
from warehouse.engine.duckdb.pool import close_all, parked_files

pytestmark = pytest.mark.django_db(transaction=True)
CAP = 10_000


@pytest.fixture
def pooled(project, warehouse_settings, seed):
    warehouse_settings.WAREHOUSE_READ_POOL_IDLE_SECONDS = 60
    warehouse_settings.WAREHOUSE_MAX_RESULT_BYTES = CAP
    seed(project, events=10)
    yield get_engine().path(project.pk)
    close_all()


def load(project, tmp_path, header: str, value: str) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text(f"{header}\n{value}\n")
    get_engine().load_files(build_catalog(project.pk), "t", [csv], "CSVWithNames")


def run(project, sql: str, columns: list[Column]):
    wait_until(lambda: not write_pending(get_engine().path(project.pk)))  # else no connection is kept
    catalog = build_catalog(project.pk, warehouse_tables={"t": columns})
    return get_engine().run_query(catalog, analyze(sql, catalog).tree, limit=10)


def test_a_repeated_query_on_a_reused_connection_is_still_guarded(project, pooled):
    sql = "select substring(repeat(event, 2000), 1, toInt(count())) as s from events group by event limit 1"
    assert run(project, sql, [])  # short values: answered, the connection parked with its guarded SQL
    assert pooled.resolve() in parked_files()
    big = "select repeat(max(event), 5000) as s from events"
    for _ in range(2):  # the second time from the connection's memo
        with pytest.raises(ResultTooLargeError):
            run(project, big, [])
    assert run(project, sql, []).rows


def test_a_column_that_became_text_is_checked(project, pooled, tmp_path):
    load(project, tmp_path, "v", "1")
    assert run(project, "select v from t", [Column("v", "integer")]).rows == [(1,)]
    assert pooled.resolve() in parked_files()
    load(project, tmp_path, "v", "x" * 1_500_000)  # the same query now reads one oversized text value
    tracemalloc.start()
    try:
        with pytest.raises(ResultTooLargeError):
            run(project, "select v from t", [Column("v", "string")])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # stopped inside the engine: the 1.5 MB value never became a Python string
