"""Runs in one project never conflict: two views at once on two worker threads, and run -> cancel -> run."""

import pytest

from jobs.testing import queue_on_disk, running_consumer
from tests.warehouse.conftest import views_url
from tests.warehouse.engine_support import wait_until
from warehouse.models import MaterializationRun, SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)
SLOW = "select a.event as event, count() as n from events a, events b group by a.event"


def _finished(run_id):
    run = MaterializationRun.objects.get(pk=run_id)
    return run if run.finished_at is not None else None


def test_two_views_of_one_project_materialize_at_the_same_time(api, project, seed, create_view, tmp_path):
    seed(project, events=3000)
    views = [create_view(f"view_{index}", SLOW) for index in range(3)]
    with queue_on_disk(tmp_path / "queue.sqlite3"), running_consumer(workers=3):
        runs = [api.post(views_url(project, view["id"], "run")).json()["runs"][0] for view in views]
        finished = [wait_until(lambda run=run: _finished(run["id"]), timeout=60) for run in runs]
    assert [run.status for run in finished] == ["Completed"] * 3, [run.error for run in finished]
    assert {view.status for view in SavedQuery.objects.filter(project=project)} == {"Completed"}


def test_run_cancel_run_on_one_view_succeeds(api, project, seed, create_view, tmp_path):
    seed(project, events=3000)
    view = create_view("again", SLOW)
    with queue_on_disk(tmp_path / "queue.sqlite3"), running_consumer(workers=2):
        first = api.post(views_url(project, view["id"], "run")).json()["runs"][0]
        assert api.post(views_url(project, view["id"], "cancel")).status_code == 200
        second = api.post(views_url(project, view["id"], "run"))
        assert second.status_code == 200, second.json()
        ended = wait_until(lambda: _finished(second.json()["runs"][0]["id"]), timeout=60)
        wait_until(lambda: _finished(first["id"]), timeout=60)
    assert ended.status == "Completed", ended.error
    assert _finished(first["id"]).status in ("Cancelled", "Completed")
    assert SavedQuery.objects.get(pk=view["id"]).status == "Completed"
