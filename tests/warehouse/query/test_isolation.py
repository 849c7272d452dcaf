"""Project A cannot read project B's data by any route: names, quoting, schemas, views, UNION, CTEs, URLs, ids."""

import pytest

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import query_url, run_query, tables_url
from users.models import Project
from warehouse.loading import warehouse_table_create
from warehouse.materialization.services import materialization_start
from warehouse.models import SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def neighbour(organization, user, seed, tmp_path, api):
    """Project B in the same organization (the user may open it), with its own data, view and table."""
    other = Project.objects.create(organization=organization, name="B")
    seed(other, events=50)
    csv = tmp_path / "secret.csv"
    csv.write_text("secret\nb-only-value\n")
    warehouse_table_create(
        project=other, user=user, name="b_table", file_format="CSVWithNames", local_path=csv
    )
    response = api.post(views_url(other), {"name": "b_view", "query": hogql("select event from events")})
    assert response.status_code == 201
    materialization_start(project=other, saved_query_id=response.json()["id"])
    assert SavedQuery.objects.get(pk=response.json()["id"]).status == "Completed"
    return other


def _sqls(b: int) -> list[str]:
    return [
        "select * from b_table",
        "select * from b_view",
        f"select * from project_{b}.main.events",
        f'select * from "project_{b}"."main"."b_table"',
        f"select * from `project_{b}`.main.b_view",
        f"select * from project_{b}.b_table",
        "select event from events union all select secret from b_table",
        f"select event from events union all select event from project_{b}.main.events",
        "select * from events where event in (select secret from b_table)",
        "select * from events e join b_table t on t.secret = e.event",
        f"with x as (select * from project_{b}.main.events) select * from x",
    ]


def test_no_sql_names_another_projects_tables_or_views(api, project, neighbour, seed):
    seed(project, events=20)
    for sql in _sqls(neighbour.pk):
        response = run_query(api, project, sql)
        assert response.status_code == 400, (sql, response.json())
        assert "Unknown table" in response.json()["detail"], sql


def test_a_cte_named_like_the_other_projects_view_is_just_the_cte(api, project, neighbour):
    response = run_query(api, project, "with b_view as (select 'mine' as event) select event from b_view")
    assert response.status_code == 200 and response.json()["results"] == [["mine"]]


def test_the_same_names_resolve_to_each_projects_own_data(api, project, neighbour, seed):
    seed(project, events=20)
    mine = run_query(api, project, "select count() from events").json()["results"]
    theirs = run_query(api, neighbour, "select count() from events").json()["results"]
    assert (mine, theirs) == ([[20]], [[50]])
    secret = run_query(api, neighbour, "select secret from b_table").json()["results"]
    assert secret == [["b-only-value"]]


def test_views_cannot_be_defined_over_another_projects_names(api, project, neighbour):
    for sql in ("select * from b_table", f"select * from project_{neighbour.pk}.main.b_view"):
        response = api.post(views_url(project), {"name": "spy", "query": hogql(sql)})
        assert response.status_code == 400, response.json()


def test_ids_of_another_project_are_404_under_ones_own(api, project, neighbour):
    view = SavedQuery.objects.get(project=neighbour, name="b_view")
    table_id = api.get(tables_url(neighbour)).json()["results"][0]["id"]
    assert api.get(tables_url(project, table_id)).status_code == 404
    assert api.delete(tables_url(project, table_id)).status_code == 404
    for action in ("run", "cancel", "revert_materialization"):
        assert api.post(views_url(project, view.pk, action)).status_code == 404, action
    assert api.get(views_url(project, view.pk, "run_history")).status_code == 404
    assert api.get(tables_url(project)).json()["results"] == []


def test_keys_reach_another_project_only_when_allowed(client_with, project, other_project, neighbour):
    assert run_query(client_with("query:read"), other_project, "select 1").status_code == 403
    scoped = client_with("query:read", scoped_teams=[project.pk])
    assert scoped.post(query_url(neighbour), {"query": hogql("select 1")}, format="json").status_code == 403
    assert run_query(scoped, project, "select 1 as x").status_code == 200
