"""Every clause the parser can attach to a query: checked against `clause_policy`, then rewritten to its
ClickHouse meaning in standard SQL nodes (refused with a 400 naming it and the engine when it cannot run).
"""

from sqlglot import exp

from warehouse.hogql.clause_policy import JOINS_REFUSED, POLICY, REFUSED_NODES, refusals_naming, refuse
from warehouse.hogql.errors import HogQLError
from warehouse.hogql.limit_rewrites import rewrite_limit_by, rewrite_with_ties
from warehouse.hogql.sampling import rewrite_sample


def check_clauses(root: exp.Expr, engine: str) -> None:
    """Refuse any clause that would not run with ClickHouse's meaning (a 400 naming it and the `engine`)."""
    with refusals_naming(engine):
        _check_clauses(root)


def _check_clauses(root: exp.Expr) -> None:
    for node in root.walk():
        for kind, clause in REFUSED_NODES.items():
            if isinstance(node, kind):
                raise refuse(clause)
        policy = POLICY.get(type(node))
        if policy is None:
            if isinstance(node, exp.Query):
                raise refuse(node.key.upper())
            continue
        if isinstance(node, exp.Join):
            _check_join(node)
        executed, refused = policy
        for key, value in node.args.items():
            if value in (None, False, []) or key in executed:
                continue
            raise refuse(refused.get(key) or f"{node.key.upper()} {key.upper()}")


def _check_join(join: exp.Join) -> None:
    side, kind = join.side.upper(), join.kind.upper()
    if kind in JOINS_REFUSED:
        raise refuse(JOINS_REFUSED[kind])
    if "ARRAY" in (side, kind):
        _array_join_parts(join)  # refuses the forms that are not translated
    if kind in ("SEMI", "ANTI") and side not in ("", "LEFT"):
        raise refuse(f"{side} {kind} JOIN")


def rewrite_clauses(root: exp.Expr, engine: str) -> None:
    """ClickHouse clauses given their meaning in standard SQL nodes (UNNEST, QUALIFY, ...), in place (after
    check_clauses)."""
    with refusals_naming(engine):
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
        rewrite_sample(select)
        rewrite_limit_by(select)
        rewrite_with_ties(select)
    if any(table.args.get("sample") for table in root.find_all(exp.Table)):
        raise HogQLError("Invalid query: SAMPLE applies to the table in FROM, not to a joined table")


def _array_join_parts(join: exp.Join) -> tuple[exp.Expr, exp.Identifier, bool]:
    """(array, element name, keep rows with empty arrays) of `[LEFT|INNER] ARRAY JOIN <array> AS <name>`."""
    if join.expressions:
        raise refuse("ARRAY JOIN of several arrays")
    target = join.this
    if isinstance(target, exp.Alias):
        array, name = target.this, target.args["alias"]
    elif isinstance(target, exp.Table) and target.args.get("alias"):  # INNER ARRAY JOIN parses as a table
        array = target.this if not isinstance(target.this, exp.Identifier) else exp.column(target.this.copy())
        name = target.args["alias"].this
    else:
        raise refuse("ARRAY JOIN without an alias")
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
