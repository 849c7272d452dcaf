"""ClickHouse JSON and map functions in DuckDB's terms, with ClickHouse's meaning (used by functions.py).

A JSON path is ClickHouse's: keys (strings) and 1-based indexes (numbers, -1 the last), read with DuckDB's `$...`.
Text that is not JSON reads as ClickHouse reads it (a length of 0, the type 'Null', ...), never an error.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.json_paths import json_path
from warehouse.engine.duckdb.sql_builders import Builder, call


def _path(parts: list[exp.Expr]) -> exp.Expr:
    return exp.Literal.string(json_path(parts))


def _typed(args: list[exp.Expr]) -> exp.Expr:
    """json_type of the value at the path, NULL where the text is not JSON or the path is missing."""
    valid = call("json_valid", args[0].copy())
    return exp.Case(ifs=[exp.If(this=valid, true=call("json_type", args[0].copy(), _path(args[1:])))])


def json_length(args: list[exp.Expr]) -> exp.Expr:
    """JSONLength(json, path...): the elements of an array or keys of an object; 0 for anything else."""
    value = call("json_extract", args[0].copy(), _path(args[1:]))
    kind = _typed(args)
    return exp.Case(
        ifs=[
            exp.If(
                this=exp.EQ(this=kind.copy(), expression=exp.Literal.string("ARRAY")),
                true=call("json_array_length", value.copy()),
            ),
            exp.If(
                this=exp.EQ(this=kind.copy(), expression=exp.Literal.string("OBJECT")),
                true=call("len", call("json_keys", value.copy())),
            ),
        ],
        default=exp.Literal.number(0),
    )


# DuckDB's json_type -> ClickHouse's JSONType.
_TYPE_NAMES = {
    "ARRAY": "Array",
    "OBJECT": "Object",
    "VARCHAR": "String",
    "BIGINT": "Int64",
    "UBIGINT": "UInt64",
    "DOUBLE": "Double",
    "BOOLEAN": "Bool",
    "NULL": "Null",
}


def json_type(args: list[exp.Expr]) -> exp.Expr:
    """JSONType(json, path...): ClickHouse's name of the value's type (a whole number is Int64 unless it needs
    UInt64; 'Null' where the text is not JSON or the path is missing)."""
    kind = _typed(args)
    text = call("json_extract_string", args[0].copy(), _path(args[1:]))
    signed = exp.Not(
        this=exp.Is(this=exp.TryCast(this=text, to=exp.DataType.build("BIGINT")), expression=exp.Null())
    )
    fits = exp.And(this=exp.EQ(this=kind.copy(), expression=exp.Literal.string("UBIGINT")), expression=signed)
    ifs = [exp.If(this=fits, true=exp.Literal.string("Int64"))] + [
        exp.If(
            this=exp.EQ(this=kind.copy(), expression=exp.Literal.string(theirs)),
            true=exp.Literal.string(ours),
        )
        for theirs, ours in _TYPE_NAMES.items()
    ]
    return exp.Case(ifs=ifs, default=exp.Literal.string("Null"))


def json_array_length(args: list[exp.Expr]) -> exp.Expr:
    """JSONArrayLength(json): the array's elements; NULL when the text is not a JSON array."""
    is_array = exp.EQ(this=_typed(args[:1]), expression=exp.Literal.string("ARRAY"))
    return exp.Case(ifs=[exp.If(this=is_array, true=call("json_array_length", args[0].copy()))])


def _kind_in(kind: exp.Expr, *names: str) -> exp.Expr:
    return exp.In(this=kind.copy(), expressions=[exp.Literal.string(name) for name in names])


def json_extract_uint(args: list[exp.Expr]) -> exp.Expr:
    """JSONExtractUInt(json, path...): the number as a UInt64, a string of digits read as one (its integer part);
    0 when missing, negative, boolean or anything else."""
    text = call("json_extract_string", args[0].copy(), _path(args[1:]))
    kind = _typed(args)

    def unsigned(value: exp.Expr) -> exp.Expr:
        return exp.TryCast(this=value, to=exp.DataType.build("UBIGINT", dialect="duckdb"))

    digits = call("regexp_full_match", text.copy(), exp.Literal.string("[0-9]+(\\.[0-9]+)?"))
    value = exp.Case(
        ifs=[
            exp.If(this=_kind_in(kind, "BIGINT", "UBIGINT"), true=unsigned(text.copy())),
            exp.If(
                this=exp.EQ(this=kind.copy(), expression=exp.Literal.string("DOUBLE")),
                true=unsigned(call("trunc", exp.TryCast(this=text.copy(), to=exp.DataType.build("DOUBLE")))),
            ),
            exp.If(
                this=exp.And(
                    this=exp.EQ(this=kind.copy(), expression=exp.Literal.string("VARCHAR")), expression=digits
                ),
                true=unsigned(
                    call("split_part", text.copy(), exp.Literal.string("."), exp.Literal.number(1))
                ),
            ),
        ]
    )
    return exp.Coalesce(this=value, expressions=[exp.Literal.number(0)])


def json_extract_array_raw(args: list[exp.Expr]) -> exp.Expr:
    """JSONExtractArrayRaw(json, path...): the array's elements as JSON text; [] when it is not an array."""
    is_array = exp.EQ(this=_typed(args), expression=exp.Literal.string("ARRAY"))
    path = _path(args[1:])
    elements = call("json_extract", args[0].copy(), exp.Literal.string(path.name + "[*]"))
    raw = exp.Cast(this=elements, to=exp.DataType.build("VARCHAR[]", dialect="duckdb"))
    empty = exp.Cast(this=exp.Array(expressions=[]), to=exp.DataType.build("VARCHAR[]", dialect="duckdb"))
    return exp.Case(ifs=[exp.If(this=is_array, true=raw)], default=empty)


TRANSLATIONS: dict[str, Builder] = {
    "jsonlength": json_length,
    "jsontype": json_type,
    "jsonarraylength": json_array_length,
    "jsonextractuint": json_extract_uint,
    "jsonextractarrayraw": json_extract_array_raw,
    "isvalidjson": lambda args: call("json_valid", args[0]),
    "tojsonstring": lambda args: exp.Cast(this=call("to_json", args[0]), to=exp.DataType.build("VARCHAR")),
    "mapkeys": lambda args: call("map_keys", args[0]),
    "mapvalues": lambda args: call("map_values", args[0]),
    "mapcontains": lambda args: call("list_contains", call("map_keys", args[0]), args[1]),
    "mapfromarrays": lambda args: call("map", args[0], args[1]),
}
ARITY = {
    (1, 1): "jsonarraylength isvalidjson mapkeys mapvalues tojsonstring",
    (1, None): "jsonlength jsontype jsonextractuint jsonextractarrayraw",
    (2, 2): "mapcontains mapfromarrays",
}
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {}
