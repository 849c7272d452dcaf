"""ClickHouse's conversions to integers in DuckDB: which values convert, and how a fraction is dropped.

HogQL's `toInt(x)` is ClickHouse's `accurateCastOrNull(x, 'Int64')` (engine/clickhouse/dialect.py, as PostHog prints
it): a float converts only when it is a whole number in range (`toInt(2.5)` is NULL, `toInt(2.0)` 2), a Decimal
drops its fraction (`toInt(toDecimal(2.5, 1))` is 2), a string converts only when it is an integer (`'2.5'` is
NULL). The fixed widths (`toInt64`, `toInt32`, ..., `toUInt8`) truncate a float or a Decimal toward zero
(`toInt64(-2.7)` is -2) and refuse a string that is not an integer. DuckDB's casts round instead (3 for 2.5 from a
string, -3 for -2.7) and read `'2.5'` as 3. Out of range, ClickHouse's fixed widths wrap around where DuckDB's casts
fail (a known difference, docs/warehouse-hogql.md).

The argument's type is known only when DuckDB binds the query: the SQL asks `typeof()` (folded then), and every
branch reads the value through casts that bind for any type.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.math_functions import template
from warehouse.engine.duckdb.number_text import by_type

_FLOAT = "typeof($a) IN ('DOUBLE', 'FLOAT')"
_DECIMAL = "typeof($a) LIKE 'DECIMAL%'"
_STRING = "typeof($a) = 'VARCHAR'"
_INTEGER_TEXT = "regexp_full_match(CAST($a AS VARCHAR), '[+-]?[0-9]+')"
_WHOLE_PART = "regexp_extract(CAST($a AS VARCHAR), '^-?[0-9]+')"  # of a Decimal's text

_ACCURATE = template(
    f"CASE WHEN {_FLOAT} THEN CASE WHEN TRY_CAST($a AS DOUBLE) = trunc(TRY_CAST($a AS DOUBLE)) "
    "THEN TRY_CAST($a AS BIGINT) END "
    f"WHEN {_DECIMAL} THEN TRY_CAST({_WHOLE_PART} AS BIGINT) "
    f"WHEN {_STRING} THEN CASE WHEN {_INTEGER_TEXT} THEN TRY_CAST(CAST($a AS VARCHAR) AS BIGINT) END "
    "ELSE TRY_CAST($a AS BIGINT) END"
)


def _truncating(duckdb_type: str, clickhouse_type: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return template(
        f"CASE WHEN {_FLOAT} THEN CAST(trunc(TRY_CAST($a AS DOUBLE)) AS {duckdb_type}) "
        f"WHEN {_DECIMAL} THEN CAST({_WHOLE_PART} AS {duckdb_type}) "
        f"WHEN {_STRING} THEN CASE WHEN NOT {_INTEGER_TEXT} THEN "
        f"error('Cannot parse string ''' || CAST($a AS VARCHAR) || ''' as {clickhouse_type}') "
        f"ELSE CAST(CAST($a AS VARCHAR) AS {duckdb_type}) END "
        f"ELSE CAST($a AS {duckdb_type}) END"
    )


# HogQL's toIntOrNull is ClickHouse's toInt64OrNull: a String that is an integer (an optional sign and digits: no
# space, fraction or exponent, within Int64) or NULL; any other type is ClickHouse's error. DuckDB's TRY_CAST read
# '2.5' as 3 and ' 12' as 12.
_INTEGER_OR_NULL = template(
    f"CASE WHEN $a IS NULL THEN NULL WHEN NOT ({_STRING}) THEN error('toIntOrNull takes a String (as ClickHouse''s "
    "toInt64OrNull); convert other types with toInt') "
    f"WHEN {_INTEGER_TEXT} THEN TRY_CAST(CAST($a AS VARCHAR) AS BIGINT) END"
)


def _one_argument(build: Callable[[list[exp.Expr]], exp.Expr]) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: by_type(args[0], lambda value: build([value]))


# name (lower case) -> the DuckDB form of ClickHouse's conversion
TRANSLATIONS: dict[str, Callable[[list[exp.Expr]], exp.Expr]] = {
    "toint": _one_argument(_ACCURATE),
    "tointornull": _one_argument(_INTEGER_OR_NULL),
    **{
        name: _one_argument(_truncating(duckdb_type, clickhouse_type))
        for name, duckdb_type, clickhouse_type in [
            ("toint64", "BIGINT", "Int64"),
            ("toint32", "INTEGER", "Int32"),
            ("toint16", "SMALLINT", "Int16"),
            ("toint8", "TINYINT", "Int8"),
            ("touint64", "UBIGINT", "UInt64"),
            ("touint32", "UINTEGER", "UInt32"),
            ("touint16", "USMALLINT", "UInt16"),
            ("touint8", "UTINYINT", "UInt8"),
        ]
    },
}
