"""Column types the catalog knows, marked on the canonical tree for the engines' printers.

A column read from a catalog table whose type is `date` carries `meta[DATE_COLUMN]`, one typed `datetime`
`meta[DATETIME_COLUMN]`, so a printer can keep ClickHouse's meaning where its own differs (DuckDB: a DATE plus an
interval is a TIMESTAMP, a TIMESTAMP plus a number is an error; engine/duckdb/dates.py).
"""

from sqlglot import exp

from warehouse.catalog import Catalog

DATE_COLUMN = "date_column"
DATETIME_COLUMN = "datetime_column"
_MARKS = {"date": DATE_COLUMN, "datetime": DATETIME_COLUMN}


def mark_date_columns(root: exp.Expr, catalog: Catalog, physical_tables: set[str]) -> None:
    """Mark each qualified column of a physical catalog table whose type is `date` or `datetime` (its table's
    alias is that table in the column's own SELECT)."""
    marks = {
        name: {column.name: _MARKS[column.type] for column in catalog.tables[name] if column.type in _MARKS}
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
            mark = aliases.get(column.table, {}).get(column.name) if column.parent_select is select else None
            if mark:
                column.meta[mark] = True
