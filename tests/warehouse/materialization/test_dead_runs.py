"""A run whose worker died: run/, cancel/ and the sweep act on what is really running, never on a dead claim."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs import processes
from jobs.models import JobLease
from jobs.testing import dead_process_tag, hold_lease
from tests.warehouse.conftest import views_url
from warehouse.materialization.jobs import materialize
from warehouse.materialization.services import claim
from warehouse.models import MaterializationRun, SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)


def running_run(view_id, *, owner: str, job_id: str = "job-1", expires_in: float = 60) -> MaterializationRun:
    """A run claimed and picked up by a worker (which holds its job's lease), as the worker left it."""
    view = SavedQuery.objects.get(pk=view_id)
    now = timezone.now()
    assert claim(saved_query_id=view.pk, now=now)
    run = MaterializationRun.objects.create(
        project_id=view.project_id, saved_query=view, started_at=now, job_id=job_id
    )
    args = {"args": [[str(run.pk)]], "kwargs": {}}
    hold_lease(job_id, owner=owner, expires_in=expires_in, job_name=materialize.name, args=args)
    return run


def test_cancel_ends_a_run_whose_worker_died(api, project, create_view):
    view = create_view("dead_cancel")
    run = running_run(view["id"], owner=dead_process_tag())

    response = api.post(views_url(project, view["id"], "cancel"))

    assert response.status_code == 200
    run.refresh_from_db()
    assert run.status == "Cancelled" and run.finished_at is not None
    assert run.error.startswith("The run stopped: the worker running it stopped (killed or crashed)")
    assert api.get(views_url(project, view["id"])).json()["status"] == "Cancelled"
    assert api.post(views_url(project, view["id"], "run")).json()["runs"][0]["status"] == "Completed"


def test_run_is_not_blocked_by_a_dead_claim(api, project, create_view):
    view = create_view("dead_run")
    dead = running_run(view["id"], owner=processes.current_tag(), expires_in=-1)  # expired: nobody renews it

    response = api.post(views_url(project, view["id"], "run"))

    assert response.status_code == 200, response.json()
    assert response.json()["runs"][0]["status"] == "Completed"
    dead.refresh_from_db()
    assert dead.status == "Failed" and "worker running it stopped" in dead.error


def test_run_still_refuses_while_a_live_worker_runs_the_view(api, project, create_view):
    view = create_view("live_run")
    running_run(view["id"], owner=processes.current_tag())
    assert api.post(views_url(project, view["id"], "run")).status_code == 409


def test_the_sweep_fails_runs_whose_worker_died_and_those_past_their_time_limit(api, project, create_view):
    stopped = running_run(create_view("stopped")["id"], owner=dead_process_tag(), job_id="a")
    overran = running_run(create_view("overran")["id"], owner="00000000.1.1", job_id="b", expires_in=-1)
    JobLease.objects.filter(job_id="b").update(deadline=timezone.now())

    call_command("sweep_jobs")

    stopped.refresh_from_db()
    overran.refresh_from_db()
    assert stopped.status == "Failed" and "the worker running it stopped" in stopped.error
    assert overran.status == "Failed"
    assert (
        "ran longer than its time limit" in overran.error
        and "WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS" in overran.error
    )
    assert SavedQuery.objects.get(pk=stopped.saved_query_id).status == "Failed"
