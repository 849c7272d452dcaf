"""The canonical tree printed as DuckDB SQL: each HogQL call DuckDB lacks, rewritten with ClickHouse's meaning.

The compiler (warehouse/hogql/) leaves ClickHouse's function names and its own nodes (hogql/nodes.py) in the tree;
`to_sql` rewrites them, innermost first, into DuckDB's spelling and prints the tree with sqlglot's DuckDB dialect.
A call that cannot be printed with ClickHouse's meaning is a HogQLError (the client's 400).
"""

from collections.abc import Callable

from django.conf import settings
from sqlglot import exp

from warehouse.hogql.errors import HogQLError
from warehouse.hogql.nodes import JSONProperty, SamplingHash

DIALECT = "duckdb"
ENGINE_NAME = "DuckDB"


def _call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _cast(to: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: exp.Cast(this=args[0], to=exp.DataType.build(to, dialect="duckdb"))


def _try_cast(to: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: exp.TryCast(this=args[0], to=exp.DataType.build(to))


def _operand(arg: exp.Expression) -> exp.Expression:
    """An argument made an operand: `multiply(1 + 2, 3)` must print `(1 + 2) * 3`."""
    return exp.Paren(this=arg) if isinstance(arg, exp.Binary | exp.Unary | exp.Connector | exp.Not) else arg


def _binary(cls: type[exp.Binary]) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: exp.Paren(this=cls(this=_operand(args[0]), expression=_operand(args[1])))


def _part(unit: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: _call("date_part", exp.Literal.string(unit), args[0])


def _shift(unit: str, sign: int) -> Callable[[list[exp.Expression]], exp.Expression]:
    def build(args: list[exp.Expression]) -> exp.Expression:
        interval = exp.Interval(this=args[1], unit=exp.Var(this=unit))
        return exp.Paren(this=(exp.Add if sign > 0 else exp.Sub)(this=args[0], expression=interval))

    return build


def _size_checked(value: exp.Expression, size: exp.Expression, function: str) -> exp.Expression:
    """`value`, or the engine's error when `size` is over WAREHOUSE_HOGQL_MAX_VALUE_SIZE: a value built by repeat(),
    leftPad() or range() is made whole in memory before any result cap can see it (repeat('a', 1e9) is 1 GB)."""
    limit = int(settings.WAREHOUSE_HOGQL_MAX_VALUE_SIZE)
    message = (
        f"{function}() would build a value larger than {limit} characters or elements "
        "(WAREHOUSE_HOGQL_MAX_VALUE_SIZE)"
    )
    over = exp.GT(this=exp.Paren(this=size.copy()), expression=exp.Literal.number(limit))
    return exp.Case(ifs=[exp.If(this=over, true=_call("error", exp.Literal.string(message)))], default=value)


def _range(args: list[exp.Expression]) -> exp.Expression:
    """range(end) or range(start, end[, step]), ClickHouse's arguments, with the element count bounded."""
    if len(args) == 1:
        return _call("range", _size_checked(args[0], args[0], "range"))
    count: exp.Expression = exp.Sub(
        this=exp.Paren(this=args[1].copy()), expression=exp.Paren(this=args[0].copy())
    )
    if len(args) > 2:
        count = exp.Div(this=exp.Paren(this=count), expression=_call("abs", args[2].copy()))
    return _call("range", _size_checked(args[0], count, "range"), *args[1:])


def clickhouse_length(value: exp.Expression) -> exp.Expression:
    """ClickHouse's length(): the element count of an array, the BYTE count of a string, NULL for NULL.

    DuckDB's length() counts characters and sqlglot casts the argument to text (length(range(1000)) was 4890).
    The argument's type is not known before the engine binds it, so the value goes through to_json(), which
    binds for every type: a JSON array is counted by elements, anything else is measured in bytes as text."""
    if isinstance(value, exp.Literal) and value.is_string:
        return _call("strlen", value)
    if isinstance(value, exp.Array):
        return _call("len", value)
    as_json = _call("to_json", value)
    is_array = exp.EQ(this=_call("json_type", as_json.copy()), expression=exp.Literal.string("ARRAY"))
    text = exp.JSONExtractScalar(this=as_json.copy(), expression=exp.Literal.string("$"))
    return exp.Case(
        ifs=[exp.If(this=is_array, true=_call("json_array_length", as_json.copy()))],
        default=_call("strlen", text),
    )


def _multi_if(args: list[exp.Expression]) -> exp.Expression:
    ifs = [exp.If(this=args[i], true=args[i + 1]) for i in range(0, len(args) - 1, 2)]
    return exp.Case(ifs=ifs, default=args[-1] if len(args) % 2 else None)


def _json(to: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    def build(args: list[exp.Expression]) -> exp.Expression:
        path = "$" + "".join(f'."{a.name}"' for a in args[1:])
        return exp.TryCast(
            this=_call("json_extract_string", args[0], exp.Literal.string(path)), to=exp.DataType.build(to)
        )

    return build


# ClickHouse functions the engine does not know, rewritten to DuckDB equivalents.
_TRANSLATIONS: dict[str, Callable[[list[exp.Expression]], exp.Expression]] = {
    "tostring": _cast("VARCHAR"),
    "toint": _cast("BIGINT"),
    "toint64": _cast("BIGINT"),
    "toint32": _cast("INTEGER"),
    "tofloat": _cast("DOUBLE"),
    "tofloat64": _cast("DOUBLE"),
    "todate": _cast("DATE"),
    "todatetime": _cast("TIMESTAMP"),
    "touuid": _cast("UUID"),
    "tobool": _cast("BOOLEAN"),
    "tointornull": _try_cast("BIGINT"),
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
        this=_call("date_trunc", exp.Literal.string("week"), args[0]), to=exp.DataType.build("DATE")
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
    "replaceall": lambda args: _call("replace", *args),
    "replaceone": lambda args: _call("regexp_replace", args[0], _call("regexp_escape", args[1]), args[2]),
    "replaceregexpall": lambda args: _call("regexp_replace", *args, exp.Literal.string("g")),
    "replaceregexpone": lambda args: _call("regexp_replace", *args),
    "positioncaseinsensitive": lambda args: _call("strpos", exp.Lower(this=args[0]), exp.Lower(this=args[1])),
    "splitbychar": lambda args: _call("string_split", args[1], args[0]),
    "uniqexact": lambda args: exp.Count(this=exp.Distinct(expressions=args)),
    "countdistinct": lambda args: exp.Count(this=exp.Distinct(expressions=args)),
    "grouparray": lambda args: _call("list", *args),
    "groupuniqarray": lambda args: _call("list", exp.Distinct(expressions=args)),
    "anylast": lambda args: _call("last", *args),
    "stddevpop": lambda args: _call("stddev_pop", *args),
    "stddevsamp": lambda args: _call("stddev_samp", *args),
    "varpop": lambda args: _call("var_pop", *args),
    "varsamp": lambda args: _call("var_samp", *args),
    "covarpop": lambda args: _call("covar_pop", *args),
    "jsonextractint": _json("BIGINT"),
    "jsonextractfloat": _json("DOUBLE"),
    "jsonextractbool": _json("BOOLEAN"),
    "jsonhas": lambda args: exp.Paren(
        this=exp.Not(
            this=exp.Is(
                this=_call(
                    "json_extract",
                    args[0],
                    exp.Literal.string("$" + "".join(f'."{a.name}"' for a in args[1:])),
                ),
                expression=exp.Null(),
            )
        )
    ),
}


def _interval(unit: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: exp.Interval(this=args[0], unit=exp.Var(this=unit))


def _lambda_list(function: str, then: Callable[[exp.Expression], exp.Expression]):
    """arrayExists(f, arr) and friends: DuckDB's list_transform / list_filter take the list first."""

    def build(args: list[exp.Expression]) -> exp.Expression:
        if len(args) == 1 and not isinstance(args[0], exp.Lambda):  # arrayCount(arr): the truthy elements
            args = [_identity_lambda(), args[0]]
        _check_lambda_arguments(function, args)
        return then(_call("list_transform" if function != "arrayCount" else "list_filter", args[1], args[0]))

    return build


def _identity_lambda() -> exp.Lambda:
    truthy = exp.Cast(this=exp.to_identifier("__element"), to=exp.DataType.build("BOOLEAN"))
    return exp.Lambda(this=truthy, expressions=[exp.to_identifier("__element", quoted=True)])


def _check_lambda_arguments(function: str, args: list[exp.Expression]) -> None:
    """A lambda alone (`arrayExists(x -> x > 1)`) is missing its array; several arrays are refused."""
    if len(args) < 2:
        raise HogQLError(f"Invalid query: wrong number of arguments for {function}(): the array is missing")
    if len(args) > 2:
        raise HogQLError(
            f"Invalid query: {function} over several arrays is not supported by the {ENGINE_NAME} engine"
        )


def _array_sort(args: list[exp.Expression]) -> exp.Expression:
    """arraySort(arr), or arraySort(x -> key, arr): the elements ordered by their keys."""
    if not isinstance(args[0], exp.Lambda):
        return _call("list_sort", *args)
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
    sorted_pairs = _call("list_sort", _call("list_transform", array, pair))
    value = exp.Lambda(
        this=_call("struct_extract", exp.to_identifier("__pair"), exp.Literal.string("v")),
        expressions=[exp.to_identifier("__pair", quoted=True)],
    )
    return _call("list_transform", sorted_pairs, value)


def _several_arrays(function: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    def refuse(args: list[exp.Expression]) -> exp.Expression:
        _check_lambda_arguments(function, args)
        raise HogQLError(
            f"Invalid query: {function} over several arrays is not supported by the DuckDB engine"
        )

    return refuse


def _extract(args: list[exp.Expression]) -> exp.Expression:
    """extract(haystack, pattern): the first match, or its first group when the pattern has one ('' if none)."""
    pattern = args[1]
    group = 1 if isinstance(pattern, exp.Literal) and "(" in pattern.this.replace("\\(", "") else 0
    return _call("regexp_extract", args[0], pattern, exp.Literal.number(group))


def _window_offset(name: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: _call(name, *args)


def _time_zone(args: list[exp.Expression]) -> exp.Expression:
    """toTimeZone(t, tz): the wall-clock time in tz of a UTC timestamp."""
    utc = exp.AtTimeZone(
        this=exp.Cast(this=args[0], to=exp.DataType.build("TIMESTAMP")), zone=exp.Literal.string("UTC")
    )
    return exp.AtTimeZone(this=utc, zone=args[1])


_TRANSLATIONS.update(
    {
        "toint8": _cast("TINYINT"),
        "toint16": _cast("SMALLINT"),
        "touint8": _cast("UTINYINT"),
        "touint16": _cast("USMALLINT"),
        "touint32": _cast("UINTEGER"),
        "touint64": _cast("UBIGINT"),
        "tofloat32": _cast("FLOAT"),
        "todecimal": lambda args: exp.Cast(
            this=args[0], to=exp.DataType.build(f"DECIMAL(38, {int(args[1].name) if len(args) > 1 else 0})")
        ),
        "tounixtimestamp": lambda args: exp.Cast(
            this=_call("epoch", args[0]), to=exp.DataType.build("BIGINT")
        ),
        "fromunixtimestamp": lambda args: exp.Cast(
            this=_call("to_timestamp", args[0]), to=exp.DataType.build("TIMESTAMP")
        ),
        "toyyyymm": lambda args: exp.Cast(
            this=_call("strftime", args[0], exp.Literal.string("%Y%m")),
            to=exp.DataType.build("UINTEGER", dialect="duckdb"),
        ),
        "toyyyymmdd": lambda args: exp.Cast(
            this=_call("strftime", args[0], exp.Literal.string("%Y%m%d")),
            to=exp.DataType.build("UINTEGER", dialect="duckdb"),
        ),
        "totimezone": _time_zone,
        "tostartofinterval": lambda args: _call("time_bucket", args[1], args[0]),
        "max2": lambda args: _call("greatest", *args),
        "min2": lambda args: _call("least", *args),
        "range": _range,
        "arrayzip": lambda args: _call("list_zip", *args),
        "arraystringconcat": lambda args: _call(
            "array_to_string", args[0], args[1] if len(args) > 1 else exp.Literal.string("")
        ),
        "arraysort": _array_sort,
        "arrayelement": lambda args: _call("list_extract", *args),
        "tupleelement": lambda args: _call("struct_extract_at", *args),
        "indexof": lambda args: exp.Coalesce(
            this=_call("list_position", *args), expressions=[exp.Literal.number(0)]
        ),
        "arrayexists": _lambda_list(
            "arrayExists",
            lambda mapped: exp.Coalesce(this=_call("list_bool_or", mapped), expressions=[exp.false()]),
        ),
        "arrayall": _lambda_list(
            "arrayAll",
            lambda mapped: exp.Coalesce(this=_call("list_bool_and", mapped), expressions=[exp.true()]),
        ),
        "arraycount": _lambda_list("arrayCount", lambda filtered: _call("len", filtered)),
        "extract": _extract,
        "extractall": lambda args: _call("regexp_extract_all", *args),
        "base64encode": lambda args: _call("to_base64", _call("encode", args[0])),
        "base64decode": lambda args: _call("decode", _call("from_base64", args[0])),
        "bitand": _binary(exp.BitwiseAnd),
        "bitor": _binary(exp.BitwiseOr),
        "bitxor": lambda args: _call("xor", *args),
        "generateuuidv4": lambda args: _call("uuid"),
        "jsonextractkeys": lambda args: _call("json_keys", *args),
        "arraymap": _several_arrays("arrayMap"),  # with one array sqlglot transpiles it (list_transform)
        "arrayfilter": _several_arrays("arrayFilter"),
        "laginframe": _window_offset("lag"),
        "leadinframe": _window_offset("lead"),
    }
)
for _unit in ("second", "minute", "hour", "day", "week", "month", "quarter", "year"):
    _TRANSLATIONS[f"tointerval{_unit}"] = _interval(_unit)

# ClickHouse functions refused on purpose: the engine has no equivalent with the same result.
UNSUPPORTED_FUNCTIONS = frozenset(
    {
        "cityhash64",  # DuckDB's hash() is another function: the values would differ
        "rand",  # ClickHouse: a UInt32; DuckDB's random() is a float in [0, 1)
        "tumble",
        "hop",
        "summap",
        "topk",
    }
)

# Parametric aggregates, name(parameters)(arguments).
_PARAMETRIC: dict[str, Callable[[list[exp.Expression], list[exp.Expression]], exp.Expression]] = {
    "quantiles": lambda params, args: exp.Quantile(this=args[0], quantile=exp.Array(expressions=params)),
    "grouparray": lambda params, args: exp.Bracket(
        this=_call("list", args[0]),
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
]:
    _TRANSLATIONS[f"add{_name}"] = _shift(_unit, 1)
    _TRANSLATIONS[f"subtract{_name}"] = _shift(_unit, -1)

# -If aggregate combinators: fooIf(x, cond) -> foo(x) FILTER (WHERE cond).
_IF_COMBINATORS = {
    "sumif": "sum",
    "avgif": "avg",
    "minif": "min",
    "maxif": "max",
    "uniqif": "approx_count_distinct",
}


def to_sql(tree: exp.Expression) -> str:
    """The canonical tree (left unchanged) in DuckDB's SQL."""
    root = tree.copy()
    for node in list(root.find_all(exp.Func, exp.RegexpLike, exp.RegexpILike, bfs=False))[::-1]:
        replacement = translate(node)
        if replacement is not None:
            if node is root:
                root = replacement
            else:
                node.replace(replacement)
    return root.sql(dialect=DIALECT)


def json_path(parts: list[exp.Expression]) -> str:
    """A DuckDB JSON path from keys and ClickHouse indexes (1 first, -1 last): `$."arr"[0]."id"`, `$."a"[#-1]`."""
    path = "$"
    for part in parts:
        if isinstance(part, exp.Literal) and part.is_string:
            path += '."' + part.this.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif isinstance(part, exp.Neg):
            path += f"[#-{int(part.this.this)}]"
        else:
            path += f"[{int(part.this) - 1}]"
    return path


def _regex(node: exp.RegexpLike | exp.RegexpILike) -> exp.Expression:
    """ClickHouse's match() is RE2, like DuckDB's regexp_matches(); `=~*` prefixes the pattern with (?i)."""
    pattern = node.expression.copy()
    if isinstance(node, exp.RegexpILike):
        pattern = exp.Anonymous(this="concat", expressions=[exp.Literal.string("(?i)"), pattern])
    match = exp.Anonymous(this="regexp_matches", expressions=[node.this.copy(), pattern])
    return exp.Not(this=match) if node.args.get("negate") else match


def _filter_condition(condition: exp.Expression) -> exp.Expression:
    """A FILTER (WHERE ...) drops NULL rows anyway: `COALESCE((c), FALSE)` is kept plain (and pushable)."""
    if isinstance(condition, exp.Coalesce) and condition.expressions == [exp.false()]:
        condition = condition.this
        if isinstance(condition, exp.Paren):
            condition = condition.this
    return condition


def translate(node: exp.Expression) -> exp.Expression | None:
    """The DuckDB form of a ClickHouse-only call or a HogQL node, or None when sqlglot already transpiles it."""
    if isinstance(node, JSONProperty):
        path = exp.Literal.string(json_path(node.expressions))
        return exp.Anonymous(this="json_extract_string", expressions=[node.this.copy(), path])
    if isinstance(node, exp.RegexpLike | exp.RegexpILike):
        return _regex(node)
    if isinstance(node, SamplingHash):  # DuckDB's hash() is a UBIGINT
        return exp.Anonymous(this="hash", expressions=[node.this.copy()])
    if isinstance(node, exp.ParameterizedAgg):
        build = _PARAMETRIC.get(str(node.name).lower())
        if build is None:
            raise HogQLError(
                f"Invalid query: function {node.name}() is not supported by the {ENGINE_NAME} engine"
            )
        return build([p.copy() for p in node.expressions], [a.copy() for a in node.args.get("params") or []])
    if isinstance(node, exp.Repeat):  # repeat(s, n) and space(n)
        times = node.args["times"]
        return exp.Repeat(this=node.this.copy(), times=_size_checked(times.copy(), times, "repeat"))
    if isinstance(node, exp.Pad):  # leftPad / rightPad
        padded = node.copy()
        length = node.expression
        padded.set(
            "expression",
            _size_checked(length.copy(), length, "leftPad" if node.args.get("is_left") else "rightPad"),
        )
        return padded
    if isinstance(node, exp.Length):  # length(x): elements of an array, bytes of a string
        return clickhouse_length(node.this.copy())
    if isinstance(node, exp.CastToStrType):  # CAST(x, 'String'): the type as a string
        return exp.Cast(
            this=node.this.copy(), to=exp.DataType.build(node.args["to"].name, dialect="clickhouse")
        )
    if (
        isinstance(node, exp.CountIf)
        and isinstance(node.this, exp.Distinct)
        and len(node.this.expressions) == 2
    ):
        value, condition = (part.copy() for part in node.this.expressions)  # countIf(distinct x, cond)
        counted = exp.Count(this=exp.Distinct(expressions=[value]))
        return exp.Filter(this=counted, expression=exp.Where(this=_filter_condition(condition)))
    if not isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc):
        return None
    name = str(node.name).lower()
    args = [arg.copy() for arg in node.expressions]
    if name in _IF_COMBINATORS and len(args) == 2:
        condition = exp.Where(this=_filter_condition(args[1]))
        return exp.Filter(this=_call(_IF_COMBINATORS[name], args[0]), expression=condition)
    builder = _TRANSLATIONS.get(name)
    if builder is None:
        return None
    try:
        return builder(args)
    except IndexError as err:
        raise HogQLError(f"Invalid query: wrong number of arguments for {node.name}()") from err
