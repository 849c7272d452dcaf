"""Where /query/'s request path goes, layer by layer, right after a large query and back to back.

Run: .venv/bin/python -m pytest benchmarks/bench_request_layers.py -s -p no:cacheprovider (BENCH_ROUNDS, default 150)

Each layer (benchmarks/request_layers.py) answers the same request with the same precomputed /query/ body and adds
code to the one before: Django alone (test client, middleware, URL resolution), DRF, our key authentication, the
whole /query/ stack without running the query, and the real /query/. Each round times every layer twice: once right
after a 1M-row GROUP BY on DuckDB in this process ("after a query", what a /query/ meets: the scan has evicted the
CPU caches the Python code ran from), once right after the same layer ran ("back to back"). The order of the layers
rotates every round. Medians in ms; the differences between neighbouring layers are what each layer costs.
"""

import os
import statistics
import time

import duckdb
import pytest
from rest_framework.settings import api_settings

from benchmarks import request_layers
from tests.warehouse.engine_support import query_url, run_query
from warehouse.engine import get_engine
from warehouse.engine.duckdb.connection import config
from warehouse.querying import run_hogql_query

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.request_layers")]
QUERY = "select event, count() as n from events group by event order by n desc limit 10"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 150))
LAYERS = ("django", "drf", "key", "stack")


def test_request_path_by_layer(api, project, tmp_path, settings, monkeypatch):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.WAREHOUSE_QUERY_RATE = "1000000/hour"
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "burst": "1000000/minute", "sustained": "1000000/hour"}
    monkeypatch.setattr(api_settings, "DEFAULT_THROTTLE_RATES", rates)  # counted as usual, never refused
    engine = get_engine()
    engine.seed_core_tables(project.pk, events=1_000_000)
    time.sleep(1.1)  # past the seeding's write intent, so the read pool keeps its connection
    request_layers.BODY.update(run_hogql_query(project=project, sql=QUERY))
    scan_sql = run_query(api, project, QUERY).json()["engine_sql"]
    scanner = duckdb.connect(str(engine.path(project.pk)), read_only=True, config=config())
    node = {"query": {"kind": "HogQLQuery", "query": QUERY}}

    def layer(name: str):
        url = query_url(project) if name == "/query/" else f"/layers/{project.pk}/{name}/"

        def send() -> float:
            started = time.perf_counter()
            response = api.post(url, node, format="json")
            took = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.content
            return took

        return send

    sends = {name: layer(name) for name in (*LAYERS, "/query/")}
    after_query: dict[str, list[float]] = {name: [] for name in sends}
    back_to_back: dict[str, list[float]] = {name: [] for name in sends}
    for _ in range(5):
        for send in sends.values():
            send()
    load_before = os.getloadavg()[0]
    names = list(sends)
    scans: list[float] = []
    try:
        for round_ in range(ROUNDS):
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                started = time.perf_counter()
                scanner.execute(scan_sql).fetchall()
                scans.append((time.perf_counter() - started) * 1000)
                after_query[name].append(sends[name]())
                back_to_back[name].append(sends[name]())
    finally:
        scanner.close()
    print(
        f"\n[{ROUNDS} rounds, load {load_before:.1f} -> {os.getloadavg()[0]:.1f}; the query alone on DuckDB "
        f"{statistics.median(scans):.3f} ms; /query/ runs it too, so its two columns are alike]"
    )
    print(f"{'layer':<10}{'after a query':>15}{'back to back':>15}")
    for name in names:
        print(
            f"{name:<10}{statistics.median(after_query[name]):>15.3f}"
            f"{statistics.median(back_to_back[name]):>15.3f}"
        )
