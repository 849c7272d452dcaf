"""A project's queries can never name, read or see another project's tables and views (nor their ids)."""

import pytest

from tests.warehouse.conftest import hogql, views_url
from users.models import User
from warehouse.models import SavedQuery, WarehouseTable

SECRET_COLUMNS = {"secret": {"hogql": "StringDatabaseField", "clickhouse": "String", "valid": True}}


@pytest.fixture
def other_view(other_project, make_key, create_view):
    """A view and a warehouse table in another organization's project, made through the API by its owner."""
    from rest_framework.test import APIClient

    WarehouseTable.objects.create(project=other_project, name="b_table", columns=SECRET_COLUMNS)
    owner = APIClient()
    owner.credentials(
        HTTP_AUTHORIZATION=f"Bearer {make_key('*', owner=User.objects.get(email='mallory@example.com'))}"
    )
    create_view("b_shared", "select event from events", client=owner, on=other_project)
    return create_view("b_secret_view", "select secret from b_table", client=owner, on=other_project)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from b_secret_view",
        "select secret from b_table",
        "select e.event from events e join b_table t on e.event = t.secret",
        "with x as (select * from b_secret_view) select * from x",
    ],
)
def test_other_projects_tables_and_views_do_not_resolve(api, project, other_view, sql):
    response = api.post(views_url(project), {"name": "peek", "query": hogql(sql)})
    assert response.status_code == 400
    assert response.json()["attr"] == "query"
    assert response.json()["detail"].startswith("Invalid query: ")
    assert "secret" not in response.json()["detail"].replace("b_secret_view", "")


def test_other_projects_names_are_free_here(project, other_view, create_view):
    create_view("b_secret_view", "select event from events")
    create_view("b_table", "select event from events")


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""), ("patch", ""), ("put", ""), ("delete", ""), ("post", "ancestors"), ("post", "descendants"),
        ("get", "activity"), ("post", "revert_materialization"),
    ],
)  # fmt: skip
def test_other_projects_ids_are_404_here(api, project, other_view, method, suffix):
    url = views_url(project, other_view["id"], suffix) if suffix else views_url(project, other_view["id"])
    response = getattr(api, method)(url, {"name": "stolen", "query": hogql("select event from events")})
    assert response.status_code == 404
    assert SavedQuery.objects.get(pk=other_view["id"]).name == "b_secret_view"


def test_other_projects_list_and_urls_are_closed(api, project, other_project, other_view, create_view):
    create_view("mine")
    assert [row["name"] for row in api.get(views_url(project)).json()["results"]] == ["mine"]
    assert api.get(views_url(other_project)).status_code == 403
    assert api.get(views_url(other_project, other_view["id"])).status_code == 403


def test_lineage_stays_in_the_project(api, project, other_view, create_view):
    shared = create_view("b_shared", "select event from events")
    assert api.post(views_url(project, shared["id"], "descendants")).json() == {"descendants": []}
    child = create_view("child", "select event from b_shared")
    assert api.post(views_url(project, child["id"], "ancestors")).json() == {
        "ancestors": [shared["id"], "events"]
    }
