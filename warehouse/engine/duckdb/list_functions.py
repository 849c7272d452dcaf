"""ClickHouse array functions as DuckDB list expressions, with ClickHouse's meaning (used by functions.py).

ClickHouse's arrays are 1-based and compare NULL equal to NULL (`IS NOT DISTINCT FROM` here). Where a function walks
positions, the list is read by index inside `list_transform(range(1, len(arr) + 1), __i -> ...)`.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.hogql.errors import HogQLError

Builder = Callable[[list[exp.Expr]], exp.Expr]


def _call(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _var(name: str) -> exp.Expr:
    return exp.column(exp.to_identifier(name, quoted=True))


def _lambda(body: exp.Expr, *params: str) -> exp.Lambda:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p, quoted=True) for p in params])


def _at(array: exp.Expr, index: exp.Expr) -> exp.Expr:
    return _call("list_extract", array.copy(), index)


def _positions(array: exp.Expr) -> exp.Expr:
    """[1, ..., len(array)]."""
    one = exp.Literal.number(1)
    return _call("range", one, exp.Add(this=_call("len", array.copy()), expression=one.copy()))


def _same(left: exp.Expr, right: exp.Expr) -> exp.Expr:
    return exp.NullSafeEQ(this=left, expression=right)


def _by_position(array: exp.Expr, body: exp.Expr) -> exp.Expr:
    """list_transform over the positions of `array`, `body` reading `__i`."""
    return _call("list_transform", _positions(array), _lambda(body, "__i"))


def _prefix(array: exp.Expr, end: exp.Expr) -> exp.Expr:
    return _call("list_slice", array.copy(), exp.Literal.number(1), end)


def cum_sum(args: list[exp.Expr]) -> exp.Expr:
    """arrayCumSum(arr): the running sums."""
    array = args[0]
    return _by_position(array, _call("list_sum", _prefix(array, _var("__i"))))


def cum_sum_non_negative(args: list[exp.Expr]) -> exp.Expr:
    """arrayCumSumNonNegative(arr): the running sum, reset to 0 whenever it goes below 0."""
    array = args[0]
    step = _lambda(
        _call("greatest", exp.Add(this=_var("__s"), expression=_var("__x")), exp.Literal.number(0)),
        "__s",
        "__x",
    )
    prefix = _call("list_prepend", exp.Literal.number(0), _prefix(array, _var("__i")))
    return _by_position(array, _call("list_reduce", prefix, step))


def difference(args: list[exp.Expr]) -> exp.Expr:
    """arrayDifference(arr): 0, then each element less the one before."""
    array, index = args[0], _var("__i")
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
    array, index = args[0], _var("__i")
    previous = exp.Sub(this=index.copy(), expression=exp.Literal.number(1))
    kept = exp.Or(
        this=exp.EQ(this=index.copy(), expression=exp.Literal.number(1)),
        expression=exp.Not(this=_same(_at(array, index.copy()), _at(array, previous))),
    )
    positions = _call("list_filter", _positions(array), _lambda(kept, "__i"))
    return _call("list_transform", positions, _lambda(_at(array, _var("__j")), "__j"))


def _lambda_and_array(function: str, args: list[exp.Expr]) -> tuple[exp.Lambda, exp.Expr]:
    if len(args) != 2 or not isinstance(args[0], exp.Lambda):
        raise HogQLError(f"Invalid query: {function}() takes a lambda and one array on the DuckDB engine")
    if len(args[0].expressions) != 1:
        raise HogQLError(f"Invalid query: the lambda of {function}() takes 1 argument(s) for 1 arrays")
    return args[0], args[1]


def _matching_positions(function: str, args: list[exp.Expr]) -> exp.Expr:
    """The positions (1 first) of the elements for which the lambda holds."""
    func, array = _lambda_and_array(function, args)
    flags = _call("list_transform", array, func)
    holds = exp.Coalesce(
        this=exp.Cast(this=_at(flags, _var("__i")), to=exp.DataType.build("BOOLEAN")),
        expressions=[exp.false()],
    )
    return _call("list_filter", _positions(array), _lambda(holds, "__i"))


def first_index(function: str, *, last: bool) -> Builder:
    """arrayFirstIndex / arrayLastIndex(f, arr): the position of the first/last element f holds for, else 0."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        positions = _matching_positions(function, args)
        found = _call("list_max" if last else "list_min", positions)
        return exp.Coalesce(this=found, expressions=[exp.Literal.number(0)])

    return build


