"""Every validation rule of the saved-queries API: a 400 in PostHog's error shape with the field in `attr`."""

import pytest

from tests.warehouse.conftest import EVENT_VIEW_SQL, hogql, views_url
from warehouse.models import SavedQuery

ALLOWED = "1min, 5min, 15min, 30min, 1hour, 6hour, 12hour, 24hour, 7day, 30day, never"


@pytest.mark.parametrize(
    ("name", "detail"),
    [
        ("1abc", "1abc is not a valid view name. View names can only contain letters, numbers, '_', '.', or '$' "),
        ("my-view", "my-view is not a valid view name. View names can only contain letters, numbers, '_', '.', or '$' "),
        ("with space", "with space is not a valid view name. View names can only contain letters, numbers, '_', '.', or '$' "),
        ("persons", "persons is not a valid view name. View names cannot overlap with PostHog table names."),
        ("sessions", "sessions is not a valid view name. View names cannot overlap with PostHog table names."),
        ("", "This field may not be blank."),
        ("x" * 129, "Ensure this field has no more than 128 characters."),
    ],
)  # fmt: skip
def test_name_rules(api, project, name, detail):
    response = api.post(views_url(project), {"name": name, "query": hogql(EVENT_VIEW_SQL)})
    assert response.status_code == 400
    assert response.json() == {"type": "validation_error", "code": response.json()["code"], "detail": detail,
                               "attr": "name"}  # fmt: skip


@pytest.mark.parametrize("name", ["a", "_x", "$view", "schema.view_1", "A$b.c"])
def test_valid_names(create_view, name):
    assert create_view(name)["name"] == name


def test_name_taken_by_another_view(api, project, create_view):
    create_view("first")
    second = create_view("second")
    response = api.patch(views_url(project, second["id"]), {"name": "first"})
    assert response.status_code == 400
    assert (response.json()["attr"], response.json()["detail"]) == (
        "name",
        "A table with this name already exists.",
    )


def test_name_is_required_on_create(api, project):
    response = api.post(views_url(project), {"query": hogql(EVENT_VIEW_SQL)})
    assert (response.status_code, response.json()["attr"], response.json()["code"]) == (
        400,
        "name",
        "required",
    )


@pytest.mark.parametrize(
    ("query", "detail_start"),
    [
        (None, "This field may not be null."),
        ("select 1", "Invalid query. Expected {"),
        ({"query": "select 1"}, "Unsupported query kind None."),
        ({"kind": "EventsQuery", "query": "select 1"}, "Unsupported query kind 'EventsQuery'."),
        ({"kind": "HogQLQuery"}, "The query text is missing."),
        ({"kind": "HogQLQuery", "query": "   "}, "The query text is missing."),
        ({"kind": "HogQLQuery", "query": 5}, "The query text is missing."),
        (hogql("select " + "1, " * 40_000 + "1"), "The query is too long"),
    ],
)
def test_query_shape(api, project, query, detail_start):
    response = api.post(views_url(project), {"name": "v", "query": query})
    assert response.status_code == 400
    assert response.json()["attr"] == "query"
    assert response.json()["detail"].startswith(detail_start), response.json()


def test_query_is_required_on_create(api, project):
    """The same rule as a missing name, so the same code (`required`, not `invalid_input`)."""
    response = api.post(views_url(project), {"name": "v"})
    body = response.json()
    assert (response.status_code, body["attr"], body["code"], body["detail"]) == (
        400,
        "query",
        "required",
        "This field is required.",
    )


def test_syntax_error_is_400_with_line_and_column(api, project):
    response = api.post(
        views_url(project), {"name": "v", "query": hogql("select event\nfrom events where (")}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error" and body["attr"] == "query"
    assert "line 2" in body["detail"].lower() and "column" in body["detail"].lower(), body


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("select * from nowhere", "nowhere"),
        ("select no_such_column from events", "no_such_column"),
        ("select e.event from events e join missing m on e.uuid = m.id", "missing"),
    ],
)
def test_unknown_table_or_column(api, project, sql, named):
    response = api.post(views_url(project), {"name": "v", "query": hogql(sql)})
    assert response.status_code == 400
    assert response.json()["attr"] == "query"
    assert response.json()["detail"].startswith("Invalid query: ")
    assert named in response.json()["detail"]


