"""ClickHouse aggregates DuckDB lacks, and their -If forms, with ClickHouse's meaning (values checked against chdb).

Each builder takes the call's arguments and `agg(name, *args, where=None)`, which makes one DuckDB aggregate call;
`fooIf(args..., cond)` is `foo(args...)` with every aggregate inside it given `FILTER (WHERE cond)`.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.array_functions import sum_map
from warehouse.engine.duckdb.math_functions import fill
from warehouse.engine.duckdb.sql_builders import call

Agg = Callable[..., exp.Expr]
Builder = Callable[[list[exp.Expr], Agg], exp.Expr]


def aggregate_call(condition: exp.Expr | None) -> Agg:
    """The `agg` for a plain call (condition None) or an -If call."""

    def agg(name: str | exp.Expr, *args: exp.Expr, where: exp.Expr | None = None) -> exp.Expr:
        conditions = [c.copy() for c in (condition, where) if c is not None]
        made = call(name, *(a.copy() for a in args)) if isinstance(name, str) else name
        if not conditions:
            return made
        both = conditions[0] if len(conditions) == 1 else exp.and_(*conditions)
        return exp.Filter(this=made, expression=exp.Where(this=both))

    return agg


def _not_null(value: exp.Expr) -> exp.Expr:
    return exp.Not(this=exp.Is(this=exp.Paren(this=value.copy()), expression=exp.Null()))


def _same(name: str) -> Builder:
    return lambda args, agg: agg(name, *args)


def _exact_median(position: str) -> Builder:
    """The element at `position` (0 first, n the count) of the sorted non-NULL values, as quantileExact*."""

    def build(args: list[exp.Expr], agg: Agg) -> exp.Expr:
        values = agg("list", args[0], where=_not_null(args[0]))
        count = agg("count", args[0])
        return fill(f"list_extract(list_sort($a), ({position})::BIGINT + 1)", [values, count])

    return build


def _median_exact_weighted(args: list[exp.Expr], agg: Agg) -> exp.Expr:
    """quantileExactWeighted(0.5): the first value, in order, at which the running weight reaches ceil(total / 2),
    one pass over the sorted (value, weight) pairs (list_reduce carrying the running weight and its value)."""
    value, weight = args
    both = exp.and_(_not_null(value), _not_null(weight))
    pair = fill("{'v': $a, 's': $b::DOUBLE}", [value, weight])
    pairs, total = agg("list", pair, where=both), agg("sum", weight, where=both)
    return fill(
        "list_reduce(list_sort($a), lambda __acc, __p: CASE WHEN __acc.s >= ceil($b * 0.5) THEN __acc "
        "ELSE {'v': __p.v, 's': __acc.s + __p.s} END).v",
        [pairs, total],
    )


# ClickHouse's moments from power sums m0..m4 ($a..$e) (as its skew/kurt aggregates keep them): central moments over the
# population variance (Pop) or the sample variance (Samp).
_VARIANCE = {"pop": "($c - $b * $b / $a) / $a", "samp": "($c - $b * $b / $a) / ($a - 1)"}
_MOMENT3 = "($d - (3 * $c - 2 * $b * $b / $a) * $b / $a) / $a"


def _moment(kind: str, order: int) -> Builder:
    def build(args: list[exp.Expr], agg: Agg) -> exp.Expr:
        x = exp.Cast(this=exp.Paren(this=args[0]), to=exp.DataType.build("DOUBLE"))
        sums = [agg("count", args[0])] + [
            agg("sum", exp.Pow(this=x.copy(), expression=exp.Literal.number(k))) for k in range(1, order + 1)
        ]
        variance = _VARIANCE[kind]
        if order == 3:
            return fill(f"{_MOMENT3}::DOUBLE / pow({variance}, 1.5)", sums)
        moment4 = "($e - (4 * $d - (6 * $c - 3 * $b * $b / $a) * $b / $a) * $b / $a) / $a"
        return fill(f"{moment4}::DOUBLE / pow({variance}, 2)", sums)

    return build


def _avg_weighted(args: list[exp.Expr], agg: Agg) -> exp.Expr:
    """sum(x * w) / sum(w) over the rows where both are set; NaN for a zero total weight."""
    product = exp.Mul(this=exp.Paren(this=args[0]), expression=exp.Paren(this=args[1]))
    both = exp.and_(_not_null(args[0]), _not_null(args[1]))
    return fill("$a::DOUBLE / $b", [agg("sum", product), agg("sum", args[1], where=both)])


def _simple_linear_regression(args: list[exp.Expr], agg: Agg) -> exp.Expr:
    """The named tuple (k, b) of y = k * x + b by least squares."""
    x, y = args
    return fill("{'k': $a, 'b': $b}", [agg("regr_slope", y, x), agg("regr_intercept", y, x)])


# name (lower case) -> (argument count range without the -If condition, builder)
AGGREGATES: dict[str, tuple[tuple[int, int], Builder]] = {
    "covarsamp": ((2, 2), _same("covar_samp")),
    "avgweighted": ((2, 2), _avg_weighted),
    # quantileExact: the element at n / 2 of the sorted values; Low and High pick the lower/upper middle
    "medianexact": ((1, 1), _exact_median("$b // 2")),
    "medianexacthigh": ((1, 1), _exact_median("$b // 2")),
    "medianexactlow": ((1, 1), _exact_median("($b + 1) // 2 - 1")),
    # ClickHouse's reservoir median, exact (interpolated) below its 8,192-value sample, as DuckDB's median
    "mediandeterministic": ((2, 2), lambda args, agg: agg("median", args[0])),
    "medianexactweighted": ((2, 2), _median_exact_weighted),
    "skewpop": ((1, 1), _moment("pop", 3)),
    "skewsamp": ((1, 1), _moment("samp", 3)),
    "kurtpop": ((1, 1), _moment("pop", 4)),
    "kurtsamp": ((1, 1), _moment("samp", 4)),
    "simplelinearregression": ((2, 2), _simple_linear_regression),
}
# -If forms of aggregates DuckDB has under another name (their plain forms are sqlglot's or functions.py's)
IF_ONLY: dict[str, tuple[tuple[int, int], Builder]] = {
    "any": ((1, 1), _same("any_value")),
    "anylast": ((1, 1), lambda args, agg: agg("last", args[0], where=_not_null(args[0]))),
    "argmax": ((2, 2), _same("arg_max")),
    "argmin": ((2, 2), _same("arg_min")),
    "countdistinct": ((1, 1), lambda args, agg: agg(exp.Count(this=exp.Distinct(expressions=args)))),
    "uniqexact": ((1, 1), lambda args, agg: agg(exp.Count(this=exp.Distinct(expressions=args)))),
    "median": ((1, 1), _same("median")),
    "stddevpop": ((1, 1), _same("stddev_pop")),
    "stddevsamp": ((1, 1), _same("stddev_samp")),
    "varpop": ((1, 1), _same("var_pop")),
    "varsamp": ((1, 1), _same("var_samp")),
    "covarpop": ((2, 2), _same("covar_pop")),
    "groupbitand": ((1, 1), _same("bit_and")),
    "groupbitor": ((1, 1), _same("bit_or")),
    "groupbitxor": ((1, 1), _same("bit_xor")),
}


def _translations() -> dict[str, Callable[[list[exp.Expr]], exp.Expr]]:
    table: dict[str, Callable[[list[exp.Expr]], exp.Expr]] = {}
    for name, (_, build) in AGGREGATES.items():
        table[name] = _plain(build)
    for name, (_, build) in {**AGGREGATES, **IF_ONLY}.items():
        table[name + "if"] = _conditional(build)
    return table


def _plain(build: Builder) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: build(args, aggregate_call(None))


def _conditional(build: Builder) -> Callable[[list[exp.Expr]], exp.Expr]:
    """fooIf(args..., cond): the last argument is the condition."""
    return lambda args: build(args[:-1], aggregate_call(args[-1]))


def _arity() -> dict[tuple[int, int], str]:
    """Bounds -> names (functions.py's family format); an -If form takes the condition too."""
    bounds = {name: range_ for name, (range_, _) in AGGREGATES.items()}
    for name, ((low, high), _) in {**AGGREGATES, **IF_ONLY}.items():
        bounds[name + "if"] = (low + 1, high + 1)
    names: dict[tuple[int, int], str] = {}
    for name, range_ in bounds.items():
        names[range_] = f"{names.get(range_, '')} {name}".strip()
    return names


def _map(reduce: str, name: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: sum_map(args, reduce=reduce, name=name)


def _map_if(reduce: str, name: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    return lambda args: sum_map(args[:-1], reduce=reduce, name=name, condition=args[-1])


# sumMap's family over (keys, values) arrays: (the keys in order, each key's min/max/sum), -If forms too
MAPS = {
    "minmap": _map("list_min", "minMap"),
    "maxmap": _map("list_max", "maxMap"),
    "summapif": _map_if("list_sum", "sumMapIf"),
    "minmapif": _map_if("list_min", "minMapIf"),
    "maxmapif": _map_if("list_max", "maxMapIf"),
}

# Every plain and -If name (functions.py's family tables)
TRANSLATIONS = _translations() | MAPS
ARITY = _arity()
ARITY[(2, 2)] += " minmap maxmap"
ARITY[(3, 3)] = f"{ARITY.get((3, 3), '')} summapif minmapif maxmapif".strip()


# quantileIf(p)(x, cond), quantilesIf(p, ...)(x, cond): ClickHouse's reservoir quantiles interpolate, and are exact
# below their 8,192-value sample, as DuckDB's quantile_cont
PARAMETRIC_IF = {
    "quantileif": lambda params, args: aggregate_call(args[1])("quantile_cont", args[0], params[0]),
    "quantilesif": lambda params, args: aggregate_call(args[1])(
        "quantile_cont", args[0], exp.Array(expressions=params)
    ),
}


def _quantile(node: exp.Expr) -> exp.Expr:
    """quantile(p)(x) and median(x) (which sqlglot reads as quantile(x, 0.5)): ClickHouse's reservoir quantile
    interpolates and is exact below its 8,192-value sample, as DuckDB's quantile_cont (DuckDB's quantile is
    quantile_disc)."""
    if str(node.meta.get("called_as") or "").lower() == "median":
        return call("median", node.this.copy())
    return call("quantile_cont", node.this.copy(), node.args["quantile"].copy())


TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr | None]] = {exp.Quantile: _quantile}
