"""The ClickHouse engine over both transports: what the contract suite (embedded) does not show — the same engine
over HTTP (the stand-in, or CLICKHOUSE_URL), ClickHouse's own types, KILL QUERY on cancel, the printed SQL."""

import json
import os
import threading
import time

import duckdb
import pytest

from tests.warehouse.engine.clickhouse.support import use_embedded
from warehouse.catalog import Column, build_catalog
from warehouse.engine import EngineError, LoadTooLargeError, QueryCancelledError, get_engine
from warehouse.engine.clickhouse.connection import transport
from warehouse.engine.clickhouse.loader import LOAD_CHUNK_BYTES
from warehouse.hogql import analyze_view

SLOW = (
    "select sum(a * b) from (select arrayJoin(range(1000000)) as a) x "
    "cross join (select arrayJoin(range(1000000)) as b) y"
)


@pytest.fixture(params=["embedded", "server"])
def engine(request, settings, tmp_path):
    pytest.importorskip("chdb", reason="the optional 'clickhouse' extra is not installed")
    settings.WAREHOUSE_ENGINE = "clickhouse"
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    use_embedded(settings, tag="e")
    if request.param == "server":
        settings.CLICKHOUSE_URL = (
            os.environ.get("CLICKHOUSE_URL") or request.getfixturevalue("standin").url_for()
        )
    return get_engine()


@pytest.fixture
def seeded(engine):
    engine.seed_core_tables(41, events=400)
    return build_catalog(41)


def analyzed(engine, catalog, sql):
    return analyze_view(sql, catalog, engine)


def test_the_printed_sql_is_the_hogql_with_tables_in_the_projects_database(engine, seeded):
    printed = analyzed(engine, seeded, "select event, count() from events group by event").engine_sql
    assert f'"{engine.table(41, "events").db}"."events"' in printed
    assert "count()" in printed


def test_columns_have_clickhouses_own_types(engine, seeded):
    sql = "select event, count() as n, properties.$browser as browser, person.properties.email as email from events group by event, browser, email"
    planned = dict(engine.plan_columns(seeded, analyzed(engine, seeded, sql).tree))
    assert planned == {
        "event": "String",
        "n": "UInt64",
        "browser": "Nullable(String)",
        "email": "Nullable(String)",
    }
    assert engine.stored_column("UInt64")["hogql"] == "IntegerDatabaseField"


def test_person_fields_join_persons_once_per_events_source(engine, seeded):
    sql = (
        "select person.properties.email as email, count() as n from events "
        "where person.properties.email like 'user1%' group by email order by email limit 3"
    )
    result = engine.run_query(seeded, analyzed(engine, seeded, sql).tree, limit=3)
    emails = [row[0] for row in result.rows]
    assert emails and emails == sorted(emails) and all(email.startswith("user1") for email in emails)
    assert all(row[1] > 0 for row in result.rows)
    everyone = engine.run_query(seeded, analyzed(engine, seeded, "select count() from events").tree, limit=1)
    joined = "select count() from events where person.properties.email like '%@example.com'"
    assert engine.run_query(seeded, analyzed(engine, seeded, joined).tree, limit=1).rows == everyone.rows


def test_cancel_kills_the_running_statement(engine, seeded):
    from warehouse.engine.clickhouse.connection import transport

    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(QueryCancelledError):
        engine.run_query(seeded, analyzed(engine, seeded, SLOW).tree, limit=1, should_cancel=cancel.is_set)
    assert time.monotonic() - started < 5
    running = transport().execute(
        "SELECT count() FROM system.processes WHERE query LIKE '%arrayJoin(range(1000000))%' AND query NOT LIKE '%system.processes%'"
    )
    assert running.rows == [(0,)]


def test_materialize_swaps_atomically_over_either_transport(engine, seeded):
    tree = analyzed(engine, seeded, "select event, count() as n from events group by event").tree
    first = engine.create_or_replace_table(seeded, "per_event", tree)
    again = engine.create_or_replace_table(seeded, "per_event", tree)
    assert first == again > 0
    tables = engine.inspect_project(41).tables
    assert "per_event" in tables and not [name for name in tables if name.startswith("__build_")]