@pytest.mark.parametrize(
    "sql",
    [
        "insert into events (event) values ('x')",
        "delete from events where 1 = 1",
        "drop table events",
        "select 1; select 2",
        "select * from file('/etc/passwd')",
        "select * from url('http://example.com/x.csv')",
        "select * from read_csv('/etc/passwd')",
    ],
)
def test_only_a_single_select_reading_the_catalog(api, project, sql):
    response = api.post(views_url(project), {"name": "v", "query": hogql(sql)})
    assert response.status_code == 400, sql
    assert response.json()["attr"] == "query"


def test_select_shapes_that_are_views(create_view):
    create_view("base", "select event, distinct_id from events")
    for index, sql in enumerate(
        [
            "with t as (select event from events) select event from t",
            "select event from (select event from events) as sub",
            "select event from events union all select event from base",
            "select e.event, p.id from events e left join persons p on e.person_id = p.id",
            "select properties.$browser as browser from events",
        ]
    ):
        create_view(f"ok_{index}", sql)


def test_cycle_through_views(api, project, create_view):
    first = create_view("first", "select event from events")
    create_view("second", "select event from first")
    create_view("third", "select event from second")
    response = api.patch(
        views_url(project, first["id"]),
        {"query": hogql("select event from third"), "edited_history_id": first["latest_history_id"]},
    )
    assert response.status_code == 400
    assert (response.json()["attr"], response.json()["detail"]) == ("query", "Model contains a cycle")


def test_self_reference_on_update_is_a_cycle(api, project, create_view):
    view = create_view("loop", "select event from events")
    response = api.patch(
        views_url(project, view["id"]),
        {"query": hogql("select event from loop"), "edited_history_id": view["latest_history_id"]},
    )
    assert response.status_code == 400
    assert response.json()["attr"] == "query"


@pytest.mark.parametrize(
    "value", ["1min", "5min", "15min", "30min", "1hour", "6hour", "12hour", "24hour", "7day", "30day"]
)
def test_sync_frequency_values(api, project, create_view, value):
    view = create_view("v")
    response = api.patch(views_url(project, view["id"]), {"sync_frequency": value})
    assert response.status_code == 200
    assert response.json()["sync_frequency"] == value
    assert response.json()["is_materialized"] is True


@pytest.mark.parametrize("value", ["2min", "15mins", "daily", "24 hours", 24, True])
def test_sync_frequency_rejects_anything_else(api, project, create_view, value):
    view = create_view("v")
    response = api.patch(views_url(project, view["id"]), {"sync_frequency": value})
    assert response.status_code == 400
    assert response.json()["attr"] == "sync_frequency"
    assert ALLOWED in response.json()["detail"]
    assert SavedQuery.objects.get(pk=view["id"]).is_materialized is False


def test_sync_frequency_null_leaves_it(api, project, create_view):
    view = create_view("v")
    api.patch(views_url(project, view["id"]), {"sync_frequency": "6hour"})
    response = api.patch(views_url(project, view["id"]), {"sync_frequency": None})
    assert (response.status_code, response.json()["sync_frequency"]) == (200, "6hour")


@pytest.mark.parametrize(
    "types",
    [[["event"]], "event String", [["event", 5]], [["a", "String", "extra"]], [["event", "NotAType"]]],
)
def test_types_shortcut_validation(api, project, types):
    response = api.post(views_url(project), {"name": "v", "query": hogql(EVENT_VIEW_SQL), "types": types})
    assert response.status_code == 400
    assert response.json()["attr"].startswith("types")


def test_cannot_create_deleted(api, project):
    response = api.post(views_url(project), {"name": "v", "query": hogql(EVENT_VIEW_SQL), "deleted": True})
    assert (response.status_code, response.json()["attr"]) == (400, "deleted")


def test_soft_update_on_create_skips_typing(api, project):
    response = api.post(
        views_url(project), {"name": "v", "query": hogql(EVENT_VIEW_SQL), "soft_update": True}
    )
    assert response.status_code == 201
    assert response.json()["columns"] == []
    assert SavedQuery.objects.get(pk=response.json()["id"]).dependencies == ["events"]


def test_soft_update_on_update_skips_history_check(api, project, create_view):
    view = create_view("v")
    response = api.patch(
        views_url(project, view["id"]),
        {"query": hogql("select distinct_id from events"), "edited_history_id": "stale", "soft_update": True},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["columns"][0]["name"] == "distinct_id"


def test_query_change_without_edited_history_id_is_refused(api, project, create_view):
    view = create_view("v")
    response = api.patch(views_url(project, view["id"]), {"query": hogql("select distinct_id from events")})
    assert response.status_code == 400
    assert response.json()["detail"] == "The query was modified by someone else."
