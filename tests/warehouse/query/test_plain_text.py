"""toString/concat of a value the catalog types as text, an integer, a boolean, a date or a date-time (or a core
table's JSON text, or a property read) is the engine's own cast on DuckDB: none of the branches for floats, decimals
and arrays, which only fold away when DuckDB binds the query and cost tens of milliseconds to bind per value. The
answers are unchanged; what is checked on DuckDB is that the branches are gone, on both engines that the text is the
value's."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db


def engine_sql(api, project, sql: str) -> str:
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.content
    return response.json()["engine_sql"].lower()


@pytest.mark.engines("duckdb", reason="the SQL DuckDB is given")
@pytest.mark.parametrize(
    ("sql", "branches"),
    [
        ("select toString(event) from events", False),
        ("select concat(event, '-', distinct_id) from events", False),
        ("select toString(uuid), toString(timestamp), toString(properties) from events", False),
        ("select toString(properties.$browser) from events", False),
        ("select toString(toString(event)) from events", False),
        ("select toString(x) from (select event as x from events)", False),
        ("with c as (select distinct_id as d from events) select concat(d, '!') from c", False),
        ("select toString(x) from (select 'abc' as x)", False),
        ("select toString(count()), toString(count(distinct event)) from events", False),
        ("select toString(1.5)", True),  # a Float64: ClickHouse's digits, not DuckDB's
        ("select toString(x) from (select count() / 3 as x from events)", True),
        ("select toString(x) from (select event as x from events union all select 'a')", True),
    ],
)
def test_duckdb_writes_a_plain_value_as_its_cast(api, project, sql, branches):
    assert ("typeof(" in engine_sql(api, project, sql)) is branches


@pytest.mark.engines("duckdb", reason="the SQL DuckDB is given")
def test_a_view_passes_on_what_its_outputs_are(api, project):
    created = api.post(
        f"/api/environments/{project.pk}/warehouse_saved_queries/",
        {"name": "names", "query": {"kind": "HogQLQuery", "query": "select event, 2.5 as f from events"}},
        format="json",
    )
    assert created.status_code == 201, created.content
    sql = engine_sql(api, project, "select concat(event, '-', toString(f)) from names")
    assert 'typeof(("names"."event"))' not in sql and 'typeof(("names"."f"))' in sql, sql


def test_the_text_of_a_plain_value_is_the_value(api, project, engine_name, seed):
    seed(project, events=30)
    sql = (
        "select event, distinct_id, uuid, toString(event), concat(event, '-', distinct_id), toString(uuid), "
        "concat(x, '!') from events, (select 'it''s' as x) as c order by uuid limit 30"
    )
    counted = run_query(api, project, "select toString(count()), concat('n=', count()) from events")
    assert counted.status_code == 200, counted.content
    assert counted.json()["results"] == [["30", "n=30"]]
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert rows
    for event, distinct_id, uuid, text, joined, uuid_text, quoted in rows:
        assert (text, joined, uuid_text, quoted) == (event, f"{event}-{distinct_id}", uuid, "it's!")
