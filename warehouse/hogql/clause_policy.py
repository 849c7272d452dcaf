"""Which arguments of each clause-bearing node run with ClickHouse's meaning and which are refused, by name.

The parser (sqlglot) stores a clause as an argument of a node (`Select.args["prewhere"]`). An argument the engine's
printer does not print would be dropped silently, so each argument of each clause-bearing node is listed below as
executed (printed as is, or rewritten in `clauses.rewrite_clauses`) or refused with the clause's name. An argument
that is in neither list (a parser upgrade added it) is refused too, and tests/warehouse/hogql/test_clauses.py fails
until it is classified.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlglot import exp

from warehouse.hogql.errors import HogQLError

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
        {
            "this",
            "on",
            "side",
            "kind",
            "using",
            "global_",
        },  # kinds and sides are checked in clauses._check_join
        {
            "method": "NATURAL/hash joins",
            "hint": "join hints",
            "match_condition": "MATCH_CONDITION",
            "nearest": "NEAREST joins",
            "directed": "DIRECTED joins",
            "expressions": "join column lists",  # but the further arrays of an ARRAY JOIN (clauses.py)
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
    exp.Final: ({"this"}, {}),  # FINAL: nothing to collapse (see clauses.rewrite_clauses)
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
        },  # TOTALS: see clauses.rewrite_clauses; ROLLUP, CUBE: engines
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
        {"size"},  # SAMPLE k: see sampling.py
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
JOINS_REFUSED = {"PASTE": "PASTE JOIN"}  # ANY JOIN: the engine's printer


class Refused(Exception):
    """A clause that does not run with ClickHouse's meaning (turned into the HogQLError naming the engine)."""

    def __init__(self, clause: str) -> None:
        super().__init__(clause)
        self.clause = clause


def refuse(clause: str) -> Refused:
    return Refused(clause)


@contextmanager
def refusals_naming(engine: str) -> Iterator[None]:
    try:
        yield
    except Refused as err:
        raise HogQLError(f"Invalid query: {err.clause} is not supported by the {engine} engine") from None
