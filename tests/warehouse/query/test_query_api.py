"""POST /query/: PostHog's response shape, limits, saved queries as tables, scopes, time limit."""

import pytest

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import query_url, reads_table, run_query

pytestmark = pytest.mark.django_db


# count()'s type as each engine reports it (ClickHouse's own, as PostHog reports it; DuckDB's BIGINT).
COUNT_TYPE = {"duckdb": "Int64", "clickhouse": "UInt64"}


def test_a_group_by_answers_in_posthogs_shape(api, project, seed, settings):
    seed(project, events=600)
    response = run_query(
        api, project, "select event, count() as n from events group by event order by n desc"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["columns"] == ["event", "n"]
    assert body["types"] == [["event", "String"], ["n", COUNT_TYPE[settings.WAREHOUSE_ENGINE]]]
    assert body["results"][0][0] == "$pageview"
    assert sum(row[1] for row in body["results"]) == 600
    assert body["hasMore"] is False and body["limit"] == 100 and body["offset"] == 0
    assert body["hogql"].lower().startswith("select event, count() as n from events")
    assert f'project_{project.pk}"' in body["engine_sql"] and body["engine"] == settings.WAREHOUSE_ENGINE
    assert body["error"] is None and body["timings"][0]["k"] == "./query"


def test_the_default_limit_is_100_and_has_more_says_so(api, project, seed):
    seed(project, events=150)
    body = run_query(api, project, "select uuid from events").json()
    assert len(body["results"]) == 100 and body["hasMore"] is True and body["limit"] == 100


def test_the_sqls_own_limit_and_offset_apply(api, project, seed):
    seed(project, events=150)
    body = run_query(api, project, "select uuid from events order by uuid limit 10 offset 5").json()
    assert len(body["results"]) == 10 and body["hasMore"] is False
    assert (body["limit"], body["offset"]) == (10, 5)


def test_a_limit_above_the_maximum_is_capped(api, project, seed, settings):
    assert settings.WAREHOUSE_MAX_ROWS == 50_000  # the documented default
    settings.WAREHOUSE_MAX_ROWS = 120  # the same rule, cheaper to show
    seed(project, events=300)
    body = run_query(api, project, "select uuid from events limit 100000").json()
    assert len(body["results"]) == 120 and body["hasMore"] is True and body["limit"] == 120


def test_values_come_back_as_json(api, project, seed):
    seed(project, events=30)
    sql = "select timestamp, person_id, properties.$browser as browser, 1.5 as f, null as nothing from events limit 1"
    row = run_query(api, project, sql).json()["results"][0]
    assert isinstance(row[0], str) and "T" in row[0]
    assert isinstance(row[1], str) and len(row[1]) == 36
    assert isinstance(row[2], str) and row[3] == 1.5 and row[4] is None


def test_saved_queries_are_tables_inlined(api, project, seed, create_view):
    seed(project, events=200)
    create_view("pageviews", "select distinct_id, event from events where event = '$pageview'")
    body = run_query(api, project, "select count() as n from pageviews").json()
    expected = run_query(api, project, "select count() as n from events where event = '$pageview'").json()
    assert body["results"] == expected["results"]
    assert not reads_table(body["engine_sql"], "pageviews")  # inlined: the engine reads events
    assert reads_table(body["engine_sql"], "events")


def test_syntax_errors_and_unknown_names_are_400s_on_query(api, project):
    response = run_query(api, project, "select from where")
    assert response.status_code == 400 and response.json()["attr"] == "query"
    response = run_query(api, project, "select nope from events")
    assert response.status_code == 400 and "nope" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"query": "select 1"},
        {"query": {"kind": "EventsQuery", "query": "select 1"}},
        {"query": {"kind": "HogQLQuery"}},
    ],
)
def test_malformed_bodies_are_400s(api, project, body):
    response = api.post(query_url(project), body, format="json")
    assert response.status_code == 400 and response.json()["type"] == "validation_error"


