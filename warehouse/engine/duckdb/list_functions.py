"""ClickHouse array functions as DuckDB list expressions, with ClickHouse's meaning (used by functions.py).

ClickHouse's arrays are 1-based and compare NULL equal to NULL (`IS NOT DISTINCT FROM` here). Where a function walks
positions, the list is read by index inside `list_transform(range(1, len(arr) + 1), __i -> ...)`.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.sql_builders import Builder, call, lambda_of, variable
from warehouse.hogql.errors import HogQLError


def _at(array: exp.Expr, index: exp.Expr) -> exp.Expr:
    return call("list_extract", array.copy(), index)


def _positions(array: exp.Expr) -> exp.Expr:
    """[1, ..., len(array)]."""
    one = exp.Literal.number(1)
    return call("range", one, exp.Add(this=call("len", array.copy()), expression=one.copy()))


def _same(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return exp.NullSafeEQ(this=left, expression=right)


def _by_position(array: exp.Expr, body: exp.Expr) -> exp.Expr:
    """list_transform over the positions of `array`, `body` reading `__i`."""
    return call("list_transform", _positions(array), lambda_of(body, "__i"))


def _prefix(array: exp.Expr, end: exp.Expr) -> exp.Expr:
    return call("list_slice", array.copy(), exp.Literal.number(1), end)


def cum_sum(args: list[exp.Expr]) -> exp.Expr:
    """arrayCumSum(arr): the running sums."""
    array = args[0]
    return _by_position(array, call("list_sum", _prefix(array, variable("__i"))))


def cum_sum_non_negative(args: list[exp.Expr]) -> exp.Expr:
    """arrayCumSumNonNegative(arr): the running sum, reset to 0 whenever it goes below 0."""
    array = args[0]
    step = lambda_of(
        call("greatest", exp.Add(this=variable("__s"), expression=variable("__x")), exp.Literal.number(0)),
        "__s",
        "__x",
    )
    prefix = call("list_prepend", exp.Literal.number(0), _prefix(array, variable("__i")))
    return _by_position(array, call("list_reduce", prefix, step))


def difference(args: list[exp.Expr]) -> exp.Expr:
    """arrayDifference(arr): 0, then each element less the one before."""
    array, index = args[0], variable("__i")
    previous = exp.Sub(this=index.copy(), expression=exp.Literal.number(1))
    widened = exp.Add(
        this=exp.Cast(this=exp.Literal.number(0), to=exp.DataType.build("BIGINT")),
        expression=_at(array, index.copy()),
    )
    change = exp.Sub(this=widened, expression=_at(array, previous))  # signed and wide, as ClickHouse's result
    first = exp.EQ(this=index.copy(), expression=exp.Literal.number(1))
    return _by_position(array, exp.Case(ifs=[exp.If(this=first, true=exp.Literal.number(0))], default=change))


def compact(args: list[exp.Expr]) -> exp.Expr:
    """arrayCompact(arr): consecutive repeats left out (NULL repeats NULL); sqlglot's drops the NULLs instead."""
    array, index = args[0], variable("__i")
    previous = exp.Sub(this=index.copy(), expression=exp.Literal.number(1))
    kept = exp.Or(
        this=exp.EQ(this=index.copy(), expression=exp.Literal.number(1)),
        expression=exp.Not(this=_same(_at(array, index.copy()), _at(array, previous))),
    )
    positions = call("list_filter", _positions(array), lambda_of(kept, "__i"))
    return call("list_transform", positions, lambda_of(_at(array, variable("__j")), "__j"))


def _lambda_and_array(function: str, args: list[exp.Expr]) -> tuple[exp.Lambda, exp.Expr]:
    if len(args) != 2 or not isinstance(args[0], exp.Lambda):
        raise HogQLError(f"Invalid query: {function}() takes a lambda and one array on the DuckDB engine")
    if len(args[0].expressions) != 1:
        raise HogQLError(f"Invalid query: the lambda of {function}() takes 1 argument(s) for 1 arrays")
    return args[0], args[1]


