"""run / cancel / revert_materialization / run_history: every state transition, through the API.

The task queue runs jobs at once in tests (TASKS_IMMEDIATE), when the claiming transaction commits; the tests
that need a run in the background use a real Huey consumer (test_cancel_and_swap.py).
"""

import pytest
from sqlglot import exp

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import reads_table, run_query
from warehouse.catalog import build_catalog
from warehouse.engine import EngineError, get_engine
from warehouse.models import MaterializationRun, SavedQuery, WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)
COUNT_SQL = "select event, count() as n from events group by event"
NOT_RUNNING = {"error": "Cannot cancel a query that is not running"}


def _engine_rows(project, name: str) -> list[tuple]:
    engine = get_engine()
    query = exp.select("*").from_(engine.table(project.pk, name)).order_by("1")
    return engine.run_query(build_catalog(project.pk), query, limit=1000).rows


def test_run_completes_and_the_view_reads_its_table(api, project, seed, create_view):
    seed(project, events=400)
    view = create_view("by_event", COUNT_SQL)
    assert view["status"] is None and view["last_run_at"] is None
    response = api.post(views_url(project, view["id"], "run"))
    assert response.status_code == 200, response.json()
    [run] = response.json()["runs"]
    assert run["status"] == "Completed" and run["trigger"] == "manual" and run["error"] is None
    assert run["rows_written"] == len(_engine_rows(project, "by_event")) > 0
    assert run["finished_at"] and run["duration_seconds"] >= 0
    saved = api.get(views_url(project, view["id"])).json()
    assert saved["status"] == "Completed" and saved["is_materialized"] is True
    assert saved["last_run_at"] == run["started_at"] and saved["latest_error"] is None
    table = WarehouseTable.objects.get(project=project, name="by_event", deleted=False)
    assert SavedQuery.objects.get(pk=view["id"]).table_id == table.pk
    assert set(table.columns) == {"event", "n"} and table.row_count == run["rows_written"]
    body = run_query(api, project, "select sum(n) from by_event").json()
    assert body["results"] == [[400]]
    assert reads_table(body["engine_sql"], "by_event")  # the materialized table, not the inlined SQL


# How each engine says that toInt64('$pageview') has no number in it (DuckDB converts as ClickHouse does).
NOT_A_NUMBER = {"duckdb": "Cannot parse string", "clickhouse": "Cannot parse string"}


def test_a_failing_query_fails_with_the_engines_message_and_keeps_last_run_at(
    api, project, seed, create_view, settings
):
    seed(project, events=50)
    view = create_view("as_numbers", "select toInt64(event) as x from events")
    [run] = api.post(views_url(project, view["id"], "run")).json()["runs"]
    assert run["status"] == "Failed" and NOT_A_NUMBER[settings.WAREHOUSE_ENGINE] in run["error"]
    saved = api.get(views_url(project, view["id"])).json()
    assert saved["status"] == "Failed" and saved["latest_error"] == run["error"]
    assert saved["last_run_at"] is None
    with pytest.raises(EngineError):
        get_engine().describe_table(build_catalog(project.pk), "as_numbers")


def test_running_again_replaces_the_table(api, project, seed, create_view):
    seed(project, events=100)
    view = create_view("n_events", "select count() as n from events")
    api.post(views_url(project, view["id"], "run"))
    seed(project, events=250)
    api.post(views_url(project, view["id"], "run"))
    assert _engine_rows(project, "n_events") == [(250,)]
    history = api.get(views_url(project, view["id"], "run_history")).json()
    assert history["count"] == 2 and [r["status"] for r in history["results"]] == ["Completed", "Completed"]
    assert history["results"][0]["started_at"] >= history["results"][1]["started_at"]  # newest first


def test_run_while_running_is_a_409_and_cancel_when_idle_is_posthogs_400(api, project, create_view):
    view = create_view("v", "select 1 as one")
    response = api.post(views_url(project, view["id"], "cancel"))
    assert response.status_code == 400 and response.json() == NOT_RUNNING
    SavedQuery.objects.filter(pk=view["id"]).update(status="Running")
    response = api.post(views_url(project, view["id"], "run"))
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert MaterializationRun.objects.count() == 0


def test_cancel_sets_cancelled_and_a_queued_run_then_does_nothing(api, project, create_view):
    """Cancel between claim and start: the job sees Cancelled and leaves the table alone."""
    from django.db import transaction

    from warehouse.materialization.services import materialization_start

    view = create_view("later", "select 1 as one")
    with transaction.atomic():  # the job is queued on commit; cancel first, in the same transaction
        [run] = materialization_start(project=project, saved_query_id=view["id"])
        assert api.post(views_url(project, view["id"], "cancel")).status_code == 200
    run.refresh_from_db()
    assert run.status == "Cancelled" and run.finished_at is not None
    assert SavedQuery.objects.get(pk=view["id"]).status == "Cancelled"
    with pytest.raises(EngineError):
        get_engine().describe_table(build_catalog(project.pk), "later")


