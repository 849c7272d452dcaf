"""Every clause the parser can attach to a query: executed with ClickHouse's meaning, or refused with a 400.

The parser (sqlglot) stores a clause as an argument of a node (`Select.args["prewhere"]`). An argument the engine's
printer does not print would be dropped silently, so each argument of each clause-bearing node is listed below as
executed (printed as is, or rewritten in `rewrite_clauses`) or refused with the clause's name. An argument that is
in neither list (a parser upgrade added it) is refused too, and tests/warehouse/hogql/test_clauses.py fails until it
is classified.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

from sqlglot import exp

from warehouse.hogql.errors import HogQLError
from warehouse.hogql.nodes import SamplingHash

_QUERY_REFUSED = {
    "kind": "SELECT AS STRUCT/VALUE",
    "hint": "query hints",
    "into": "SELECT INTO",
    "operation_modifiers": "SELECT modifiers",
    "exclude": "SELECT EXCLUDE",
    "match": "MATCH_RECOGNIZE",
    "laterals": "LATERAL VIEW",
    "connect": "CONNECT BY",
    "pivots": "PIVOT",
    "distribute": "DISTRIBUTE BY",
    "sort": "SORT BY",
    "cluster": "CLUSTER BY",
    "locks": "FOR UPDATE",
    "settings": "SETTINGS",
    "format": "FORMAT",
    "options": "OPTION (...)",
    "for_": "FOR XML/JSON",
}
_QUERY_EXECUTED = {"with_", "order", "limit", "offset"}
_MODIFIERS_REFUSED = {  # what a set operation or a parenthesised query may carry besides ORDER BY / LIMIT
    key: value
    for key, value in _QUERY_REFUSED.items()
    if key not in ("kind", "hint", "into", "operation_modifiers", "exclude")
}
_SET_OPERATION = (
    _QUERY_EXECUTED | {"this", "expression", "distinct"},
    {
        **_MODIFIERS_REFUSED,
        "joins": "JOIN after a set operation",
        "by_name": "UNION BY NAME",
        "side": "LEFT/FULL UNION",
        "kind": "UNION ... CORRESPONDING",
        "on": "UNION ... ON",
        "prewhere": "PREWHERE after a set operation",
        "where": "WHERE after a set operation",
        "group": "GROUP BY after a set operation",
        "having": "HAVING after a set operation",
        "qualify": "QUALIFY after a set operation",
        "windows": "WINDOW after a set operation",
        "sample": "SAMPLE after a set operation",
    },
)

# node class -> (arguments executed, {argument: the clause's name in the refusal})
POLICY: dict[type[exp.Expr], tuple[set[str], dict[str, str]]] = {
    exp.SetOperation: _SET_OPERATION,
    exp.Select: (
        _QUERY_EXECUTED
        | {"expressions", "distinct", "from_", "joins", "where", "group", "having", "qualify", "windows"}
        | {"prewhere", "sample"},  # rewritten below
        _QUERY_REFUSED,
    ),
    exp.Union: _SET_OPERATION,
    exp.Except: _SET_OPERATION,
    exp.Intersect: _SET_OPERATION,
    exp.Subquery: (
        _QUERY_EXECUTED | {"this", "alias"},
        {
            **_MODIFIERS_REFUSED,
            "prewhere": "PREWHERE on a subquery",
            "where": "WHERE on a subquery",
            "group": "GROUP BY on a subquery",
            "having": "HAVING on a subquery",
            "qualify": "QUALIFY on a subquery",
            "windows": "WINDOW on a subquery",
            "sample": "SAMPLE on a subquery",
            "joins": "joins attached to a subquery",
        },
    ),
    exp.With: ({"expressions", "recursive"}, {"search": "SEARCH", "cycle": "CYCLE", "udfs": "WITH FUNCTION"}),
    exp.CTE: (
        {"this", "alias", "scalar"},  # scalar: `WITH <expression> AS name`, inlined by the analysis
        {"materialized": "MATERIALIZED CTEs", "key_expressions": "USING KEY"},
    ),
    exp.From: ({"this"}, {}),
    exp.Join: (
        {"this", "on", "side", "kind", "using", "global_"},  # kinds and sides are checked in _check_join
        {
            "method": "NATURAL/hash joins",
            "hint": "join hints",
            "match_condition": "MATCH_CONDITION",
            "nearest": "NEAREST joins",
            "directed": "DIRECTED joins",
            "expressions": "join column lists",
            "pivots": "PIVOT",
        },
    ),
    exp.Table: (
        {
            "this",
            "alias",
            "db",
            "catalog",
            "sample",
        },  # db/catalog: the resolver refuses them; sample: rewritten
        {
            "laterals": "LATERAL VIEW",
            "joins": "nested joins",
            "pivots": "PIVOT",
            "hints": "table hints",
            "system_time": "FOR SYSTEM_TIME",
            "version": "time travel",
            "format": "table FORMAT",
            "pattern": "table PATTERN",
            "ordinality": "WITH ORDINALITY",
            "when": "table WHEN",
            "only": "ONLY",
            "partition": "PARTITION",
            "changes": "CHANGES",
            "rows_from": "ROWS FROM",
            "indexed": "INDEXED BY",
        },
    ),
    exp.TableAlias: ({"this"}, {"columns": "column aliases on a table"}),
    exp.Final: ({"this"}, {}),  # FINAL: nothing to collapse (see rewrite_clauses)
    exp.PreWhere: ({"this"}, {}),
    exp.Where: ({"this"}, {}),
    exp.Having: ({"this"}, {}),
    exp.Qualify: ({"this"}, {}),
    exp.Group: (
        {
            "expressions",
            "all",
            "totals",
            "rollup",
            "cube",
        },  # TOTALS: see rewrite_clauses; ROLLUP, CUBE: engines
        {"grouping_sets": "GROUPING SETS"},
    ),
    exp.Order: ({"this", "expressions"}, {"siblings": "ORDER SIBLINGS BY"}),
    exp.Ordered: ({"this", "desc", "nulls_first", "with_fill"}, {}),  # WITH FILL: the engine's printer
    exp.Limit: (
        {"this", "expression", "expressions", "limit_options"},  # BY and WITH TIES: rewritten
        {"offset": "LIMIT with an inline OFFSET"},
    ),
    exp.Offset: ({"this", "expression", "expressions"}, {}),
    exp.LimitOptions: ({"with_ties"}, {"percent": "LIMIT ... PERCENT", "rows": "FETCH ... ROWS"}),
    exp.Window: (
        {"this", "partition_by", "order", "spec", "alias", "over"},
        {"first": "FIRST/LAST in a window"},
    ),
    exp.WindowSpec: ({"kind", "start", "start_side", "end", "end_side"}, {"exclude": "EXCLUDE in a frame"}),
    exp.Distinct: ({"expressions", "on"}, {}),
    exp.Star: ({"except_", "replace"}, {"rename": "* RENAME", "ilike": "* ILIKE"}),
    exp.Column: (
        {"this", "table", "db", "catalog"},
        {"join_mark": "(+) outer joins", "shadow": "shadow columns"},
    ),
    exp.TableSample: (
        {"size"},  # SAMPLE k: see _sample
        {
            "expressions": "TABLESAMPLE",
            "method": "TABLESAMPLE methods",
            "bucket_numerator": "TABLESAMPLE BUCKET",
            "bucket_denominator": "TABLESAMPLE BUCKET",
            "bucket_field": "TABLESAMPLE BUCKET",
            "percent": "TABLESAMPLE PERCENT",
            "rows": "TABLESAMPLE ROWS",
            "seed": "TABLESAMPLE seeds",
        },
    ),
}

# Node kinds no HogQL query can contain; refused wherever they appear.
REFUSED_NODES: dict[type[exp.Expr], str] = {
    exp.Lateral: "LATERAL",
    exp.Pivot: "PIVOT",
    exp.Values: "VALUES",
}

# (side, kind) of a join -> how it runs; None: refused with the name given.
_JOINS_REFUSED = {"PASTE": "PASTE JOIN"}  # ANY JOIN: the engine's printer


class _Refused(Exception):
    """A clause that does not run with ClickHouse's meaning (turned into the HogQLError naming the engine)."""

    def __init__(self, clause: str) -> None:
        super().__init__(clause)
        self.clause = clause


