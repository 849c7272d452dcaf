"""Materializing a 10-million-row aggregation through the API vs DuckDB's own CREATE TABLE AS on the same data.

Run: bin/test benchmarks/bench_materialize.py -s   (BENCH_EVENTS=1000000 for a quicker run)
"""

import os
import statistics
import time

import duckdb
import pytest
from django.conf import settings

from tests.warehouse.conftest import hogql, views_url
from warehouse.engine import get_engine
from warehouse.models import SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)
EVENTS = int(os.environ.get("BENCH_EVENTS", 10_000_000))
ROUNDS = 5
VIEW_SQL = (
    "select event, toDate(timestamp) as day, properties.$browser as browser, count() as events, "
    "count(distinct distinct_id) as users from events group by event, day, browser"
)


def test_materialize_10m_rows(api, project, tmp_path):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    started = time.perf_counter()
    get_engine().seed_core_tables(project.pk, events=EVENTS)
    seeded = time.perf_counter() - started
    response = api.post(views_url(project), {"name": "daily", "query": hogql(VIEW_SQL)})
    assert response.status_code == 201, response.json()
    view_id = response.json()["id"]

    api_seconds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        runs = api.post(views_url(project, view_id, "run")).json()["runs"]
        api_seconds.append(time.perf_counter() - started)
        assert runs[0]["status"] == "Completed", runs
    rows = runs[0]["rows_written"]

    engine_sql = _engine_sql(project)
    path = get_engine().path(project.pk)
    direct_seconds = []
    for round_ in range(ROUNDS):
        conn = duckdb.connect(
            str(path),
            config={
                "threads": str(settings.WAREHOUSE_THREADS),
                "memory_limit": settings.WAREHOUSE_MEMORY_LIMIT,
            },
        )
        try:
            started = time.perf_counter()
            conn.execute(f'CREATE OR REPLACE TABLE "baseline_{round_}" AS {engine_sql}')
            direct_seconds.append(time.perf_counter() - started)
            assert conn.execute(f'SELECT count(*) FROM "baseline_{round_}"').fetchone()[0] == rows
            conn.execute(f'DROP TABLE "baseline_{round_}"')
        finally:
            conn.close()

    api_median, direct_median = statistics.median(api_seconds), statistics.median(direct_seconds)
    print(
        f"\n[{EVENTS:,} events; seeded in {seeded:.1f}s; {rows:,} result rows; threads={settings.WAREHOUSE_THREADS}]"
    )
    print(
        f"API POST /run/ (validate, build, atomic swap, bookkeeping): median {api_median:.2f}s  {api_seconds}"
    )
    print(
        f"DuckDB CREATE TABLE AS (same SQL, same file):               median {direct_median:.2f}s  {direct_seconds}"
    )
    print(f"ratio API / DuckDB: {api_median / direct_median:.2f}x")


def _engine_sql(project) -> str:
    from warehouse.hogql import analyze_view
    from warehouse.selectors import catalog_for

    view = SavedQuery.objects.get(project=project, name="daily")
    catalog = catalog_for(project=project, exclude=view.pk)
    return analyze_view(view.query["query"], catalog, get_engine()).engine_sql
