"""Validation of a saved query's name, query and types, with PostHog's messages (each a 400 on its field)."""

import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ValidationError

from warehouse.catalog import Catalog
from warehouse.hogql import HogQLError, HogQLSyntaxError, analyze_view, columns_from_types, plan_columns
from warehouse.names import core_table_named, same_table_as
from warehouse.services import NAME_TAKEN, Definition, core_name_message

# PostHog's pattern, matched against the whole name (`$` alone would let a trailing newline through).
NAME_PATTERN = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$]*")
QUERY_SHAPE = 'Expected {"kind": "HogQLQuery", "query": "<HogQL SELECT>"}.'
# Display nodes PostHog answers by running their `source` (it has no runner of their own).
WRAPPER_KINDS = ("DataTableNode", "DataVisualizationNode", "InsightVizNode")
SUPPORTED_QUERY_KINDS = (
    f"Supported: HogQLQuery, or a {', '.join(WRAPPER_KINDS[:-1])} or {WRAPPER_KINDS[-1]} whose source is a "
    "HogQLQuery."
)


def validate_view_name(name: str, *, catalog: Catalog, kind: str = "view") -> str:
    """PostHog's pattern and core-table rules, then no clash with anything the project can query.

    Names are compared as the engine resolves them (warehouse/names.py): `Events` is the core table `events`.
    """
    if not NAME_PATTERN.fullmatch(name):
        # PostHog's message, trailing space included.
        raise ValidationError(
            f"{name} is not a valid {kind} name. {kind.capitalize()} names can only contain letters, numbers, "
            "'_', '.', or '$' "
        )
    if core_table_named(name) is not None:
        raise ValidationError(core_name_message(name, kind))
    if same_table_as(name, [*catalog.tables, *catalog.views]) is not None:
        raise ValidationError(NAME_TAKEN)
    return name


def validate_query_shape(query: Any) -> dict[str, Any]:
    """The body's `query` must be a HogQLQuery node with a non-empty SQL string."""
    if not isinstance(query, dict):
        raise ValidationError(f"Invalid query. {QUERY_SHAPE}")
    if query.get("kind") != "HogQLQuery":
        raise ValidationError(f"Unsupported query kind {query.get('kind')!r}. {QUERY_SHAPE}")
    sql = query.get("query")
    if not isinstance(sql, str) or not sql.strip():
        raise ValidationError(f"The query text is missing. {QUERY_SHAPE}")
    limit = int(settings.WAREHOUSE_HOGQL_MAX_QUERY_CHARS)  # shared by /query/ and saved-query writes
    if len(sql) > limit:
        raise ValidationError(
            f"The query is too long (at most {limit:,} characters; WAREHOUSE_HOGQL_MAX_QUERY_CHARS)."
        )
    return query


def unwrap_query_node(query: Any) -> dict[str, Any]:
    """The HogQLQuery to run for a `/query/` body: a display node stands for its `source`, as in PostHog."""
    wrappers: list[str] = []
    while isinstance(query, dict) and query.get("kind") in WRAPPER_KINDS:
        wrappers.append(query["kind"])
        query = query.get("source")
    if wrappers and not isinstance(query, dict):
        raise ValidationError(f"{wrappers[-1]} needs a `source` query object. {SUPPORTED_QUERY_KINDS}")
    if isinstance(query, dict) and query.get("kind") != "HogQLQuery":
        where = f" (the source of {wrappers[-1]})" if wrappers else ""
        raise ValidationError(f"Unsupported query kind {query.get('kind')!r}{where}. {SUPPORTED_QUERY_KINDS}")
    return validate_query_shape(query)


def analyze(query: dict[str, Any], *, catalog: Catalog, view_name: str | None):
    """Parses and resolves the SQL against the catalog; the client-facing message of any failure is the 400."""
    try:
        return analyze_view(query["query"], catalog, view_name=view_name)
    except HogQLSyntaxError as error:
        raise ValidationError(str(error)) from error  # names the line and column
    except HogQLError as error:
        raise ValidationError(str(error)) from error


def validate_types(types: Any) -> list[list[str]]:
    """The `types` shortcut: `[[column, clickhouse_type], ...]`."""
    if not isinstance(types, list) or not all(
        isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(part, str) for part in pair)
        for pair in types
    ):
        raise ValidationError(
            'Expected a list of [column name, ClickHouse type] pairs, e.g. [["event", "String"]].'
        )
    return [list(pair) for pair in types]


def build_definition(
    query: dict[str, Any], *, analyzed, catalog: Catalog, types: list[list[str]] | None, infer_columns: bool
) -> Definition:
    """Columns from the client's `types` if given, else planned by the engine, else (soft update) untouched."""
    columns = None
    try:
        if types:
            columns = columns_from_types(types)
        elif infer_columns:
            columns = plan_columns(analyzed, catalog)
    except HogQLError as error:
        raise ValidationError({"types" if types else "query": [str(error)]}) from error
    return Definition(query=query, dependencies=list(analyzed.dependencies), columns=columns)