def test_another_projects_database_is_refused_by_the_engine(engine, seeded):
    import sqlglot

    other = engine.table(42, "events").sql(dialect="clickhouse")
    with pytest.raises(EngineError, match="not one of the project's tables"):
        engine.run_query(seeded, sqlglot.parse_one(f"SELECT * FROM {other}", read="clickhouse"), limit=1)


PEOPLE = [("ann", 31, "Paris"), ("bob", None, "Berlin"), ("cid", 40, "Paris")]


def write_people(folder, file_format: str):
    path = folder / f"people.{file_format.lower()}"
    if file_format == "JSONEachRow":
        path.write_text("".join(json.dumps({"name": n, "age": a, "city": c}) + "\n" for n, a, c in PEOPLE))
    elif file_format == "Parquet":  # written with the duckdb library as a file tool
        values = ", ".join(f"('{n}', {'NULL' if a is None else a}, '{c}')" for n, a, c in PEOPLE)
        duckdb.sql(
            f"COPY (SELECT * FROM (VALUES {values}) AS t(name, age, city)) TO '{path}' (FORMAT parquet)"
        )
    else:
        lines = ["name,age,city"] + [f"{n},{'' if a is None else a},{c}" for n, a, c in PEOPLE]
        path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("file_format", ["CSV", "CSVWithNames", "JSONEachRow", "Parquet"])
def test_load_files_over_either_transport(engine, tmp_path, file_format):
    catalog = build_catalog(43)
    columns, rows = engine.load_files(catalog, "people", [write_people(tmp_path, file_format)], file_format)
    assert rows == 3
    assert [name for name, _ in columns] == ["name", "age", "city"]
    assert dict(columns)["name"] in ("String", "Nullable(String)")
    described = engine.describe_table(catalog, "people")
    assert described == columns
    catalog.tables["people"] = [Column("name", "string"), Column("age", "integer"), Column("city", "string")]
    total = engine.run_query(catalog, analyzed(engine, catalog, "select sum(age) from people").tree, limit=1)
    assert total.rows == [(71,)]


def test_a_load_past_max_rows_changes_nothing_over_either_transport(engine, tmp_path):
    catalog = build_catalog(44)
    path = write_people(tmp_path, "CSVWithNames")
    engine.load_files(catalog, "people", [path], "CSVWithNames")
    with pytest.raises(LoadTooLargeError, match="WAREHOUSE_LOAD_MAX_ROWS"):
        engine.load_files(catalog, "people", [path, path], "CSVWithNames", max_rows=4)
    assert engine.inspect_project(44).tables.count("people") == 1
    assert not [name for name in engine.inspect_project(44).tables if name.startswith("__build_")]


def test_a_file_is_sent_to_a_server_in_chunks_and_loads_whole(engine, tmp_path, request):
    """A server load streams the file (LOAD_CHUNK_BYTES per chunk of a chunked HTTP body), never reads it whole."""
    if transport().kind != "server":
        pytest.skip("embedded ClickHouse reads the file itself")
    rows = 120_000
    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write("n,label\n")
        out.writelines(f"{n},row-number-{n:09d}\n" for n in range(rows))
    size = path.stat().st_size
    assert size > 3 * LOAD_CHUNK_BYTES
    catalog = build_catalog(45)
    _, loaded = engine.load_files(catalog, "big", [path], "CSVWithNames")
    assert loaded == rows
    catalog.tables["big"] = [Column("n", "integer"), Column("label", "string")]
    sql = "select sum(n), count(distinct label) from big"
    total = engine.run_query(catalog, analyzed(engine, catalog, sql).tree, limit=1)
    assert total.rows == [(rows * (rows - 1) // 2, rows)]
    if not os.environ.get("CLICKHOUSE_URL"):
        insert = [r for r in request.getfixturevalue("standin").requests if r["query"].startswith("INSERT")][
            -1
        ]
        assert int(insert["body_bytes"]) == size
        assert int(insert["body_chunks"]) == -(-size // LOAD_CHUNK_BYTES)  # one per chunk read
