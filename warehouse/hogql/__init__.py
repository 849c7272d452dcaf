"""HogQL for saved queries: parse (sqlglot, ClickHouse flavour), validate, resolve against a catalog into a canonical
tree for a target engine (passed in: this package never imports warehouse.engine)."""

from warehouse.hogql.analyze import AnalyzedQuery, analyze_view
from warehouse.hogql.columns import columns_from_types, serialize_columns
from warehouse.hogql.errors import CycleError, HogQLError, HogQLSyntaxError, PlaceholderError
from warehouse.hogql.target import Target

__all__ = [
    "AnalyzedQuery",
    "CycleError",
    "HogQLError",
    "HogQLSyntaxError",
    "PlaceholderError",
    "Target",
    "analyze_view",
    "columns_from_types",
    "serialize_columns",
]
