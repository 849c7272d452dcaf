"""Executing a claimed plan: each view into its table (atomic swap), in order; a failure stops its descendants.

Runs on the task queue (the job in jobs.py). Nothing holds a database transaction while the engine
works; cancellation is seen by polling the view's status (on this job's own connection) from the engine's
watchdog thread, which then interrupts the engine query.
"""

import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from jobs.queue import TimeLimitExceeded, remaining_seconds
from warehouse.column_types import stored_column
from warehouse.engine import EngineError, QueryCancelledError, get_engine
from warehouse.engine_tables import drop_engine_table, drop_unowned_engine_table
from warehouse.hogql import HogQLError, analyze_view
from warehouse.lineage import ancestor_names, live_views
from warehouse.models import MaterializationRun, SavedQuery, WarehouseTable
from warehouse.names import name_key
from warehouse.naming import NAME_TAKEN
from warehouse.selectors import catalog_for, table_named

logger = logging.getLogger(__name__)

RUNNING = SavedQuery.Status.RUNNING
Outcome = tuple[str, str | None]  # (run status, error)


def execute_plan(*, run_ids: list[str]) -> None:
    """Runs each claimed view of one plan in order (ancestors first), within the job's time limit."""
    runs = list(
        MaterializationRun.objects.filter(pk__in=run_ids).select_related("saved_query").order_by("position")
    )
    stopped: dict[str, str] = {}  # view name -> why its descendants do not run
    for run in runs:
        _heartbeat(run_ids=run_ids)
        run.refresh_from_db()
        view = SavedQuery.objects.get(pk=run.saved_query_id)
        if run.status != MaterializationRun.Status.RUNNING:
            stopped[view.name] = f"Ancestor view {view.name} was {run.status.lower()}"
            continue
        blocked = sorted(
            ancestor_names(name=view.name, views=live_views(project_id=view.project_id)) & set(stopped)
        )
        if remaining_seconds() == 0:
            limit = float(settings.WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS)
            message = f"The run stopped: {TimeLimitExceeded(limit)} (WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS)"
            status, error = _finish(
                run=run, view=view, status=MaterializationRun.Status.FAILED, error=message
            )
        elif blocked:
            status, error = MaterializationRun.Status.FAILED, stopped[blocked[0]]
            _finish(run=run, view=view, status=status, error=error)
        else:
            status, error = _run_one(run=run, view=view)
        if status != MaterializationRun.Status.COMPLETED:
            stopped[view.name] = (
                stopped[blocked[0]] if blocked else f"Ancestor view {view.name} {_past(status)}"
            )


def abandon(*, run_ids: list[str], error: str, status: str = MaterializationRun.Status.FAILED) -> int:
    """Ends unfinished runs (and their views), Failed unless told otherwise: the job died or gave up."""
    count = 0
    for run in MaterializationRun.objects.filter(pk__in=run_ids, status=MaterializationRun.Status.RUNNING):
        _finish(run=run, view=run.saved_query, status=status, error=error)
        count += 1
    return count


def holds_claim(view: SavedQuery, run: MaterializationRun) -> bool:
    """Whether `run` is the view's current claim: Running, and not cancelled then claimed again by a newer run."""
    return view.status == RUNNING and view.run_started_at == run.started_at


def _run_one(*, run: MaterializationRun, view: SavedQuery) -> Outcome:
    if view.deleted or not holds_claim(view, run):  # cancelled, re-run or reverted before its turn came
        return _finish(run=run, view=view, status=MaterializationRun.Status.CANCELLED, error=None)
    if _name_taken_by_another_table(view):
        return _finish(run=run, view=view, status=MaterializationRun.Status.FAILED, error=NAME_TAKEN)
    engine = get_engine()
    catalog = catalog_for(project=view.project, exclude=view.pk)
    probe = CancelProbe(saved_query_id=view.pk, started_at=run.started_at)
    try:
        analyzed = analyze_view((view.query or {}).get("query", ""), catalog, engine, view_name=view.name)
        rows = engine.create_or_replace_table(
            catalog,
            view.name,
            analyzed.tree,
            timeout_seconds=_engine_timeout(),
            should_cancel=probe,
        )
        columns = engine.describe_table(catalog, view.name)
    except QueryCancelledError:
        return _finish(run=run, view=view, status=MaterializationRun.Status.CANCELLED, error=None)
    except (HogQLError, EngineError) as err:
        return _finish(run=run, view=view, status=MaterializationRun.Status.FAILED, error=str(err))
    finally:
        probe.close()
    return _finish(run=run, view=view, status=MaterializationRun.Status.COMPLETED, rows=rows, columns=columns)


def _name_taken_by_another_table(view: SavedQuery) -> bool:
    """A live table the engine resolves the view's name to, other than its own: the run would replace it."""
    other = table_named(project_id=view.project_id, name=view.name, exclude=view.table_id)
    own = (
        other is not None
        and other.format == WarehouseTable.Format.DELTA_S3_WRAPPER
        and other.name == view.name
    )
    return other is not None and not own


def _engine_timeout() -> float:
    """The per-query limit, or what is left of the job's time limit when that is less."""
    limit = float(settings.WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS)
    remaining = remaining_seconds()
    return limit if remaining is None else max(0.001, min(limit, remaining))


