"""Column types the catalog knows, marked on the canonical tree for the engines' printers.

A column read from a catalog table whose type is `date` carries `meta[DATE_COLUMN]`, one typed `datetime`
`meta[DATETIME_COLUMN]`, so a printer can keep ClickHouse's meaning where its own differs (DuckDB: a DATE plus an
interval is a TIMESTAMP, a TIMESTAMP plus a number is an error; engine/duckdb/dates.py). A column of a type that is
neither an array nor a tuple carries `meta[SCALAR_COLUMN]`: DuckDB's toString() then leaves out the branch that
writes an array or tuple (engine/duckdb/number_text.py), which costs milliseconds to bind. A `json` column is one
only in a core table (JSON text); a warehouse table's may hold a tuple or a map (PostHog types them `json`). One
that is text, an integer, a boolean, a date or a date-time also carries `meta[PLAIN_COLUMN]`: DuckDB's toString()
is then its cast alone, without the branches for floats and decimals (tens of milliseconds to bind per value).
Columns read from a subquery, CTE or inlined view carry the marks of the output they read. An integer column stored
narrower than 64 bits (`Int32`, `UInt16`, ...) carries `meta[NARROW_INTEGER_COLUMN]` (DuckDB widens it in
arithmetic as ClickHouse does; engine/duckdb/integer_arithmetic.py).
"""

import re

from sqlglot import exp

from warehouse.catalog import Catalog, Column, core_tables
from warehouse.hogql.columns import clean_type

DATE_COLUMN = "date_column"
DATETIME_COLUMN = "datetime_column"
SCALAR_COLUMN = "scalar_column"
# A column whose values are text, integers, booleans, dates or date-times (or a core table's JSON text): none of a
# float, a decimal, an array, a tuple or a map, so an engine may write it as text with its own cast.
PLAIN_COLUMN = "plain_column"
_PLAIN_TYPES = frozenset({"integer", "string", "datetime", "date", "boolean"})
NARROW_INTEGER_COLUMN = "narrow_integer_column"
_MARKS = {"date": DATE_COLUMN, "datetime": DATETIME_COLUMN}
_SCALAR_TYPES = frozenset({"integer", "float", "decimal", "string", "datetime", "date", "boolean"})
_NESTED_ENGINE_TYPE = re.compile(r"\[|\b(STRUCT|MAP|UNION|TUPLE|LIST|ARRAY|Array|Tuple|Map|Nested)\b")
_NARROW_INTEGERS = frozenset({"Int8", "Int16", "Int32", "UInt8", "UInt16", "UInt32"})
# ClickHouse's conversions to an integer narrower than 64 bits (lower case)
NARROW_INTEGER_CALLS = frozenset({"toint32", "toint16", "toint8", "touint32", "touint16", "touint8"})
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _marks(column: Column, *, core: bool) -> list[str]:
    marks = [_MARKS[column.type]] if column.type in _MARKS else []
    core_json = core and column.type == "json"
    if not _NESTED_ENGINE_TYPE.search(column.engine_type or ""):
        if column.type in _SCALAR_TYPES or core_json:
            marks.append(SCALAR_COLUMN)
        if column.type in _PLAIN_TYPES or core_json:
            marks.append(PLAIN_COLUMN)
    if column.type == "integer" and clean_type(column.clickhouse_type or "") in _NARROW_INTEGERS:
        marks.append(NARROW_INTEGER_COLUMN)
    return marks


def mark_typed_columns(root: exp.Expr, catalog: Catalog, physical_tables: set[str]) -> None:
    """Mark each qualified column of a physical catalog table whose type is `date` or `datetime`, neither an
    array nor a tuple, or a narrow integer (its table's alias is that table in the column's own SELECT); then the
    columns read from a subquery, CTE or inlined view whose output of that name is known to be so
    (`_mark_derived_columns`)."""
    core = core_tables()
    marks = {
        name: {column.name: _marks(column, core=name in core) for column in catalog.tables[name]}
        for name in physical_tables
        if name in catalog.tables
    }
    if any(marks.values()):
        _mark_catalog_columns(root, marks)
    _mark_derived_columns(root)


def _mark_catalog_columns(root: exp.Expr, marks: dict[str, dict[str, list[str]]]) -> None:
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


# Values that are never an array or a tuple, whatever their arguments: a constant, arithmetic, a comparison,
# AND/OR/NOT, `||`, a count, sum or average.
SCALAR_NODES = (
    exp.Literal,
    exp.Null,
    exp.Boolean,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.IntDiv,
    exp.Neg,
    exp.Predicate,
    exp.Connector,
    exp.Not,
    exp.DPipe,
    exp.Count,
    exp.Sum,
    exp.Avg,
)


