"""The engine's own check of a tree before it runs: only the project's tables (the compiler's job, checked again
here because embedded ClickHouse has no users or grants), and the tree used to type a query without reading it."""

from sqlglot import exp

from warehouse.catalog import Catalog
from warehouse.engine.base import EngineError
from warehouse.engine.clickhouse.types import storage_type


def check_tables(tree: exp.Expression, database: str) -> None:
    """Every table the tree reads is in `database` (or a CTE of the tree): no table functions (files, network,
    other servers), no system tables, no other project's database."""
    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise EngineError("Table functions are not allowed")
        if table.args.get("catalog") is not None or (table.db and table.db != database):
            raise EngineError(f"Table {table.name} is not one of the project's tables")
        if not table.db and table.name not in ctes:
            raise EngineError(f"Table {table.name} is not one of the project's tables")


def _typed_column(column) -> exp.Expr:
    """A value of the column's type that ClickHouse sees as a column, not a constant it would fold (and fail on)."""
    default = exp.Anonymous(
        this="defaultValueOfTypeName", expressions=[exp.Literal.string(storage_type(column))]
    )
    return exp.alias_(exp.Anonymous(this="materialize", expressions=[default]), column.name, quoted=True)


def _empty_rows(columns) -> exp.Select:
    """A row source with the columns' types, nothing read: `SELECT materialize(defaultValueOfTypeName('T')) AS c`."""
    return exp.select(*(_typed_column(column) for column in columns))


def planning_tree(tree: exp.Expression, catalog: Catalog, database: str) -> exp.Expression:
    """The tree with each of the project's tables replaced by an empty row source of its catalog types, so the
    query can be typed (DESCRIBE) whether or not the tables exist yet, and nothing is read."""
    planned = tree.copy()
    for table in list(planned.find_all(exp.Table)):
        if table.db != database:
            continue
        columns = catalog.tables.get(table.name)
        if not columns:
            raise EngineError(f"Table {table.name} is not one of the project's tables")
        alias = table.alias or table.name
        table.replace(
            exp.Subquery(
                this=_empty_rows(columns), alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True))
            )
        )
    return planned