def reverse_sort(args: list[exp.Expr]) -> exp.Expr:
    """arrayReverseSort(arr): largest first, NULLs last (ClickHouse's order)."""
    if len(args) > 1:
        raise HogQLError(
            "Invalid query: arrayReverseSort() with a lambda is not supported by the DuckDB engine"
        )
    return _call("list_reverse_sort", args[0], exp.Literal.string("NULLS LAST"))


def pop_back(args: list[exp.Expr]) -> exp.Expr:
    size = _call("len", args[0].copy())
    return _call(
        "list_slice", args[0], exp.Literal.number(1), exp.Sub(this=size, expression=exp.Literal.number(1))
    )


def pop_front(args: list[exp.Expr]) -> exp.Expr:
    return _call("list_slice", args[0], exp.Literal.number(2), _call("len", args[0].copy()))


def enumerate_uniq(args: list[exp.Expr]) -> exp.Expr:
    """arrayEnumerateUniq(arr): for each element, how many times it has appeared so far (itself included)."""
    array, index = args[0], _var("__i")
    same = _lambda(_same(_var("__y"), _at(array, index.copy())), "__y")
    return _by_position(array, _call("len", _call("list_filter", _prefix(array, index), same)))


def _first_position(array: exp.Expr, value: exp.Expr) -> exp.Expr:
    """The position of the first element of `array` equal to `value` (NULL equal to NULL)."""
    same = _lambda(_same(_at(array, _var("__j")), value), "__j")
    return _call("list_min", _call("list_filter", _positions(array), same))


def enumerate_dense(args: list[exp.Expr]) -> exp.Expr:
    """arrayEnumerateDense(arr): for each element, the rank of its first appearance among the distinct elements."""
    array = args[0]
    is_first = _lambda(
        exp.EQ(this=_first_position(array, _at(array, _var("__g"))), expression=_var("__g")), "__g"
    )
    firsts = _call("list_filter", _positions(array), is_first)
    first = _first_position(array, _at(array, _var("__i")))
    upto = _lambda(exp.LTE(this=_var("__f"), expression=first), "__f")
    return _by_position(array, _call("len", _call("list_filter", firsts, upto)))


def has_all(args: list[exp.Expr]) -> exp.Expr:
    """hasAll(set, subset): every element of subset is in set (NULL in NULL)."""
    inside = _call(
        "list_bool_or", _call("list_transform", args[0], _lambda(_same(_var("__x"), _var("__y")), "__x"))
    )
    each = _call(
        "list_transform", args[1], _lambda(exp.Coalesce(this=inside, expressions=[exp.false()]), "__y")
    )
    return exp.Coalesce(this=_call("list_bool_and", each), expressions=[exp.true()])


def has_any(args: list[exp.Expr]) -> exp.Expr:
    """hasAny(a, b): some element of b is in a (NULL in NULL)."""
    inside = _call(
        "list_bool_or", _call("list_transform", args[0], _lambda(_same(_var("__x"), _var("__y")), "__x"))
    )
    each = _call(
        "list_transform", args[1], _lambda(exp.Coalesce(this=inside, expressions=[exp.false()]), "__y")
    )
    return exp.Coalesce(this=_call("list_bool_or", each), expressions=[exp.false()])


def has_substr(args: list[exp.Expr]) -> exp.Expr:
    """hasSubstr(arr, sub): sub appears in arr as consecutive elements, in order (the empty array always does)."""
    array, sub = args
    width = _call("len", sub.copy())
    starts = _call(
        "range",
        exp.Literal.number(1),
        exp.Add(
            this=exp.Sub(this=_call("len", array.copy()), expression=width.copy()),
            expression=exp.Literal.number(2),
        ),
    )
    end = exp.Sub(this=exp.Add(this=_var("__i"), expression=width.copy()), expression=exp.Literal.number(1))
    window = _call("list_slice", array.copy(), _var("__i"), end)
    matches = _call("list_transform", starts, _lambda(_same(window, sub.copy()), "__i"))
    empty = exp.EQ(this=width, expression=exp.Literal.number(0))
    return exp.Or(
        this=empty, expression=exp.Coalesce(this=_call("list_bool_or", matches), expressions=[exp.false()])
    )


def uniq(args: list[exp.Expr]) -> exp.Expr:
    """arrayUniq(arr): the distinct elements, NULL counting as one (DuckDB's list_distinct drops it)."""
    array = args[0]
    has_null = _call(
        "list_bool_or",
        _call(
            "list_transform", array.copy(), _lambda(exp.Is(this=_var("__x"), expression=exp.Null()), "__x")
        ),
    )
    null_count = exp.Cast(
        this=exp.Coalesce(this=has_null, expressions=[exp.false()]), to=exp.DataType.build("INTEGER")
    )
    return exp.Add(this=_call("len", _call("list_distinct", array)), expression=null_count)


