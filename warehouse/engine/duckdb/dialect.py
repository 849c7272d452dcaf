"""The canonical tree printed as DuckDB SQL: each HogQL call DuckDB lacks, rewritten with ClickHouse's meaning.

The compiler (warehouse/hogql/) leaves ClickHouse's function names and its own nodes (hogql/nodes.py) in the tree;
`to_sql` rewrites them, innermost first, into DuckDB's spelling (functions.py holds the table of functions) and
prints the tree with sqlglot's DuckDB dialect. A call that cannot be printed with ClickHouse's meaning is a
HogQLError (the client's 400).
"""

import re
from decimal import Decimal

from sqlglot import exp

from warehouse.engine.duckdb.arity import check_arity, check_parametric_arity
from warehouse.engine.duckdb.dates import keep_date, seconds_added, text_with_interval
from warehouse.engine.duckdb.functions import (
    ENGINE_NAME,
    IF_COMBINATORS,
    PARAMETRIC,
    TRANSLATIONS,
    TYPED,
    call,
    clickhouse_length,
    size_checked,
)
from warehouse.engine.duckdb.integer_arithmetic import widen_integer_arithmetic
from warehouse.engine.duckdb.json_paths import json_path
from warehouse.engine.duckdb.tuple_arrays import (
    OVER_ARRAY,
    mark_tuple_elements_over_arrays,
    tuple_element_over_array,
)
from warehouse.hogql.errors import HogQLError
from warehouse.hogql.limit_values import limit_constant, limit_values
from warehouse.hogql.nodes import JSONProperty, SamplingHash

DIALECT = "duckdb"

_FRACTION = re.compile(r"\d+\.\d*|\.\d+")
_UINT64_MAX = 2**64 - 1
# ClickHouse's calls for the arithmetic operators -> their number of arguments
_OPERATOR_CALLS = {"plus": 2, "minus": 2, "multiply": 2, "negate": 1}


def to_sql(tree: exp.Expr) -> str:
    """The canonical tree (left unchanged) in DuckDB's SQL."""
    root = tree.copy()
    refuse_clauses(root)
    float_literals(root)
    arithmetic_calls(root)
    root = widen_integer_arithmetic(root)
    mark_tuple_elements_over_arrays(root)
    for join in list(root.find_all(exp.Join)):
        if join.kind.upper() == "ANY":
            any_join(join)
        if isinstance(join.this, exp.Unnest) and len(join.this.expressions) > 1:
            zipped_unnest(join.this)
    for node in list(root.find_all(exp.Func, exp.RegexpLike, exp.RegexpILike, exp.Add, exp.Sub, bfs=False))[
        ::-1
    ]:
        replacement = keep_date(node, translate(node))
        if replacement is not None:
            if node is root:
                root = replacement
            else:
                node.replace(replacement)
    return root.sql(dialect=DIALECT)


def _refused(clause: str) -> HogQLError:
    return HogQLError(f"Invalid query: {clause} is not supported by the {ENGINE_NAME} engine")


def refuse_clauses(root: exp.Expr) -> None:
    """Clauses DuckDB has no form of with ClickHouse's meaning. ROLLUP and CUBE: ClickHouse gives a rolled-up key
    its type's default ('' or 0), DuckDB NULL, and the type is not known before the engine binds the query. A
    negative LIMIT or OFFSET, or one between 0 and 1 (DuckDB refuses the first in its words, reads the second as 0)."""
    for group in root.find_all(exp.Group):
        for key, clause in (("rollup", "WITH ROLLUP"), ("cube", "WITH CUBE")):
            if group.args.get(key):
                raise _refused(clause)
    if any(True for _ in root.find_all(exp.WithFill)):
        raise _refused("WITH FILL")
    for name, value in limit_values(root):
        constant = limit_constant(value)
        if isinstance(constant, Decimal) and constant < 0:  # ClickHouse counts it from the end
            raise _refused(f"a negative {name} ({name} {constant}, rows counted from the end)")
        if isinstance(constant, Decimal) and 0 < constant < 1:  # ClickHouse takes a share of the rows
            raise _refused(
                f"{'an' if name == 'OFFSET' else 'a'} {name} between 0 and 1 ({name} {constant}, a share of the rows)"
            )


def float_literals(root: exp.Expr) -> None:
    """HogQL's number literals typed as ClickHouse types them: one with a fraction (`2.5`, `1.`) or past UInt64 is a
    Float64, where DuckDB reads `2.5` as an exact DECIMAL (`0.1 + 0.2` = 0.3, `round(2.5)` a Decimal(2, 0)) and a
    big integer as a HUGEINT. Such a literal gets the exponent `e0`, which DuckDB reads as a DOUBLE (as it reads
    `1e3` already): it stays a number literal, so the translations that look for one (`now() + 2.5`,
    `quantile(0.5)`) see it as before, and it is done before them, so the literals they write (integers, the math
    templates' own DuckDB SQL) keep DuckDB's types. An integer within UInt64 stays an integer."""
    for literal in root.find_all(exp.Literal):
        text = literal.this
        if literal.is_string or not isinstance(text, str):
            continue
        if _FRACTION.fullmatch(text) or (text.isdigit() and int(text) > _UINT64_MAX):
            literal.set("this", f"{text}e0")


