"""Every clause the parser can attach to a query: checked against `clause_policy`, then rewritten to its
ClickHouse meaning in standard SQL nodes (refused with a 400 naming it and the engine when it cannot run).
"""

from sqlglot import exp

from warehouse.hogql.bounds import CopyBudget
from warehouse.hogql.clause_policy import JOINS_REFUSED, POLICY, REFUSED_NODES, refusals_naming, refuse
from warehouse.hogql.dialect import to_hogql
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
        executed, refused = policy
        if isinstance(node, exp.Join):
            _check_join(node)
            if "ARRAY" in (node.side.upper(), node.kind.upper()):
                executed = executed | {
                    "expressions"
                }  # `ARRAY JOIN a AS x, b AS y`: the arrays after the first
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
    _hoist_member_ctes(root)
    budget = CopyBudget()
    _inline_scalar_ctes(root, budget)
    for alias in list(root.find_all(exp.Alias)):
        if not isinstance(alias.parent, exp.Select):  # `(1 as b) as x`: the inner name is only a label
            _substitute_inner_alias(alias, budget)
            alias.replace(alias.this)
    for select in list(root.find_all(exp.Select)):
        _prewhere(select)
        rewrite_sample(select)
        rewrite_limit_by(select)
        rewrite_with_ties(select)
    if any(table.args.get("sample") for table in root.find_all(exp.Table)):
        raise HogQLError("Invalid query: SAMPLE applies to a table in FROM or JOIN, not here")


def _array_join_parts(join: exp.Join) -> tuple[list[tuple[exp.Expr, exp.Identifier]], bool]:
    """([(array, element name), ...], keep rows with empty arrays) of `[LEFT|INNER] ARRAY JOIN <array> AS <name>
    [, <array> AS <name> ...]` (several arrays are zipped: one row per position)."""
    parts = [_aliased_array(target) for target in [join.this, *join.expressions]]
    return parts, join.side.upper() == "LEFT"


def _aliased_array(target: exp.Expr) -> tuple[exp.Expr, exp.Identifier]:
    if isinstance(target, exp.Alias):
        return target.this, target.args["alias"]
    if isinstance(target, exp.Table) and target.args.get("alias"):  # INNER ARRAY JOIN parses as a table
        array = target.this if not isinstance(target.this, exp.Identifier) else exp.column(target.this.copy())
        return array, target.args["alias"].this
    raise refuse("ARRAY JOIN without an alias")


def _array_join(join: exp.Join) -> None:
    """ARRAY JOIN arr AS e: one row per element, as an UNNEST joined to the row it comes from (several arrays: one
    UNNEST of them all, zipped; the engine's printer checks they are the same length, as ClickHouse requires).
    LEFT ARRAY JOIN keeps a row whose array is empty (e is NULL here; ClickHouse gives the type's default)."""
    parts, keep_empty = _array_join_parts(join)
    unnest = exp.Unnest(
        expressions=[array.copy() for array, _ in parts],
        alias=exp.TableAlias(
            this=exp.to_identifier(f"__array_join_{parts[0][1].name}"),
            columns=[name.copy() for _, name in parts],
        ),
    )
    replacement = exp.Join(this=unnest, side="LEFT", on=exp.true()) if keep_empty else exp.Join(this=unnest)
    join.replace(replacement)


def _hoist_member_ctes(root: exp.Expr) -> None:
    """`SELECT ... UNION ALL WITH c AS (...) SELECT ... FROM c`: sqlglot hangs a later member's WITH on that member
    (or the set operation after it), where the engines do not read it; its CTEs join the outermost WITH."""
    for member in list(root.find_all(exp.Query)):
        with_ = member.args.get("with_")
        if with_ is None or not isinstance(member.parent, exp.SetOperation):
            continue
        top = member.parent
        while isinstance(top.parent, exp.SetOperation):
            top = top.parent
        outer = top.args.get("with_")
        names = {cte.alias for cte in outer.expressions} if outer is not None else set()
        if any(cte.alias in names for cte in with_.expressions):
            raise HogQLError("Invalid query: a WITH inside a UNION may not name a CTE the query already has")
        member.set("with_", None)
        if outer is None:
            top.set("with_", with_)
        else:
            outer.set("expressions", [*outer.expressions, *with_.expressions])


def _substituted(node: exp.Expr, scalars: dict[str, exp.Expr], budget: CopyBudget) -> exp.Expr:
    def substitute(column: exp.Expr) -> exp.Expr:
        if isinstance(column, exp.Column) and not column.table and column.name in scalars:
            return exp.paren(budget.copy(scalars[column.name]), copy=False)
        return column

    return node.transform(substitute)


def _inline_scalar_ctes(root: exp.Expr, budget: CopyBudget) -> None:
    """`WITH <expression> AS name SELECT ... name ...`: the expression is substituted where the name is read (and
    in the later WITH expressions: `WITH 1 AS a, a + 1 AS b`)."""
    for with_ in list(root.find_all(exp.With)):
        scalars: dict[str, exp.Expr] = {}
        for cte in with_.expressions:
            if cte.args.get("scalar"):
                scalars[cte.alias] = _substituted(cte.this, scalars, budget)
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
                column.replace(exp.paren(budget.copy(scalars[column.name]), copy=False))


def _substitute_inner_alias(alias: exp.Alias, budget: CopyBudget) -> None:
    """`arrayZip((sumMap(k, v) as x).1, x.2)`: an alias inside an expression names its value for the rest of the
    SELECT, as in ClickHouse; each read of the name (`x`, or its element `x.2`) becomes the bracketed value."""
    select, name = alias.parent_select, alias.alias
    if select is None or not name:
        return
    if any(isinstance(output, exp.Alias) and output.alias == name for output in select.expressions):
        return  # a column of that name: it is what the name reads
    for output in list(select.expressions):  # named by their text as written, before the name is substituted
        if not isinstance(output, exp.Alias | exp.Column | exp.Star):
            named = exp.Alias(alias=exp.to_identifier(to_hogql(output), quoted=True))
            output.replace(named)
            named.set("this", output)  # the same node: the aliases found inside it are still in the tree
    for column in list(select.find_all(exp.Column)):
        if column.parent_select is not select or alias.this in column.iter_expressions():
            continue
        value: exp.Expr = exp.paren(budget.copy(alias.this), copy=False)
        if column.table == name and isinstance(column.this, exp.Literal) and not column.args.get("db"):
            value = exp.Dot(this=value, expression=column.this.copy())
        elif column.table or column.name != name:
            continue
        if isinstance(column.parent, exp.Select) and column.arg_key == "expressions":
            written = f"{column.table}.{column.name}" if column.table else column.name
            value = exp.alias_(value, written, quoted=True)  # the column keeps the name it was read by
        column.replace(value)


def _prewhere(select: exp.Select) -> None:
    """PREWHERE is a WHERE evaluated first; the rows are the same."""
    prewhere = select.args.get("prewhere")
    if prewhere is None:
        return
    select.set("prewhere", None)
    select.where(exp.paren(prewhere.this.copy(), copy=False), append=True, copy=False)
