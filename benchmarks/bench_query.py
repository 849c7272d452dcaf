"""POST /query/ latency (p50/p95) for a GROUP BY over 1 million events, through the full HTTP/DRF stack.

Run: bin/test benchmarks/bench_query.py -s
"""

import os
import statistics
import time

import pytest

from tests.warehouse.engine_support import run_query
from warehouse.engine import get_engine

pytestmark = pytest.mark.django_db
EVENTS = int(os.environ.get("BENCH_EVENTS", 1_000_000))
RUNS = 40
QUERIES = {
    "group by event": "select event, count() as n from events group by event order by n desc",
    "group by browser, day (JSON property)": (
        "select properties.$browser as browser, toDate(timestamp) as day, count() as n, "
        "count(distinct distinct_id) as users from events group by browser, day order by day, browser"
    ),
}


def test_query_latency_1m_rows(api, project, tmp_path, settings):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.WAREHOUSE_QUERY_RATE = "1000000/hour"
    get_engine().seed_core_tables(project.pk, events=EVENTS)
    print(f"\n[{EVENTS:,} events, threads={settings.WAREHOUSE_THREADS}, {RUNS} requests each]")
    for label, sql in QUERIES.items():
        assert run_query(api, project, sql).status_code == 200  # warm up
        samples = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = run_query(api, project, sql)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(
            f"{label}: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, rows {len(response.json()['results'])}"
        )