def arithmetic_calls(root: exp.Expr) -> None:
    """`plus(a, b)`, `minus(a, b)`, `multiply(a, b)` and `negate(a)` become the operators they are (ClickHouse's `+`
    is its plus) before the calls are translated, so the operators' translations apply to them too: a Date plus days
    stays a Date, a DateTime plus a number moves by seconds (dates.py), integers widen (integer_arithmetic.py);
    translated as calls, they were a TIMESTAMP and DuckDB's binder error. Innermost first, so `plus(plus(a, b), c)`
    nests."""
    for node in list(root.find_all(exp.Anonymous, bfs=False))[::-1]:
        name = node.name.lower()
        arity = _OPERATOR_CALLS.get(name)
        if arity is not None and len(node.expressions) == arity and node is not root:
            node.replace(TRANSLATIONS[name](list(node.expressions)))


def any_join(join: exp.Join) -> None:
    """`[LEFT|INNER] ANY JOIN t ON a.x = t.y AND ...`: each row joins at most one row of t, as the join on one row
    of t per key (`QUALIFY row_number() OVER (PARTITION BY y ...) = 1`). Only equalities with a column of t."""
    table, on = join.this, join.args.get("on")
    alias = table.alias_or_name if isinstance(table, exp.Table | exp.Subquery) else ""
    conditions = list(on.flatten()) if isinstance(on, exp.And) else [on]
    keys = []
    for condition in conditions:
        if isinstance(condition, exp.Paren):
            condition = condition.unnest()
        sides = [condition.this, condition.expression] if isinstance(condition, exp.EQ) else []
        mine = [side for side in sides if isinstance(side, exp.Column) and side.table == alias]
        if not alias or len(mine) != 1:
            raise _refused("ANY JOIN on anything but equalities with the joined table's columns")
        keys.append(exp.column(mine[0].name, quoted=True))
    inner = table.copy()
    inner.set("alias", None)
    number = exp.Window(this=call("row_number"), partition_by=keys)
    one_each = exp.select("*").from_(inner).qualify(exp.EQ(this=number, expression=exp.Literal.number(1)))
    join.this.replace(
        exp.Subquery(this=one_each, alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True)))
    )
    join.set("kind", None)


def zipped_unnest(unnest: exp.Unnest) -> None:
    """ARRAY JOIN of several arrays (UNNEST(a, b) AS t(x, y), which DuckDB's UNNEST does not take): a lateral
    `(SELECT unnest(a) AS x, unnest(b) AS y) AS t`, zipped; arrays of different lengths are an error, as in
    ClickHouse (DuckDB would pad the shorter with NULLs)."""
    alias = unnest.args["alias"]
    first, *others = unnest.expressions
    columns = [exp.alias_(call("unnest", first.copy()), alias.columns[0].copy())]
    for array, name in zip(others, alias.columns[1:], strict=True):
        same = exp.EQ(this=call("len", first.copy()), expression=call("len", array.copy()))
        mismatch = call("error", exp.Literal.string("Sizes of ARRAY JOIN-ed arrays do not match"))
        checked = exp.Case(ifs=[exp.If(this=same, true=array.copy())], default=mismatch)
        columns.append(exp.alias_(call("unnest", checked), name.copy()))
    unnest.replace(exp.Subquery(this=exp.select(*columns), alias=exp.TableAlias(this=alias.this.copy())))


def _json_path_expression(parts: list[exp.Expr]) -> exp.Expr:
    """The path as a literal, or built when the query runs where its first part is a key computed by the query:
    `'$."' || <key, with \\ and " escaped> || '"'` (a key that is a number reads the key, not an index)."""
    if not parts or isinstance(parts[0], exp.Literal | exp.Neg):
        return exp.Literal.string(json_path(parts))
    key: exp.Expr = exp.Cast(this=parts[0].copy(), to=exp.DataType.build("VARCHAR"))
    for old, new in (("\\", "\\\\"), ('"', '\\"')):
        key = call("replace", key, exp.Literal.string(old), exp.Literal.string(new))
    rest = exp.Literal.string('"' + json_path(parts[1:]).removeprefix("$"))
    return exp.DPipe(this=exp.DPipe(this=exp.Literal.string('$."'), expression=key), expression=rest)


def _regex(node: exp.RegexpLike | exp.RegexpILike) -> exp.Expr:
    """ClickHouse's match() is RE2, like DuckDB's regexp_matches(); `=~*` prefixes the pattern with (?i)."""
    pattern = node.expression.copy()
    if isinstance(node, exp.RegexpILike):
        pattern = exp.Anonymous(this="concat", expressions=[exp.Literal.string("(?i)"), pattern])
    match = exp.Anonymous(this="regexp_matches", expressions=[node.this.copy(), pattern])
    return exp.Not(this=match) if node.args.get("negate") else match


