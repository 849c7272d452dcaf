"""ClickHouse keeps a Date a Date: `dateAdd('day', 1, d)`, `addMonths(d, 1)`, `d - interval 1 day` and
`dateTrunc('month', d)` are Dates when `d` is, as are `toStartOfMonth|Quarter|Year(t)` whatever `t` is. DuckDB
turns a DATE plus an interval, or a truncated DATE, into a TIMESTAMP; these are cast back to DATE.

The argument's type is only known here when the tree says it: a `toDate(...)`/`toDateOrNull(...)` (a cast to DATE
once translated), `today()`, `yesterday()`, a column of a catalog table typed `date`, or date arithmetic already
kept a Date. A Date computed in a subquery or view and read by name is not known before the engine binds the
query, so arithmetic on one stays a timestamp (docs).
"""

from sqlglot import exp

from warehouse.hogql.typed_columns import DATE_COLUMN, DATETIME_COLUMN

# Units that keep a Date a Date in ClickHouse (hours, minutes and seconds make a DateTime).
DAY_OR_LONGER = frozenset({"day", "week", "month", "quarter", "year"})
# ClickHouse functions that return a Date whatever their argument.
ALWAYS_DATE = frozenset({"tostartofmonth", "tostartofquarter", "tostartofyear", "tomonday"})
_SHIFTS = frozenset(
    f"{direction}{unit}s"
    for direction in ("add", "subtract")
    for unit in ("day", "week", "month", "quarter", "year")
)
# ClickHouse functions that return a DateTime (read before the printer translates them).
_DATETIME_FUNCTIONS = frozenset(
    {
        "todatetime",
        "todatetime64",
        "todatetimeornull",
        "now",
        "now64",
        "fromunixtimestamp",
        "parsedatetimebesteffort",
    }
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


def is_datetime(node: exp.Expr) -> bool:
    """The tree says `node` is a TIMESTAMP: a cast to one (toDateTime), now(), a catalog column typed datetime,
    or a lambda's parameter over an array of them (before or after the call is translated)."""
    node = _unwrapped(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() in _DATETIME_FUNCTIONS:
        return True
    if isinstance(node, exp.Cast | exp.TryCast):
        return node.to.is_type(*exp.DataType.TEMPORAL_TYPES) and not node.to.is_type(exp.DataType.Type.DATE)
    if isinstance(node, exp.Column | exp.Add | exp.Sub) and node.meta.get(DATETIME_COLUMN):
        return True  # a catalog column typed datetime, or a datetime moved by seconds_added
    return isinstance(node, exp.CurrentTimestamp) or _elements_are(_lambda_array(node), is_datetime)


def _is_number(node: exp.Expr) -> bool:
    """The tree says `node` is a number: a number literal, a sum or product of them, or a lambda's parameter over an
    array of them or `range(...)`."""
    node = _unwrapped(node)
    if isinstance(node, exp.Neg):
        node = _unwrapped(node.this)
    if isinstance(node, exp.Literal):
        return not node.is_string
    if isinstance(node, exp.Add | exp.Sub | exp.Mul):
        return _is_number(node.this) and _is_number(node.expression)
    array = _lambda_array(node)
    if isinstance(array, exp.Anonymous) and array.name.lower() == "range":
        return True  # range(n): integers
    return _elements_are(array, _is_number)


def _elements_are(array: exp.Expr | None, kind) -> bool:
    return isinstance(array, exp.Array) and bool(array.expressions) and all(map(kind, array.expressions))


def _lambda_array(node: exp.Expr) -> exp.Expr | None:
    """The array whose elements the lambda parameter `node` (`x` of `arrayMap(x -> ..., arr)`) takes."""
    if isinstance(node, exp.Column) and not node.table:
        node = node.this
    if not isinstance(node, exp.Identifier) or isinstance(node.parent, exp.Column) and node.parent.table:
        return None
    lambda_ = node.find_ancestor(exp.Lambda)
    while lambda_ is not None and node.name not in [param.name for param in lambda_.expressions]:
        lambda_ = lambda_.find_ancestor(exp.Lambda)
    if lambda_ is None:
        return None
    position = [param.name for param in lambda_.expressions].index(node.name)
    call = lambda_.parent
    if isinstance(call, exp.Anonymous) and lambda_ in call.expressions:  # arrayMap((x, y) -> ..., xs, ys)
        arrays = call.expressions[call.expressions.index(lambda_) + 1 :]
        return arrays[position] if position < len(arrays) else None
    if call is not None and call.args.get("expression") is lambda_ and position == 0:  # sqlglot's own
        return call.this
    return None


def seconds_added(node: exp.Add | exp.Sub) -> exp.Expr | None:
    """ClickHouse's `DateTime + n` (and `- n`) moves by n seconds; DuckDB has no TIMESTAMP + INTEGER, so n becomes
    `to_seconds(n)` where the tree says one side is a datetime and the other a number; None otherwise."""
    left, right = node.this, node.expression
    if is_datetime(left) and _is_number(right):
        side = "expression"
    elif isinstance(node, exp.Add) and is_datetime(right) and _is_number(left):
        side = "this"
    else:
        return None
    changed = node.copy()
    changed.set(side, exp.Anonymous(this="to_seconds", expressions=[node.args[side].copy()]))
    changed.meta[DATETIME_COLUMN] = True
    return changed


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


def text_with_interval(node: exp.Add | exp.Sub) -> exp.Expr | None:
    """ClickHouse reads a string beside an interval as a date-time (`'2024-01-01' + INTERVAL 1 DAY` is
    2024-01-02 00:00:00; an offset is converted to UTC; a string that is no date-time is its error). DuckDB cannot
    choose an operator for text and an interval, so a string literal or a property read beside an interval is cast
    to a timestamp (through TIMESTAMPTZ, which converts an offset to UTC); None otherwise."""
    sides = ("this", "expression") if isinstance(node, exp.Add) else ("this",)
    for side in sides:
        other = "expression" if side == "this" else "this"
        if _is_text(node.args[side]) and isinstance(_unwrapped(node.args[other]), exp.Interval):
            changed = node.copy()
            instant = exp.Cast(this=node.args[side].copy(), to=exp.DataType.build("TIMESTAMPTZ"))
            changed.set(side, exp.Cast(this=instant, to=exp.DataType.build("TIMESTAMP")))
            return changed
    return None


def _is_text(node: exp.Expr) -> bool:
    node = _unwrapped(node)
    if isinstance(node, exp.Literal):
        return node.is_string
    return isinstance(node, exp.Anonymous) and node.name.lower() == "json_extract_string"
