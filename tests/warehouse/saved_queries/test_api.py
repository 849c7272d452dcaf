"""The saved-queries endpoint: response shape, listing, search, pagination, upsert, PUT, delete, scopes, actions."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.warehouse.conftest import EVENT_VIEW_SQL, hogql, views_url
from warehouse.models import ActivityLog, SavedQuery

RESPONSE_FIELDS = [
    "id", "deleted", "name", "query", "created_by", "created_at", "sync_frequency", "columns", "status",
    "last_run_at", "latest_error", "edited_history_id", "latest_history_id", "soft_update", "is_materialized",
]  # fmt: skip


def test_response_shape(api, project, user, create_view):
    view = create_view("event_view")
    assert list(view) == RESPONSE_FIELDS
    assert uuid.UUID(view["id"])
    assert view["deleted"] is False
    assert view["query"] == hogql(EVENT_VIEW_SQL)
    assert view["created_by"]["email"] == user.email and view["created_by"]["uuid"] == str(user.uuid)
    assert view["sync_frequency"] is None and view["status"] is None and view["is_materialized"] is False
    assert view["last_run_at"] is None and view["latest_error"] is None
    assert view["edited_history_id"] is None and view["soft_update"] is None  # request-only: always null
    for url in (
        views_url(project, view["id"]),
        f"/api/projects/{project.pk}/warehouse_saved_queries/{view['id']}",
    ):
        fetched = api.get(url).json()
        assert list(fetched) == RESPONSE_FIELDS
        assert fetched["latest_history_id"] == view["latest_history_id"]


def test_list_newest_first_and_latest_history_for_every_row(api, project, create_view):
    names = [create_view(f"view_{i}")["name"] for i in range(3)]
    body = api.get(views_url(project)).json()
    assert [row["name"] for row in body["results"]] == names[::-1]
    assert all(row["latest_history_id"] for row in body["results"])


def test_search_is_case_insensitive_contains(api, project, create_view):
    for name in ("Revenue_daily", "revenue_weekly", "signups"):
        create_view(name)
    body = api.get(views_url(project), {"search": "REVENUE"}).json()
    assert sorted(row["name"] for row in body["results"]) == ["Revenue_daily", "revenue_weekly"]
    assert api.get(views_url(project), {"search": "nothing"}).json()["count"] == 0


def _bulk(project, count: int, prefix: str = "v") -> None:
    SavedQuery.objects.bulk_create(
        SavedQuery(project=project, name=f"{prefix}_{i}", query=hogql(EVENT_VIEW_SQL)) for i in range(count)
    )


def test_page_number_pagination_1000_a_page(api, project):
    _bulk(project, 1001)
    first = api.get(views_url(project)).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (1001, 1000, None)
    assert first["next"].endswith("?page=2")
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None and second["previous"]


def test_list_query_count_is_constant(api, project, create_view):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(views_url(project)).status_code == 200
        return len(captured)

    for i in range(5):
        create_view(f"small_{i}")
    five = count_queries()
    _bulk(project, 45, prefix="more")
    assert count_queries() == five
    _bulk(project, 950, prefix="lots")
    thousand = count_queries()
    assert thousand == five
    print(f"\nSQL queries to list 5, 50 and 1000 saved queries: {five}, {five}, {thousand}")


def test_post_with_existing_name_updates(api, project, create_view):
    view = create_view("event_view")
    response = api.post(
        views_url(project),
        {"name": "event_view", "query": hogql("select distinct_id from events"),
         "edited_history_id": view["latest_history_id"]},
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == view["id"]
    assert response.json()["columns"][0]["name"] == "distinct_id"


def test_put_replaces_name_and_query(api, project, create_view):
    view = create_view("event_view")
    response = api.put(
        views_url(project, view["id"]),
        {"name": "renamed", "query": hogql("select distinct_id from events"),
         "edited_history_id": view["latest_history_id"]},
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert (response.json()["name"], response.json()["status"]) == ("renamed", "Modified")
    assert api.put(views_url(project, view["id"]), {"query": hogql(EVENT_VIEW_SQL)}).status_code == 400


def test_delete_frees_the_name_and_hides_the_row(api, project, create_view):
    view = create_view("event_view")
    assert api.delete(views_url(project, view["id"])).status_code == 204
    for method in ("get", "patch", "delete"):
        assert getattr(api, method)(views_url(project, view["id"])).status_code == 404
    assert api.post(views_url(project, view["id"], "ancestors")).status_code == 404
    assert api.get(views_url(project)).json()["count"] == 0
    again = create_view("event_view")
    assert again["id"] != view["id"]


def test_patch_deleted_true_is_a_soft_delete(api, project, create_view):
    view = create_view("event_view")
    response = api.patch(views_url(project, view["id"]), {"deleted": True})
    assert response.status_code == 200
    assert response.json()["deleted"] is True and response.json()["name"].startswith("POSTHOG_DELETED_")
    assert SavedQuery.objects.get(pk=view["id"]).deleted_name == "event_view"
    assert api.get(views_url(project, view["id"])).status_code == 404


def test_every_write_is_in_the_activity_log(api, project, user, create_view):
    view = create_view("event_view")
    url = views_url(project, view["id"])
    renamed = api.patch(url, {"name": "renamed"}).json()
    assert renamed["latest_history_id"] != view["latest_history_id"]
    api.patch(url, {"sync_frequency": "1hour"})
    api.patch(url, {"name": "renamed"})  # no change: no entry, as PostHog
    activity = api.get(views_url(project, view["id"], "activity")).json()
    assert activity["total_count"] == 3
    entries = activity["results"]
    assert [entry["activity"] for entry in entries] == ["updated", "updated", "created"]
    assert entries[1]["detail"]["changes"] == [
        {"type": "DataWarehouseSavedQuery", "action": "changed", "field": "name", "before": "event_view",
         "after": "renamed"}
    ]  # fmt: skip
    assert {c["field"] for c in entries[0]["detail"]["changes"]} == {"sync_frequency", "is_materialized"}
    assert entries[0]["user"]["email"] == user.email and entries[0]["scope"] == "DataWarehouseSavedQuery"
    assert entries[0]["item_id"] == view["id"]

    api.delete(url)
    newest = ActivityLog.objects.filter(item_id=view["id"]).order_by("-created_at", "-id").first()
    assert newest.activity == "deleted" and newest.detail["name"] == "renamed"
    assert {c["field"] for c in newest.detail["changes"]} == {"name", "deleted"}


def test_activity_pages(api, project, create_view):
    view = create_view("event_view")
    for i in range(4):
        api.patch(views_url(project, view["id"]), {"name": f"name_{i}"})
    page = api.get(views_url(project, view["id"], "activity"), {"limit": 2, "page": 2}).json()
    assert page["total_count"] == 5 and len(page["results"]) == 2
    assert page["next"] and page["previous"]


@pytest.mark.parametrize("level", [0, -1, "two", 1.5, True])
def test_bad_level_is_400(api, project, create_view, level):
    view = create_view("event_view")
    for action in ("ancestors", "descendants"):
        response = api.post(views_url(project, view["id"], action), {"level": level})
        assert (response.status_code, response.json()["attr"]) == (400, "level"), (action, level)


@pytest.mark.parametrize(
    ("scopes", "method", "path", "expected"),
    [
        (["warehouse_view:read"], "get", "", 200),
        (["warehouse_view:read"], "post", "", 403),
        (["warehouse_view:read"], "get", "{id}/", 200),
        (["warehouse_view:read"], "patch", "{id}/", 403),
        (["warehouse_view:read"], "delete", "{id}/", 403),
        (["warehouse_view:read"], "post", "{id}/ancestors/", 200),
        (["warehouse_view:read"], "post", "{id}/descendants/", 200),
        (["warehouse_view:read"], "get", "{id}/activity/", 200),
        (["warehouse_view:read"], "post", "{id}/revert_materialization/", 403),
        (["warehouse_view:write"], "post", "{id}/revert_materialization/", 200),
        (["warehouse_view:write"], "patch", "{id}/", 200),
        (["warehouse_table:write"], "get", "", 403),
        (["query:read"], "get", "{id}/activity/", 403),
    ],
)
def test_scopes(client_with, project, create_view, scopes, method, path, expected):
    view = create_view("event_view")
    client = client_with(*scopes)
    response = getattr(client, method)(views_url(project) + path.format(id=view["id"]), {})
    assert response.status_code == expected, response.json() if response.content else None
    if expected == 403:
        assert "warehouse_view" in response.json()["detail"]


def test_unknown_id_and_malformed_id_are_404(api, project):
    assert api.get(views_url(project, uuid.uuid4())).status_code == 404
    assert api.get(views_url(project, "not-a-uuid")).status_code == 404
