"""sync_frequency schedules runs: due on a controllable clock, caught up once, claimed by exactly one worker."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from tests.warehouse.conftest import views_url
from warehouse.materialization.schedule import claim_due_run, due_saved_queries, schedule_due_runs
from warehouse.models import MaterializationRun, SavedQuery
from warehouse.tasks import INTERRUPTED, fail_stalled_runs, schedule_tick

pytestmark = pytest.mark.django_db(transaction=True)
T0 = timezone.now().replace(microsecond=0) + timedelta(days=1)


@pytest.fixture
def hourly(api, project, seed, create_view):
    """A view materialized every hour (PATCH sync_frequency, as PostHog), never run yet."""
    seed(project, events=40)
    view = create_view("hourly", "select count() as n from events")
    assert api.patch(views_url(project, view["id"]), {"sync_frequency": "1hour"}).status_code == 200
    return SavedQuery.objects.get(pk=view["id"])


def _runs(view) -> list[MaterializationRun]:
    return list(MaterializationRun.objects.filter(saved_query=view).order_by("started_at"))


def test_a_scheduled_view_runs_when_due_and_not_before(hourly):
    assert [v.name for v in due_saved_queries(now=T0)] == ["hourly"]
    started = schedule_due_runs(now=T0)
    assert [(r.saved_query_id, r.trigger) for r in started] == [(hourly.pk, "schedule")]
    hourly.refresh_from_db()
    assert hourly.status == "Completed" and hourly.last_run_at == T0 and hourly.run_started_at == T0
    for minutes in (1, 30, 59):
        assert schedule_due_runs(now=T0 + timedelta(minutes=minutes)) == []
    assert len(schedule_due_runs(now=T0 + timedelta(hours=1))) == 1
    assert [r.status for r in _runs(hourly)] == ["Completed", "Completed"]


def test_after_downtime_a_due_run_is_caught_up_once_not_once_per_missed_interval(hourly):
    schedule_due_runs(now=T0)
    restart = T0 + timedelta(hours=10, minutes=5)  # ten intervals missed
    assert len(schedule_due_runs(now=restart)) == 1
    assert schedule_due_runs(now=restart + timedelta(seconds=1)) == []
    assert schedule_due_runs(now=restart + timedelta(minutes=59)) == []
    assert len(schedule_due_runs(now=restart + timedelta(hours=1))) == 1
    assert len(_runs(hourly)) == 3


def test_views_without_a_frequency_or_paused_are_never_due(api, project, hourly, create_view):
    create_view("plain", "select 1 as one")
    assert api.patch(views_url(project, hourly.pk), {"sync_frequency": "never"}).status_code == 200
    assert due_saved_queries(now=T0 + timedelta(days=365)) == []


def test_a_running_view_is_not_started_again(hourly):
    SavedQuery.objects.filter(pk=hourly.pk).update(status="Running")
    assert schedule_due_runs(now=T0) == []


def test_due_views_run_ancestors_first_and_a_descendant_runs_once(api, project, hourly, create_view):
    child = create_view("hourly_child", "select n * 2 as twice from hourly")
    assert api.patch(views_url(project, child["id"]), {"sync_frequency": "1hour"}).status_code == 200
    assert [v.name for v in due_saved_queries(now=T0)] == ["hourly", "hourly_child"]
    started = schedule_due_runs(now=T0)
    assert [(r.saved_query.name, r.trigger, r.position) for r in started] == [
        ("hourly", "schedule", 0),
        ("hourly_child", "ancestor", 1),
    ]
    assert SavedQuery.objects.get(pk=child["id"]).status == "Completed"


def test_two_workers_racing_for_the_same_due_run_start_it_once(hourly):
    """All read the view as due, then all claim at the same moment: exactly one wins.

    PostgreSQL: each thread has its own connection, so the conditional UPDATEs really race in the database.
    In-memory SQLite has one connection for all threads, whose transactions cannot interleave, so there the
    claims take turns (after all have read the same snapshot): the compare-and-set still lets only one win.
    """
    import contextlib

    workers = 4
    barrier = threading.Barrier(workers)
    results: list = [None] * workers
    main = connections["default"]
    shared = main if main.vendor == "sqlite" and main.is_in_memory_db() else None
    turns = threading.Lock()
    if shared is not None:  # one in-memory database: the threads use the test's connection, like the consumer
        shared.inc_thread_sharing()

    def worker(index: int) -> None:
        if shared is not None:
            connections["default"] = shared
        try:
            [due] = due_saved_queries(now=T0)
            barrier.wait(timeout=10)
            with turns if shared is not None else contextlib.nullcontext():
                results[index] = claim_due_run(saved_query=due, now=T0)
        finally:
            if shared is None:
                connection.close()

    was_immediate = HUEY.immediate
    HUEY.immediate = False  # claim only: keep the run queued instead of running it in the racing thread
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        HUEY.immediate = was_immediate
        if shared is not None:
            shared.dec_thread_sharing()
    winners = [runs for runs in results if runs]
    assert len(winners) == 1 and all(runs == [] for runs in results if runs != winners[0])
    assert MaterializationRun.objects.filter(saved_query=hourly).count() == 1
    assert SavedQuery.objects.get(pk=hourly.pk).status == "Running"


def test_a_run_whose_worker_died_is_failed_then_runs_again_when_due(hourly, settings):
    settings.WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS = 60
    settings.WAREHOUSE_RUN_STALE_GRACE_SECONDS = 60
    was_immediate = HUEY.immediate
    HUEY.immediate = False  # the job is queued and never picked up: its worker "died"
    try:
        [run] = schedule_due_runs(now=T0)
    finally:
        HUEY.immediate = was_immediate
        HUEY.storage.flush_queue()
    assert fail_stalled_runs() == 0  # still fresh
    MaterializationRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert fail_stalled_runs() == 1
    run.refresh_from_db()
    hourly.refresh_from_db()
    assert run.status == "Failed" and run.error == INTERRUPTED
    assert hourly.status == "Failed" and hourly.latest_error == INTERRUPTED
    assert len(schedule_due_runs(now=T0 + timedelta(hours=1))) == 1


def test_the_tick_is_a_periodic_task_on_the_queue(hourly):
    assert schedule_tick.name in {task.name for task in HUEY._registry.periodic_tasks}
    schedule_tick.call_local()
    hourly.refresh_from_db()
    assert hourly.status == "Completed"  # never run before, so due at once
