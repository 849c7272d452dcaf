"""A materialized view that is renamed or deleted leaves no engine table behind under its old name, and never drops
a table that a live view or table owns by then (names compared by the engine's rule)."""

import pytest
from django.db import transaction

from tests.warehouse.conftest import views_url
from tests.warehouse.engine_support import reads_table, run_query
from tests.warehouse.tables.test_tables_api import upload
from warehouse.engine import get_engine
from warehouse.models import SavedQuery, WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)
COUNT_SQL = "select event, count() as n from events group by event"
CSV = b"plan,price\nfree,0\npro,20\n"


def _engine_tables(project) -> set[str]:
    return set(get_engine().inspect_project(project.pk).tables)


@pytest.fixture
def materialized(api, project, seed, create_view):
    """A view `by_event` run once: its engine table exists."""
    seed(project, events=80)
    view = create_view("by_event", COUNT_SQL)
    [run] = api.post(views_url(project, view["id"], "run")).json()["runs"]
    assert run["status"] == "Completed", run
    assert "by_event" in _engine_tables(project)
    return view


def test_a_renamed_materialized_view_drops_its_old_engine_table(api, project, materialized):
    response = api.patch(views_url(project, materialized["id"]), {"name": "events_by_name"})
    assert response.status_code == 200, response.json()
    assert "by_event" not in _engine_tables(project)
    assert WarehouseTable.objects.get(
        project=project, name="by_event"
    ).deleted  # its row too: the name is free
    assert SavedQuery.objects.get(pk=materialized["id"]).table_id is None
    stale = run_query(api, project, "select sum(n) from by_event")
    assert stale.status_code == 400  # the old name reads nothing any more
    body = run_query(api, project, "select sum(n) from events_by_name").json()
    assert body["results"] == [[80]]  # the view itself, inlined until its next run
    [run] = api.post(views_url(project, materialized["id"], "run")).json()["runs"]
    assert run["status"] == "Completed", run
    assert {"events_by_name"} <= _engine_tables(project) and "by_event" not in _engine_tables(project)
    body = run_query(api, project, "select sum(n) from events_by_name").json()
    assert body["results"] == [[80]] and reads_table(body["engine_sql"], "events_by_name")


def test_a_deleted_materialized_view_drops_its_engine_table(api, project, materialized):
    assert api.delete(views_url(project, materialized["id"])).status_code == 204
    assert "by_event" not in _engine_tables(project)
    assert upload(api, project, "by_event", CSV, "CSVWithNames").status_code == 201  # the name is free


def test_deleted_through_patch_drops_it_too(api, project, materialized):
    assert api.patch(views_url(project, materialized["id"]), {"deleted": True}).status_code == 200
    assert "by_event" not in _engine_tables(project)


def test_a_table_that_took_the_old_name_is_never_dropped(api, project, materialized):
    # The rename and a load of the old name commit together: when the drop runs, a live table owns the name.
    with transaction.atomic():
        assert api.patch(views_url(project, materialized["id"]), {"name": "renamed"}).status_code == 200
        assert upload(api, project, "BY_EVENT", CSV, "CSVWithNames").status_code == 201
    assert "BY_EVENT" in {name.upper() for name in _engine_tables(project)}
    assert run_query(api, project, "select sum(price) from BY_EVENT").json()["results"] == [[20]]


def test_a_view_that_took_the_old_name_keeps_it(api, project, materialized, create_view):
    with transaction.atomic():
        assert api.patch(views_url(project, materialized["id"]), {"name": "renamed"}).status_code == 200
        create_view("by_event", "select 1 as one")
    assert "by_event" in _engine_tables(project)  # owned by a live view's name: left alone


def test_a_plain_view_deleted_touches_no_table_of_its_name(api, project, create_view, seed):
    seed(project, events=10)
    view = create_view("plain", "select 1 as one")
    assert api.patch(views_url(project, view["id"]), {"name": "other"}).status_code == 200
    assert upload(api, project, "plain", CSV, "CSVWithNames").status_code == 201
    assert api.delete(views_url(project, view["id"])).status_code == 204
    assert "plain" in _engine_tables(project)
