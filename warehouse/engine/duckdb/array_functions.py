"""ClickHouse functions over several arrays, maps of sums and time windows, in DuckDB's terms (used by functions.py).

DuckDB's list lambdas take one list: several arrays are zipped (`list_zip`) into one list of unnamed structs, and
each lambda parameter becomes its struct's field (`struct_extract_at(__t, i)`, 1 first).
"""

from sqlglot import exp

from warehouse.engine.duckdb.sql_builders import call
from warehouse.hogql.errors import HogQLError

TUPLE = "__t"


def _zipped_lambda(function: str, args: list[exp.Expr]) -> tuple[exp.Expr, exp.Lambda]:
    """(list_zip(arr1, ..., arrN), lambda __t: body with each parameter read from __t)."""
    body, arrays = args[0], args[1:]
    if not isinstance(body, exp.Lambda):
        raise HogQLError(f"Invalid query: {function}() takes a lambda first")
    params = [param.name for param in body.expressions]
    if len(params) != len(arrays):
        raise HogQLError(
            f"Invalid query: the lambda of {function}() takes {len(params)} argument(s) for {len(arrays)} arrays"
        )

    def field(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name in params:
            name = node.name
        elif (
            isinstance(node, exp.Identifier)
            and not isinstance(node.parent, exp.Column)
            and node.name in params
        ):
            name = node.name
        else:
            return node
        position = exp.Literal.number(params.index(name) + 1)
        return call("struct_extract_at", exp.to_identifier(TUPLE, quoted=True), position)

    lambda_ = exp.Lambda(
        this=body.this.copy().transform(field), expressions=[exp.to_identifier(TUPLE, quoted=True)]
    )
    return call("list_zip", *arrays), lambda_


def array_map(args: list[exp.Expr]) -> exp.Expr | None:
    """arrayMap((x, y) -> ..., xs, ys): the lambda over the arrays' elements side by side."""
    if len(args) <= 2:
        return None  # one array: sqlglot prints list_transform itself
    zipped, lambda_ = _zipped_lambda("arrayMap", args)
    return call("list_transform", zipped, lambda_)


def array_filter(args: list[exp.Expr]) -> exp.Expr | None:
    """arrayFilter((x, y) -> ..., xs, ys): the elements of xs for which the lambda holds."""
    if len(args) <= 2:
        return None
    zipped, lambda_ = _zipped_lambda("arrayFilter", args)
    first = exp.Lambda(
        this=call("struct_extract_at", exp.to_identifier(TUPLE, quoted=True), exp.Literal.number(1)),
        expressions=[exp.to_identifier(TUPLE, quoted=True)],
    )
    return call("list_transform", call("list_filter", zipped, lambda_), first)


def sum_map(
    args: list[exp.Expr], *, reduce: str = "list_sum", name: str = "sumMap", condition: exp.Expr | None = None
) -> exp.Expr:
    """sumMap(keys, values): (the distinct keys in order, the sum of each key's values) over the group's rows; a
    key whose sum is 0 is left out, as ClickHouse does. minMap/maxMap (`reduce` list_min/list_max) keep every key;
    the -If forms aggregate only the rows meeting `condition`.

    The group's (key, value) pairs are aggregated once, outside any lambda, and handed to one lambda that reads
    them (`list_transform([pairs], __ps -> ...)[1]`): DuckDB 2.0 fails (an internal error) on an aggregate inside a
    lambda when the aggregate's argument has a lambda of its own (`g.1` over an array of tuples)."""
    if len(args) != 2:
        raise HogQLError(f"Invalid query: wrong number of arguments for {name}()")
    keys_values, mismatch = (
        call("list_zip", *args),
        exp.NEQ(this=call("len", args[0].copy()), expression=call("len", args[1].copy())),
    )
    error = call("error", exp.Literal.string("Sizes of keys and values arrays do not match"))
    zipped = exp.Case(ifs=[exp.If(this=mismatch, true=error)], default=keys_values)
    rows: exp.Expr = call("list", zipped)
    if condition is not None:
        rows = exp.Filter(this=rows, expression=exp.Where(this=condition))
    pairs = call("coalesce", call("flatten", rows), exp.Array(expressions=[]))
    group = exp.to_identifier("__ps", quoted=True)
    pair = exp.to_identifier("__p", quoted=True)

    def part(index: int) -> exp.Expr:
        return call("struct_extract_at", pair.copy(), exp.Literal.number(index))

    key = exp.to_identifier("__k", quoted=True)
    keys = call(
        "list_sort",
        call(
            "list_distinct",
            call("list_transform", exp.column(group.copy()), exp.Lambda(this=part(1), expressions=[pair])),
        ),
    )
    of_key = exp.Lambda(
        this=exp.EQ(this=part(1), expression=exp.column(key.copy())), expressions=[pair.copy()]
    )
    values = call(
        "list_transform",
        call("list_filter", exp.column(group.copy()), of_key),
        exp.Lambda(this=part(2), expressions=[pair.copy()]),
    )
    if reduce == "list_sum":  # only the keys whose sum is not 0
        total = call("list_sum", values.copy())
        keys = call(
            "list_filter",
            keys,
            exp.Lambda(this=exp.NEQ(this=total, expression=exp.Literal.number(0)), expressions=[key.copy()]),
        )
    sums = call("list_transform", keys.copy(), exp.Lambda(this=call(reduce, values), expressions=[key]))
    summed = exp.Lambda(this=call("row", keys, sums), expressions=[group])
    once = call("list_transform", exp.Array(expressions=[pairs]), summed)
    return call("list_extract", once, exp.Literal.number(1))


def tumble(args: list[exp.Expr]) -> exp.Expr:
    """tumble(time, interval): the (start, end) of the fixed window holding `time` (weeks start on Monday)."""
    if len(args) != 2:
        raise HogQLError("Invalid query: tumble() with a time zone is not supported by the DuckDB engine")
    time, interval = args
    start = call("time_bucket", interval, time)
    return call("row", start, exp.Add(this=start.copy(), expression=interval.copy()))


def tumble_bound(args: list[exp.Expr], *, end: bool) -> exp.Expr:
    """tumbleStart/tumbleEnd(time, interval), or of a tumble() window: the start or end of the window."""
    if len(args) == 1:
        return call("struct_extract_at", args[0], exp.Literal.number(2 if end else 1))
    time, interval = args
    start = call("time_bucket", interval, time)
    return exp.Add(this=start, expression=interval.copy()) if end else start


def _hop_end(time: exp.Expr, step: exp.Expr) -> exp.Expr:
    """The end of the hop window ClickHouse's hop() gives: the first step boundary after `time`."""
    return exp.Add(this=call("time_bucket", step, time), expression=step.copy())


def _hop_args(function: str, args: list[exp.Expr]) -> list[exp.Expr]:
    if len(args) == 4:
        raise HogQLError(
            f"Invalid query: {function}() with a time zone is not supported by the DuckDB engine"
        )
    if len(args) != 3:
        raise HogQLError(f"Invalid query: wrong number of arguments for {function}()")
    return args


def hop(args: list[exp.Expr]) -> exp.Expr:
    """hop(time, step, size): ClickHouse gives one of the overlapping windows holding `time`, the one ending at the
    first step boundary after it: (end - size, end)."""
    time, step, size = _hop_args("hop", args)
    end = _hop_end(time, step)
    return call("row", exp.Sub(this=end, expression=size), end.copy())


def hop_bound(args: list[exp.Expr], *, end: bool) -> exp.Expr:
    """hopStart/hopEnd(time, step, size), or of a hop() window: the start or end of that window."""
    if len(args) == 1:
        return call("struct_extract_at", args[0], exp.Literal.number(2 if end else 1))
    time, step, size = _hop_args("hopEnd" if end else "hopStart", args)
    window_end = _hop_end(time, step)
    return window_end if end else exp.Sub(this=window_end, expression=size)


def top_k(params: list[exp.Expr], args: list[exp.Expr]) -> exp.Expr:
    """topK(N)(x): the N most frequent values, most frequent first (approximate in both engines)."""
    return call("approx_top_k", args[0], params[0] if params else exp.Literal.number(10))
