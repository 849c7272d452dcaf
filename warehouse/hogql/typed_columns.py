"""Column types the catalog knows, marked on the canonical tree for the engines' printers.

A column read from a catalog table whose type is `date` carries `meta[DATE_COLUMN]`, so a printer can keep
ClickHouse's meaning where its own differs (DuckDB: a DATE plus an interval is a TIMESTAMP; engine/duckdb/dates.py).
"""

from sqlglot import exp

from warehouse.catalog import Catalog

DATE_COLUMN = "date_column"


def mark_date_columns(root: exp.Expr, catalog: Catalog, physical_tables: set[str]) -> None:
    """Mark each qualified column of a physical catalog table whose type is `date` (its table's alias is that
    table in the column's own SELECT)."""
    dates = {
        name: {column.name for column in catalog.tables[name] if column.type == "date"}
        for name in physical_tables
        if name in catalog.tables
    }
    if not any(dates.values()):
        return
    for select in root.find_all(exp.Select):
        aliases = {
            table.alias_or_name: dates.get(table.name, set())
            for table in select.find_all(exp.Table)
            if table.parent_select is select and table.args.get("db")  # an engine table, not a CTE
        }
        for column in select.find_all(exp.Column):
            if column.parent_select is select and column.name in aliases.get(column.table, set()):
                column.meta[DATE_COLUMN] = True