def _refuse(clause: str) -> _Refused:
    return _Refused(clause)


@contextmanager
def _refusals_naming(engine: str) -> Iterator[None]:
    try:
        yield
    except _Refused as err:
        raise HogQLError(f"Invalid query: {err.clause} is not supported by the {engine} engine") from None


def check_clauses(root: exp.Expr, engine: str) -> None:
    """Refuse any clause that would not run with ClickHouse's meaning (a 400 naming it and the `engine`)."""
    with _refusals_naming(engine):
        _check_clauses(root)


def _check_clauses(root: exp.Expr) -> None:
    for node in root.walk():
        for kind, clause in REFUSED_NODES.items():
            if isinstance(node, kind):
                raise _refuse(clause)
        policy = POLICY.get(type(node))
        if policy is None:
            if isinstance(node, exp.Query):
                raise _refuse(node.key.upper())
            continue
        if isinstance(node, exp.Join):
            _check_join(node)
        executed, refused = policy
        for key, value in node.args.items():
            if value in (None, False, []) or key in executed:
                continue
            raise _refuse(refused.get(key) or f"{node.key.upper()} {key.upper()}")


def _check_join(join: exp.Join) -> None:
    side, kind = join.side.upper(), join.kind.upper()
    if kind in _JOINS_REFUSED:
        raise _refuse(_JOINS_REFUSED[kind])
    if "ARRAY" in (side, kind):
        _array_join_parts(join)  # refuses the forms that are not translated
    if kind in ("SEMI", "ANTI") and side not in ("", "LEFT"):
        raise _refuse(f"{side} {kind} JOIN")