def _matching_positions(function: str, args: list[exp.Expr]) -> exp.Expr:
    """The positions (1 first) of the elements for which the lambda holds."""
    func, array = _lambda_and_array(function, args)
    flags = call("list_transform", array, func)
    holds = exp.Coalesce(
        this=exp.Cast(this=_at(flags, variable("__i")), to=exp.DataType.build("BOOLEAN")),
        expressions=[exp.false()],
    )
    return call("list_filter", _positions(array), lambda_of(holds, "__i"))


def first_index(function: str, *, last: bool) -> Builder:
    """arrayFirstIndex / arrayLastIndex(f, arr): the position of the first/last element f holds for, else 0."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        positions = _matching_positions(function, args)
        found = call("list_max" if last else "list_min", positions)
        return exp.Coalesce(this=found, expressions=[exp.Literal.number(0)])

    return build


def reverse_sort(args: list[exp.Expr]) -> exp.Expr:
    """arrayReverseSort(arr): largest first, NULLs last (ClickHouse's order)."""
    if len(args) > 1:
        raise HogQLError(
            "Invalid query: arrayReverseSort() with a lambda is not supported by the DuckDB engine"
        )
    return call("list_reverse_sort", args[0], exp.Literal.string("NULLS LAST"))


def pop_back(args: list[exp.Expr]) -> exp.Expr:
    size = call("len", args[0].copy())
    return call(
        "list_slice", args[0], exp.Literal.number(1), exp.Sub(this=size, expression=exp.Literal.number(1))
    )


def pop_front(args: list[exp.Expr]) -> exp.Expr:
    return call("list_slice", args[0], exp.Literal.number(2), call("len", args[0].copy()))


def enumerate_uniq(args: list[exp.Expr]) -> exp.Expr:
    """arrayEnumerateUniq(arr): for each element, how many times it has appeared so far (itself included)."""
    array, index = args[0], variable("__i")
    same = lambda_of(_same(variable("__y"), _at(array, index.copy())), "__y")
    return _by_position(array, call("len", call("list_filter", _prefix(array, index), same)))


def _first_position(array: exp.Expr, value: exp.Expr) -> exp.Expr:
    """The position of the first element of `array` equal to `value` (NULL equal to NULL)."""
    same = lambda_of(_same(_at(array, variable("__j")), value), "__j")
    return call("list_min", call("list_filter", _positions(array), same))


def enumerate_dense(args: list[exp.Expr]) -> exp.Expr:
    """arrayEnumerateDense(arr): for each element, the rank of its first appearance among the distinct elements."""
    array = args[0]
    is_first = lambda_of(
        exp.EQ(this=_first_position(array, _at(array, variable("__g"))), expression=variable("__g")), "__g"
    )
    firsts = call("list_filter", _positions(array), is_first)
    first = _first_position(array, _at(array, variable("__i")))
    upto = lambda_of(exp.LTE(this=variable("__f"), expression=first), "__f")
    return _by_position(array, call("len", call("list_filter", firsts, upto)))


def has_all(args: list[exp.Expr]) -> exp.Expr:
    """hasAll(set, subset): every element of subset is in set (NULL in NULL)."""
    return exp.Coalesce(this=call("list_bool_and", _each_found(args)), expressions=[exp.true()])


def has_any(args: list[exp.Expr]) -> exp.Expr:
    """hasAny(a, b): some element of b is in a (NULL in NULL)."""
    return exp.Coalesce(this=call("list_bool_or", _each_found(args)), expressions=[exp.false()])


def _each_found(args: list[exp.Expr]) -> exp.Expr:
    """For each element of the second array, whether the first holds it (NULL matching NULL)."""
    inside = call(
        "list_bool_or",
        call("list_transform", args[0], lambda_of(_same(variable("__x"), variable("__y")), "__x")),
    )
    return call(
        "list_transform", args[1], lambda_of(exp.Coalesce(this=inside, expressions=[exp.false()]), "__y")
    )


def has_substr(args: list[exp.Expr]) -> exp.Expr:
    """hasSubstr(arr, sub): sub appears in arr as consecutive elements, in order (the empty array always does)."""
    array, sub = args
    width = call("len", sub.copy())
    starts = call(
        "range",
        exp.Literal.number(1),
        exp.Add(
            this=exp.Sub(this=call("len", array.copy()), expression=width.copy()),
            expression=exp.Literal.number(2),
        ),
    )
    end = exp.Sub(
        this=exp.Add(this=variable("__i"), expression=width.copy()), expression=exp.Literal.number(1)
    )
    window = call("list_slice", array.copy(), variable("__i"), end)
    matches = call("list_transform", starts, lambda_of(_same(window, sub.copy()), "__i"))
    empty = exp.EQ(this=width, expression=exp.Literal.number(0))
    return exp.Or(
        this=empty, expression=exp.Coalesce(this=call("list_bool_or", matches), expressions=[exp.false()])
    )


def uniq(args: list[exp.Expr]) -> exp.Expr:
    """arrayUniq(arr): the distinct elements, NULL counting as one (DuckDB's list_distinct drops it)."""
    array = args[0]
    has_null = call(
        "list_bool_or",
        call(
            "list_transform",
            array.copy(),
            lambda_of(exp.Is(this=variable("__x"), expression=exp.Null()), "__x"),
        ),
    )
    null_count = exp.Cast(
        this=exp.Coalesce(this=has_null, expressions=[exp.false()]), to=exp.DataType.build("INTEGER")
    )
    return exp.Add(this=call("len", call("list_distinct", array)), expression=null_count)


def _flags(function: str, args: list[exp.Expr]) -> tuple[exp.Expr, exp.Expr]:
    """(the array, a function of a position: whether the lambda holds for its element, a NULL as false)."""
    func, array = _lambda_and_array(function, args)
    flags = call("list_transform", array.copy(), func)
    return array, flags


def _holds(flags: exp.Expr, index: exp.Expr) -> exp.Expr:
    value = exp.Cast(this=_at(flags, index), to=exp.DataType.build("BOOLEAN"))
    return exp.Coalesce(this=value, expressions=[exp.false()])


def split(args: list[exp.Expr]) -> exp.Expr:
    """arraySplit(f, arr): arr cut before each element (but the first) for which f holds."""
    array, flags = _flags("arraySplit", args)
    first = exp.EQ(this=variable("__i"), expression=exp.Literal.number(1))
    starts = call(
        "list_filter",
        _positions(array),
        lambda_of(exp.Or(this=first, expression=_holds(flags, variable("__i"))), "__i"),
    )
    following = _at(starts, exp.Add(this=variable("__j"), expression=exp.Literal.number(1)))
    end = exp.Coalesce(
        this=exp.Sub(this=following, expression=exp.Literal.number(1)),
        expressions=[call("len", array.copy())],
    )
    piece = call("list_slice", array.copy(), _at(starts, variable("__j")), end)
    return call("list_transform", _positions(starts), lambda_of(piece, "__j"))


def fill(args: list[exp.Expr]) -> exp.Expr:
    """arrayFill(f, arr): each element for which f does not hold replaced by the last one before it that it does for
    (the first element is kept)."""
    array, flags = _flags("arrayFill", args)
    kept = exp.Or(
        this=exp.EQ(this=variable("__j"), expression=exp.Literal.number(1)),
        expression=_holds(flags, variable("__j")),
    )
    up_to = exp.And(
        this=exp.LTE(this=variable("__j"), expression=variable("__i")), expression=exp.Paren(this=kept)
    )
    source = call("list_max", call("list_filter", _positions(array), lambda_of(up_to, "__j")))
    return _by_position(array, _at(array, source))


def resize(args: list[exp.Expr]) -> exp.Expr:
    """arrayResize(arr, size, extender): cut or padded with extender to size elements; a negative size keeps the
    last elements (padded at the front). ClickHouse's two-argument form pads with the type's default, which DuckDB
    cannot name before it binds the query: the extender is required."""
    from warehouse.engine.duckdb.value_size import size_checked

    array, size, extender = args
    magnitude = call("abs", size.copy())
    checked = size_checked(magnitude.copy(), magnitude, "arrayResize")
    forward = call("list_resize", array.copy(), checked, extender.copy())
    backward = call(
        "list_reverse", call("list_resize", call("list_reverse", array.copy()), checked.copy(), extender)
    )
    negative = exp.LT(this=size, expression=exp.Literal.number(0))
    return exp.Case(ifs=[exp.If(this=negative, true=backward)], default=forward)


def intersect(args: list[exp.Expr]) -> exp.Expr:
    """arrayIntersect(a, b, ...): the distinct elements of a that every other array holds, in a's order."""
    first, others = args[0], args[1:]
    is_first = exp.EQ(this=_first_position(first, _at(first, variable("__i"))), expression=variable("__i"))
    conditions: exp.Expr = is_first
    for other in others:
        held = call(
            "list_bool_or",
            call(
                "list_transform", other, lambda_of(_same(variable("__y"), _at(first, variable("__i"))), "__y")
            ),
        )
        conditions = exp.And(this=conditions, expression=exp.Coalesce(this=held, expressions=[exp.false()]))
    kept = call("list_filter", _positions(first), lambda_of(conditions, "__i"))
    return call("list_transform", kept, lambda_of(_at(first, variable("__k")), "__k"))


def enumerate_(args: list[exp.Expr]) -> exp.Expr:
    return _positions(args[0])


TRANSLATIONS: dict[str, Builder] = {
    # ClickHouse gives 0 for an empty array (DuckDB NULL)
    "arrayavg": lambda args: exp.Coalesce(this=call("list_avg", *args), expressions=[exp.Literal.number(0)]),
    "arrayproduct": lambda args: exp.Cast(
        this=exp.Coalesce(this=call("list_product", *args), expressions=[exp.Literal.number(0)]),
        to=exp.DataType.build("DOUBLE"),
    ),
    "arraycumsum": cum_sum,
    "arraycumsumnonnegative": cum_sum_non_negative,
    "arraydifference": difference,
    "arrayfirstindex": first_index("arrayFirstIndex", last=False),
    "arraylastindex": first_index("arrayLastIndex", last=True),
    "arrayreversesort": reverse_sort,
    "arraypopback": pop_back,
    "arraypopfront": pop_front,
    "arraypushback": lambda args: call("list_append", *args),
    "arraypushfront": lambda args: call("list_prepend", args[1], args[0]),
    "arrayenumerate": enumerate_,
    "arrayenumerateuniq": enumerate_uniq,
    "arrayenumeratedense": enumerate_dense,
    "hasall": has_all,
    "hasany": has_any,
    "hassubstr": has_substr,
    "arrayuniq": uniq,
    "arrayintersect": intersect,
    "arraysplit": split,
    "arrayfill": fill,
    "arrayresize": resize,
}
ARITY = {
    (
        1,
        1,
    ): "arrayavg arrayproduct arraycumsum arraycumsumnonnegative arraydifference arraypopback arraypopfront "
    "arrayenumerate arrayenumerateuniq arrayenumeratedense arrayuniq",
    (1, 2): "arrayreversesort",
    (
        2,
        2,
    ): "arrayfirstindex arraylastindex arraypushback arraypushfront hasall hasany hassubstr arraysplit arrayfill",
    (3, 3): "arrayresize",
    (1, None): "arrayintersect",
}
# sqlglot's typed nodes DuckDB prints differently from ClickHouse's meaning.
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {
    exp.ArrayCompact: lambda node: compact([node.this.copy()]),
}