def _filter_condition(condition: exp.Expr) -> exp.Expr:
    """A FILTER (WHERE ...) drops NULL rows anyway: `COALESCE((c), FALSE)` is kept plain (and pushable)."""
    if isinstance(condition, exp.Coalesce) and condition.expressions == [exp.false()]:
        condition = condition.this
        if isinstance(condition, exp.Paren):
            condition = condition.this
    return condition


def _array_slice(node: exp.ArraySlice) -> exp.Expr:
    """arraySlice(arr, offset[, length]): ClickHouse's offset (1 first, -1 last) and element count (a negative
    count leaves that many off the end); DuckDB's list_slice takes an inclusive end."""
    array, offset, length = node.this, node.args["start"], node.args.get("end")
    size = call("len", array.copy())
    if length is None:
        return call("list_slice", array.copy(), offset.copy(), size)
    zero = exp.Literal.number(0)
    end = exp.Case(
        ifs=[
            exp.If(
                this=exp.LT(this=length.copy(), expression=zero),
                true=exp.Add(this=size, expression=length.copy()),
            ),
            exp.If(
                this=exp.LT(this=offset.copy(), expression=zero),
                true=exp.Add(
                    this=exp.Add(this=size.copy(), expression=offset.copy()), expression=length.copy()
                ),
            ),
        ],
        default=exp.Sub(
            this=exp.Add(this=offset.copy(), expression=length.copy()), expression=exp.Literal.number(1)
        ),
    )
    return call("list_slice", array.copy(), offset.copy(), end)


def translate(node: exp.Expr) -> exp.Expr | None:
    """The DuckDB form of a ClickHouse-only call or a HogQL node, or None when sqlglot already transpiles it."""
    if isinstance(node, JSONProperty):
        path = _json_path_expression(node.expressions)
        return exp.Anonymous(this="json_extract_string", expressions=[node.this.copy(), path])
    if isinstance(node, exp.RegexpLike | exp.RegexpILike):
        return _regex(node)
    if type(node) in TYPED:  # a typed node sqlglot would print with another meaning (arrayCompact)
        return TYPED[type(node)](node)
    if isinstance(node, exp.Add | exp.Sub):
        return seconds_added(node) or text_with_interval(node)
    if isinstance(node, SamplingHash):  # DuckDB's hash() is a UBIGINT
        return exp.Anonymous(this="hash", expressions=[node.this.copy()])
    if isinstance(node, exp.ParameterizedAgg):
        build = PARAMETRIC.get(str(node.name).lower())
        if build is None:
            raise HogQLError(
                f"Invalid query: function {node.name}() is not supported by the {ENGINE_NAME} engine"
            )
        params, args = node.expressions, node.args.get("params") or []
        check_parametric_arity(str(node.name).lower(), str(node.name), len(params), len(args))
        return build([p.copy() for p in params], [a.copy() for a in args])
    if isinstance(node, exp.Repeat):  # repeat(s, n) and space(n)
        times = node.args["times"]
        return exp.Repeat(this=node.this.copy(), times=size_checked(times.copy(), times, "repeat"))
    if isinstance(node, exp.Pad):  # leftPad / rightPad
        padded = node.copy()
        length = node.expression
        padded.set(
            "expression",
            size_checked(length.copy(), length, "leftPad" if node.args.get("is_left") else "rightPad"),
        )
        return padded
    if isinstance(node, exp.Rand):  # ClickHouse's rand(): a random UInt32
        scaled = exp.Mul(this=call("random"), expression=exp.Literal.number(4294967296))
        return exp.Cast(this=call("floor", scaled), to=exp.DataType.build("UBIGINT", dialect="duckdb"))
    if isinstance(node, exp.ArraySlice):
        return _array_slice(node)
    if isinstance(node, exp.Struct) and not any(isinstance(e, exp.PropertyEQ) for e in node.expressions):
        return call("row", *(e.copy() for e in node.expressions))  # tuple(a, b): unnamed, as ClickHouse's
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
    if any(arg is None for arg in node.expressions):  # a call sqlglot parsed with a missing argument
        raise HogQLError(f"Invalid query: wrong number of arguments for {node.name}()")
    args = [arg.copy() for arg in node.expressions]
    check_arity(name, str(node.name), len(args))
    if node.meta.get(OVER_ARRAY) and len(args) == 2:
        return tuple_element_over_array(*args)
    if name in IF_COMBINATORS:
        condition = exp.Where(this=_filter_condition(args[1]))
        return exp.Filter(this=call(IF_COMBINATORS[name], args[0]), expression=condition)
    builder = TRANSLATIONS.get(name)
    if builder is None:
        return None
    try:
        return builder(args)
    except IndexError as err:
        raise HogQLError(f"Invalid query: wrong number of arguments for {node.name}()") from err
