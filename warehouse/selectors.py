"""Reads for saved queries: the listing queryset and its rows, the project's catalog, a table by name, materialization
runs.

The lineage graph is in lineage.py."""

import uuid
from collections.abc import Iterable

from django.db.models import JSONField, QuerySet, Value
from django.db.models.functions import Lower

from core.rows import RowShape
from users.models import Project
from users.selectors import USER_BASIC_ROW
from warehouse.activity import latest_activity_subquery
from warehouse.catalog import Catalog, Column, build_catalog
from warehouse.hogql import serialize_columns
from warehouse.models import LoadStatus, MaterializationRun, SavedQuery, WarehouseTable
from warehouse.names import core_table_named, same_table_as

# What a saved query in a list shows (its serializer's fields; `sync_frequency` is the model's own property over the
# interval) and its creator.
SAVED_QUERY_ROW = RowShape(
    "SavedQueryRow",
    [
        "id", "deleted", "name", "query", "created_at", "sync_frequency_interval", "columns", "status", "last_run_at",
        "latest_error", "is_materialized", "latest_history_id",
    ],
    nested={"created_by": USER_BASIC_ROW},
    properties={"sync_frequency": SavedQuery.sync_frequency},
)  # fmt: skip


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


def saved_query_rows(saved_queries: QuerySet[SavedQuery]) -> QuerySet:
    """`saved_queries_for(with_history=True)`, filtered, as list rows: no model instances built."""
    return SAVED_QUERY_ROW.as_rows(saved_queries)


def catalog_for(*, project: Project, exclude: uuid.UUID | None = None) -> Catalog:
    """What `project` (and only it) can query: core tables, its live warehouse tables and views.

    The project's own tables and views are fetched by name when the analysis first names them, with the views those
    read (their stored `dependencies`), level by level: one query per level of views, whatever the project holds.
    `exclude` leaves one view out: the view being edited, so its own name is free and its new SQL is analysed
    in its place.
    """

    def load(names: frozenset[str]) -> tuple[dict[str, list[Column]], dict[str, tuple[str, list[str]]]]:
        return tables_and_views_named(project=project, names=names, exclude=exclude)

    return build_catalog(project.pk, loader=load)


def tables_and_views_named(
    *, project: Project, names: Iterable[str], exclude: uuid.UUID | None = None
) -> tuple[dict[str, list[Column]], dict[str, tuple[str, list[str]]]]:
    """The project's live, queryable tables (name -> columns) and views (name -> (SQL, names it reads)) that the
    engine resolves to any of `names`, in one query. lower(name) on both sides matches every name that differs
    only in ASCII case (the engine's rule, warehouse/names.py) and uses the unique index on lower(name)."""
    keys = [Lower(Value(name)) for name in sorted(names)]
    if not keys:
        return {}, {}
    tables = (
        WarehouseTable.objects.alias(key=Lower("name"))
        .filter(
            project=project,
            deleted=False,
            status=LoadStatus.COMPLETED,  # a load in progress is not queryable yet
            key__in=keys,
        )
        .values_list(Value(True), "name", "columns", Value(None, output_field=JSONField()))
    )
    views = (
        SavedQuery.objects.alias(key=Lower("name"))
        .filter(project=project, deleted=False, key__in=keys)
        .exclude(pk__in=[exclude] if exclude else [])
        .values_list(Value(False), "name", "query", "dependencies")
    )
    found_tables: dict[str, list[Column]] = {}
    found_views: dict[str, tuple[str, list[str]]] = {}
    for is_table, name, definition, dependencies in tables.union(views, all=True):
        if core_table_named(name) is not None:
            continue  # a stray row (written around the API) never shadows a core table
        if is_table:
            columns = serialize_columns(definition or {})
            found_tables.setdefault(name, [Column(column["name"], column["type"]) for column in columns])
        else:
            sql = (definition or {}).get("query", "")
            found_views[name] = (sql, dependencies if isinstance(dependencies, list) else [])
    return found_tables, found_views


def table_named(*, project_id: int, name: str, exclude: uuid.UUID | None = None) -> WarehouseTable | None:
    """The project's live table that the engine resolves `name` to (in any case), other than `exclude`."""
    tables = {
        table.name: table
        for table in WarehouseTable.objects.filter(project_id=project_id, deleted=False).exclude(
            pk__in=[exclude] if exclude else []
        )
    }
    found = same_table_as(name, tables)
    return tables[found] if found is not None else None


def materialization_runs_for(*, project: Project, saved_query: SavedQuery) -> QuerySet[MaterializationRun]:
    """Every materialization run of the view, newest first."""
    return (
        MaterializationRun.objects.filter(project=project, saved_query=saved_query)
        .select_related("saved_query")
        .order_by("-started_at", "-id")
    )
