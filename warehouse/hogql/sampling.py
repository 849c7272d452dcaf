"""ClickHouse's `SAMPLE k [OFFSET m]` on events and persons, as a filter on the sampling key's hash.

Each sampled table (in FROM or joined) keeps the rows whose key hashes into a share of the key space: from m to
m + k. A size or offset above 1 is a row count, made a share of the table's rows as ClickHouse does (n / rows).
"""

from fractions import Fraction

from sqlglot import exp

from warehouse.hogql.clause_policy import refuse
from warehouse.hogql.errors import HogQLError
from warehouse.hogql.nodes import SamplingHash

# The column whose hash decides which rows a sample keeps, per table.
SAMPLING_KEYS = {"events": "distinct_id", "persons": "id"}
_BUCKETS = 1_000_000


def rewrite_sample(select: exp.Select) -> None:
    """Every SAMPLE of `select`'s tables as a filter that keeps the joins' meaning: in the ON of an INNER or LEFT JOIN
    for its table and of a lone RIGHT JOIN for the FROM table (the side the join does not keep), else in WHERE
    where that filters the table alone (see _where_keeps_meaning); refused otherwise."""
    source = select.args.get("from_")
    table = source.this if source else None
    if select.args.get("sample") is not None and isinstance(table, exp.Table):
        table.set("sample", select.args["sample"])  # `FROM t SAMPLE k` read as the query's clause
        select.set("sample", None)
    joins = select.args.get("joins") or []
    for join in [None, *joins]:
        sampled = table if join is None else join.this
        if not isinstance(sampled, exp.Table) or sampled.args.get("sample") is None:
            continue
        sample = sampled.args["sample"]
        kept = _kept_rows(sampled, sample)
        sampled.set("sample", None)
        if kept is None:
            continue
        on_join = _join_filtering(join, joins)
        if on_join is not None:
            on_join.set("on", exp.and_(exp.paren(on_join.args["on"], copy=False), kept, copy=False))
        elif _where_keeps_meaning(join, joins):
            select.where(kept, append=True, copy=False)
        else:
            raise refuse(
                "SAMPLE on a table of a FULL JOIN or a JOIN ... USING, or beside a RIGHT or FULL JOIN"
            )


def _join_filtering(join: exp.Join | None, joins: list[exp.Join]) -> exp.Join | None:
    """The join whose ON can filter the sampled table before it joins (its meaning kept): an INNER or LEFT JOIN's
    own table, or the FROM table of a query whose one join is a RIGHT JOIN; None when there is none."""
    if join is None:
        only = joins[0] if len(joins) == 1 else None
        if only is not None and only.side.upper() == "RIGHT" and only.args.get("on") is not None:
            return only
        return None
    if join.side.upper() in ("", "LEFT") and join.args.get("on") is not None:
        return join
    return None


def _where_keeps_meaning(join: exp.Join | None, joins: list[exp.Join]) -> bool:
    """A WHERE on the sampled table's key filters it as before the join: it is in FROM or an INNER/CROSS JOIN and no
    join keeps unmatched rows of another table (RIGHT/FULL), or it is the table of a lone RIGHT JOIN."""
    if join is not None and join.side.upper() == "RIGHT":
        return len(joins) == 1
    outer = any(other.side.upper() in ("RIGHT", "FULL") for other in joins)
    return not outer and (join is None or join.side.upper() == "")


def _kept_rows(table: exp.Table, sample: exp.TableSample) -> exp.Expr | None:
    """The condition keeping `table`'s sampled rows, or None when the sample is the whole table (SAMPLE 1)."""
    if table.name not in SAMPLING_KEYS or table.args.get("db"):
        raise HogQLError(
            "Invalid query: SAMPLE is only supported on the events table (sampled by distinct_id) and the persons "
            "table (sampled by id)"
        )
    size = _fraction(sample.args.get("size"))
    if size is None or size <= 0:
        raise refuse("SAMPLE with a size that is not a positive number")
    given = sample.meta.get("offset")
    offset = Fraction(0) if given is None else _fraction(given)
    if offset is None or offset < 0:
        raise refuse("SAMPLE ... OFFSET with an offset that is not a number >= 0")
    if size == 1 and offset == 0:
        return None
    key = exp.column(SAMPLING_KEYS[table.name], table=table.alias_or_name)
    bucket = exp.Mod(this=SamplingHash(this=key), expression=exp.Literal.number(_BUCKETS))
    start, share = _share(offset, table.name), _share(size, table.name)
    if isinstance(start, Fraction) and isinstance(share, Fraction):
        end: exp.Expr = exp.Literal.number(int(min(start + share, Fraction(1)) * _BUCKETS))
        low: exp.Expr = exp.Literal.number(int(start * _BUCKETS))
    else:
        end = exp.Mul(this=exp.paren(_sum(start, share)), expression=exp.Literal.number(_BUCKETS))
        low = exp.Mul(this=_number(start), expression=exp.Literal.number(_BUCKETS))
    kept: exp.Expr = exp.LT(this=bucket, expression=end)
    if offset:  # SAMPLE k OFFSET m: the share of the key space from m to m + k
        kept = exp.and_(exp.GTE(this=bucket.copy(), expression=low), kept, copy=False)
    return kept


def _share(value: Fraction, table: str) -> Fraction | exp.Expr:
    """A share of the key space: a fraction up to 1 as it is; a row count n as n / (the table's rows)."""
    if value <= 1:
        return value
    rows = exp.select(exp.Anonymous(this="count")).from_(table)
    return exp.Div(this=_number(value), expression=exp.Subquery(this=rows))


def _number(value: Fraction | exp.Expr) -> exp.Expr:
    if not isinstance(value, Fraction):
        return value
    if value.denominator == 1:
        return exp.Literal.number(value.numerator)
    return exp.Div(this=exp.Literal.number(value.numerator), expression=exp.Literal.number(value.denominator))


def _sum(start: Fraction | exp.Expr, share: Fraction | exp.Expr) -> exp.Expr:
    if start == 0:
        return _number(share)
    return exp.Add(this=_number(start), expression=_number(share))


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
