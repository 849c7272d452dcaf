"""Column typing: engine types -> PostHog's stored form ({hogql, clickhouse, valid}) -> the API's list form."""

import re

from warehouse.catalog import Catalog
from warehouse.hogql.analyze import AnalyzedQuery
from warehouse.hogql.errors import HogQLError

# PostHog's CLICKHOUSE_HOGQL_MAPPING (warehouse/models/table.py), by base ClickHouse type.
CLICKHOUSE_HOGQL = {
    "UUID": "StringDatabaseField",
    "String": "StringDatabaseField",
    "FixedString": "StringDatabaseField",
    "LowCardinality": "StringDatabaseField",
    "Nothing": "StringDatabaseField",
    "DateTime64": "DateTimeDatabaseField",
    "DateTime32": "DateTimeDatabaseField",
    "DateTime": "DateTimeDatabaseField",
    "Date": "DateDatabaseField",
    "Date32": "DateDatabaseField",
    **{f"UInt{n}": "IntegerDatabaseField" for n in (8, 16, 32, 64, 128, 256)},
    **{f"Int{n}": "IntegerDatabaseField" for n in (8, 16, 32, 64, 128, 256)},
    **{f"Float{n}": "FloatDatabaseField" for n in (8, 16, 32, 64)},
    "Decimal": "FloatDatabaseField",  # as PostHog's mapping at the reference commit
    "Tuple": "StringJSONDatabaseField",
    "Map": "StringJSONDatabaseField",
    "JSON": "StringJSONDatabaseField",
    "Array": "StringArrayDatabaseField",
    "Bool": "BooleanDatabaseField",
    "Boolean": "BooleanDatabaseField",
}

# HogQL field class -> PostHog's DatabaseSerializedFieldType (the API's `type`).
HOGQL_SERIALIZED = {
    "StringDatabaseField": "string",
    "UUIDDatabaseField": "string",
    "IntegerDatabaseField": "integer",
    "FloatDatabaseField": "float",
    "DecimalDatabaseField": "decimal",
    "BooleanDatabaseField": "boolean",
    "DateTimeDatabaseField": "datetime",
    "DateDatabaseField": "date",
    "StringArrayDatabaseField": "array",
    "StringJSONDatabaseField": "json",
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


def clean_type(clickhouse_type: str) -> str:
    """The base of a ClickHouse type: `Nullable(DateTime64(6, 'UTC'))` -> `DateTime64`."""
    value = clickhouse_type.strip()
    for wrapper in ("Nullable(", "LowCardinality("):
        while value.startswith(wrapper) and value.endswith(")"):
            value = value[len(wrapper) : -1].strip()
    return value.split("(", 1)[0].strip()


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
    """PostHog's stored form for one column the engine typed."""
    ch_type = clickhouse_type(engine_type)
    hogql = "StringJSONDatabaseField" if engine_type == "JSON" else CLICKHOUSE_HOGQL.get(clean_type(ch_type))
    return {"hogql": hogql or "StringDatabaseField", "clickhouse": ch_type, "valid": True}


def plan_columns(analyzed: AnalyzedQuery, catalog: Catalog) -> dict:
    """Type the query's columns by having the engine plan it against the catalog's tables (no data is read)."""
    from warehouse.engine import EngineError, get_engine

    tables = {name: catalog.tables[name] for name in analyzed.tables if name in catalog.tables}
    planning_catalog = Catalog(project_id=catalog.project_id, tables=tables, views={})
    try:
        planned = get_engine().plan_columns(planning_catalog, analyzed.engine_sql)
    except EngineError as err:
        raise HogQLError(f"Invalid query: {err}") from err
    return {name: stored_column(engine_type) for name, engine_type in planned}


def columns_from_types(types: list[list[str]]) -> dict:
    """PostHog's stored form from a client's `types` ([name, ClickHouse type] pairs)."""
    if not isinstance(types, list):
        raise HogQLError("types must be a list of [name, type] pairs")
    columns = {}
    for item in types:
        if not isinstance(item, list | tuple) or len(item) != 2 or not all(isinstance(v, str) for v in item):
            raise HogQLError("types must be a list of [name, type] pairs")
        name, ch_type = item
        hogql = CLICKHOUSE_HOGQL.get(clean_type(ch_type))
        if hogql is None:
            raise HogQLError(f"Unsupported column type {ch_type} for {name}")
        columns[name] = {"hogql": hogql, "clickhouse": ch_type, "valid": True}
    return columns


def serialize_columns(stored: dict) -> list[dict]:
    """The API's list form of stored columns; reads the legacy {"col": "<ClickHouse type>"} form too."""
    fields = []
    for name, value in (stored or {}).items():
        if isinstance(value, str):
            hogql, valid = CLICKHOUSE_HOGQL.get(clean_type(value)), True
        elif isinstance(value, dict):
            hogql, valid = value.get("hogql"), bool(value.get("valid", True))
        else:
            hogql, valid = None, False
        fields.append(
            {
                "key": name,
                "name": name,
                "type": HOGQL_SERIALIZED.get(hogql or "", "unknown"),
                "schema_valid": valid,
                "fields": None,
                "table": None,
                "chain": None,
            }
        )
    return fields
