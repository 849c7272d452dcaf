"""The materialization schedule: which views are due, and claiming each due run exactly once.

A view with a `sync_frequency` is due when it has never run, or its latest run started at least one interval
ago. Due views are claimed with a compare-and-set UPDATE on `run_started_at` (and status not Running), so when
several workers on several machines tick at once, each due run starts exactly once; the claim moves
`run_started_at` to now, so after downtime a view runs once, not once per missed interval.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from warehouse.lineage import dependency_order, live_views
from warehouse.materialization.services import claim_unless_run_since, queue_plan
from warehouse.models import MaterializationRun, SavedQuery


def due_saved_queries(*, now: datetime) -> list[SavedQuery]:
    """Views whose next run is due at `now`, ancestors before the views that read them."""
    candidates = SavedQuery.objects.filter(
        deleted=False, is_materialized=True, sync_frequency_interval__isnull=False
    ).exclude(status=SavedQuery.Status.RUNNING)
    due = [
        view
        for view in candidates
        if view.run_started_at is None or view.run_started_at + view.sync_frequency_interval <= now  # type: ignore[operator]  # not null: filtered above
    ]
    by_project: dict[int, dict[str, SavedQuery]] = {}
    for view in due:
        by_project.setdefault(view.project_id, {})[view.name] = view
    ordered: list[SavedQuery] = []
    for project_id, views in by_project.items():
        everything = live_views(project_id=project_id)
        ordered += [views[name] for name in dependency_order(names=set(views), views=everything)]
    return ordered


def claim_due_run(*, saved_query: SavedQuery, now: datetime) -> list[MaterializationRun]:
    """Claims one due view (and its materialized descendants) and queues the run; [] when another worker won."""
    with transaction.atomic():
        if not claim_unless_run_since(
            saved_query_id=saved_query.pk, now=now, seen_started_at=saved_query.run_started_at
        ):
            return []
        return queue_plan(view=saved_query, now=now, trigger=MaterializationRun.Trigger.SCHEDULE)


def schedule_due_runs(*, now: datetime | None = None) -> list[MaterializationRun]:
    """The periodic tick: start every due run (ancestors first; a view already claimed as a descendant is skipped)."""
    now = now or timezone.now()
    started: list[MaterializationRun] = []
    for view in due_saved_queries(now=now):
        started += claim_due_run(saved_query=view, now=now)
    return started
