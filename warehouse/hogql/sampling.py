"""ClickHouse's `SAMPLE k [OFFSET m]` on events, as a filter on the sampling key's hash."""

from fractions import Fraction

from sqlglot import exp

from warehouse.hogql.clause_policy import refuse
from warehouse.hogql.errors import HogQLError
from warehouse.hogql.nodes import SamplingHash


def rewrite_sample(select: exp.Select) -> None:
    """SAMPLE k (0 < k <= 1) on events keeps the events of a fixed k-share of distinct_ids, as its sampling key."""
    table = select.args["from_"].this if select.args.get("from_") else None
    sample = select.args.get("sample") or (table.args.get("sample") if isinstance(table, exp.Table) else None)
    if sample is None:
        return
    ratio = _fraction(sample.args.get("size"))
    if ratio is None or not 0 < ratio <= 1:
        raise refuse("SAMPLE with a row count")
    offset = select.args.get("offset")
    start = Fraction(0)
    if offset is not None and not (isinstance(offset.expression, exp.Literal) and offset.expression.is_int):
        given = _fraction(offset.expression)  # the parser reads `SAMPLE k OFFSET m` as a row OFFSET
        if given is None or not 0 <= given < 1 or given + ratio > 1 or offset.expressions:
            raise refuse("SAMPLE ... OFFSET")
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
