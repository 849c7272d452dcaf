"""Saved queries: SQL queries and time to list 1000 views, and the time to validate and type a view.

Run: bin/test benchmarks/saved_queries_list.py -s   (add DATABASE_URL=postgres://... for PostgreSQL)
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from warehouse.activity import SAVED_QUERY_SCOPE
from warehouse.models import ActivityLog, SavedQuery

pytestmark = pytest.mark.django_db
VIEWS = 1000
URL = "/api/environments/{}/warehouse_saved_queries/"
# Five tables (events, persons, sessions, groups, person_distinct_ids) and three nested views.
NESTED = [
    ("level_1", "select event, distinct_id, person_id, timestamp, properties from events"),
    ("level_2", "select event, distinct_id, person_id, timestamp from level_1 where event != ''"),
    ("level_3", "select distinct_id, person_id, count() as n from level_2 group by distinct_id, person_id"),
]
JOIN = """
select l.distinct_id, l.n, p.created_at, s.$session_duration as duration, g.key, pdi.person_id
from level_3 as l
join persons as p on l.person_id = p.id
join person_distinct_ids as pdi on pdi.distinct_id = l.distinct_id
left join sessions as s on s.distinct_id = l.distinct_id
left join groups as g on g.key = l.distinct_id
left join events as e on e.distinct_id = l.distinct_id
"""


def _timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def test_list_1000_saved_queries(api, project, user):
    query = {"kind": "HogQLQuery", "query": "select event as event from events LIMIT 100"}
    columns = {"event": {"hogql": "StringDatabaseField", "clickhouse": "String", "valid": True}}
    views = SavedQuery.objects.bulk_create(
        SavedQuery(project=project, name=f"view_{i}", query=query, columns=columns, created_by=user)
        for i in range(VIEWS)
    )
    # Three history entries a view, so latest_history_id has something to choose from.
    ActivityLog.objects.bulk_create(
        ActivityLog(project=project, user=user, activity="updated", scope=SAVED_QUERY_SCOPE, item_id=view.pk)
        for view in views
        for _ in range(3)
    )
    url = URL.format(project.pk)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    captured = list(queries.captured_queries)  # the next request resets the connection's query log
    assert response.status_code == 200 and len(response.json()["results"]) == VIEWS
    assert all(row["latest_history_id"] for row in response.json()["results"])
    samples = _timed(lambda: api.get(url), 10)
    print(
        f"\n[{connection.vendor}] list {VIEWS} saved queries: {len(captured)} SQL queries, "
        f"median {statistics.median(samples):.0f} ms (in-process, full DRF stack)"
    )
    for query in captured:
        print("  ", query["sql"][:160])


def test_validate_and_type_a_five_table_join_over_three_nested_views(api, project):
    url = URL.format(project.pk)
    for name, sql in NESTED:
        response = api.post(url, {"name": name, "query": {"kind": "HogQLQuery", "query": sql}})
        assert response.status_code == 201, response.json()

    def create():
        name = f"joined_{time.perf_counter_ns()}"
        response = api.post(url, {"name": name, "query": {"kind": "HogQLQuery", "query": JOIN}})
        assert response.status_code == 201, response.json()

    samples = _timed(create, 20)
    print(
        f"\n[{connection.vendor}] POST a 5-table join over 3 nested views (validate + type + save + history): "
        f"median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms"
    )
