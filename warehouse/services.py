"""Writes for saved queries: each service is one transaction that also records the change history."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError

from users.models import Project, User
from warehouse.activity import change, changes_between, latest_activity_id, log_activity, snapshot
from warehouse.models import SavedQuery, SyncFrequency, WarehouseTable
from warehouse.names import core_table_named, same_table_as

MODIFIED_BY_SOMEONE_ELSE = "The query was modified by someone else."
NAME_TAKEN = "A table with this name already exists."


def core_name_message(name: str, kind: str = "view") -> str:
    """PostHog's refusal of a name that is (under the engine's rules) one of its own tables."""
    return f"{name} is not a valid {kind} name. {kind.capitalize()} names cannot overlap with PostHog table names."


def claim_name(*, project: Project, name: str, kind: str = "view", view_id: uuid.UUID | None = None) -> None:
    """Inside the caller's transaction: `name` is no core table and no other live view or table of the project.

    Names are compared by the engine's rules (warehouse/names.py). The project row is locked first, so two
    requests claiming `plans` and `PLANS` (a view and a table, which no single unique index covers) run one
    after the other and the second sees the first; the per-model unique indexes on lower(name) back this up.
    """
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True))
    if core_table_named(name) is not None:
        raise ValidationError({"name": [core_name_message(name, kind)]})
    views = SavedQuery.objects.filter(project=project, deleted=False).exclude(pk=view_id)
    tables = WarehouseTable.objects.filter(project=project, deleted=False)
    taken = [*views.values_list("name", flat=True), *tables.values_list("name", flat=True)]
    if same_table_as(name, taken) is not None:
        raise ValidationError({"name": [NAME_TAKEN]})


@dataclass(frozen=True)
class Definition:
    """A validated view definition: query, names it reads, columns (None: leave the stored ones)."""

    query: dict[str, Any]
    dependencies: list[str]
    columns: dict[str, Any] | None


def saved_query_create(
    *,
    project: Project,
    user: User | None,
    name: str,
    definition: Definition,
    sync_frequency: str | None = None,
) -> SavedQuery:
    """Creates a view and its "created" history entry; `latest_history_id` is set on the returned object."""
    saved_query = SavedQuery(
        project=project,
        name=name,
        query=definition.query,
        dependencies=definition.dependencies,
        columns=definition.columns or {},
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _apply_sync_frequency(saved_query, sync_frequency)
    with transaction.atomic():
        claim_name(project=project, name=name)
        _save_unique(saved_query)
        entry = log_activity(
            project=project,
            user=user,
            saved_query=saved_query,
            activity="created",
            changes=[change(field="query", action="created", before=None, after=saved_query.query)],
        )
    saved_query.latest_history_id = entry.pk
    return saved_query


def saved_query_update(
    *,
    project: Project,
    user: User | None,
    saved_query_id: uuid.UUID,
    name: str | None = None,
    definition: Definition | None = None,
    sync_frequency: str | None = None,
    delete: bool = False,
    check_history: bool = False,
    edited_history_id: str | None = None,
) -> SavedQuery:
    """Applies an edit under a row lock: the history check, the write and the history entry are one step.

    With `check_history`, the edit is refused unless `edited_history_id` is the newest history entry, so of
    two clients editing the same version only the first succeeds.
    """
    with transaction.atomic():
        saved_query = _locked(project=project, saved_query_id=saved_query_id)
        latest = latest_activity_id(item_id=saved_query.pk)
        if check_history and not _same_id(edited_history_id, latest):
            raise ValidationError({"edited_history_id": [MODIFIED_BY_SOMEONE_ELSE]})
        before = snapshot(saved_query)
        if name is not None and name != saved_query.name:
            claim_name(project=project, name=name, view_id=saved_query.pk)
            _leave_materialized_table(saved_query)
            saved_query.name = name
        if definition is not None:
            saved_query.query = definition.query
            saved_query.dependencies = definition.dependencies
            if definition.columns is not None:
                saved_query.columns = definition.columns
            saved_query.status = SavedQuery.Status.MODIFIED
        _apply_sync_frequency(saved_query, sync_frequency)
        if delete:
            _leave_materialized_table(saved_query)
            _mark_deleted(saved_query)
        _save_unique(saved_query)
        changes = changes_between(before, snapshot(saved_query))
        if changes or delete:
            activity = "deleted" if delete else "updated"
            latest = log_activity(
                project=project, user=user, saved_query=saved_query, activity=activity, changes=changes
            ).pk
    saved_query.latest_history_id = latest
    return saved_query


def saved_query_delete(*, project: Project, user: User | None, saved_query_id: uuid.UUID) -> None:
    """PostHog's soft delete: flagged, renamed `POSTHOG_DELETED_<uuid>` (the name is free), old name kept."""
    saved_query_update(project=project, user=user, saved_query_id=saved_query_id, delete=True)


