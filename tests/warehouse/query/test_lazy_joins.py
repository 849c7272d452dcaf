"""PostHog's lazy joins through /query/: `pdi` and `poe` on events, `person` on person_distinct_ids, each giving the
rows of the explicit join it stands for (the queries are PostHog's own, from its test_query.py and test_resolver.py)."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

SAME_ROWS = [
    (
        "select event, pdi.distinct_id, pdi.person_id from events order by uuid limit 10",
        "select event, distinct_id, person_id from events order by uuid limit 10",
    ),
    (
        "select e.pdi.distinct_id, e.pdi.person.id, pdi.person.properties.email from events e order by uuid limit 10",
        "select e.distinct_id, p.id, p.properties.email from events e "
        "left join persons p on p.id = e.person_id order by e.uuid limit 10",
    ),
    (
        "select s.pdi.person.properties.email as email, count() from events s group by email order by email",
        "select p.properties.email as email, count() from events s "
        "left join persons p on p.id = s.person_id group by email order by email",
    ),
    (
        "select poe.id, poe.created_at, poe.properties.email from events order by uuid limit 10",
        "select p.id, p.created_at, p.properties.email from events e "
        "left join persons p on p.id = e.person_id order by e.uuid limit 10",
    ),
    (
        "select pdi.distinct_id, pdi.person.created_at, person.properties.email from person_distinct_ids pdi "
        "order by distinct_id",
        "select pdi.distinct_id, p.created_at, p.properties.email from person_distinct_ids pdi "
        "left join persons p on p.id = pdi.person_id order by pdi.distinct_id",
    ),
]

REFUSED = [
    ("select pdi.email from events", "Invalid query: Unable to resolve field: pdi.email"),
    ("select poe.person_id from events", "Invalid query: Unable to resolve field: poe.person_id"),
    ("select pdi.distinct_id.x from events", "Invalid query: Unable to resolve field: pdi.distinct_id.x"),
    ("select pdi.person_id from persons", "Invalid query: Unable to resolve field: pdi.person_id"),
    ("select person.id from sessions", "Invalid query: Unable to resolve field: person.id"),
]


@pytest.mark.parametrize(("lazy", "explicit"), SAME_ROWS)
def test_lazy_join_gives_the_explicit_joins_rows(api, project, seed, lazy, explicit):
    seed(project, events=40)
    response = run_query(api, project, lazy)
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    assert rows and rows == run_query(api, project, explicit).json()["results"]
    assert any(value is not None for row in rows for value in row[1:])


@pytest.mark.parametrize(("sql", "detail"), REFUSED)
def test_unknown_lazy_join_field_is_refused_by_name(api, project, seed, sql, detail):
    seed(project, events=5)
    response = run_query(api, project, sql)
    assert response.status_code == 400 and response.json()["detail"] == detail, response.json()
