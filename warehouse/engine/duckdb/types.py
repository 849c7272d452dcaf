"""DuckDB's types beside PostHog's: the type a new column is stored as, and the ClickHouse type PostHog reports."""

import re

from warehouse.catalog import Column
from warehouse.hogql.columns import stored_column as posthog_stored_column

# The DuckDB type used for a column of each PostHog type, unless the column names its own.
STORAGE_TYPES = {
    "integer": "BIGINT",
    "float": "DOUBLE",
    "decimal": "DECIMAL(38, 10)",
    "string": "VARCHAR",
    "datetime": "TIMESTAMP",
    "date": "DATE",
    "boolean": "BOOLEAN",
    "array": "VARCHAR[]",
    "json": "JSON",
    "unknown": "VARCHAR",
}

# DuckDB base type -> ClickHouse type PostHog would report for the same column.
_DUCKDB_CLICKHOUSE = {
    "VARCHAR": "String",
    "BLOB": "String",
    "TIME": "String",
    "INTERVAL": "String",
    "BIT": "String",
    '"NULL"': "Nullable(Nothing)",
    "UUID": "UUID",
    "JSON": "String",
    "BOOLEAN": "Bool",
    "TINYINT": "Int8",
    "SMALLINT": "Int16",
    "INTEGER": "Int32",
    "BIGINT": "Int64",
    "HUGEINT": "Int128",
    "UTINYINT": "UInt8",
    "USMALLINT": "UInt16",
    "UINTEGER": "UInt32",
    "UBIGINT": "UInt64",
    "UHUGEINT": "UInt128",
    "FLOAT": "Float32",
    "DOUBLE": "Float64",
    "DATE": "Date",
    "TIMESTAMP": "DateTime64(6, 'UTC')",
    "TIMESTAMP WITH TIME ZONE": "DateTime64(6, 'UTC')",
    "TIMESTAMP_S": "DateTime64(0, 'UTC')",
    "TIMESTAMP_MS": "DateTime64(3, 'UTC')",
    "TIMESTAMP_NS": "DateTime64(9, 'UTC')",
}


def storage_type(column: Column) -> str:
    """The DuckDB type a catalog column is stored as."""
    return column.engine_type or STORAGE_TYPES.get(column.type, "VARCHAR")


def clickhouse_type(engine_type: str) -> str:
    """The ClickHouse spelling of a DuckDB type."""
    value = engine_type.strip()
    if value.endswith("[]"):
        return f"Array({clickhouse_type(value[:-2])})"
    if value.startswith("DECIMAL"):
        return "Decimal" + value[len("DECIMAL") :].replace(",", ", ").replace(",  ", ", ")
    if value.startswith(("STRUCT", "UNION")):
        return "Tuple"
    if value.startswith("MAP"):
        return "Map"
    if re.fullmatch(r".+\[\d+\]", value):
        return f"Array({clickhouse_type(value.rsplit('[', 1)[0])})"
    return _DUCKDB_CLICKHOUSE.get(value, "String")


def stored_column(engine_type: str) -> dict:
    """PostHog's stored form for one column DuckDB typed (JSON is text to ClickHouse, JSON to HogQL)."""
    return posthog_stored_column(
        clickhouse_type(engine_type), "StringJSONDatabaseField" if engine_type == "JSON" else None
    )