def _locked(*, project: Project, saved_query_id: uuid.UUID) -> SavedQuery:
    saved_query = (
        SavedQuery.objects.select_for_update(of=("self",))
        .select_related("table")
        .filter(project=project, pk=saved_query_id, deleted=False)
        .first()
    )
    if saved_query is None:
        raise NotFound()
    return saved_query


def _apply_sync_frequency(saved_query: SavedQuery, sync_frequency: str | None) -> None:
    """As PostHog: any frequency, `never` included, marks the view materialized; `never` clears it."""
    if not sync_frequency:
        return
    saved_query.sync_frequency_interval = SyncFrequency.to_interval(sync_frequency)
    saved_query.is_materialized = True


def _leave_materialized_table(saved_query: SavedQuery) -> None:
    """A materialized view renamed or deleted leaves its engine table under the old name.

    The table's row is soft-deleted and unlinked (the old name is free, nothing queries stale rows under it; the next run writes
    the table under the new name), and once this commits the engine table is dropped unless a live view or table
    has taken the name by then (warehouse.materialization.drop_unowned_engine_table).
    """
    table = saved_query.table if saved_query.table is not None and not saved_query.table.deleted else None
    if table is None and not saved_query.is_materialized:
        return  # never materialized: the engine holds nothing under its name
    old_name = table.name if table is not None else saved_query.name
    if table is not None:
        table.deleted, table.deleted_at = True, timezone.now()
        table.save(update_fields=["deleted", "deleted_at"])
        saved_query.table = None
    project_id = saved_query.project_id

    def drop_old_table() -> None:
        from warehouse.materialization import drop_unowned_engine_table

        drop_unowned_engine_table(project_id=project_id, name=old_name)

    transaction.on_commit(drop_old_table)


def _mark_deleted(saved_query: SavedQuery) -> None:
    saved_query.deleted = True
    saved_query.deleted_at = timezone.now()
    saved_query.deleted_name = saved_query.name
    saved_query.name = f"POSTHOG_DELETED_{uuid.uuid4()}"
    if saved_query.table is not None:
        saved_query.table.deleted, saved_query.table.deleted_at = True, saved_query.deleted_at
        saved_query.table.save(update_fields=["deleted", "deleted_at"])


def _save_unique(saved_query: SavedQuery) -> None:
    """Saves; a name taken meanwhile by a concurrent request is the same 400 as one taken before."""
    try:
        with transaction.atomic():
            saved_query.save()
    except IntegrityError as error:
        raise ValidationError({"name": [NAME_TAKEN]}) from error


def _same_id(sent: str | None, latest: uuid.UUID | None) -> bool:
    """PostHog compares `str(sent) == str(latest)`; we also accept the same UUID spelt differently."""
    if sent is None or latest is None:
        return sent is None and latest is None
    try:
        return uuid.UUID(str(sent)) == latest
    except ValueError:
        return False
