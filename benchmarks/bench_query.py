"""POST /query/ latency (p50/p95) for a GROUP BY over 1 million events, through the full HTTP/DRF stack.

Run: .venv/bin/python -m pytest benchmarks/bench_query.py -s -p no:cacheprovider
(BENCH_EVENTS for the latency test; BENCH_ROUNDS for the alternating comparison with warm DuckDB and a minimal app:
`-k warm`.)
"""

import os
import statistics
import subprocess
import sys
import time

import duckdb
import pytest

from benchmarks.query_baseline import keep_warm
from tests.warehouse.engine_support import run_query
from warehouse.engine import get_engine
from warehouse.engine.duckdb.connection import config
from warehouse.querying import run_hogql_query

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


# --- /query/ against warm DuckDB and against a minimal DRF app --------------------------------------------------------
# Four sides, alternating within each round (the order of the three in-process sides rotates every round):
# - warm DuckDB: a separate process keeps the project's file open read-only and times the same SQL on its connection;
# - ours: POST /query/ through the full HTTP/DRF stack, in-process, its read pool on (the default);
# - minimal app (benchmarks/query_baseline.py): the same test client and middleware, a bearer key lookup, a
#   membership EXISTS, the same SQL on one warm connection in this process (sharing our DuckDB instance and its
#   buffer cache), DRF's JSON renderer;
# - our query path without HTTP: `run_hogql_query` called in-process (analysis cache, catalog, limits, the read pool,
#   the guarded page, the JSON values), so /query/'s time splits into the query path and the request path.
# Ratios are medians of the per-round ratios. (An earlier version alternated ours with the pool off and on: the
# pool-off request closed the parked connection, so "pool on" reopened the file every time.)
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
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 40))


@pytest.mark.urls("benchmarks.query_baseline")
@pytest.mark.parametrize("events", [10_000, 1_000_000])
def test_query_against_warm_duckdb_and_a_minimal_app(api, project, tmp_path, settings, events):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.WAREHOUSE_QUERY_RATE = "1000000/hour"
    engine = get_engine()
    engine.seed_core_tables(project.pk, events=events)
    time.sleep(1.1)  # past the seeding's write intent, so the pool may keep connections
    path = engine.path(project.pk)
    warm = subprocess.Popen(
        [sys.executable, "-c", WARM_DUCKDB, str(path), str(settings.WAREHOUSE_THREADS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert warm.stdout.readline().strip() == "ready"
    sql = WARM_SQL.format(db=f"project_{project.pk}")
    minimal_conn = duckdb.connect(str(path), read_only=True, config=config())  # as our pool opens it
    keep_warm(project.pk, minimal_conn)

    def warm_run() -> float:
        warm.stdin.write(sql + "\n")
        warm.stdin.flush()
        return float(warm.stdout.readline())

    cpu: dict[str, list[float]] = {"ours": [], "minimal": []}  # this process's CPU (DuckDB's threads too)

    def timed(side: str, send) -> float:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = send()
        took = (time.perf_counter() - started) * 1000
        cpu[side].append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.content
        return took

    def ours() -> float:
        return timed("ours", lambda: run_query(api, project, SMALL_QUERY))

    def minimal() -> float:
        return timed(
            "minimal", lambda: api.post(f"/baseline/{project.pk}/query/", {"sql": sql}, format="json")
        )

    def query_path() -> float:
        started = time.perf_counter()
        run_hogql_query(project=project, sql=SMALL_QUERY)
        return (time.perf_counter() - started) * 1000

    in_process = {"ours": ours, "minimal": minimal, "path": query_path}
    load_before = os.getloadavg()
    samples: dict[str, list[float]] = {"warm": [], "ours": [], "minimal": [], "path": []}
    try:
        for _ in range(5):  # warm-up of every side
            warm_run(), ours(), minimal(), query_path()
        cpu["ours"].clear(), cpu["minimal"].clear()
        order = list(in_process)
        for round_ in range(ROUNDS):
            for side in order[round_ % 3 :] + order[: round_ % 3]:
                samples[side].append(in_process[side]())
            samples["warm"].append(warm_run())
    finally:
        warm.stdin.close()
        warm.wait()
        minimal_conn.close()
    med = {key: statistics.median(values) for key, values in samples.items()}
    over_warm = statistics.median(o / w for o, w in zip(samples["ours"], samples["warm"], strict=True))
    over_minimal = statistics.median(o / m for o, m in zip(samples["ours"], samples["minimal"], strict=True))
    minimal_over_warm = statistics.median(
        m / w for m, w in zip(samples["minimal"], samples["warm"], strict=True)
    )
    path_over_warm = statistics.median(p / w for p, w in zip(samples["path"], samples["warm"], strict=True))
    cpu_ours, cpu_minimal = statistics.median(cpu["ours"]), statistics.median(cpu["minimal"])
    loads = f"{load_before[0]:.1f} -> {os.getloadavg()[0]:.1f}"
    print(
        f"\n[{events:,} events, {ROUNDS} alternating rounds, load {loads}] warm DuckDB {med['warm']:.2f} ms; "
        f"minimal app {med['minimal']:.2f} ms ({minimal_over_warm:.2f}x warm); /query/ {med['ours']:.2f} ms: "
        f"{over_warm:.2f}x warm DuckDB, {over_minimal:.2f}x the minimal app; query path without HTTP "
        f"{med['path']:.2f} ms ({path_over_warm:.2f}x warm); CPU per request (process time, "
        f"less sensitive to load) /query/ {cpu_ours:.2f} ms, minimal app {cpu_minimal:.2f} ms "
        f"({cpu_ours / cpu_minimal:.2f}x)"
    )
