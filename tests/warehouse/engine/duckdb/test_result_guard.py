"""The result-size guard on a reused read connection (engine/duckdb/results.py): the guarded statement prepared per
connection still stops an oversized value on a repeated query, and a table whose column became text is checked
inside the engine (its value never reaches Python). A repeated query runs its prepared statement, volatile
functions are still evaluated on each run, and the statements kept per connection are bounded."""

import tracemalloc

import pytest

from tests.warehouse.engine_support import wait_until
from tests.warehouse.hogql_support import analyze
from warehouse.catalog import Column, build_catalog
from warehouse.engine import ResultTooLargeError, get_engine
from warehouse.engine.duckdb import results
from warehouse.engine.duckdb.connection import write_pending
from warehouse.engine.duckdb.pool import close_all, parked_files, read_connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engines("duckdb", reason="DuckDB's prepared, guarded statements per connection"),
]
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


def prepared_on_parked(path) -> list[str]:
    """The names of the statements prepared on the parked read connection to `path` (taken and parked again)."""
    with read_connection(path) as conn:
        return [row[0] for row in conn.execute("SELECT name FROM duckdb_prepared_statements()").fetchall()]


def test_a_repeated_query_runs_the_statement_prepared_on_the_connection(project, pooled):
    sql = "select event, count() as n from events group by event order by event"
    first = run(project, sql, [])
    names = prepared_on_parked(pooled)
    assert len(names) == 1 and names[0].startswith("__page_")
    assert run(project, sql, []) == first  # the same answer from the prepared statement
    assert prepared_on_parked(pooled) == names  # not prepared a second time


def test_volatile_functions_are_evaluated_on_each_run_of_a_prepared_statement(project, pooled):
    sql = "select rand() as r, generateUUIDv4() as u, now() as t"
    answers = [run(project, sql, []).rows[0] for _ in range(3)]
    assert len(prepared_on_parked(pooled)) == 1
    assert len({row[0] for row in answers}) == 3 and len({row[1] for row in answers}) == 3
    assert answers[0][2] < answers[2][2]


def test_statements_kept_per_connection_are_bounded_oldest_out(project, pooled, monkeypatch):
    monkeypatch.setattr(results, "MEMO_PER_CONNECTION", 3)
    for n in range(5):
        assert run(project, f"select {n} as n", []).rows == [(n,)]
    names = prepared_on_parked(pooled)
    assert len(names) == 3
    assert run(project, "select 0 as n", []).rows == [
        (0,)
    ]  # deallocated earlier: prepared again, same answer
    assert len(prepared_on_parked(pooled)) == 3
