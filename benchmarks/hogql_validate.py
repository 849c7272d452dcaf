"""Time to analyze + plan the columns of a 5-table join that reads 3 nested views (median of N runs).

Run: .venv/bin/python benchmarks/hogql_validate.py [runs]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="phc-bench-"))

import django  # noqa: E402

django.setup()

from warehouse.catalog import Column, build_catalog  # noqa: E402
from warehouse.column_types import plan_columns  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.hogql import analyze_view  # noqa: E402

VIEWS = {
    # Three nested views: v3 reads v2 reads v1.
    "v1": "select distinct_id, person_id, properties.$browser as browser, timestamp from events "
    "where event = '$pageview'",
    "v2": "select distinct_id, person_id, browser, count() as views, max(timestamp) as last_seen from v1 "
    "group by distinct_id, person_id, browser",
    "v3": "select v2.distinct_id, v2.person_id, v2.browser, v2.views, v2.last_seen from v2 where v2.views > 1",
}
QUERY = """
select v3.distinct_id, v3.browser, v3.views, p.properties.email as email, s.duration, g.key as company,
       c.amount, person.properties.plan as plan
from events e
join v3 on v3.distinct_id = e.distinct_id
left join persons p on p.id = v3.person_id
left join sessions s on s.session_id = e.$session_id
left join groups g on g.key = e.$group_0
left join `stripe.charges` c on c.customer = e.distinct_id
where e.timestamp > now() - interval 30 day
"""


def main(runs: int) -> None:
    catalog = build_catalog(
        1,
        warehouse_tables={"stripe.charges": [Column("customer", "string"), Column("amount", "integer")]},
        views=VIEWS,
    )
    columns = plan_columns(
        analyze_view(QUERY, catalog, get_engine()), catalog
    )  # warm up (imports, planner instance)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        plan_columns(analyze_view(QUERY, catalog, get_engine()), catalog)
        timings.append((time.perf_counter() - started) * 1000)
    analyze_only = []
    for _ in range(runs):
        started = time.perf_counter()
        analyze_view(QUERY, catalog, get_engine())
        analyze_only.append((time.perf_counter() - started) * 1000)
    print("columns:", ", ".join(f"{name}:{value['hogql']}" for name, value in columns.items()))
    print(
        f"analyze + plan_columns, 5-table join over 3 nested views: median {statistics.median(timings):.1f} ms "
        f"(p90 {statistics.quantiles(timings, n=10)[-1]:.1f} ms, {runs} runs)"
    )
    print(f"analyze_view alone: median {statistics.median(analyze_only):.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