def is_known_scalar(value: exp.Expr) -> bool:
    """The value is known to be neither an array nor a tuple before an engine binds the query."""
    while isinstance(value, exp.Paren | exp.Alias):
        value = value.this
    return bool(value.meta.get(SCALAR_COLUMN)) or isinstance(value, SCALAR_NODES)


def _mark_derived_columns(root: exp.Expr) -> None:
    """A column read from a subquery, a CTE or an inlined view (a subquery here) is marked SCALAR_COLUMN when that
    SELECT's output of its name is known to be no array or tuple (a marked column, or a value of `SCALAR_NODES`),
    PLAIN_COLUMN when that output is a column so marked or a string constant, and NARROW_INTEGER_COLUMN when it
    is a narrow integer (`_is_narrow_integer`).
    Inner SELECTs are seen first, so a mark passes through any number of levels. A UNION's outputs, or a name given
    twice, are left unmarked (their type is the engine's to tell)."""
    ctes: dict[str, exp.Expr | None] = {}
    for cte in root.find_all(exp.CTE):
        ctes[cte.alias] = None if cte.alias in ctes else cte.this  # a name defined twice: not trusted
    for select in reversed(list(root.find_all(exp.Select))):  # breadth-first, reversed: inner SELECTs first
        sources: dict[str, dict[str, list[str]]] = {}
        for source in (select.args.get("from_"), *(select.args.get("joins") or [])):
            derived = _derived_body(source.this if source is not None else None, ctes)
            if derived is not None:
                sources[derived[0]] = _output_marks(derived[1])
        if not sources:
            continue
        for column in select.find_all(exp.Column):
            if column.parent_select is select:
                for mark in sources.get(column.table, {}).get(column.name, ()):
                    column.meta[mark] = True


def _derived_body(source: exp.Expr | None, ctes: dict[str, exp.Expr | None]) -> tuple[str, exp.Select] | None:
    """(alias, SELECT) of a FROM or JOIN source that is a subquery or a CTE reference; None otherwise."""
    if isinstance(source, exp.Subquery) and isinstance(source.this, exp.Select):
        return source.alias_or_name, source.this
    if isinstance(source, exp.Table) and not source.args.get("db"):
        body = ctes.get(source.name)
        if isinstance(body, exp.Select):
            return source.alias_or_name, body
    return None


def _output_marks(select: exp.Select) -> dict[str, list[str]]:
    """The marks each output of `select` passes on to the columns that read it (none for a name given twice)."""
    outputs: dict[str, list[str]] = {}
    for projection in select.expressions:
        name = projection.alias_or_name
        outputs[name] = [] if name in outputs else _value_marks(projection)
    return outputs


def _value_marks(value: exp.Expr) -> list[str]:
    while isinstance(value, exp.Paren | exp.Alias):
        value = value.this
    marks = [SCALAR_COLUMN] if is_known_scalar(value) else []
    if value.meta.get(PLAIN_COLUMN) or (isinstance(value, exp.Literal) and value.is_string):
        marks.append(PLAIN_COLUMN)
    if _is_narrow_integer(value):
        marks.append(NARROW_INTEGER_COLUMN)
    return marks


def _is_narrow_integer(value: exp.Expr) -> bool:
    """An output an engine may type as an integer narrower than 64 bits: a column so marked, a conversion to one
    (`toInt32(x)`), or integer-literal arithmetic whose every step fits an Int32 (`1 + 1`: DuckDB's INTEGER)."""
    if value.meta.get(NARROW_INTEGER_COLUMN):
        return True
    if isinstance(value, exp.Anonymous):
        return value.name.lower() in NARROW_INTEGER_CALLS and len(value.expressions) == 1
    return _small_integer(value) is not None


def _small_integer(value: exp.Expr) -> int | None:
    while isinstance(value, exp.Paren):
        value = value.this
    result: int | None = None
    if isinstance(value, exp.Literal) and not value.is_string and str(value.this).isdigit():
        result = int(value.this)
    elif isinstance(value, exp.Neg):
        inner = _small_integer(value.this)
        result = None if inner is None else -inner
    elif isinstance(value, exp.Add | exp.Sub | exp.Mul):
        left, right = _small_integer(value.this), _small_integer(value.expression)
        if left is not None and right is not None:
            operation = {exp.Add: int.__add__, exp.Sub: int.__sub__, exp.Mul: int.__mul__}[type(value)]
            result = operation(left, right)
    return result if result is not None and _INT32_MIN <= result <= _INT32_MAX else None
