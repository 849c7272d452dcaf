"""Saved queries (views): create, update, delete, and PostHog's create-or-update.

Each service validates its input against the project's catalog (the name, the HogQL, the columns: a 400 on the
field at fault, with PostHog's messages), then writes in one transaction that also records the change history.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from core.errors import InvalidInput, NotFound
from users.models import Project, User
from warehouse.activity import change, changes_between, latest_activity_id, log_activity, snapshot
from warehouse.catalog import Catalog
from warehouse.column_types import plan_columns
from warehouse.engine import get_engine
from warehouse.engine_tables import drop_unowned_engine_table
from warehouse.hogql import AnalyzedQuery, HogQLError, analyze_view, columns_from_types
from warehouse.models import SavedQuery, SyncFrequency
from warehouse.naming import NAME_PATTERN, NameTaken, claim_name, validate_name
from warehouse.querying import validate_query_shape
from warehouse.selectors import catalog_for

MODIFIED_BY_SOMEONE_ELSE = "The query was modified by someone else."
QUERY_REQUIRED = "This field is required."  # the words of a missing required field, as for a missing name
CREATED_DELETED = "A saved query cannot be created deleted."


@dataclass(frozen=True)
class Definition:
    """A validated view definition: query, names it reads, columns (None: leave the stored ones)."""

    query: dict[str, Any]
    dependencies: list[str]
    columns: dict[str, Any] | None


def saved_query_create_or_update(
    *, project: Project, user: User | None, name: str, **fields: Any
) -> tuple[SavedQuery, bool]:
    """As PostHog, a create naming an existing view updates it: (the view, whether it was created).

    A concurrent request may create the view between the lookup and the create: the create then finds the name
    taken (the catalog, the claim under the project lock, or the unique index) and this request becomes the update
    of that view, as it would have been a moment later. A name taken by a table, or by a view whose name differs
    in case, stays the 400 it is without a race.
    """
    existing = _live_view_named(project=project, name=name)
    if existing is None:
        try:
            return saved_query_create(project=project, user=user, name=name, **fields), True
        except NameTaken:
            existing = _live_view_named(project=project, name=name)
            if existing is None:
                raise
    return saved_query_update(project=project, user=user, saved_query=existing, name=name, **fields), False


def saved_query_create(
    *,
    project: Project,
    user: User | None,
    name: str,
    query: Any = None,
    types: list[list[str]] | None = None,
    soft_update: bool = False,
    sync_frequency: str | None = None,
    deleted: bool = False,
    edited_history_id: str | None = None,
) -> SavedQuery:
    """Creates a view and its "created" history entry; `latest_history_id` is set on the returned object.

    `types` gives the columns instead of planning them; `soft_update` (PostHog's flag) skips the columns.
    """
    catalog = catalog_for(project=project)
    validate_name(name, catalog=catalog)
    analyzed = _analyze(query, catalog=catalog, view_name=name) if query is not None else None
    if analyzed is None:
        raise InvalidInput(QUERY_REQUIRED, attr="query", code="required")
    if deleted:
        raise InvalidInput(CREATED_DELETED, attr="deleted")
    definition = _definition(
        query,
        analyzed=analyzed,
        catalog=catalog,
        types=None if soft_update else types,
        infer_columns=not soft_update,
    )
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
    saved_query.latest_history_id = entry.pk  # type: ignore[attr-defined]  # what the selector annotates
    return saved_query


def saved_query_update(
    *,
    project: Project,
    user: User | None,
    saved_query: SavedQuery,
    name: str | None = None,
    query: Any = None,
    types: list[list[str]] | None = None,
    soft_update: bool = False,
    sync_frequency: str | None = None,
    deleted: bool = False,
    edited_history_id: str | None = None,
) -> SavedQuery:
    """Renames, redefines, reschedules or deletes a view; `latest_history_id` is set on the returned object.

    A new `query` is refused unless `edited_history_id` is the newest history entry (checked under the row lock,
    so of two clients editing the same version only the first succeeds); `soft_update` skips that check.
    """
    catalog = catalog_for(
        project=project, exclude=saved_query.pk
    )  # its own name is free, its SQL the new one
    if name is not None and name != saved_query.name:
        validate_name(name, catalog=catalog)
    definition = None
    if query is not None:
        view_name = name if name is not None else saved_query.name
        # The edited view, under its (new) name, is its new SQL: reading itself through others is a cycle.
        catalog.views[view_name] = _sql(query)
        analyzed = _analyze(query, catalog=catalog, view_name=view_name)
        definition = _definition(query, analyzed=analyzed, catalog=catalog, types=types, infer_columns=True)
    return _save_edit(
        project=project,
        user=user,
        saved_query_id=saved_query.pk,
        name=name,
        definition=definition,
        sync_frequency=sync_frequency,
        delete=deleted,
        check_history=query is not None and not soft_update,
        edited_history_id=edited_history_id,
    )


def saved_query_delete(*, project: Project, user: User | None, saved_query_id: uuid.UUID) -> None:
    """PostHog's soft delete: flagged, renamed `POSTHOG_DELETED_<uuid>` (the name is free), old name kept."""
    _save_edit(project=project, user=user, saved_query_id=saved_query_id, delete=True)


# --- validation -------------------------------------------------------------------------------------------------
def _live_view_named(*, project: Project, name: str) -> SavedQuery | None:
    if not NAME_PATTERN.fullmatch(name):  # only a valid name can exist (and a NUL byte is a PostgreSQL error)
        return None
    return SavedQuery.objects.filter(project=project, deleted=False, name=name).first()


def _sql(query: Any) -> str:
    return validate_query_shape(query)["query"]


def _analyze(query: Any, *, catalog: Catalog, view_name: str | None) -> AnalyzedQuery:
    """Parses and resolves the SQL against the catalog; the client-facing message of any failure is the 400."""
    try:
        return analyze_view(_sql(query), catalog, get_engine(), view_name=view_name)
    except HogQLError as error:  # a syntax error names the line and column
        raise InvalidInput(str(error), attr="query") from error


def _definition(
    query: dict[str, Any],
    *,
    analyzed: AnalyzedQuery,
    catalog: Catalog,
    types: list[list[str]] | None,
    infer_columns: bool,
) -> Definition:
    """Columns from the client's `types` if given, else planned by the engine, else (soft update) untouched."""
    columns = None
    try:
        if types:
            columns = columns_from_types(types)
        elif infer_columns:
            columns = plan_columns(analyzed, catalog)
    except HogQLError as error:
        raise InvalidInput(str(error), attr="types" if types else "query") from error
    return Definition(query=query, dependencies=list(analyzed.dependencies), columns=columns)


# --- writing ----------------------------------------------------------------------------------------------------
def _save_edit(
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
    """Applies an edit under a row lock: the history check, the write and the history entry are one step."""
    with transaction.atomic():
        saved_query = _locked(project=project, saved_query_id=saved_query_id)
        latest = latest_activity_id(item_id=saved_query.pk)
        if check_history and not _same_id(edited_history_id, latest):
            raise InvalidInput(MODIFIED_BY_SOMEONE_ELSE, attr="edited_history_id")
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
            saved_query.deleted_name = saved_query.name
            saved_query.name = f"POSTHOG_DELETED_{uuid.uuid4()}"
            saved_query.soft_delete(save=False)
        _save_unique(saved_query)
        changes = changes_between(before, snapshot(saved_query))
        if changes or delete:
            activity = "deleted" if delete else "updated"
            latest = log_activity(
                project=project, user=user, saved_query=saved_query, activity=activity, changes=changes
            ).pk
    saved_query.latest_history_id = latest  # type: ignore[attr-defined]  # what the selector annotates
    return saved_query


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

    The table's row is soft-deleted and unlinked (the old name is free, nothing queries stale rows under it; the
    next run writes the table under the new name), and once this commits the engine table is dropped unless a live
    view or table has taken the name by then (warehouse.engine_tables.drop_unowned_engine_table).
    """
    table = saved_query.table if saved_query.table is not None and not saved_query.table.deleted else None
    if table is None and not saved_query.is_materialized:
        return  # never materialized: the engine holds nothing under its name
    old_name = table.name if table is not None else saved_query.name
    if table is not None:
        table.soft_delete()
        saved_query.table = None
    project_id = saved_query.project_id
    transaction.on_commit(lambda: drop_unowned_engine_table(project_id=project_id, name=old_name))


def _save_unique(saved_query: SavedQuery) -> None:
    """Saves in a savepoint; a name taken meanwhile by a concurrent request (the unique index on lower(name)) is
    the same NameTaken as one taken before, and the caller's transaction stays usable."""
    try:
        with transaction.atomic():
            saved_query.save()
    except IntegrityError as error:
        raise NameTaken() from error


def _same_id(sent: str | None, latest: uuid.UUID | None) -> bool:
    """PostHog compares `str(sent) == str(latest)`; we also accept the same UUID spelt differently."""
    if sent is None or latest is None:
        return sent is None and latest is None
    try:
        return uuid.UUID(str(sent)) == latest
    except ValueError:
        return False
