"""POST /query/ latency (p50/p95) for a GROUP BY over 1 million events, through the full HTTP/DRF stack.

Run: .venv/bin/python -m pytest benchmarks/bench_query.py -s -p no:cacheprovider
(BENCH_EVENTS for the latency test; BENCH_ROUNDS for the alternating read-pool comparison against warm DuckDB.)
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


# --- /query/ against a warm DuckDB connection, with and without the read pool ---------------------------------------
# A separate process keeps the project's file open read-only and times the same SQL on its warm connection; this
# process alternates /query/ with the read pool off (a connection per query, as before) and on.
WARM_DUCKDB = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True, config={"threads": sys.argv[2]})
print("ready", flush=True)
for sql in sys.stdin:
    started = time.perf_counter()
    conn.execute(sql).fetchall()
    print((time.perf_counter() - started) * 1000, flush=True)
"""
SMALL_QUERY = "select event, count() as n from events group by event order by n desc limit 10"
WARM_SQL = "SELECT event, count(*) AS n FROM {db}.main.events GROUP BY event ORDER BY n DESC LIMIT 10"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 30))


@pytest.mark.parametrize("events", [10_000, 1_000_000])
def test_query_against_warm_duckdb(api, project, tmp_path, settings, events):
    import subprocess
    import sys

    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.WAREHOUSE_QUERY_RATE = "1000000/hour"
    engine = get_engine()
    engine.seed_core_tables(project.pk, events=events)
    time.sleep(1.1)  # past the seeding's write intent, so the pool may keep connections
    warm = subprocess.Popen(
        [sys.executable, "-c", WARM_DUCKDB, str(engine.path(project.pk)), str(settings.WAREHOUSE_THREADS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert warm.stdout.readline().strip() == "ready"
    warm_sql = WARM_SQL.format(db=f"project_{project.pk}") + "\n"

    def warm_run() -> float:
        warm.stdin.write(warm_sql)
        warm.stdin.flush()
        return float(warm.stdout.readline())

    def api_run(pool_idle_seconds: float) -> float:
        settings.WAREHOUSE_READ_POOL_IDLE_SECONDS = pool_idle_seconds
        started = time.perf_counter()
        response = run_query(api, project, SMALL_QUERY)
        assert response.status_code == 200, response.content
        return (time.perf_counter() - started) * 1000

    try:
        for _ in range(3):  # warm-up of every side
            warm_run(), api_run(0), api_run(5)
        samples: dict[str, list[float]] = {"warm": [], "before": [], "after": []}
        for _ in range(ROUNDS):
            samples["before"].append(api_run(0))  # pool off: the file opened per query
            samples["after"].append(api_run(5))
            samples["warm"].append(warm_run())
    finally:
        warm.stdin.close()
        warm.wait()
    med = {key: statistics.median(values) for key, values in samples.items()}
    print(
        f"\n[{events:,} events, {ROUNDS} alternating rounds, load {os.getloadavg()[0]:.1f}] "
        f"warm DuckDB {med['warm']:.1f} ms; /query/ pool off {med['before']:.1f} ms "
        f"({med['before'] / med['warm']:.1f}x), pool on {med['after']:.1f} ms ({med['after'] / med['warm']:.1f}x)"
    )
