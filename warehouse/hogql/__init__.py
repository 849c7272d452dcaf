"""HogQL for saved queries: parse (sqlglot, ClickHouse flavour), validate, resolve against a catalog, type."""

from warehouse.hogql.analyze import AnalyzedQuery, analyze_view
from warehouse.hogql.columns import columns_from_types, plan_columns, serialize_columns
from warehouse.hogql.errors import CycleError, HogQLError, HogQLSyntaxError, PlaceholderError

__all__ = [
    "AnalyzedQuery",
    "CycleError",
    "HogQLError",
    "HogQLSyntaxError",
    "PlaceholderError",
    "analyze_view",
    "columns_from_types",
    "plan_columns",
    "serialize_columns",
]
