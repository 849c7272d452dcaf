"""ClickHouse's types are the types PostHog reports: the stored form of a column, and the type of a new column."""

from warehouse.catalog import Column
from warehouse.hogql.columns import stored_column as posthog_stored_column

# The ClickHouse type of a core-table column of each PostHog type (as PostHog stores them), unless it names its own.
STORAGE_TYPES = {
    "integer": "Int64",
    "float": "Float64",
    "decimal": "Decimal(38, 10)",
    "string": "String",
    "datetime": "DateTime64(6, 'UTC')",
    "date": "Date",
    "boolean": "Bool",
    "array": "Array(String)",
    "json": "String",  # PostHog keeps properties as JSON text
    "unknown": "String",
}


def storage_type(column: Column) -> str:
    """The ClickHouse type a catalog column is stored as."""
    return column.engine_type or STORAGE_TYPES.get(column.type, "String")


def clickhouse_type(engine_type: str) -> str:
    """ClickHouse types need no translation."""
    return engine_type


def stored_column(engine_type: str) -> dict:
    """PostHog's stored form ({hogql, clickhouse, valid}) of a column ClickHouse typed."""
    return posthog_stored_column(engine_type)
