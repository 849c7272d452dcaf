"""Column typing: ClickHouse types -> PostHog's stored form ({hogql, clickhouse, valid}) -> the API's list form.

Engines map their own types to ClickHouse's (warehouse/engine/<name>/types.py); everything here is PostHog's.
"""

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


def clean_type(clickhouse_type: str) -> str:
    """The base of a ClickHouse type: `Nullable(DateTime64(6, 'UTC'))` -> `DateTime64`."""
    value = clickhouse_type.strip()
    for wrapper in ("Nullable(", "LowCardinality("):
        while value.startswith(wrapper) and value.endswith(")"):
            value = value[len(wrapper) : -1].strip()
    return value.split("(", 1)[0].strip()


def stored_column(clickhouse_type: str, hogql_field: str | None = None) -> dict:
    """PostHog's stored form for one column an engine typed (its ClickHouse type, and its HogQL field when the
    engine knows better than the ClickHouse type, as for JSON kept as text)."""
    field_class = hogql_field or CLICKHOUSE_HOGQL.get(clean_type(clickhouse_type))
    return {"hogql": field_class or "StringDatabaseField", "clickhouse": clickhouse_type, "valid": True}


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
