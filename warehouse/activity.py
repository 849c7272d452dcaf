"""The change history of saved queries: entries in PostHog's activity-log shape, and the newest one."""

import uuid
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from users.models import Project, User
from warehouse.models import ActivityLog, SavedQuery

SAVED_QUERY_SCOPE = "DataWarehouseSavedQuery"
# The fields whose before/after an "updated" entry records.
TRACKED_FIELDS = ("name", "query", "columns", "status", "sync_frequency", "is_materialized", "deleted")
NEWEST_FIRST = ("-created_at", "-id")


def snapshot(saved_query: SavedQuery) -> dict[str, Any]:
    """The tracked fields of a saved query as JSON values."""
    return {field: getattr(saved_query, field) for field in TRACKED_FIELDS}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        change(field=field, action="changed", before=before[field], after=after[field])
        for field in TRACKED_FIELDS
        if before[field] != after[field]
    ]


def change(*, field: str, action: str, before: Any, after: Any) -> dict[str, Any]:
    return {"type": SAVED_QUERY_SCOPE, "action": action, "field": field, "before": before, "after": after}


def log_activity(
    *,
    project: Project,
    user: User | None,
    saved_query: SavedQuery,
    activity: str,
    changes: list[dict[str, Any]],
) -> ActivityLog:
    detail = {
        "id": str(saved_query.pk),
        "name": saved_query.deleted_name if saved_query.deleted else saved_query.name,
        "short_id": None,
        "type": None,
        "changes": changes,
        "trigger": None,
        "context": None,
    }
    return ActivityLog.objects.create(
        project=project,
        user=user if user is not None and user.is_authenticated else None,
        activity=activity,
        scope=SAVED_QUERY_SCOPE,
        item_id=saved_query.pk,
        detail=detail,
    )


def activity_for(*, project: Project, item_id: uuid.UUID) -> QuerySet[ActivityLog]:
    return (
        ActivityLog.objects.filter(project=project, scope=SAVED_QUERY_SCOPE, item_id=item_id)
        .select_related("user")
        .order_by(*NEWEST_FIRST)
    )


def latest_activity_id(*, item_id: uuid.UUID) -> uuid.UUID | None:
    return (
        ActivityLog.objects.filter(scope=SAVED_QUERY_SCOPE, item_id=item_id)
        .order_by(*NEWEST_FIRST)
        .values_list("id", flat=True)
        .first()
    )


def latest_activity_subquery() -> Subquery:
    """The newest entry's id for each row of a SavedQuery queryset (one correlated subquery, no N+1)."""
    newest = (
        ActivityLog.objects.filter(scope=SAVED_QUERY_SCOPE, item_id=OuterRef("pk"))
        .order_by(*NEWEST_FIRST)
        .values("id")[:1]
    )
    return Subquery(newest)
