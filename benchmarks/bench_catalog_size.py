"""Saved-query create through the API (in-process, APIClient) by the project's other views and the view nesting.

Run: .venv/bin/python -m pytest benchmarks/bench_catalog_size.py -s    (BENCH_CATALOG_ROUNDS=7 by default)

For 10 and 1,000 other views (never read) and a chain of views 0, 16 and 30 deep (v0 reads events, v<k> reads
v<k-1>), times POST warehouse_saved_queries/ of `select event, count() from v<depth> group by event` (analysis,
typing the columns, the write and its history). Prints one line per run: the load average, then
`others/depth:median ms` of wall time and of this process's CPU time (PostgreSQL's own work is not in the CPU
time; on a loaded machine it is the steadier of the two). To compare two checkouts in one run, alternate them (the file only uses the API, so it can
be copied into an older checkout), e.g.
    for i in 1 2 3 4; do for tree in /path/before /path/after; do (cd $tree && uptime &&
        DATABASE_URL=... .venv/bin/python -m pytest -q -s benchmarks/bench_catalog_size.py | grep others); done; done
"""

import os
import statistics
import time

import pytest

from warehouse.models import SavedQuery

pytestmark = pytest.mark.django_db
ROUNDS = int(os.environ.get("BENCH_CATALOG_ROUNDS", 7))
OTHERS = (10, 1000)
DEPTHS = (0, 16, 30)  # the new view, v30 ... v0: 32 levels, the most MAX_VIEW_DEPTH allows


def _hogql(sql: str) -> dict:
    return {"kind": "HogQLQuery", "query": sql}


def _project_with(project, *, others: int, depth: int) -> None:
    SavedQuery.objects.filter(project=project).delete()
    SavedQuery.objects.bulk_create(
        SavedQuery(
            project=project,
            name=f"other_{k}",
            query=_hogql(
                f"select event, distinct_id, count() as n_{k} from events group by event, distinct_id"
            ),
            dependencies=["events"],
        )
        for k in range(others)
    )
    SavedQuery.objects.bulk_create(
        SavedQuery(
            project=project,
            name=f"v{k}",
            query=_hogql(f"select event, distinct_id, timestamp from {f'v{k - 1}' if k else 'events'}"),
            dependencies=[f"v{k - 1}" if k else "events"],
        )
        for k in range(depth + 1)
    )


def test_saved_query_create_by_catalog_size_and_depth(api, project):
    url = f"/api/environments/{project.pk}/warehouse_saved_queries/"
    wall, cpu = [], []
    for others in OTHERS:
        for depth in DEPTHS:
            _project_with(project, others=others, depth=depth)
            sql = f"select event, count() from v{depth} group by event"
            samples: list[tuple[float, float]] = []
            for n in range(ROUNDS + 1):  # the first is a warm-up
                started, started_cpu = time.perf_counter(), time.process_time()
                response = api.post(url, {"name": f"reader_{n}", "query": _hogql(sql)}, format="json")
                elapsed = ((time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000)
                assert response.status_code == 201, response.content
                if n:
                    samples.append(elapsed)
            wall.append(f"{others}/{depth}:{statistics.median(s[0] for s in samples):.1f}")
            cpu.append(f"{others}/{depth}:{statistics.median(s[1] for s in samples):.1f}")
    print(f"load {os.getloadavg()[0]:.1f} others wall " + " ".join(wall), flush=True)
    print(f"load {os.getloadavg()[0]:.1f} others cpu " + " ".join(cpu), flush=True)
