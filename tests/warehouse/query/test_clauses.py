"""ClickHouse clauses through /query/ on seeded events: each runs with its meaning or is a 400 naming it."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db


def rows(api, project, sql: str) -> list:
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_clickhouse_clauses_keep_their_meaning(api, project, seed):
    seed(project, events=600)
    signups = rows(api, project, "select count() from events where event = 'signup'")[0][0]
    total = rows(api, project, "select count() from events")[0][0]
    assert 0 < signups < total
    # PREWHERE filters (it was dropped: every row came back)
    assert rows(api, project, "select count() from events prewhere event = 'signup'") == [[signups]]
    # FINAL was a 500; there is nothing to collapse
    assert rows(api, project, "select count() from events final") == [[total]]
    # SAMPLE 1 is everything; SAMPLE 1/2 a stable subset of whole users (distinct_id is the sampling key)
    assert rows(api, project, "select count() from events sample 1") == [[total]]
    half = rows(api, project, "select distinct_id, count() from events sample 1/2 group by distinct_id")
    everyone = dict(rows(api, project, "select distinct_id, count() from events group by distinct_id"))
    assert 0 < len(half) < len(everyone)
    assert all(everyone[user] == n for user, n in half)
    assert rows(api, project, "select count() from events sample 1/2") == [[sum(n for _, n in half)]]
    # LIMIT n BY: at most n rows per key, in the query's order
    latest = rows(
        api, project, "select event, timestamp from events order by event, timestamp desc limit 2 by event"
    )
    names = [event for event, _ in latest]
    assert sorted(set(names)) == names[::2] and all(names.count(name) == 2 for name in names)
    newest = dict(rows(api, project, "select event, max(timestamp) from events group by event"))
    assert all(latest[i][1] == newest[latest[i][0]] for i in range(0, len(latest), 2))
    # WITH TIES: every row tying with the last one
    tied = rows(api, project, "select distinct_id from events order by distinct_id limit 1 with ties")
    first = rows(api, project, "select distinct_id, count() from events group by 1 order by 1 limit 1")
    assert first[0][1] > 1 and tied == [[first[0][0]]] * first[0][1]


@pytest.mark.parametrize(
    ("sql", "detail"),
    [
        (
            "select event from events order by event with fill",
            "WITH FILL is not supported by the DuckDB engine",
        ),
        (
            "select event from events group by event with rollup",
            "WITH ROLLUP is not supported by the DuckDB engine",
        ),
    ],
)
@pytest.mark.engines("duckdb", reason="the clauses DuckDB refuses (ClickHouse runs them)")
def test_clauses_that_cannot_run_are_400s_naming_them(api, project, seed, sql, detail):
    seed(project, events=20)
    response = run_query(api, project, sql)
    assert response.status_code == 400
    assert response.json()["detail"] == f"Invalid query: {detail}" and response.json()["attr"] == "query"


def test_sample_by_row_count_and_on_joined_tables(api, project, seed):
    """SAMPLE n (n > 1) is n rows' share of the table's key space (ClickHouse's meaning), an OFFSET above 1 too;
    a joined table's SAMPLE filters that table before the join."""
    seed(project, events=600)
    total = rows(api, project, "select count() from events")[0][0]
    half = rows(api, project, "select count() from events sample 1/2")
    upper_half = rows(api, project, "select count() from events sample 1/2 offset 1/2")
    assert 0 < half[0][0] < total and half[0][0] + upper_half[0][0] == total
    assert rows(api, project, f"select count() from events sample {total // 2}") == half
    assert rows(api, project, f"select count() from events sample {total * 10}") == [[total]]
    assert rows(api, project, f"select count() from events sample {total // 2} offset 1/2") == upper_half
    assert rows(api, project, f"select count() from events sample 1/2 offset {total // 2}") == upper_half
    # PostHog's corpus: an offset past the table's rows keeps nothing
    sql = "SELECT event FROM events SAMPLE 2/78 OFFSET 999 JOIN persons SAMPLE 0.1 ON persons.id=events.person_id"
    assert rows(api, project, sql) == []
    sampled_people = "select count() from events where person_id in (select id from persons sample 1/2)"
    matched = rows(api, project, sampled_people)
    assert 0 < matched[0][0] < total
    inner = "select count() from events e join persons p sample 1/2 on p.id = e.person_id"
    assert rows(api, project, inner) == matched
    left = "select count(), count(p.id) from events e left join persons p sample 1/2 on p.id = e.person_id"
    assert rows(api, project, left) == [[total, matched[0][0]]]
    # RIGHT JOIN: the FROM table's sample filters it in ON (persons are all kept), the joined table's in WHERE
    right = "select count(e.uuid) from events e sample 1/2 right join persons p on p.id = e.person_id"
    assert rows(api, project, right) == rows(
        api, project, "select count() from events e sample 1/2 join persons p on p.id = e.person_id"
    )
    kept = "select count() from persons p right join events e sample 1/2 on p.id = e.person_id"
    assert rows(api, project, kept) == half  # a person per event at most: one row per sampled event
