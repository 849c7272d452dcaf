"""Analysing a query over a chain of nested views (what saved-query create and /query/ do), by depth.

Run in one process: .venv/bin/python benchmarks/bench_view_nesting.py [rounds]
To compare two checkouts in one run, alternate them, e.g.
    for i in 1 2 3; do for tree in /path/before /path/after; do
        (cd $tree && SECRET_KEY=x .venv/bin/python benchmarks/bench_view_nesting.py 5); done; done
Prints the median milliseconds per depth: a line per run, `depth:ms`.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()

from warehouse.catalog import build_catalog  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.hogql.analyze import analyze_view  # noqa: E402

DEPTHS = (0, 8, 16, 31)


def chain(depth: int):
    """v0 reads events; v<k> reads v<k-1>."""
    views = {"v0": "select event, distinct_id, timestamp from events"}
    for k in range(1, depth + 1):
        views[f"v{k}"] = f"select event, distinct_id, timestamp from v{k - 1}"
    return build_catalog(1, views=views)


def main(rounds: int) -> None:
    engine = get_engine()
    cells = []
    for depth in DEPTHS:
        catalog = chain(depth)
        sql = f"select event, count() from v{depth} group by event"
        analyze_view(sql, catalog, engine)  # warm-up
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            analyze_view(sql, catalog, engine)
            samples.append((time.perf_counter() - started) * 1000)
        cells.append(f"{depth}:{statistics.median(samples):.1f}")
    print(f"load {os.getloadavg()[0]:.1f} " + " ".join(cells), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
