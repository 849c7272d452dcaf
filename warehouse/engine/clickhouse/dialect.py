"""The canonical tree printed as ClickHouse SQL: nearly the HogQL as written, with HogQL's meaning where plain
ClickHouse differs (how PostHog prints it), and the compiler's own nodes (hogql/nodes.py) spelled out."""

import sqlglot
from sqlglot import exp

from warehouse.hogql.errors import HogQLError
from warehouse.hogql.nodes import JSONProperty, SamplingHash

DIALECT = "clickhouse"
PERSON_ALIAS = "__person"


def _call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))


def json_property(node: JSONProperty) -> exp.Expression:
    """A property as PostHog reads it: the raw JSON value, '' and null as NULL, a string's quotes removed."""
    raw = _call("JSONExtractRaw", node.this.copy(), *(part.copy() for part in node.expressions))
    present = _call("nullIf", _call("nullIf", raw, exp.Literal.string("")), exp.Literal.string("null"))
    return _call("replaceRegexpAll", present, exp.Literal.string('^"|"$'), exp.Literal.string(""))


def concat_skipping_nulls(node: exp.Expr) -> exp.Expression:
    """HogQL's concat() and `||` treat NULL as '' (ClickHouse's return NULL) and accept any type."""
    operands = node.expressions if not isinstance(node, exp.DPipe) else [node.this, node.expression]
    parts = [_call("ifNull", _call("toString", part.copy()), exp.Literal.string("")) for part in operands]
    return _call("concat", *parts)


def _person_lookup(node: exp.Subquery) -> tuple[exp.Expression, exp.Table, str] | None:
    """(value, persons table, events alias) when `node` is the compiler's person lookup:
    `(SELECT <value> FROM <persons> AS __person WHERE __person.id = <events>.person_id LIMIT 1)`."""
    select = node.this
    if node.alias or not isinstance(select, exp.Select) or len(select.expressions) != 1:
        return None
    source = _from(select)
    where = select.args.get("where")
    table = source.this if source is not None else None
    if not isinstance(table, exp.Table) or table.alias != PERSON_ALIAS or table.name != "persons":
        return None
    match = where.this if where is not None else None
    if not isinstance(match, exp.EQ) or select.args.get("joins") or select.args.get("group"):
        return None
    left, right = match.this, match.expression
    if not (isinstance(left, exp.Column) and left.table == PERSON_ALIAS and left.name == "id"):
        return None
    if not (isinstance(right, exp.Column) and right.name == "person_id" and right.table):
        return None
    value = select.expressions[0]
    return (value.this if isinstance(value, exp.Alias) else value), table, right.table


def _from(select: exp.Select) -> exp.From | None:
    return select.args.get("from_") or select.args.get("from")  # the key's name depends on sqlglot's version


def _sources(select: exp.Select) -> list[exp.Expression]:
    source = _from(select)
    return ([source.this] if source is not None else []) + [
        join.this for join in select.args.get("joins") or []
    ]


def lazy_person_joins(root: exp.Expression) -> exp.Expression:
    """The compiler's person lookups (correlated subqueries, which ClickHouse cannot run inside aggregates) as one
    LEFT JOIN per events source: `LEFT JOIN (SELECT * FROM persons LIMIT 1 BY id) AS __person_<events> ON ...`.
    join_use_nulls (in every statement's settings) gives NULL for an event without a person, as the lookup did."""
    joined: set[tuple[int, str]] = set()
    for node in list(root.find_all(exp.Subquery))[::-1]:
        lookup = _person_lookup(node)
        if lookup is None:
            continue
        value, persons, events = lookup
        outer = node.parent_select
        while outer is not None and not any(s.alias_or_name == events for s in _sources(outer)):
            outer = outer.parent_select
        if outer is None:
            continue
        alias = f"{PERSON_ALIAS}_{events}"
        if (id(outer), events) not in joined:
            joined.add((id(outer), events))
            table = persons.copy()
            table.set("alias", None)
            one_each = sqlglot.parse_one(f"SELECT * FROM {table.sql(DIALECT)} LIMIT 1 BY id", read=DIALECT)
            people = exp.Subquery(
                this=one_each, alias=exp.TableAlias(this=exp.to_identifier(alias, quoted=True))
            )
            condition = exp.EQ(
                this=exp.column("id", table=alias, quoted=True),
                expression=exp.column("person_id", table=events, quoted=True),
            )
            outer.join(people, on=condition, join_type="LEFT", copy=False)
        renamed = value.copy()
        for column in renamed.find_all(exp.Column):
            if column.table == PERSON_ALIAS:
                column.set("table", exp.to_identifier(alias, quoted=True))
        node.replace(renamed)
    return root