def test_revert_materialization_drops_the_table_and_resets_as_posthog(api, project, seed, create_view):
    seed(project, events=60)
    view = create_view("rev", COUNT_SQL)
    assert api.patch(views_url(project, view["id"]), {"sync_frequency": "24hour"}).status_code == 200
    api.post(views_url(project, view["id"], "run"))
    response = api.post(views_url(project, view["id"], "revert_materialization"))
    assert response.status_code == 200
    saved = SavedQuery.objects.get(pk=view["id"])
    assert (saved.status, saved.last_run_at, saved.latest_error) == (None, None, None)
    assert (saved.sync_frequency_interval, saved.is_materialized, saved.table_id) == (None, False, None)
    assert saved.run_started_at is None
    assert WarehouseTable.objects.get(project=project, name="rev").deleted is True
    with pytest.raises(EngineError):
        get_engine().describe_table(build_catalog(project.pk), "rev")
    body = run_query(api, project, "select sum(n) from rev").json()
    assert body["results"] == [[60]] and not reads_table(body["engine_sql"], "rev")  # inlined again
    assert api.get(views_url(project, view["id"], "run_history")).json()["count"] == 1  # history is kept


def test_views_that_read_a_materialized_view_run_after_it(api, project, seed, create_view):
    seed(project, events=120)
    parent = create_view("parent", COUNT_SQL)
    child = create_view("child", "select sum(n) as total from parent")
    grandchild = create_view("grandchild", "select total * 2 as doubled from child")
    create_view("plain", "select total from child")  # not materialized: not run
    api.post(views_url(project, child["id"], "run"))
    api.post(views_url(project, grandchild["id"], "run"))
    seed(project, events=300)
    runs = api.post(views_url(project, parent["id"], "run")).json()["runs"]
    assert [(r["name"], r["trigger"], r["status"]) for r in runs] == [
        ("parent", "manual", "Completed"),
        ("child", "ancestor", "Completed"),
        ("grandchild", "ancestor", "Completed"),
    ]
    assert _engine_rows(project, "child") == [(300,)] and _engine_rows(project, "grandchild") == [(600,)]
    assert runs[0]["finished_at"] <= runs[1]["started_at"] or runs[1]["finished_at"] >= runs[0]["finished_at"]


def test_a_failed_ancestor_marks_its_descendants_failed_and_leaves_their_tables(
    api, project, seed, create_view
):
    seed(project, events=80)
    parent = create_view("src", "select event as e from events")
    child = create_view("summary", "select count() as n from src")
    api.post(views_url(project, parent["id"], "run"))
    api.post(views_url(project, child["id"], "run"))
    patch = {"query": hogql("select toInt64(event) as e from events"), "edited_history_id": None}
    patch["edited_history_id"] = api.get(views_url(project, parent["id"])).json()["latest_history_id"]
    assert api.patch(views_url(project, parent["id"]), patch).status_code == 200
    runs = api.post(views_url(project, parent["id"], "run")).json()["runs"]
    assert [(r["name"], r["status"]) for r in runs] == [("src", "Failed"), ("summary", "Failed")]
    assert runs[1]["error"] == "Ancestor view src failed"
    child_state = api.get(views_url(project, child["id"])).json()
    assert child_state["status"] == "Failed" and child_state["latest_error"] == "Ancestor view src failed"
    assert _engine_rows(project, "summary") == [(80,)]  # the previous table is still there


@pytest.mark.parametrize(
    ("action", "method", "scope", "expected"),
    [
        ("run", "post", "warehouse_view:read", 403),
        ("run", "post", "warehouse_view:write", 200),
        ("cancel", "post", "warehouse_view:read", 403),
        ("cancel", "post", "warehouse_view:write", 400),
        ("revert_materialization", "post", "warehouse_view:read", 403),
        ("revert_materialization", "post", "warehouse_view:write", 200),
        ("run_history", "get", "warehouse_view:read", 200),
        ("run_history", "get", "query:read", 403),
    ],
)
def test_each_action_declares_its_scope(client_with, project, create_view, action, method, scope, expected):
    view = create_view("scoped", "select 1 as one")
    response = getattr(client_with(scope), method)(views_url(project, view["id"], action))
    assert response.status_code == expected, response.json() if response.content else None