def rewrite_clauses(root: exp.Expr, engine: str) -> None:
    """ClickHouse clauses given their meaning in standard SQL nodes (UNNEST, QUALIFY, ...), in place (after
    check_clauses)."""
    with _refusals_naming(engine):
        _rewrite_clauses(root)


def _rewrite_clauses(root: exp.Expr) -> None:
    for group in root.find_all(exp.Group):
        # WITH TOTALS adds a totals row beside the result (ClickHouse's `totals`), never to its rows: PostHog's
        # results are the rows, so the answer is the query without it.
        group.set("totals", None)
    for final in list(root.find_all(exp.Final)):
        # A warehouse table has no unmerged parts or row versions: FINAL has nothing to collapse.
        final.replace(final.this)
    for join in list(root.find_all(exp.Join)):
        if "ARRAY" in (join.side.upper(), join.kind.upper()):
            _array_join(join)
            continue
        join.set("global_", None)  # one server: GLOBAL changes nothing
        if join.kind.upper() == "ALL":  # ClickHouse's default strictness
            join.set("kind", None)
        elif join.kind.upper() == "ASOF":  # sqlglot's canonical ASOF [LEFT] JOIN
            join.set("kind", None)
            join.set("method", "ASOF")
    _inline_scalar_ctes(root)
    for alias in list(root.find_all(exp.Alias)):
        if not isinstance(alias.parent, exp.Select):  # `(1 as b) as x`: the inner name is only a label
            alias.replace(alias.this)
    for select in list(root.find_all(exp.Select)):
        _prewhere(select)
        _sample(select)
        _limit_by(select)
        _with_ties(select)
    if any(table.args.get("sample") for table in root.find_all(exp.Table)):
        raise HogQLError("Invalid query: SAMPLE applies to the table in FROM, not to a joined table")


