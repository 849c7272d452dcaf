"""Materializing saved queries: claim a run (and the views that read it), cancel it, revert to a plain view.

A run is claimed by a conditional UPDATE (`status` not Running -> Running), so at most one run per view exists at
a time, whichever process or machine asks. A claimed view's materialized descendants are claimed with it and run
after it, in dependency order (runner.py executes the plan on the task queue, in the job of jobs.py).
"""

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, NotFound
from jobs.leases import take_dead
from users.models import Project, User
from warehouse.activity import changes_between, log_activity, snapshot
from warehouse.engine_tables import drop_engine_table
from warehouse.lineage import materialized_descendants
from warehouse.materialization.jobs import lost_lease_message, materialize
from warehouse.materialization.runner import abandon
from warehouse.models import MaterializationRun, SavedQuery
from warehouse.selectors import table_named

RUNNING = SavedQuery.Status.RUNNING
ALREADY_RUNNING = "This view is already running; cancel it first or wait for it to finish."


class NotRunningError(Exception):
    """Cancel was asked of a view that is not running (the API answers PostHog's 400 body)."""


def materialization_start(
    *, project: Project, saved_query_id: uuid.UUID, user: User | None = None, now: datetime | None = None
) -> list[MaterializationRun]:
    """Claims the view (409 when it is already running) and its materialized descendants, and queues the run."""
    now = now or timezone.now()
    end_dead_runs(saved_query_id=saved_query_id)
    with transaction.atomic():
        view = SavedQuery.objects.filter(project=project, pk=saved_query_id, deleted=False).first()
        if view is None:
            raise NotFound()
        if not claim(saved_query_id=view.pk, now=now):
            raise Conflict(ALREADY_RUNNING)
        return queue_plan(view=view, now=now, trigger=MaterializationRun.Trigger.MANUAL, user=user)


def claim(*, saved_query_id: uuid.UUID, now: datetime) -> bool:
    """Marks the view Running unless it already is.

    One UPDATE ... WHERE: of several workers racing for the same view, exactly one sees a row updated.
    """
    rows = SavedQuery.objects.filter(pk=saved_query_id, deleted=False).exclude(status=RUNNING)
    return rows.update(status=RUNNING, run_started_at=now) == 1


def claim_unless_run_since(
    *, saved_query_id: uuid.UUID, now: datetime, seen_started_at: datetime | None
) -> bool:
    """`claim`, only if the view's latest run is still the one seen (`seen_started_at`; None: it never ran)."""
    rows = SavedQuery.objects.filter(pk=saved_query_id, deleted=False).exclude(status=RUNNING)
    rows = (
        rows.filter(run_started_at=seen_started_at)
        if seen_started_at
        else rows.filter(run_started_at__isnull=True)
    )
    return rows.update(status=RUNNING, run_started_at=now) == 1


def queue_plan(
    *, view: SavedQuery, now: datetime, trigger: str, user: User | None = None
) -> list[MaterializationRun]:
    """For a view already claimed by the caller: claim its descendants and queue the plan (inside a transaction)."""
    plan = [view] + [d for d in materialized_descendants(view=view) if claim(saved_query_id=d.pk, now=now)]
    runs = [
        MaterializationRun(
            project_id=view.project_id,
            saved_query=member,
            trigger=trigger if position == 0 else MaterializationRun.Trigger.ANCESTOR,
            position=position,
            started_at=now,
            heartbeat_at=now,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        for position, member in enumerate(plan)
    ]
    job_id = materialize.enqueue_on_commit([str(run.pk) for run in runs])
    for run in runs:
        run.job_id = job_id
    MaterializationRun.objects.bulk_create(runs)
    return runs


def materialization_cancel(*, project: Project, saved_query_id: uuid.UUID) -> None:
    """Running -> Cancelled; the worker sees it within a moment and interrupts the engine query.

    A run whose worker died is ended here and now (Cancelled, its error saying the worker had stopped).
    """
    if not SavedQuery.objects.filter(project=project, pk=saved_query_id, deleted=False).exists():
        raise NotFound()
    with transaction.atomic():
        cancelled = SavedQuery.objects.filter(pk=saved_query_id, status=RUNNING).update(
            status=SavedQuery.Status.CANCELLED
        )
    if not cancelled:
        raise NotRunningError()
    end_dead_runs(saved_query_id=saved_query_id, cancelled=True)


def end_dead_runs(*, saved_query_id: uuid.UUID, cancelled: bool = False) -> int:
    """End this view's runs whose job holds a dead lease (its worker stopped): Failed, or Cancelled on cancel/.

    So `run/` and `cancel/` act on what is really running, not on a claim nobody will ever finish.
    """
    job_ids = list(
        MaterializationRun.objects.filter(
            saved_query_id=saved_query_id, status=MaterializationRun.Status.RUNNING
        )
        .exclude(job_id="")
        .values_list("job_id", flat=True)
        .distinct()
    )
    ended = 0
    for lease, lost in take_dead(job_ids) if job_ids else []:
        run_ids = (lease.args or {}).get("args", [[]])[0] if isinstance(lease.args, dict) else []
        status = MaterializationRun.Status.CANCELLED if cancelled else MaterializationRun.Status.FAILED
        ended += abandon(run_ids=run_ids, error=lost_lease_message(lost), status=status)
    return ended


def materialization_revert(*, project: Project, user: User | None, saved_query_id: uuid.UUID) -> None:
    """PostHog's revert: interval, last_run_at, latest_error and status cleared, is_materialized false, the table
    soft-deleted and unlinked (and dropped from the engine once committed); a running run stops (it sees the
    status change). Logged as an `updated` activity."""
    with transaction.atomic():
        view = (
            SavedQuery.objects.select_for_update(of=("self",))
            .select_related("table")
            .filter(project=project, pk=saved_query_id, deleted=False)
            .first()
        )
        if view is None:
            raise NotFound()
        before = snapshot(view)
        # Without a table of its own, a run may still have left one under the view's name; drop that, never a
        # loaded table the engine resolves the same name to.
        table_name: str | None = view.table.name if view.table is not None else view.name
        if view.table is None and table_named(project_id=project.pk, name=view.name) is not None:
            table_name = None
        if view.table is not None:
            view.table.soft_delete()
        view.table = None
        view.sync_frequency_interval = view.last_run_at = view.latest_error = view.status = None
        view.is_materialized, view.run_started_at = False, None
        view.save()
        changes = changes_between(before, snapshot(view))
        if changes:
            log_activity(project=project, user=user, saved_query=view, activity="updated", changes=changes)
        if table_name is not None:
            transaction.on_commit(lambda: drop_engine_table(project=project, name=table_name))
