"""Reads for saved queries: the listing queryset and its rows, the project's catalog, a table by name, materialization
runs.

The lineage graph is in lineage.py."""

import json
import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from core.rows import RowShape
from users.models import Project
from users.selectors import USER_BASIC_ROW
from warehouse.activity import latest_activity_subquery
from warehouse.catalog import MAX_VIEW_DEPTH, Catalog, Column, build_catalog
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
    read (their stored `dependencies`, followed in the same query): what the query reaches, whatever the project
    holds. `exclude` leaves one view out: the view being edited, so its own name is free and its new SQL is
    analysed in its place.
    """

    def load(names: frozenset[str]) -> tuple[dict[str, list[Column]], dict[str, str], set[str]]:
        return tables_and_views_reached(project=project, names=names, exclude=exclude)

    return build_catalog(project.pk, loader=load)


def tables_and_views_reached(
    *, project: Project, names: Iterable[str], exclude: uuid.UUID | None = None
) -> tuple[dict[str, list[Column]], dict[str, str], set[str]]:
    """In one query: the project's live, queryable tables (name -> columns) and views (name -> SQL) named like any
    of `names`, or like a name those views read, and so on (`_REACHED_ROWS`); and the names answered for.

    Names match by lower(name) on both sides: every name that differs only in ASCII case (the engine's rule,
    warehouse/names.py) matches, and the unique indexes on lower(name) serve the look-up.
    """
    requested = sorted(names)
    if not requested:
        return {}, {}, set()
    # A fixed statement per vendor and name count (no ORM query built and compiled per request: that was most of
    # its cost); only placeholders and fixed text are formatted into the SQL, every value is a parameter.
    params: list = [*requested, project.pk, MAX_VIEW_DEPTH + 1, project.pk, LoadStatus.COMPLETED, project.pk]
    if exclude is not None:
        params.append(SavedQuery._meta.pk.get_db_prep_value(exclude, connection))
    with connection.cursor() as cursor:
        cursor.execute(_reached_rows_sql(len(requested), excluding=exclude is not None), params)
        rows = cursor.fetchall()
    found_tables: dict[str, list[Column]] = {}
    found_views: dict[str, str] = {}
    reads: dict[str, list[str]] = {}  # ASCII-lowered view name -> names it reads
    for is_table, name, definition, dependencies in rows:
        if core_table_named(name) is not None:
            continue  # a stray row (written around the API) never shadows a core table
        definition, dependencies = _json(definition), _json(dependencies)
        if is_table:
            columns = serialize_columns(definition or {})
            stored_types = _clickhouse_types(definition)
            found_tables.setdefault(
                name,
                [
                    Column(column["name"], column["type"], clickhouse_type=stored_types.get(column["name"]))
                    for column in columns
                ],
            )
        else:
            found_views[name] = (definition or {}).get("query", "")
            if isinstance(dependencies, list):
                reads.setdefault(_ascii_lower(name), []).extend(d for d in dependencies if isinstance(d, str))
    return found_tables, found_views, _answered(requested, reads)


def _clickhouse_types(stored: Any) -> dict[str, str]:
    """Each stored column's ClickHouse type (`Int32`); the legacy form {"col": "<ClickHouse type>"} is the type."""
    if not isinstance(stored, dict):
        return {}
    types = {
        name: value if isinstance(value, str) else value.get("clickhouse") for name, value in stored.items()
    }
    return {name: value for name, value in types.items() if isinstance(value, str)}


# The lower-cased names reached from the requested ones through the views' stored dependencies, level by level, at
# most MAX_VIEW_DEPTH + 1 levels (as deep as the resolver can go); UNION drops repeats, so a cycle ends too. Then the
# project's live tables (a load in progress is not queryable yet) and views named like any of them: lower(name) on
# both sides, which the unique indexes on lower(name) serve.
_REACHED_ROWS = """
WITH RECURSIVE requested(name) AS (VALUES {values}),
reached(key, level) AS (
    SELECT LOWER(name), 0 FROM requested
    UNION
    SELECT LOWER(read.value), reached.level + 1
    FROM reached
    JOIN {views} AS view
        ON view.project_id = %s AND NOT view.deleted AND LOWER(view.name) = reached.key
    CROSS JOIN {elements} AS read
    WHERE reached.level < %s
)
SELECT 1, name, columns, NULL FROM {tables}
WHERE project_id = %s AND NOT deleted AND status = %s AND LOWER(name) IN (SELECT key FROM reached)
UNION ALL
SELECT 0, name, query, dependencies FROM {views}
WHERE project_id = %s AND NOT deleted AND LOWER(name) IN (SELECT key FROM reached){excluding}
"""
_ELEMENTS = {
    "postgresql": "LATERAL jsonb_array_elements_text(CASE jsonb_typeof(view.dependencies) WHEN 'array' "
    "THEN view.dependencies ELSE '[]'::jsonb END)",
    "sqlite": "json_each(CASE json_type(view.dependencies) WHEN 'array' THEN view.dependencies ELSE '[]' END)",
}


@lru_cache(maxsize=256)
def _reached_rows_statement(vendor: str, names: int, excluding: bool) -> str:
    return _REACHED_ROWS.format(
        values=", ".join(["(%s)"] * names),
        elements=_ELEMENTS[vendor],
        tables=WarehouseTable._meta.db_table,
        views=SavedQuery._meta.db_table,
        excluding=f" AND {SavedQuery._meta.pk.column} <> %s" if excluding else "",
    )


def _reached_rows_sql(names: int, *, excluding: bool) -> str:
    return _reached_rows_statement(connection.vendor, names, excluding)


def _json(value: Any) -> Any:
    """A JSON column's value as the ORM reads it (the drivers hand it over as text, as Django configures them)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _answered(requested: list[str], reads: dict[str, list[str]]) -> set[str]:
    """The names the query answered for: the requested ones, and what the views it reached read, as deep as it
    followed them. Matched by ASCII case only (the database's lower() matches at least as much)."""
    answered, frontier = set(requested), {_ascii_lower(name) for name in requested}
    for _ in range(MAX_VIEW_DEPTH + 1):
        read = [name for key in frontier for name in reads.get(key, [])]
        answered.update(read)
        frontier = {_ascii_lower(name) for name in read}
    return answered


def _ascii_lower(name: str) -> str:
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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
