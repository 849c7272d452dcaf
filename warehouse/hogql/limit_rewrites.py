"""ClickHouse's `LIMIT n [OFFSET m] BY keys` and `LIMIT n WITH TIES`, as QUALIFY over a window function."""

from sqlglot import exp

from warehouse.hogql.errors import HogQLError


def rewrite_limit_by(select: exp.Select) -> None:
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


def rewrite_with_ties(select: exp.Select) -> None:
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
