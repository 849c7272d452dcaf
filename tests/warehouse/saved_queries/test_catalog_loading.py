"""A request loads the tables and views its query reaches, not the project's whole catalog: the database queries of a
saved-query create or a /query/ do not grow with the project's other views nor with the depth of the views read:
one query for the new name, one for what the query reaches (its views, and theirs, through their dependencies)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import run_query
from warehouse.models import SavedQuery

pytestmark = pytest.mark.django_db


def add_views(project, count: int, *, prefix: str = "other") -> None:
    """`count` views the requests below never read."""
    SavedQuery.objects.bulk_create(
        SavedQuery(project=project, name=f"{prefix}_{k}", query=hogql("select event from events"))
        for k in range(count)
    )


def add_chain(project, depth: int) -> None:
    """v0 reads events, v<k> reads v<k-1>, stored as the API stores them (with their dependencies)."""
    SavedQuery.objects.create(
        project=project,
        name="v0",
        query=hogql("select event, distinct_id from events"),
        dependencies=["events"],
    )
    for k in range(1, depth + 1):
        SavedQuery.objects.create(
            project=project,
            name=f"v{k}",
            query=hogql(f"select event, distinct_id from v{k - 1}"),
            dependencies=[f"v{k - 1}"],
        )


def assert_reads_only_named_rows(queries) -> None:
    """Every read of the project's views and tables asks for rows by name (or id), never for all of them."""
    for query in queries:
        for part in query["sql"].split("UNION ALL"):
            if part.lstrip(" (").startswith("SELECT") and (
                'FROM "warehouse_savedquery"' in part or 'FROM "warehouse_warehousetable"' in part
            ):
                where = part.partition("WHERE")[2]
                assert '."name"' in where or '."id"' in where, part


def catalog_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "WITH RECURSIVE" in query["sql"]]


@pytest.fixture(autouse=True)
def _key_used_once(api, project):
    """The key's first request records its use (one more query): done before anything is counted."""
    assert api.get(views_url(project)).status_code == 200


def create_reading(api, project, name: str, sql: str) -> list[dict]:
    with CaptureQueriesContext(connection) as captured:
        response = api.post(views_url(project), {"name": name, "query": hogql(sql)})
    assert response.status_code == 201, response.json()
    return captured.captured_queries


@pytest.mark.parametrize("depth", [0, 3, 30])
def test_a_create_costs_the_same_queries_with_10_or_1000_other_views(api, project, other_project, depth):
    add_chain(project, depth)
    add_views(project, 10)
    few = create_reading(api, project, "first", f"select event from v{depth}")
    add_views(project, 990, prefix="more")
    many = create_reading(api, project, "second", f"select event from v{depth}")
    assert len(many) == len(few)
    assert_reads_only_named_rows(many)
    assert len(catalog_queries(many)) == 2  # the new name's look-up, then every view the query reaches


def test_a_query_costs_the_same_queries_with_10_or_1000_other_views(api, project):
    add_chain(project, 2)
    add_views(project, 10)
    with CaptureQueriesContext(connection) as few:
        assert run_query(api, project, "select count() from v2").status_code == 200
    add_views(project, 990, prefix="more")
    with CaptureQueriesContext(connection) as many:
        assert run_query(api, project, "select count() from v2").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert_reads_only_named_rows(many.captured_queries)
    assert len(catalog_queries(many.captured_queries)) == 1


def test_views_read_side_by_side_are_fetched_together(api, project):
    for name in ("a", "b", "c"):
        SavedQuery.objects.create(project=project, name=name, query=hogql("select event from events"))
    queries = create_reading(
        api, project, "abc", "select a.event from a join b on a.event = b.event join c on 1"
    )
    assert len(catalog_queries(queries)) == 2  # the new name, then a, b and c in one


def test_a_view_whose_stored_dependencies_are_stale_still_resolves(api, project):
    """Dependencies only prefetch: a view whose stored list misses a name (written around the API) is fetched as
    the analysis reaches it."""
    SavedQuery.objects.create(project=project, name="base", query=hogql("select event from events"))
    SavedQuery.objects.create(project=project, name="wrapper", query=hogql("select event from base"))
    queries = create_reading(api, project, "top", "select event from wrapper")
    assert len(catalog_queries(queries)) == 3


def test_names_are_looked_up_in_any_ascii_case_but_resolve_exactly(api, project):
    SavedQuery.objects.create(project=project, name="Plans", query=hogql("select event from events"))
    taken = api.post(views_url(project), {"name": "PLANS", "query": hogql("select 1 as x")})
    assert (taken.status_code, taken.json()["attr"]) == (400, "name")
    unknown = api.post(views_url(project), {"name": "reader", "query": hogql("select event from plans")})
    assert unknown.json()["detail"] == 'Invalid query: Unknown table "plans".'
    assert (
        api.post(
            views_url(project), {"name": "reader", "query": hogql("select event from Plans")}
        ).status_code
        == 201
    )


def test_another_projects_views_are_never_loaded(api, project, other_project):
    SavedQuery.objects.create(project=other_project, name="theirs", query=hogql("select event from events"))
    response = api.post(views_url(project), {"name": "mine", "query": hogql("select event from theirs")})
    assert response.json()["detail"] == 'Invalid query: Unknown table "theirs".'


def test_stored_views_that_read_each_other_are_still_a_cycle(api, project):
    """Written around the API: the dependencies are followed once each, and the analysis refuses the cycle."""
    SavedQuery.objects.create(
        project=project, name="ping", query=hogql("select * from pong"), dependencies=["pong"]
    )
    SavedQuery.objects.create(
        project=project, name="pong", query=hogql("select * from ping"), dependencies=["ping"]
    )
    response = api.post(views_url(project), {"name": "watcher", "query": hogql("select * from ping")})
    assert (response.status_code, response.json()["detail"]) == (400, "Model contains a cycle")