@pytest.mark.parametrize(
    ("scopes", "expected"), [(["query:read"], 200), (["query:write"], 200), (["warehouse_view:read"], 403)]
)
def test_query_needs_query_read(client_with, project, scopes, expected):
    response = run_query(client_with(*scopes), project, "select 1 as one")
    assert response.status_code == expected
    if expected == 403:
        assert response.json()["detail"] == "API key missing required scope 'query:read'"


def test_a_query_over_its_time_limit_is_stopped_with_a_timeout_error(api, project, seed, settings):
    seed(project, events=3000)
    settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS = 0.5
    response = run_query(api, project, "select count() from events a, events b, events c")
    assert response.status_code == 400
    assert response.json()["code"] == "timeout" and "0.5 seconds" in response.json()["detail"]


def test_the_hogql_rate_limit_applies_per_key(client_with, project, settings):
    settings.WAREHOUSE_QUERY_RATE = "2/hour"
    client = client_with("query:read")
    assert [run_query(client, project, "select 1 as x").status_code for _ in range(3)] == [200, 200, 429]
    assert run_query(client_with("query:read"), project, "select 1 as x").status_code == 200


def test_views_created_through_the_api_answer_like_the_query(api, project, seed, create_view):
    seed(project, events=100)
    view = create_view(
        "browsers", "select properties.$browser as browser, count() as n from events group by browser"
    )
    assert api.get(views_url(project, view["id"])).status_code == 200
    body = run_query(api, project, "select sum(n) as total from browsers").json()
    assert body["results"] == [[100]]
    assert api.post(views_url(project), {"name": "x", "query": hogql("select 1")}).status_code == 201


# How each engine words a statement stopped at WAREHOUSE_MEMORY_LIMIT.
OUT_OF_MEMORY = {"duckdb": "Out of Memory Error", "clickhouse": "Query memory limit exceeded"}


def test_a_query_over_the_memory_limit_is_stopped_with_a_400(api, project, seed, settings):
    seed(project, events=1000)
    settings.WAREHOUSE_MEMORY_LIMIT = "4MB"
    sql = "select count() from (select a.properties, b.properties from events a, events b order by 1, 2)"
    response = run_query(api, project, sql)
    assert response.status_code == 400 and response.json()["attr"] == "query"
    assert response.json()["detail"].startswith(OUT_OF_MEMORY[settings.WAREHOUSE_ENGINE])


@pytest.mark.parametrize(
    ("sql", "detail"),
    [
        (
            " union all ".join(f"select {i}" for i in range(4000)),
            "Invalid query: the query has more than 10,000 syntax elements (WAREHOUSE_HOGQL_MAX_NODES)",
        ),
        (
            "select " + "(" * 10_000 + "1" + ")" * 10_000,
            "Invalid query: the query has more than 10,000 syntax elements (WAREHOUSE_HOGQL_MAX_NODES)",
        ),
        (
            "select " + "(" * 40 + "1" + ")" * 40,
            "Invalid query: the query nests brackets, subqueries, calls or operators more than 32 levels deep "
            "(WAREHOUSE_HOGQL_MAX_DEPTH)",
        ),
    ],
    ids=["union-4000", "parens-10k", "parens-40"],
)
def test_analysis_bounds_are_the_same_400_for_query_and_saved_queries(api, project, sql, detail):
    response = run_query(api, project, sql)
    assert response.status_code == 400 and response.json()["detail"] == detail
    assert response.json()["attr"] == "query"
    response = api.post(views_url(project), {"name": "too_big", "query": hogql(sql)}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == detail


def test_at_the_depth_bound_a_query_runs_through_the_http_stack(api, project):
    response = run_query(api, project, "select " + "(" * 32 + "1" + ")" * 32 + " as one")
    assert response.status_code == 200 and response.json()["results"] == [[1]]
