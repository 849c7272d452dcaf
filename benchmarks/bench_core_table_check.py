"""What the core-table check on open costs a query: none, checked (the usual case), and checked on every open.

The engine checks a project's core tables once per version of its file (size, modification time); the first
open after a write pays an extra read-only open and one catalog query. Baseline: the same query with the check
switched off, measured in the same run.

Run: bin/test benchmarks/bench_core_table_check.py -s
"""

import statistics
import time

import pytest
from django.conf import settings
from sqlglot import exp

from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.engine.duckdb import project as duckdb_project
from warehouse.engine.duckdb import repair as duckdb_repair

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 60


def _median_ms(engine, catalog, sql: exp.Expression, before=None) -> float:
    times = []
    for _ in range(ROUNDS):
        if before is not None:
            before()
        started = time.perf_counter()
        engine.run_query(catalog, sql, limit=1)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def test_core_table_check_cost(project, tmp_path, monkeypatch):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    get_engine().seed_core_tables(project.pk, events=10_000)
    engine, catalog = get_engine(), build_catalog(project.pk)
    sql = exp.select("count(*)").from_(engine.table(project.pk, "events"))
    engine.run_query(catalog, sql, limit=1)
    checked = _median_ms(engine, catalog, sql)
    every_open = _median_ms(engine, catalog, sql, before=duckdb_repair._CHECKED.clear)
    monkeypatch.setattr(duckdb_project, "ensure_core_tables", lambda *args: [])
    baseline = _median_ms(engine, catalog, sql)
    print(
        f"\nquery median over {ROUNDS}: no check {baseline:.1f} ms, checked once per file version "
        f"{checked:.1f} ms, checked on every open {every_open:.1f} ms"
    )
