"""The materialization job on the shared task queue: one claimed plan per job, leased, within the time limit."""

from django.conf import settings

from jobs.leases import LostLease
from jobs.queue import job
from warehouse.materialization.runner import abandon, execute_plan
from warehouse.models import MaterializationRun


def lost_lease_message(lost: LostLease) -> str:
    """What a run whose job lost its lease records as its error."""
    if lost.timed_out:
        return f"The run stopped: {lost.reason} (WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS)"
    return f"The run stopped: {lost.reason}. Run it again with run/ (or it runs when next due)"


def _materialize_failed(exc: Exception, run_ids: list[str]) -> None:
    abandon(run_ids=run_ids, error=f"The run failed unexpectedly: {type(exc).__name__}")


def _materialize_lease_lost(lost: LostLease, run_ids: list[str]) -> None:
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
    name="warehouse.tasks.materialize",  # where it was defined until the materialization/ package
)
def materialize(run_ids: list[str]) -> None:
    """Execute one claimed plan (a view, then the materialized views that read it), within the time limit."""
    execute_plan(run_ids=run_ids)
