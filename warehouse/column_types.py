"""Column types of saved queries and tables in PostHog's terms, from the configured engine's types."""

from warehouse.catalog import Catalog
from warehouse.engine import EngineError, get_engine
from warehouse.hogql import AnalyzedQuery, HogQLError


def plan_columns(analyzed: AnalyzedQuery, catalog: Catalog) -> dict:
    """Type the query's columns by having the engine plan it against the catalog's tables (no data is read)."""
    tables = {name: catalog.tables[name] for name in analyzed.tables if name in catalog.tables}
    planning_catalog = Catalog(project_id=catalog.project_id, tables=tables, views={})
    engine = get_engine()
    try:
        planned = engine.plan_columns(planning_catalog, analyzed.tree)
    except EngineError as err:
        raise HogQLError(f"Invalid query: {err}") from err
    return {name: engine.stored_column(engine_type) for name, engine_type in planned}


def stored_column(engine_type: str) -> dict:
    """PostHog's stored form ({hogql, clickhouse, valid}) of a column the engine typed."""
    return get_engine().stored_column(engine_type)


def clickhouse_type(engine_type: str) -> str:
    """The ClickHouse type PostHog reports for a column the engine typed."""
    return get_engine().clickhouse_type(engine_type)
