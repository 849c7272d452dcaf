"""ClickHouse keeps a Date a Date: `dateAdd('day', 1, d)`, `addMonths(d, 1)`, `d - interval 1 day` and
`dateTrunc('month', d)` are Dates when `d` is, as are `toStartOfMonth|Quarter|Year(t)` whatever `t` is. DuckDB
turns a DATE plus an interval, or a truncated DATE, into a TIMESTAMP; these are cast back to DATE.

The argument's type is only known here when the tree says it: a `toDate(...)`/`toDateOrNull(...)` (a cast to DATE
once translated), `today()`, `yesterday()`, a column of a catalog table typed `date`, or date arithmetic already
kept a Date. A Date computed in a subquery or view and read by name is not known before the engine binds the
query, so arithmetic on one stays a timestamp (docs).
"""

from sqlglot import exp

from warehouse.hogql.typed_columns import DATE_COLUMN

# Units that keep a Date a Date in ClickHouse (hours, minutes and seconds make a DateTime).
DAY_OR_LONGER = frozenset({"day", "week", "month", "quarter", "year"})
# ClickHouse functions that return a Date whatever their argument.
ALWAYS_DATE = frozenset({"tostartofmonth", "tostartofquarter", "tostartofyear", "tomonday"})
_SHIFTS = frozenset(
    f"{direction}{unit}s" for direction in ("add", "subtract") for unit in ("day", "week", "month", "year")
)
_DATE_FUNCTIONS = (exp.DateAdd, exp.DateSub, exp.DateTrunc, exp.TimestampTrunc, exp.TsOrDsAdd)


def _unwrapped(node: exp.Expr) -> exp.Expr:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def is_date(node: exp.Expr | None) -> bool:
    """The tree says `node` is a DATE: a cast to DATE (toDate, toDateOrNull, a kept Date) or today()/yesterday()."""
    if node is None:
        return False
    node = _unwrapped(node)
    if isinstance(node, exp.Cast | exp.TryCast):
        return node.to.is_type(exp.DataType.Type.DATE)
    if isinstance(node, exp.Column):
        return bool(node.meta.get(DATE_COLUMN))  # a catalog column typed date (hogql/typed_columns.py)
    if isinstance(node, exp.Sub) and isinstance(_unwrapped(node.this), exp.CurrentDate):
        return isinstance(node.expression, exp.Literal)  # yesterday(): CURRENT_DATE - 1
    return isinstance(node, exp.CurrentDate)


def _unit(node: exp.Expr | None) -> str:
    if node is None:
        return ""
    unit = node.args.get("unit")
    return str(unit.name if isinstance(unit, exp.Expr) else unit or "").lower()


def _interval_of_days(node: exp.Expr) -> bool:
    node = _unwrapped(node)
    return isinstance(node, exp.Interval) and _unit(node) in DAY_OR_LONGER


def _keeps_date(original: exp.Expr) -> bool:
    name = str(original.meta.get("called_as") or getattr(original, "name", "") or "").lower()
    if name in ALWAYS_DATE:
        return True
    if isinstance(original, _DATE_FUNCTIONS):
        return is_date(original.this) and _unit(original) in DAY_OR_LONGER
    if isinstance(original, exp.Anonymous) and name in _SHIFTS:
        return bool(original.expressions) and is_date(original.expressions[0])
    if isinstance(original, exp.Add | exp.Sub):
        left, right = original.this, original.expression
        return (is_date(left) and _interval_of_days(right)) or (
            isinstance(original, exp.Add) and is_date(right) and _interval_of_days(left)
        )
    return False


def keep_date(original: exp.Expr, printed: exp.Expr | None) -> exp.Expr | None:
    """`printed` (DuckDB's form of `original`, None when it prints as it is), cast back to DATE where ClickHouse's
    result is a Date; None when nothing changes."""
    value = printed if printed is not None else original
    if is_date(value) or not _keeps_date(original):
        return printed
    return exp.Cast(this=value.copy() if printed is None else value, to=exp.DataType.build("DATE"))