def _array_join_parts(join: exp.Join) -> tuple[exp.Expr, exp.Identifier, bool]:
    """(array, element name, keep rows with empty arrays) of `[LEFT|INNER] ARRAY JOIN <array> AS <name>`."""
    if join.expressions:
        raise _refuse("ARRAY JOIN of several arrays")
    target = join.this
    if isinstance(target, exp.Alias):
        array, name = target.this, target.args["alias"]
    elif isinstance(target, exp.Table) and target.args.get("alias"):  # INNER ARRAY JOIN parses as a table
        array = target.this if not isinstance(target.this, exp.Identifier) else exp.column(target.this.copy())
        name = target.args["alias"].this
    else:
        raise _refuse("ARRAY JOIN without an alias")
    return array, name, join.side.upper() == "LEFT"


def _array_join(join: exp.Join) -> None:
    """ARRAY JOIN arr AS e: one row per element, as an UNNEST joined to the row it comes from.
    LEFT ARRAY JOIN keeps a row whose array is empty (e is NULL here; ClickHouse gives the type's default)."""
    array, name, keep_empty = _array_join_parts(join)
    unnest = exp.Unnest(
        expressions=[array.copy()],
        alias=exp.TableAlias(this=exp.to_identifier(f"__array_join_{name.name}"), columns=[name.copy()]),
    )
    replacement = exp.Join(this=unnest, side="LEFT", on=exp.true()) if keep_empty else exp.Join(this=unnest)
    join.replace(replacement)


def _inline_scalar_ctes(root: exp.Expr) -> None:
    """`WITH <expression> AS name SELECT ... name ...`: the expression is substituted where the name is read."""
    for with_ in list(root.find_all(exp.With)):
        scalars = {cte.alias: cte.this for cte in with_.expressions if cte.args.get("scalar")}
        if not scalars:
            continue
        remaining = [cte for cte in with_.expressions if not cte.args.get("scalar")]
        query = with_.parent
        if query is None:
            continue
        if remaining:
            with_.set("expressions", remaining)
        else:
            query.set("with_", None)
        for column in list(query.find_all(exp.Column)):
            if not column.table and column.name in scalars:
                column.replace(exp.paren(scalars[column.name].copy(), copy=False))


def _prewhere(select: exp.Select) -> None:
    """PREWHERE is a WHERE evaluated first; the rows are the same."""
    prewhere = select.args.get("prewhere")
    if prewhere is None:
        return
    select.set("prewhere", None)
    select.where(exp.paren(prewhere.this.copy(), copy=False), append=True, copy=False)


def _sample(select: exp.Select) -> None:
    """SAMPLE k (0 < k <= 1) on events keeps the events of a fixed k-share of distinct_ids, as its sampling key."""
    table = select.args["from_"].this if select.args.get("from_") else None
    sample = select.args.get("sample") or (table.args.get("sample") if isinstance(table, exp.Table) else None)
    if sample is None:
        return
    ratio = _fraction(sample.args.get("size"))
    if ratio is None or not 0 < ratio <= 1:
        raise _refuse("SAMPLE with a row count")
    offset = select.args.get("offset")
    start = Fraction(0)
    if offset is not None and not (isinstance(offset.expression, exp.Literal) and offset.expression.is_int):
        given = _fraction(offset.expression)  # the parser reads `SAMPLE k OFFSET m` as a row OFFSET
        if given is None or not 0 <= given < 1 or given + ratio > 1 or offset.expressions:
            raise _refuse("SAMPLE ... OFFSET")
        start = given
        select.set("offset", None)
    if not isinstance(table, exp.Table) or table.name != "events" or table.args.get("db"):
        raise HogQLError(
            "Invalid query: SAMPLE is only supported on the events table (sampled by distinct_id)"
        )
    select.set("sample", None)
    table.set("sample", None)
    if ratio == 1 and start == 0:
        return
    buckets = 1_000_000
    key = exp.column("distinct_id", table=table.alias_or_name)
    bucket = exp.Mod(this=SamplingHash(this=key), expression=exp.Literal.number(buckets))
    kept: exp.Expr = exp.LT(this=bucket, expression=exp.Literal.number(int((start + ratio) * buckets)))
    if start:  # SAMPLE k OFFSET m: the share of the key space from m to m + k
        low = exp.GTE(this=bucket.copy(), expression=exp.Literal.number(int(start * buckets)))
        kept = exp.and_(low, kept, copy=False)
    select.where(kept, append=True, copy=False)


