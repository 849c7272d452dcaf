"""The same warehouse workload on DuckDB and on ClickHouse (embedded), through the server and directly in the engine.

Run: bin/test benchmarks/bench_engines.py -s      (BENCH_ENGINE_EVENTS=10000,1000000 by default)

For each engine and size: seed the core tables; create a saved query (typing its columns: POST through the API);
`/query/` through the full HTTP/DRF stack for a GROUP BY, a JSON property extraction and a person join; a
materialization (engine.create_or_replace_table). "direct" runs the same engine SQL in the engine without our
server (DuckDB: the project's file opened read-only; ClickHouse: the embedded transport), so overhead = api / direct.
Median of RUNS runs, after one warm-up.
"""

import os
import statistics
import time
import uuid

import duckdb
import pytest

from tests.warehouse.engine_support import run_query
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.hogql import analyze_view

pytestmark = pytest.mark.django_db
SIZES = [int(size) for size in os.environ.get("BENCH_ENGINE_EVENTS", "10000,1000000").split(",")]
RUNS = int(os.environ.get("BENCH_ENGINE_RUNS", 5))
QUERIES = {
    "group by event": "select event, count() as n from events group by event order by n desc",
    "JSON property": (
        "select properties.$browser as browser, toDate(timestamp) as day, count() as n from events "
        "group by browser, day order by day, browser"
    ),
    "join persons": (
        "select person.properties.plan as plan, count() as n, count(distinct person_id) as people from events "
        "group by plan order by plan"
    ),
}
MATERIALIZED = (
    "select distinct_id, toDate(timestamp) as day, count() as n from events group by distinct_id, day"
)


def _median_ms(call) -> float:
    call()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _ok(response) -> None:
    assert response.status_code == 200, response.content


def _configure(engine_name: str, settings, tmp_path) -> None:
    settings.WAREHOUSE_ENGINE = engine_name
    settings.WAREHOUSE_DIR = tmp_path / f"warehouse-{engine_name}"
    settings.WAREHOUSE_QUERY_RATE = "1000000/hour"
    if engine_name == "clickhouse":
        pytest.importorskip("chdb", reason="the optional 'clickhouse' extra is not installed")
        from tests.warehouse.engine.clickhouse.support import embedded_path

        settings.CLICKHOUSE_URL = ""
        settings.CLICKHOUSE_PATH = embedded_path()
        settings.CLICKHOUSE_DATABASE_PREFIX = f"b{uuid.uuid4().hex[:8]}_"


def _direct(engine, project_id: int):
    """(run(sql), close()) in the engine itself, without our server."""
    if engine.name == "duckdb":
        conn = duckdb.connect(str(engine.path(project_id)), read_only=True)
        return (lambda sql: conn.execute(sql).fetchall()), conn.close
    from warehouse.engine.clickhouse.connection import transport

    return (lambda sql: transport().execute(sql)), (lambda: None)


@pytest.mark.parametrize("engine_name", ["duckdb", "clickhouse"])
def test_engines_side_by_side(engine_name, api, project, settings, tmp_path):
    _configure(engine_name, settings, tmp_path)
    engine = get_engine()
    catalog = build_catalog(project.pk)
    views = f"/api/environments/{project.pk}/warehouse_saved_queries/"
    names = iter(range(1_000_000))  # view names, unique across sizes
    for events in SIZES:
        started = time.perf_counter()
        engine.seed_core_tables(project.pk, events=events)
        print(
            f"\n[{engine_name}, {events:,} events: seeded in {time.perf_counter() - started:.1f} s, median of {RUNS}]"
        )

        def create_view(names=names) -> None:
            body = {
                "name": f"v_{next(names)}",
                "query": {"kind": "HogQLQuery", "query": QUERIES["join persons"]},
            }
            assert api.post(views, body, format="json").status_code == 201

        print(f"  saved query create (typing): {_median_ms(create_view):.1f} ms")
        through_api = {}
        for label, sql in QUERIES.items():
            through_api[label] = _median_ms(lambda sql=sql: _ok(run_query(api, project, sql)))
        direct, close = _direct(engine, project.pk)  # after the API runs: DuckDB's file is then ours alone
        for label, sql in QUERIES.items():
            engine_sql = analyze_view(sql, catalog, engine).engine_sql
            direct_ms = _median_ms(lambda run=direct, sql=engine_sql: run(sql))
            api_ms = through_api[label]
            print(
                f"  /query/ {label}: {api_ms:.1f} ms; direct {direct_ms:.1f} ms; ratio {api_ms / direct_ms:.1f}"
            )
        close()
        tree = analyze_view(MATERIALIZED, catalog, engine).tree
        build_ms = _median_ms(lambda tree=tree: engine.create_or_replace_table(catalog, "daily", tree))
        print(f"  materialization ({MATERIALIZED[:40]}...): {build_ms:.1f} ms")
