"""Reads for saved queries: the listing queryset, the project's catalog, and the view lineage graph."""

import uuid
from collections import deque
from typing import Literal

from django.db.models import QuerySet

from users.models import Project
from warehouse.activity import latest_activity_subquery
from warehouse.catalog import Catalog, Column, build_catalog
from warehouse.hogql import serialize_columns
from warehouse.models import LoadStatus, SavedQuery, WarehouseTable
from warehouse.names import core_table_named, same_table_as

Direction = Literal["ancestors", "descendants"]


def saved_queries_for(*, project: Project, with_history: bool = True) -> QuerySet[SavedQuery]:
    """The project's live views, newest first, each with its creator and (optionally) `latest_history_id`."""
    queryset = (
        SavedQuery.objects.filter(project=project, deleted=False)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    if with_history:
        queryset = queryset.annotate(latest_history_id=latest_activity_subquery())
    return queryset


def catalog_for(*, project: Project, exclude: uuid.UUID | None = None) -> Catalog:
    """What `project` (and only it) can query: core tables, its live warehouse tables and views. Two queries.

    `exclude` leaves one view out: the view being edited, so its own name is free and its new SQL is analysed
    in its place.
    """
    tables = {
        name: [Column(column["name"], column["type"]) for column in serialize_columns(columns or {})]
        for name, columns in WarehouseTable.objects.filter(
            project=project,
            deleted=False,
            status=LoadStatus.COMPLETED,  # a load in progress is not queryable yet
        ).values_list("name", "columns")
        if core_table_named(name) is None  # a stray row (written around the API) never shadows a core table
    }
    views = SavedQuery.objects.filter(project=project, deleted=False).exclude(pk=exclude)
    return build_catalog(
        project.pk,
        warehouse_tables=tables,
        views={
            name: (query or {}).get("query", "")
            for name, query in views.values_list("name", "query")
            if core_table_named(name) is None
        },
    )


def table_named(*, project_id: int, name: str, exclude: uuid.UUID | None = None) -> WarehouseTable | None:
    """The project's live table that the engine resolves `name` to (in any case), other than `exclude`."""
    tables = {
        table.name: table
        for table in WarehouseTable.objects.filter(project_id=project_id, deleted=False).exclude(pk=exclude)
    }
    found = same_table_as(name, tables)
    return tables[found] if found is not None else None


def lineage(
    *, project: Project, saved_query: SavedQuery, direction: Direction, level: int | None
) -> list[str]:
    """What `saved_query` reads from (ancestors) or what reads from it (descendants), up to `level` hops.

    Built from the stored direct dependencies of the project's live views: views come back as dashed UUID
    strings, tables as names, nearest first.
    """
    live = SavedQuery.objects.filter(project=project, deleted=False)
    views = list(live.values_list("id", "name", "dependencies"))
    by_name = {name: view_id for view_id, name, _ in views}
    edges: dict[uuid.UUID, list[uuid.UUID | str]] = {}
    for view_id, _, dependencies in views:
        for dependency in dependencies or []:
            parent = by_name.get(dependency, dependency)  # a view's id, or a table's name
            if direction == "ancestors":
                edges.setdefault(view_id, []).append(parent)
            elif isinstance(parent, uuid.UUID):
                edges.setdefault(parent, []).append(view_id)
    return _walk(start=saved_query.pk, edges=edges, level=level)


def _walk(*, start: uuid.UUID, edges: dict[uuid.UUID, list[uuid.UUID | str]], level: int | None) -> list[str]:
    """Breadth-first from `start`, following views (UUIDs); tables (names) are leaves."""
    found: list[str] = []
    seen: set[uuid.UUID | str] = {start}
    queue: deque[tuple[uuid.UUID, int]] = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if level is not None and depth >= level:
            continue
        for target in edges.get(node, []):
            if target in seen:
                continue
            seen.add(target)
            found.append(str(target))
            if isinstance(target, uuid.UUID):
                queue.append((target, depth + 1))
    return found
