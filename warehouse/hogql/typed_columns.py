"""Column types the catalog knows, marked on the canonical tree for the engines' printers.

A column read from a catalog table whose type is `date` carries `meta[DATE_COLUMN]`, one typed `datetime`
`meta[DATETIME_COLUMN]`, so a printer can keep ClickHouse's meaning where its own differs (DuckDB: a DATE plus an
interval is a TIMESTAMP, a TIMESTAMP plus a number is an error; engine/duckdb/dates.py). A column of a type that is
neither an array nor a tuple carries `meta[SCALAR_COLUMN]`: DuckDB's toString() then leaves out the branch that
writes an array or tuple (engine/duckdb/number_text.py), which costs milliseconds to bind. A `json` column is one
only in a core table (JSON text); a warehouse table's may hold a tuple or a map (PostHog types them `json`).
"""

import re

from sqlglot import exp

from warehouse.catalog import Catalog, Column, core_tables

DATE_COLUMN = "date_column"
DATETIME_COLUMN = "datetime_column"
SCALAR_COLUMN = "scalar_column"
_MARKS = {"date": DATE_COLUMN, "datetime": DATETIME_COLUMN}
_SCALAR_TYPES = frozenset({"integer", "float", "decimal", "string", "datetime", "date", "boolean"})
_NESTED_ENGINE_TYPE = re.compile(r"\[|\b(STRUCT|MAP|UNION|TUPLE|LIST|ARRAY|Array|Tuple|Map|Nested)\b")


def _marks(column: Column, *, core: bool) -> list[str]:
    marks = [_MARKS[column.type]] if column.type in _MARKS else []
    scalar = column.type in _SCALAR_TYPES or (core and column.type == "json")
    if scalar and not _NESTED_ENGINE_TYPE.search(column.engine_type or ""):
        marks.append(SCALAR_COLUMN)
    return marks


def mark_typed_columns(root: exp.Expr, catalog: Catalog, physical_tables: set[str]) -> None:
    """Mark each qualified column of a physical catalog table whose type is `date` or `datetime`, or neither an
    array nor a tuple (its table's alias is that table in the column's own SELECT)."""
    core = core_tables()
    marks = {
        name: {column.name: _marks(column, core=name in core) for column in catalog.tables[name]}
        for name in physical_tables
        if name in catalog.tables
    }
    if not any(marks.values()):
        return
    for select in root.find_all(exp.Select):
        aliases = {
            table.alias_or_name: marks.get(table.name, {})
            for table in select.find_all(exp.Table)
            if table.parent_select is select and table.args.get("db")  # an engine table, not a CTE
        }
        for column in select.find_all(exp.Column):
            found = aliases.get(column.table, {}).get(column.name) if column.parent_select is select else None
            for mark in found or []:
                column.meta[mark] = True
