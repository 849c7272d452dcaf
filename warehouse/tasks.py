"""Warehouse background work on the shared task queue: materialization runs, the schedule tick, stale-run cleanup."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jobs import LostLease, job, resumer, sweeper
from warehouse.models import MaterializationRun

logger = logging.getLogger(__name__)

INTERRUPTED = "The run was interrupted (its worker stopped); it runs again when next due"


def lost_lease_message(lost: LostLease) -> str:
    """What a run whose job lost its lease records as its error."""
    if lost.timed_out:
        return f"The run stopped: {lost.reason} (WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS)"
    return f"The run stopped: {lost.reason}. Run it again with run/ (or it runs when next due)"


def _materialize_failed(exc: Exception, run_ids: list[str]) -> None:
    from warehouse.materialization_runner import abandon

    abandon(run_ids=run_ids, error=f"The run failed unexpectedly: {type(exc).__name__}")


def _materialize_lease_lost(lost: LostLease, run_ids: list[str]) -> None:
    from warehouse.materialization_runner import abandon

    abandon(run_ids=run_ids, error=lost_lease_message(lost))


def _project_of(run_ids: list[str]) -> int | None:
    return MaterializationRun.objects.filter(pk__in=run_ids).values_list("project_id", flat=True).first()


def _time_limit() -> float:
    return float(settings.WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS)


@job(
    on_failure=_materialize_failed,
    kind="materialization",
    time_limit=_time_limit,
    project_of=_project_of,
    on_lease_lost=_materialize_lease_lost,
)
def materialize(run_ids: list[str]) -> None:
    """Execute one claimed plan (a view, then the materialized views that read it), within the time limit."""
    from warehouse.materialization_runner import execute_plan

    execute_plan(run_ids=run_ids)


@db_periodic_task(crontab(minute="*"), name="warehouse.schedule_tick")
def schedule_tick() -> None:
    """Every minute, on whichever worker runs periodic tasks: start the materializations that are due."""
    from warehouse.scheduling import schedule_due_runs

    started = schedule_due_runs(now=timezone.now())
    if started:
        logger.info("Started %s scheduled materialization run(s)", len(started))


@resumer
def fail_stalled_runs() -> int:
    """Backstop for runs no lease covers (a task lost before a worker took it): no heartbeat for longer than a
    run may take -> Failed. Runs whose worker died mid-run are found sooner, by their job's lease."""
    from warehouse.materialization_runner import abandon

    limit = float(settings.WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS) + float(
        settings.WAREHOUSE_RUN_STALE_GRACE_SECONDS
    )
    cutoff = timezone.now() - timedelta(seconds=limit)
    stale = MaterializationRun.objects.filter(
        status=MaterializationRun.Status.RUNNING, heartbeat_at__lt=cutoff
    )
    return abandon(run_ids=[str(pk) for pk in stale.values_list("pk", flat=True)], error=INTERRUPTED)


@sweeper
def sweep_warehouse() -> list[str]:
    """What dead processes left: loads without a heartbeat (their row and engine table), scratch folders (scratch
    databases, spill files, staged input), staged uploads of finished loads. Never touches work in progress."""
    from warehouse.engine.scratch import sweep_scratch
    from warehouse.loading import reclaim_dead_loads, sweep_incoming

    return [
        *(f"dead load of table {name}" for name in reclaim_dead_loads()),
        *(f"scratch folder {name}" for name in sweep_scratch()),
        *(f"staged upload {name}" for name in sweep_incoming()),
    ]