def _flags(function: str, args: list[exp.Expr]) -> tuple[exp.Expr, exp.Expr]:
    """(the array, a function of a position: whether the lambda holds for its element, a NULL as false)."""
    func, array = _lambda_and_array(function, args)
    flags = _call("list_transform", array.copy(), func)
    return array, flags


def _holds(flags: exp.Expr, index: exp.Expr) -> exp.Expr:
    value = exp.Cast(this=_at(flags, index), to=exp.DataType.build("BOOLEAN"))
    return exp.Coalesce(this=value, expressions=[exp.false()])


def split(args: list[exp.Expr]) -> exp.Expr:
    """arraySplit(f, arr): arr cut before each element (but the first) for which f holds."""
    array, flags = _flags("arraySplit", args)
    first = exp.EQ(this=_var("__i"), expression=exp.Literal.number(1))
    starts = _call(
        "list_filter",
        _positions(array),
        _lambda(exp.Or(this=first, expression=_holds(flags, _var("__i"))), "__i"),
    )
    following = _at(starts, exp.Add(this=_var("__j"), expression=exp.Literal.number(1)))
    end = exp.Coalesce(
        this=exp.Sub(this=following, expression=exp.Literal.number(1)),
        expressions=[_call("len", array.copy())],
    )
    piece = _call("list_slice", array.copy(), _at(starts, _var("__j")), end)
    return _call("list_transform", _positions(starts), _lambda(piece, "__j"))


def fill(args: list[exp.Expr]) -> exp.Expr:
    """arrayFill(f, arr): each element for which f does not hold replaced by the last one before it that it does for
    (the first element is kept)."""
    array, flags = _flags("arrayFill", args)
    kept = exp.Or(
        this=exp.EQ(this=_var("__j"), expression=exp.Literal.number(1)), expression=_holds(flags, _var("__j"))
    )
    up_to = exp.And(this=exp.LTE(this=_var("__j"), expression=_var("__i")), expression=exp.Paren(this=kept))
    source = _call("list_max", _call("list_filter", _positions(array), _lambda(up_to, "__j")))
    return _by_position(array, _at(array, source))


def resize(args: list[exp.Expr]) -> exp.Expr:
    """arrayResize(arr, size, extender): cut or padded with extender to size elements; a negative size keeps the
    last elements (padded at the front). ClickHouse's two-argument form pads with the type's default, which DuckDB
    cannot name before it binds the query: the extender is required."""
    from warehouse.engine.duckdb.value_size import size_checked

    array, size, extender = args
    magnitude = _call("abs", size.copy())
    checked = size_checked(magnitude.copy(), magnitude, "arrayResize")
    forward = _call("list_resize", array.copy(), checked, extender.copy())
    backward = _call(
        "list_reverse", _call("list_resize", _call("list_reverse", array.copy()), checked.copy(), extender)
    )
    negative = exp.LT(this=size, expression=exp.Literal.number(0))
    return exp.Case(ifs=[exp.If(this=negative, true=backward)], default=forward)


def intersect(args: list[exp.Expr]) -> exp.Expr:
    """arrayIntersect(a, b, ...): the distinct elements of a that every other array holds, in a's order."""
    first, others = args[0], args[1:]
    is_first = exp.EQ(this=_first_position(first, _at(first, _var("__i"))), expression=_var("__i"))
    conditions: exp.Expr = is_first
    for other in others:
        held = _call(
            "list_bool_or",
            _call("list_transform", other, _lambda(_same(_var("__y"), _at(first, _var("__i"))), "__y")),
        )
        conditions = exp.And(this=conditions, expression=exp.Coalesce(this=held, expressions=[exp.false()]))
    kept = _call("list_filter", _positions(first), _lambda(conditions, "__i"))
    return _call("list_transform", kept, _lambda(_at(first, _var("__k")), "__k"))


def enumerate_(args: list[exp.Expr]) -> exp.Expr:
    return _positions(args[0])


TRANSLATIONS: dict[str, Builder] = {
    # ClickHouse gives 0 for an empty array (DuckDB NULL)
    "arrayavg": lambda args: exp.Coalesce(this=_call("list_avg", *args), expressions=[exp.Literal.number(0)]),
    "arrayproduct": lambda args: exp.Cast(
        this=exp.Coalesce(this=_call("list_product", *args), expressions=[exp.Literal.number(0)]),
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
    "arraypushback": lambda args: _call("list_append", *args),
    "arraypushfront": lambda args: _call("list_prepend", args[1], args[0]),
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
