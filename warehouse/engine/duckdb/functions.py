"""ClickHouse functions DuckDB lacks, each rewritten with ClickHouse's meaning (one table, used by dialect.py)."""

from collections.abc import Callable

from sqlglot import exp

import warehouse.engine.duckdb.aggregate_functions as aggregate_functions
import warehouse.engine.duckdb.array_functions as array_functions
import warehouse.engine.duckdb.date_functions as date_functions
import warehouse.engine.duckdb.integer_casts as integer_casts
import warehouse.engine.duckdb.json_functions as json_functions
import warehouse.engine.duckdb.list_functions as list_functions
import warehouse.engine.duckdb.math_functions as math_functions
import warehouse.engine.duckdb.string_functions as string_functions
import warehouse.engine.duckdb.url_functions as url_functions
from warehouse.engine.duckdb.number_text import by_type, clickhouse_text
from warehouse.engine.duckdb.value_size import size_checked
from warehouse.hogql.errors import HogQLError

ENGINE_NAME = "DuckDB"


def call(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _cast(to: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: exp.Cast(this=args[0], to=exp.DataType.build(to, dialect="duckdb"))


def _try_cast(to: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: exp.TryCast(this=args[0], to=exp.DataType.build(to))


def _operand(arg: exp.Expr) -> exp.Expr:
    """An argument made an operand: `multiply(1 + 2, 3)` must print `(1 + 2) * 3`."""
    return exp.Paren(this=arg) if isinstance(arg, exp.Binary | exp.Unary | exp.Connector | exp.Not) else arg


def _binary(cls: type[exp.Binary]) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: exp.Paren(this=cls(this=_operand(args[0]), expression=_operand(args[1])))


def _part(unit: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: call("date_part", exp.Literal.string(unit), args[0])


def _shift(unit: str, sign: int) -> Callable[[list[exp.Expr]], exp.Expr]:
    def build(args: list[exp.Expr]) -> exp.Expr:
        interval = exp.Interval(this=args[1], unit=exp.Var(this=unit))
        return exp.Paren(this=(exp.Add if sign > 0 else exp.Sub)(this=args[0], expression=interval))

    return build


def _range(args: list[exp.Expr]) -> exp.Expr:
    """range(end) or range(start, end[, step]), ClickHouse's arguments, with the element count bounded."""
    if len(args) == 1:
        return call("range", size_checked(args[0], args[0], "range"))
    count: exp.Expr = exp.Sub(this=exp.Paren(this=args[1].copy()), expression=exp.Paren(this=args[0].copy()))
    if len(args) > 2:
        count = exp.Div(this=exp.Paren(this=count), expression=call("abs", args[2].copy()))
    return call("range", size_checked(args[0], count, "range"), *args[1:])


def clickhouse_length(value: exp.Expr) -> exp.Expr:
    """ClickHouse's length(): the element count of an array, the BYTE count of a string, NULL for NULL.

    DuckDB's length() counts characters and sqlglot casts the argument to text (length(range(1000)) was 4890).
    The argument's type is not known before the engine binds it, so the value goes through to_json(), which
    binds for every type: a JSON array is counted by elements, anything else is measured in bytes as text. The
    value is written three times: by_type() binds it once when it holds another such expression, so nested calls
    (`length(toString(length(x)))`) grow the SQL linearly (it grew threefold with each level)."""
    if isinstance(value, exp.Literal) and value.is_string:
        return call("strlen", value)
    if isinstance(value, exp.Array):
        return call("len", value)
    return by_type(value, _length_of)


def _length_of(value: exp.Expr) -> exp.Expr:
    as_json = call("to_json", value)
    is_array = exp.EQ(this=call("json_type", as_json.copy()), expression=exp.Literal.string("ARRAY"))
    text = exp.JSONExtractScalar(this=as_json.copy(), expression=exp.Literal.string("$"))
    return exp.Case(
        ifs=[exp.If(this=is_array, true=call("json_array_length", as_json.copy()))],
        default=call("strlen", text),
    )


def _multi_if(args: list[exp.Expr]) -> exp.Expr:
    if len(args) % 2 == 0:  # conditions and values in pairs, then the value otherwise
        raise HogQLError("Invalid query: wrong number of arguments for multiIf(): it takes an odd number")
    ifs = [exp.If(this=args[i], true=args[i + 1]) for i in range(0, len(args) - 1, 2)]
    return exp.Case(ifs=ifs, default=args[-1] if len(args) % 2 else None)


def _json(to: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    def build(args: list[exp.Expr]) -> exp.Expr:
        path = "$" + "".join(f'."{a.name}"' for a in args[1:])
        return exp.TryCast(
            this=call("json_extract_string", args[0], exp.Literal.string(path)), to=exp.DataType.build(to)
        )

    return build


# ClickHouse functions the engine does not know, rewritten to DuckDB equivalents.
TRANSLATIONS: dict[str, Callable[[list[exp.Expr]], exp.Expr | None]] = {
    "tostring": lambda args: clickhouse_text(args[0]),
    "concat": lambda args: call("concat", *(clickhouse_text(arg) for arg in args)),
    "tofloat": _try_cast("DOUBLE"),
    "tofloat64": _cast("DOUBLE"),
    "todate": _cast("DATE"),
    "todatetime": _cast("TIMESTAMP"),
    "touuid": _cast("UUID"),
    "tobool": _cast("BOOLEAN"),
    "tofloatornull": _try_cast("DOUBLE"),
    "todateornull": _try_cast("DATE"),
    "todatetimeornull": _try_cast("TIMESTAMP"),
    "parsedatetimebesteffort": _try_cast("TIMESTAMP"),
    "now": lambda args: exp.Cast(this=exp.CurrentTimestamp(), to=exp.DataType.build("TIMESTAMP")),
    "today": lambda args: exp.CurrentDate(),
    "yesterday": lambda args: exp.Paren(
        this=exp.Sub(this=exp.CurrentDate(), expression=exp.Literal.number(1))
    ),
    "tostartofweek": lambda args: exp.Cast(
        this=call("date_trunc", exp.Literal.string("week"), args[0]), to=exp.DataType.build("DATE")
    ),
    "toyear": _part("year"),
    "tomonth": _part("month"),
    "todayofmonth": _part("day"),
    "tohour": _part("hour"),
    "tominute": _part("minute"),
    "tosecond": _part("second"),
    "multiif": _multi_if,
    "isnull": lambda args: exp.Paren(this=exp.Is(this=args[0], expression=exp.Null())),
    "isnotnull": lambda args: exp.Paren(this=exp.Not(this=exp.Is(this=args[0], expression=exp.Null()))),
    "plus": _binary(exp.Add),
    "minus": _binary(exp.Sub),
    "multiply": _binary(exp.Mul),
    "divide": _binary(exp.Div),
    "modulo": _binary(exp.Mod),
    "intdiv": _binary(exp.IntDiv),
    "negate": lambda args: exp.Neg(this=_operand(args[0])),
    # a cast, not `= 0` (the operator rewrite would make empty(NULL) false; ClickHouse gives NULL)
    "empty": lambda args: exp.Paren(
        this=exp.Not(this=exp.Cast(this=clickhouse_length(args[0]), to=exp.DataType.build("BOOLEAN")))
    ),
    "notempty": lambda args: exp.Cast(this=clickhouse_length(args[0]), to=exp.DataType.build("BOOLEAN")),
    "lengthutf8": lambda args: exp.Length(this=args[0]),  # characters, as DuckDB's length() of a string
    "lowerutf8": lambda args: exp.Lower(this=args[0]),
    "upperutf8": lambda args: exp.Upper(this=args[0]),
    "replaceall": lambda args: call("replace", *args),
    "replaceone": lambda args: call("regexp_replace", args[0], call("regexp_escape", args[1]), args[2]),
    "replaceregexpall": lambda args: call("regexp_replace", *args, exp.Literal.string("g")),
    "replaceregexpone": lambda args: call("regexp_replace", *args),
    "positioncaseinsensitive": lambda args: call("strpos", exp.Lower(this=args[0]), exp.Lower(this=args[1])),
    "splitbychar": lambda args: call("string_split", args[1], args[0]),
    "uniqexact": lambda args: exp.Count(this=exp.Distinct(expressions=args)),
    "countdistinct": lambda args: exp.Count(this=exp.Distinct(expressions=args)),
    "grouparray": lambda args: call("list", *args),
    "groupuniqarray": lambda args: call("list", exp.Distinct(expressions=args)),
    "anylast": lambda args: call("last", *args),
    "stddevpop": lambda args: call("stddev_pop", *args),
    "stddevsamp": lambda args: call("stddev_samp", *args),
    "varpop": lambda args: call("var_pop", *args),
    "varsamp": lambda args: call("var_samp", *args),
    "covarpop": lambda args: call("covar_pop", *args),
    "jsonextractint": _json("BIGINT"),
    "jsonextractfloat": _json("DOUBLE"),
    "jsonextractbool": _json("BOOLEAN"),
    "jsonhas": lambda args: exp.Paren(
        this=exp.Not(
            this=exp.Is(
                this=call(
                    "json_extract",
                    args[0],
                    exp.Literal.string("$" + "".join(f'."{a.name}"' for a in args[1:])),
                ),
                expression=exp.Null(),
            )
        )
    ),
}


def _interval(unit: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: exp.Interval(this=args[0], unit=exp.Var(this=unit))


def _lambda_list(function: str, then: Callable[[exp.Expr], exp.Expr]):
    """arrayExists(f, arr) and friends: DuckDB's list_transform / list_filter take the list first."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        if len(args) == 1 and not isinstance(args[0], exp.Lambda):  # arrayCount(arr): the truthy elements
            args = [_identity_lambda(), args[0]]
        _check_lambda_arguments(function, args)
        return then(call("list_transform" if function != "arrayCount" else "list_filter", args[1], args[0]))

    return build


def _identity_lambda() -> exp.Lambda:
    truthy = exp.Cast(this=exp.to_identifier("__element"), to=exp.DataType.build("BOOLEAN"))
    return exp.Lambda(this=truthy, expressions=[exp.to_identifier("__element", quoted=True)])


def _check_lambda_arguments(function: str, args: list[exp.Expr]) -> None:
    """A lambda alone (`arrayExists(x -> x > 1)`) is missing its array; several arrays are refused."""
    if len(args) < 2:
        raise HogQLError(f"Invalid query: wrong number of arguments for {function}(): the array is missing")
    if len(args) > 2:
        raise HogQLError(
            f"Invalid query: {function} over several arrays is not supported by the {ENGINE_NAME} engine"
        )


def _array_sort(args: list[exp.Expr]) -> exp.Expr:
    """arraySort(arr), or arraySort(x -> key, arr): the elements ordered by their keys."""
    if not isinstance(args[0], exp.Lambda):
        if len(args) > 1:
            raise HogQLError(
                "Invalid query: wrong number of arguments for arraySort(): an array, or a lambda first"
            )
        return call("list_sort", *args)
    _check_lambda_arguments("arraySort", args)
    key, array = args
    if len(key.expressions) != 1:
        raise HogQLError("Invalid query: arraySort over several arrays is not supported by the DuckDB engine")
    pair = exp.Lambda(
        this=exp.Struct(
            expressions=[
                exp.PropertyEQ(this=exp.to_identifier("k"), expression=key.this),
                exp.PropertyEQ(this=exp.to_identifier("v"), expression=key.expressions[0].copy()),
            ]
        ),
        expressions=[key.expressions[0].copy()],
    )
    sorted_pairs = call("list_sort", call("list_transform", array, pair))
    value = exp.Lambda(
        this=call("struct_extract", exp.to_identifier("__pair"), exp.Literal.string("v")),
        expressions=[exp.to_identifier("__pair", quoted=True)],
    )
    return call("list_transform", sorted_pairs, value)


def _several_arrays(
    function: str, build: Callable[[list[exp.Expr]], exp.Expr | None]
) -> Callable[[list[exp.Expr]], exp.Expr | None]:
    """A lambda over one array or several (zipped); a lambda alone is missing its array."""

    def check(args: list[exp.Expr]) -> exp.Expr | None:
        if len(args) < 2:
            _check_lambda_arguments(function, args)
        return build(args)

    return check


def _count_equal(args: list[exp.Expr]) -> exp.Expr:
    """countEqual(arr, x): how many elements equal x, a NULL element equal to a NULL x (ClickHouse's meaning)."""
    element = exp.to_identifier("__element", quoted=True)
    same = exp.NullSafeEQ(this=exp.column(element.copy()), expression=_operand(args[1]))
    return call("len", call("list_filter", args[0], exp.Lambda(this=same, expressions=[element])))


def _extract(args: list[exp.Expr]) -> exp.Expr:
    """extract(haystack, pattern): the first match, or its first group when the pattern has one ('' if none)."""
    pattern = args[1]
    group = 1 if isinstance(pattern, exp.Literal) and "(" in pattern.this.replace("\\(", "") else 0
    return call("regexp_extract", args[0], pattern, exp.Literal.number(group))


def _window_offset(name: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: call(name, *args)


def _time_zone(args: list[exp.Expr]) -> exp.Expr:
    """toTimeZone(t, tz): the wall-clock time in tz of a UTC timestamp."""
    utc = exp.AtTimeZone(
        this=exp.Cast(this=args[0], to=exp.DataType.build("TIMESTAMP")), zone=exp.Literal.string("UTC")
    )
    return exp.AtTimeZone(this=utc, zone=args[1])


TRANSLATIONS.update(
    {
        "tofloat32": _cast("FLOAT"),
        "todecimal": lambda args: exp.Cast(
            this=args[0], to=exp.DataType.build(f"DECIMAL(38, {int(args[1].name) if len(args) > 1 else 0})")
        ),
        "tounixtimestamp": lambda args: exp.Cast(
            this=call("epoch", args[0]), to=exp.DataType.build("BIGINT")
        ),
        "fromunixtimestamp": lambda args: exp.Cast(
            this=call("to_timestamp", args[0]), to=exp.DataType.build("TIMESTAMP")
        ),
        "toyyyymm": lambda args: exp.Cast(
            this=call("strftime", args[0], exp.Literal.string("%Y%m")),
            to=exp.DataType.build("UINTEGER", dialect="duckdb"),
        ),
        "toyyyymmdd": lambda args: exp.Cast(
            this=call("strftime", args[0], exp.Literal.string("%Y%m%d")),
            to=exp.DataType.build("UINTEGER", dialect="duckdb"),
        ),
        "totimezone": _time_zone,
        "tostartofinterval": lambda args: call("time_bucket", args[1], args[0]),
        "max2": lambda args: call("greatest", *args),
        "min2": lambda args: call("least", *args),
        "range": _range,
        "arrayzip": lambda args: call("list_zip", *args),
        "arraystringconcat": lambda args: call(
            "array_to_string", args[0], args[1] if len(args) > 1 else exp.Literal.string("")
        ),
        "arraysort": _array_sort,
        "arrayelement": lambda args: call("list_extract", *args),
        "tupleelement": lambda args: call("struct_extract_at", *args),
        "indexof": lambda args: exp.Coalesce(
            this=call("list_position", *args), expressions=[exp.Literal.number(0)]
        ),
        "arrayexists": _lambda_list(
            "arrayExists",
            lambda mapped: exp.Coalesce(this=call("list_bool_or", mapped), expressions=[exp.false()]),
        ),
        "arrayall": _lambda_list(
            "arrayAll",
            lambda mapped: exp.Coalesce(this=call("list_bool_and", mapped), expressions=[exp.true()]),
        ),
        "arraycount": _lambda_list("arrayCount", lambda filtered: call("len", filtered)),
        "countequal": _count_equal,
        "extract": _extract,
        "extractall": lambda args: call("regexp_extract_all", *args),
        "base64encode": lambda args: call("to_base64", call("encode", args[0])),
        "base64decode": lambda args: call("decode", call("from_base64", args[0])),
        "bitand": _binary(exp.BitwiseAnd),
        "bitor": _binary(exp.BitwiseOr),
        "bitxor": lambda args: call("xor", *args),
        "generateuuidv4": lambda args: call("uuid"),
        "jsonextractkeys": lambda args: call("json_keys", *args),
        "arraymap": _several_arrays(
            "arrayMap", array_functions.array_map
        ),  # one array: sqlglot's list_transform
        "arrayfilter": _several_arrays("arrayFilter", array_functions.array_filter),
        "summap": array_functions.sum_map,
        "tumble": array_functions.tumble,
        "tumblestart": lambda args: array_functions.tumble_bound(args, end=False),
        "tumbleend": lambda args: array_functions.tumble_bound(args, end=True),
        "hop": array_functions.hop,
        "hopstart": lambda args: array_functions.hop_bound(args, end=False),
        "hopend": lambda args: array_functions.hop_bound(args, end=True),
        "assumenotnull": lambda args: args[0],  # ClickHouse's type change only: the value is the same
        "topk": lambda args: array_functions.top_k([], args),
        "laginframe": _window_offset("lag"),
        "leadinframe": _window_offset("lead"),
    }
)
for _unit in ("second", "minute", "hour", "day", "week", "month", "quarter", "year"):
    TRANSLATIONS[f"tointerval{_unit}"] = _interval(_unit)

# Families kept in their own modules: each has TRANSLATIONS (by name), ARITY (bounds -> names) and TYPED (sqlglot's
# typed nodes that DuckDB would print with another meaning).
FAMILIES = (
    list_functions,
    string_functions,
    math_functions,
    aggregate_functions,
    date_functions,
    json_functions,
    url_functions,
)
for _family in FAMILIES:
    TRANSLATIONS.update(_family.TRANSLATIONS)
TRANSLATIONS.update(integer_casts.TRANSLATIONS)  # toInt, toIntOrNull, toInt64 ... toUInt8 (arity: arity.py)
TYPED = {node: build for family in FAMILIES for node, build in family.TYPED.items()}

# ClickHouse functions refused on purpose: the engine has no equivalent with the same result.
UNSUPPORTED_FUNCTIONS = frozenset(
    {
        "cityhash64",  # DuckDB's hash() is another function: the values would differ
        "city_hash64",  # (sqlglot's name for it)
    }
)

# Parametric aggregates, name(parameters)(arguments).
PARAMETRIC: dict[str, Callable[[list[exp.Expr], list[exp.Expr]], exp.Expr]] = {
    "topk": array_functions.top_k,
    # interpolated, as aggregate_functions._quantile
    "quantiles": lambda params, args: call("quantile_cont", args[0], exp.Array(expressions=params)),
    **aggregate_functions.PARAMETRIC_IF,
    "grouparray": lambda params, args: exp.Bracket(
        this=call("list", args[0]),
        expressions=[exp.Slice(this=exp.Literal.number(1), expression=params[0])],
    ),
}

for _unit, _name in [
    ("day", "days"),
    ("hour", "hours"),
    ("minute", "minutes"),
    ("second", "seconds"),
    ("week", "weeks"),
    ("month", "months"),
    ("year", "years"),
    ("quarter", "quarters"),
]:
    TRANSLATIONS[f"add{_name}"] = _shift(_unit, 1)
    TRANSLATIONS[f"subtract{_name}"] = _shift(_unit, -1)

# -If aggregate combinators: fooIf(x, cond) -> foo(x) FILTER (WHERE cond).
IF_COMBINATORS = {
    "sumif": "sum",
    "avgif": "avg",
    "minif": "min",
    "maxif": "max",
    "uniqif": "approx_count_distinct",
}