def _finish(
    *,
    run: MaterializationRun,
    view: SavedQuery,
    status: str,
    error: str | None = None,
    rows: int | None = None,
    columns: list[tuple[str, str]] | None = None,
) -> Outcome:
    """Records the outcome on the run and the view (one transaction); a completed run links the new table."""
    now = timezone.now()
    with transaction.atomic():
        current = SavedQuery.objects.select_for_update(of=("self",)).select_related("table").get(pk=view.pk)
        if status == MaterializationRun.Status.COMPLETED and (current.deleted or current.status is None):
            # Reverted or deleted while the engine worked: keep nothing of this run.
            status, error = (
                MaterializationRun.Status.CANCELLED,
                "The view was reverted or deleted during the run",
            )
            transaction.on_commit(lambda: _drop_quietly(view=current))
        elif status == MaterializationRun.Status.COMPLETED and name_key(current.name) != name_key(view.name):
            # Renamed while the engine worked: its table went in under the old name; keep nothing of this run.
            status, error = MaterializationRun.Status.CANCELLED, "The view was renamed during the run"
            transaction.on_commit(lambda: _drop_unowned(view=view))
        ended = MaterializationRun.objects.filter(pk=run.pk, status=MaterializationRun.Status.RUNNING).update(
            status=status, finished_at=now, heartbeat_at=now, error=error, rows_written=rows
        )
        if not ended:  # already ended elsewhere (its lease was reaped, or cancel/ ended a dead run)
            return MaterializationRun.objects.filter(pk=run.pk).values_list("status", "error").get()
        # A newer run may have claimed the view since (cancel/, then run/): the view's status is that run's.
        claimed = holds_claim(current, run)
        if status == MaterializationRun.Status.COMPLETED:
            _link_table(view=current, columns=columns or [], rows=rows)
            current.last_run_at, current.is_materialized = run.started_at, True
            if claimed:
                current.status = status
            current.save(update_fields=["status", "last_run_at", "is_materialized", "table"])
        elif status == MaterializationRun.Status.FAILED and claimed:
            # PostHog keeps last_run_at on failure and sets latest_error to the engine's message.
            current.status, current.latest_error = status, error
            current.save(update_fields=["status", "latest_error"])
        elif status == MaterializationRun.Status.CANCELLED and claimed:
            current.status = SavedQuery.Status.CANCELLED
            current.save(update_fields=["status"])
    return status, error


def _link_table(*, view: SavedQuery, columns: list[tuple[str, str]], rows: int | None) -> None:
    stored = {name: stored_column(engine_type) for name, engine_type in columns}
    table = view.table if view.table is not None and not view.table.deleted else None
    if table is None:
        table = WarehouseTable.objects.filter(
            project_id=view.project_id, name=view.name, deleted=False
        ).first()
    if table is None:
        table = WarehouseTable(project_id=view.project_id, name=view.name, created_by=view.created_by)
    table.name, table.format, table.columns, table.row_count = (
        view.name,
        WarehouseTable.Format.DELTA_S3_WRAPPER,
        stored,
        rows,
    )
    table.save()
    view.table = table


def _drop_quietly(*, view: SavedQuery) -> None:
    drop_engine_table(project=view.project, name=view.name)


def _drop_unowned(*, view: SavedQuery) -> None:
    drop_unowned_engine_table(project_id=view.project_id, name=view.name)


def _heartbeat(*, run_ids: list[str]) -> None:
    MaterializationRun.objects.filter(pk__in=run_ids, status=MaterializationRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def _past(status: str) -> str:
    return "was cancelled" if status == MaterializationRun.Status.CANCELLED else "failed"


class CancelProbe:
    """`should_cancel` for the engine: is the view still Running? Asked from the engine's watchdog thread.

    It reads on this job's own database connection (shared with the watchdog while the job waits on the engine,
    so no second connection is opened) and at most every WAREHOUSE_CANCEL_POLL_SECONDS.
    """

    def __init__(self, *, saved_query_id, started_at) -> None:
        self.saved_query_id = saved_query_id
        self.started_at = started_at  # a newer claim (cancel/, then run/ again) cancels this run too
        self.wrapper = connections[DEFAULT_DB_ALIAS]
        self.wrapper.inc_thread_sharing()
        self.every = float(settings.WAREHOUSE_CANCEL_POLL_SECONDS)
        self.checked_at = 0.0
        self.cancelled = False

    def __call__(self) -> bool:
        if self.cancelled or time.monotonic() - self.checked_at < self.every:
            return self.cancelled
        self.checked_at = time.monotonic()
        connections[DEFAULT_DB_ALIAS] = self.wrapper  # this thread only
        try:
            claim = SavedQuery.objects.filter(
                pk=self.saved_query_id, status=RUNNING, run_started_at=self.started_at
            )
            self.cancelled = not claim.exists()
        except DatabaseError:
            logger.warning(
                "Could not check whether run of %s was cancelled", self.saved_query_id, exc_info=True
            )
        return self.cancelled

    def close(self) -> None:
        self.wrapper.dec_thread_sharing()