ARRAY_JOIN_PREFIX = "__array_join_"
# HogQL functions whose ClickHouse name differs.
RENAMED = {
    "todecimal": "toDecimal64",
    "tointornull": "toInt64OrNull",
    "tofloatornull": "toFloat64OrNull",
}
# HogQL functions that are a ClickHouse cast to a fixed type (NULL when the value does not fit).
CASTS = {"toint": "Int64", "tofloat": "Float64"}
WINDOWS = {"tumble", "hop", "tumblestart", "tumbleend", "hopstart", "hopend"}
# How many arguments each of these translations takes: another count is the compiler's 400, not an unknown
# function (`toInt()` reached ClickHouse as toInt, which it lacks).
ARITY = {
    "todecimal": (1, 2),
    "tointornull": (1, 1),
    "tofloatornull": (1, 1),
    "toint": (1, 1),
    "tofloat": (1, 1),
    "tumble": (2, 3),
    "hop": (3, 4),
    "tumblestart": (1, 3),  # of a tumble() window, or (time, interval[, zone])
    "tumbleend": (1, 3),
    "hopstart": (1, 4),
    "hopend": (1, 4),
}
ENGINE_NAME = "ClickHouse"


def check_arity(node: exp.Anonymous) -> None:
    low, high = ARITY.get(node.name.lower(), (0, len(node.expressions)))
    if not low <= len(node.expressions) <= high:
        takes = str(low) if low == high else f"{low} or {high}" if high == low + 1 else f"{low} to {high}"
        raise HogQLError(
            f"Invalid query: wrong number of arguments for {node.name}(): the {ENGINE_NAME} engine takes {takes}"
        )


def array_joins(root: exp.Expression) -> exp.Expression:
    """The compiler's ARRAY JOIN (an UNNEST joined to its row, as DuckDB has it) back as ClickHouse's own
    `[LEFT] ARRAY JOIN <array> AS <name>[, ...]`, its elements read by the bare names."""
    for join in list(root.find_all(exp.Join)):
        unnest = join.this
        alias = unnest.args.get("alias") if isinstance(unnest, exp.Unnest) else None
        if alias is None or not alias.name.startswith(ARRAY_JOIN_PREFIX):
            continue
        select = join.parent_select
        arrays = [
            exp.alias_(array.copy(), element.copy())
            for array, element in zip(unnest.expressions, alias.columns, strict=True)
        ]
        replacement = exp.Join(
            this=arrays[0],
            expressions=arrays[1:],
            kind="ARRAY",
            side="LEFT" if join.side == "LEFT" else None,
        )
        join.replace(replacement)
        for column in list((select or root).find_all(exp.Column)):
            if column.table == alias.name:
                column.set("table", None)
    return root


def translate(node: exp.Expr) -> exp.Expression | None:
    """The ClickHouse form of a HogQL node, or None when sqlglot prints it right already."""
    if isinstance(node, exp.Anonymous) and node.name.lower() == "concat":
        return concat_skipping_nulls(node)
    if isinstance(node, exp.Anonymous):
        check_arity(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "todecimal" and len(node.expressions) == 1:
        return _call(
            "toDecimal64", node.expressions[0].copy(), exp.Literal.number(0)
        )  # scale 0, as on DuckDB
    if isinstance(node, exp.Anonymous) and node.name.lower() in RENAMED:
        return _call(RENAMED[node.name.lower()], *(arg.copy() for arg in node.expressions))
    if isinstance(node, exp.Anonymous) and node.name.lower() in CASTS:
        value = node.expressions[0].copy()
        return _call("accurateCastOrNull", value, exp.Literal.string(CASTS[node.name.lower()]))
    if isinstance(node, exp.Anonymous) and node.name.lower() == "totimezone" and len(node.expressions) == 2:
        # A DateTime('zone') comes back from embedded ClickHouse (chdb's Native output) without its zone, read as
        # UTC; a DateTime64('zone') keeps it, so the result is the wall-clock time in the zone, as in ClickHouse.
        time, zone = (arg.copy() for arg in node.expressions)
        return _call("toTimeZone", _call("toDateTime64", time, exp.Literal.number(6)), zone)
    if isinstance(node, exp.Anonymous) and node.name.lower() in WINDOWS and len(node.expressions) >= 2:
        time, *rest = (arg.copy() for arg in node.expressions)  # tumble/hop take a DateTime, not DateTime64
        return _call(node.name, _call("toDateTime", time), *rest)
    if isinstance(node, JSONProperty):
        return json_property(node)
    if isinstance(node, SamplingHash):
        return _call("sipHash64", node.this.copy())
    if isinstance(node, exp.Concat | exp.DPipe):
        return concat_skipping_nulls(node)
    return None


def to_sql(tree: exp.Expression) -> str:
    """The canonical tree (left unchanged) in ClickHouse's SQL."""
    root = array_joins(lazy_person_joins(tree.copy()))
    for node in list(
        root.find_all(JSONProperty, SamplingHash, exp.Concat, exp.DPipe, exp.Anonymous, bfs=False)
    )[::-1]:
        replacement = translate(node)
        if replacement is None:
            continue
        if node is root:
            root = replacement
        else:
            node.replace(replacement)
    return root.sql(dialect=DIALECT)