def _fraction(node: exp.Expr | None) -> Fraction | None:
    """A number literal or a/b of number literals, as an exact fraction."""
    if isinstance(node, exp.Literal) and not node.is_string:
        try:
            return Fraction(node.this)
        except ValueError:
            return None
    if isinstance(node, exp.Div):
        top, bottom = _fraction(node.this), _fraction(node.expression)
        if top is not None and bottom:
            return top / bottom
    return None


def _limit_by(select: exp.Select) -> None:
    """LIMIT n [OFFSET m] BY keys: the first n rows (after m) of each key group, in the query's order."""
    limit, offset = select.args.get("limit"), select.args.get("offset")
    then, outer_offset = _limit_after_limit_by(limit, offset)
    if outer_offset is not None and offset is not None and not offset.expressions:
        offset = None  # `LIMIT n BY x LIMIT m OFFSET k`: the OFFSET is the second LIMIT's
    holder = limit if limit is not None and limit.expressions else offset
    if holder is None or not holder.expressions:
        return
    keys = [key.copy() for key in holder.expressions]
    count = limit.expression.copy() if limit is not None else None
    skip = offset.expression.copy() if offset is not None else exp.Literal.number(0)
    select.set("limit", then)
    select.set("offset", outer_offset)
    number = _window("row_number", select, partition_by=keys)
    keep: exp.Expr = exp.GT(this=number, expression=skip)
    if count is not None:
        upper = exp.LTE(this=number.copy(), expression=exp.Add(this=skip.copy(), expression=count))
        keep = exp.and_(keep, upper, copy=False)
    _qualify(select, keep)


def _limit_after_limit_by(
    limit: exp.Expr | None, offset: exp.Expr | None
) -> tuple[exp.Limit | None, exp.Offset | None]:
    """(LIMIT, OFFSET) applied after `LIMIT n BY keys` when a second LIMIT follows it (see dialect.Parser)."""
    then = limit.meta.get("then_limit") if limit is not None else None
    if then is None:
        return None, None
    skip = then.args.get("offset")
    if skip is None and offset is not None and not offset.expressions:
        skip = offset.expression
    return exp.Limit(expression=then.expression.copy()), exp.Offset(expression=skip.copy()) if skip else None


def _with_ties(select: exp.Select) -> None:
    """LIMIT n WITH TIES: the first n rows plus every row that ties with the last of them in the ORDER BY."""
    limit = select.args.get("limit")
    options = limit.args.get("limit_options") if limit is not None else None
    if limit is None or options is None or not options.args.get("with_ties"):
        return
    if not select.args.get("order"):
        raise HogQLError("Invalid query: LIMIT ... WITH TIES needs an ORDER BY")
    offset = select.args.get("offset")
    skip = offset.expression.copy() if offset is not None else exp.Literal.number(0)
    select.set("limit", None)
    rank = _window("rank", select, partition_by=[])
    _qualify(select, exp.LTE(this=rank, expression=exp.Add(this=skip, expression=limit.expression.copy())))


def _window(function: str, select: exp.Select, *, partition_by: list[exp.Expr]) -> exp.Expr:
    order = select.args.get("order")
    return exp.Window(
        this=exp.Anonymous(this=function, expressions=[]),
        partition_by=partition_by or None,
        order=order.copy() if order else None,
    )


def _qualify(select: exp.Select, condition: exp.Expr) -> None:
    existing = select.args.get("qualify")
    if existing is not None:
        condition = exp.and_(existing.this.copy(), condition, copy=False)
    select.set("qualify", exp.Qualify(this=condition))
