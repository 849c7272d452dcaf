"""Warehouse background work on the shared task queue: the schedule tick, stale-run cleanup, the sweep of what dead
processes left. The jobs themselves live beside their services: `materialize` in materialization/jobs.py,
`load_table` in loading.py (both imported here, so every worker knows them)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jobs.resume import resumer
from jobs.sweep import sweeper
from warehouse.engine.scratch import sweep_scratch
from warehouse.loading import load_table, reclaim_dead_loads, sweep_incoming
from warehouse.materialization.jobs import materialize
from warehouse.materialization.runner import abandon
from warehouse.materialization.schedule import schedule_due_runs
from warehouse.models import MaterializationRun

logger = logging.getLogger(__name__)

INTERRUPTED = "The run was interrupted (its worker stopped); it runs again when next due"
JOBS = (
    materialize,
    load_table,
)  # declared where they are queued; listed so importing this module registers them


@db_periodic_task(crontab(minute="*"), name="warehouse.schedule_tick")
def schedule_tick() -> None:
    """Every minute, on whichever worker runs periodic tasks: start the materializations that are due."""
    started = schedule_due_runs(now=timezone.now())
    if started:
        logger.info("Started %s scheduled materialization run(s)", len(started))


@resumer
def fail_stalled_runs() -> int:
    """Backstop for runs no lease covers (a task lost before a worker took it): no heartbeat for longer than a
    run may take -> Failed. Runs whose worker died mid-run are found sooner, by their job's lease."""
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
    return [
        *(f"dead load of table {name}" for name in reclaim_dead_loads()),
        *(f"scratch folder {name}" for name in sweep_scratch()),
        *(f"staged upload {name}" for name in sweep_incoming()),
    ]
