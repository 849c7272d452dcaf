"""Which functions a HogQL query may call, and how the ClickHouse-only ones are rewritten for the engine."""

from collections.abc import Callable

from sqlglot import exp

from warehouse.hogql.errors import HogQLError

# ClickHouse/HogQL spellings (lower case) a query may use. Table functions (file, url, s3, remote, mysql,
# postgresql, executable, input, numbers, read_csv, ...) and engine introspection are deliberately absent.
ALLOWED_NAMES = frozenset(
    """
    count countif countdistinct sum sumif avg avgif min max minif maxif any anylast argmin argmax uniq uniqexact
    uniqif grouparray groupuniqarray median quantile quantiles stddevpop stddevsamp varpop varsamp corr covarpop
    abs round floor ceil ceiling sqrt exp log log2 log10 ln pow power greatest least sign intdiv modulo plus minus
    multiply divide negate lower upper length lengthutf8 concat substring substr trim trimleft trimright ltrim
    rtrim replace replaceall replaceone replaceregexpall replaceregexpone position positioncaseinsensitive match
    extract splitbychar splitbystring reverse leftpad rightpad startswith endswith empty notempty lowerutf8
    upperutf8 left right repeat hex tostring toint toint64 toint32 tofloat tofloat64 todate todatetime touuid
    tobool totypename tointornull tofloatornull todateornull todatetimeornull parsedatetimebesteffort now today
    yesterday tostartofday tostartofweek tostartofmonth tostartofyear tostartofhour tostartofminute
    tostartofquarter toyear tomonth todayofmonth todayofweek tohour tominute tosecond datediff dateadd datesub
    date_diff date_add date_sub date_trunc datetrunc adddays addhours addminutes addseconds addweeks addmonths
    addyears subtractdays subtracthours subtractminutes subtractweeks subtractmonths subtractyears if multiif
    and or xor not ifnull nullif coalesce isnull isnotnull equals notequals less greater lessorequals greaterorequals
    jsonextractstring jsonextractint jsonextractfloat jsonextractbool jsonextractraw jsonhas array arrayjoin has
    arraymap arrayfilter arraysum arrayconcat arrayreverse arraydistinct arrayslice tuple cityhash64 md5 cast
    formatdatetime
    """.split()
)

# sqlglot's own names for the typed nodes the allowed spellings parse into (plus plain SQL it parses natively).
ALLOWED_KEYS = frozenset(
    """
    and or xor regexpilike
    abs anyvalue approxdistinct argmax argmin array arrayconcat arraycontains arraydistinct arrayfilter
    arrayreverse arrayslice arraysum avg case cast ceil cityhash64 coalesce concat corr count countif currentdate
    currenttimestamp dateadd datediff datesub datetrunc dayofweekiso endswith exp explode extract floor greatest
    hex if jsonextract jsonextractscalar least left length ln log lower max md5digest min nullif pad pow quantile
    regexplike repeat replace reverse right round sign split sqrt startswith stddev stddevpop stddevsamp
    strposition struct substring sum timestamptrunc timetostr transform trim trycast typeof upper variance
    variancepop
    """.split()
)


def function_name(node: exp.Func) -> str:
    """The name a function was called by (for messages and the allowlist)."""
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc):
        return str(node.name)
    return node.sql_name().lower()


def check_function(node: exp.Func) -> None:
    """Refuse any function that is not on the allowlist."""
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc):
        allowed = str(node.name).lower() in ALLOWED_NAMES
    else:
        allowed = node.key in ALLOWED_KEYS
    if not allowed:
        raise HogQLError(f"Invalid query: function {function_name(node)}() is not supported")


def _call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def _cast(to: str) -> Callable[[list[exp.Expression]], exp.Expression]:
    return lambda args: exp.Cast(this=args[0], to=exp.DataType.build(to))


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
    "equals": _binary(exp.EQ),
    "notequals": _binary(exp.NEQ),
    "less": _binary(exp.LT),
    "greater": _binary(exp.GT),
    "lessorequals": _binary(exp.LTE),
    "greaterorequals": _binary(exp.GTE),
    "plus": _binary(exp.Add),
    "minus": _binary(exp.Sub),
    "multiply": _binary(exp.Mul),
    "divide": _binary(exp.Div),
    "modulo": _binary(exp.Mod),
    "intdiv": _binary(exp.IntDiv),
    "negate": lambda args: exp.Neg(this=_operand(args[0])),
    "empty": lambda args: exp.Paren(
        this=exp.EQ(this=exp.Length(this=args[0]), expression=exp.Literal.number(0))
    ),
    "notempty": lambda args: exp.Paren(
        this=exp.GT(this=exp.Length(this=args[0]), expression=exp.Literal.number(0))
    ),
    "lengthutf8": lambda args: exp.Length(this=args[0]),
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


def translate(node: exp.Func) -> exp.Expression | None:
    """The engine form of a ClickHouse-only function call, or None when sqlglot already transpiles it."""
    if not isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc):
        return None
    name = str(node.name).lower()
    args = [arg.copy() for arg in node.expressions]
    if name in _IF_COMBINATORS and len(args) == 2:
        return exp.Filter(this=_call(_IF_COMBINATORS[name], args[0]), expression=exp.Where(this=args[1]))
    builder = _TRANSLATIONS.get(name)
    if builder is None:
        return None
    try:
        return builder(args)
    except IndexError as err:
        raise HogQLError(f"Invalid query: wrong number of arguments for {node.name}()") from err
