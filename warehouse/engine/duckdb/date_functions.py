"""ClickHouse date and time functions in DuckDB's terms, with ClickHouse's meaning (used by functions.py).

Week numbers follow ClickHouse's mode 0 (weeks start on Sunday; the days before the year's first Sunday are week 0),
which is strftime's %U; toISOWeek/toISOYear are sqlglot's own ISO nodes.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.sql_builders import Builder, call
from warehouse.hogql.errors import HogQLError

# Day 0 of the Modified Julian Day count.
MJD_EPOCH = "1858-11-17"


def _cast(value: exp.Expr, to: str) -> exp.Expr:
    return exp.Cast(this=value, to=exp.DataType.build(to, dialect="duckdb"))


def _part(unit: str) -> Builder:
    return lambda args: call("date_part", exp.Literal.string(unit), args[0])


def _formatted(pattern: str, to: str) -> Builder:
    return lambda args: _cast(call("strftime", args[0], exp.Literal.string(pattern)), to)


def _start_of_minutes(minutes: int) -> Builder:
    interval = exp.Interval(this=exp.Literal.string(str(minutes)), unit=exp.Var(this="MINUTE"))
    return lambda args: call("time_bucket", interval.copy(), _cast(args[0], "TIMESTAMP"))


def _epoch_date() -> exp.Expr:
    return _cast(exp.Literal.string(MJD_EPOCH), "DATE")


def last_day_of_week(args: list[exp.Expr]) -> exp.Expr:
    """toLastDayOfWeek(t): the Saturday ending t's week (mode 0: weeks start on Sunday), a Date."""
    day = _cast(args[0], "DATE")
    left = exp.Sub(this=exp.Literal.number(6), expression=call("dayofweek", day.copy()))
    return _cast(exp.Add(this=day, expression=call("to_days", _cast(left, "INTEGER"))), "DATE")


# age()'s units and ClickHouse's abbreviations of them.
_AGE_UNITS = {
    **dict.fromkeys(("second", "ss", "s"), "second"),
    **dict.fromkeys(("minute", "mi", "n"), "minute"),
    **dict.fromkeys(("hour", "hh", "h"), "hour"),
    **dict.fromkeys(("day", "dd", "d"), "day"),
    **dict.fromkeys(("week", "wk", "ww"), "week"),
    **dict.fromkeys(("month", "mm", "m"), "month"),
    **dict.fromkeys(("quarter", "qq", "q"), "quarter"),
    **dict.fromkeys(("year", "yyyy", "yy"), "year"),
}
_MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


def _full_months(start: exp.Expr, end: exp.Expr) -> exp.Expr:
    """The whole months from start to end (negative backwards): a month is full when the end's day and time of the
    month reach the start's (2024-01-31 to 2024-02-29 is 0 months, as ClickHouse's age)."""

    def month_index(value: exp.Expr) -> exp.Expr:
        year = exp.Mul(this=call("year", value.copy()), expression=exp.Literal.number(12))
        return exp.Paren(this=exp.Add(this=year, expression=call("month", value.copy())))

    def in_month(value: exp.Expr) -> exp.Expr:
        return call("strftime", _cast(value.copy(), "TIMESTAMP"), exp.Literal.string("%d%H%M%S%f"))

    months = exp.Paren(this=exp.Sub(this=month_index(end), expression=month_index(start)))
    zero = exp.Literal.number(0)
    short = exp.And(
        this=exp.GT(this=months.copy(), expression=zero),
        expression=exp.LT(this=in_month(end), expression=in_month(start)),
    )
    over = exp.And(
        this=exp.LT(this=months.copy(), expression=zero.copy()),
        expression=exp.GT(this=in_month(end), expression=in_month(start)),
    )
    correction = exp.Case(
        ifs=[exp.If(this=short, true=exp.Literal.number(-1)), exp.If(this=over, true=exp.Literal.number(1))],
        default=zero.copy(),
    )
    return exp.Paren(this=exp.Add(this=months, expression=correction))


def age(args: list[exp.Expr]) -> exp.Expr:
    """age(unit, start, end): the whole units elapsed from start to end."""
    unit, start, end = args
    name = _AGE_UNITS.get(unit.name.lower()) if isinstance(unit, exp.Literal) and unit.is_string else None
    if name is None:
        raise HogQLError(
            "Invalid query: age() is supported by the DuckDB engine with a unit written as a string: 'second', "
            "'minute', 'hour', 'day', 'week', 'month', 'quarter' or 'year' (or ClickHouse's abbreviations)"
        )
    if name not in _MONTHS_IN:
        return call("date_sub", exp.Literal.string(name), start, end)
    months = _full_months(start, end)
    if name == "month":
        return months
    return _cast(
        call("trunc", exp.Div(this=months, expression=exp.Literal.number(_MONTHS_IN[name]))), "BIGINT"
    )


# dateName(part, t): the part as text, as ClickHouse names it.
_DATE_NAMES: dict[str, tuple[str, str]] = {
    "year": ("part", "year"),
    "quarter": ("part", "quarter"),
    "month": ("format", "%B"),
    "week": ("part", "week"),
    "dayofyear": ("part", "doy"),
    "day": ("part", "day"),
    "weekday": ("format", "%A"),
    "hour": ("part", "hour"),
    "minute": ("part", "minute"),
    "second": ("part", "second"),
}


def date_name(args: list[exp.Expr]) -> exp.Expr:
    part, value = args[0], args[1]
    if len(args) > 2:
        raise HogQLError("Invalid query: dateName() with a time zone is not supported by the DuckDB engine")
    how = _DATE_NAMES.get(part.name.lower()) if isinstance(part, exp.Literal) and part.is_string else None
    if how is None:
        raise HogQLError(
            "Invalid query: dateName() is supported by the DuckDB engine with a part written as a string: "
            + ", ".join(f"'{name}'" for name in _DATE_NAMES)
        )
    kind, code = how
    if kind == "format":
        return call("strftime", value, exp.Literal.string(code))
    return _cast(call("date_part", exp.Literal.string(code), value), "VARCHAR")


def _one_mode(function: str, build: Builder) -> Builder:
    def check(args: list[exp.Expr]) -> exp.Expr:
        if len(args) > 1:
            raise HogQLError(f"Invalid query: {function}() with a mode is not supported by the DuckDB engine")
        return build(args)

    return check


def year_week(args: list[exp.Expr]) -> exp.Expr:
    """toYearWeek(t) in mode 0: year * 100 + week, the days before the year's first Sunday in the last week of the
    year before (2024-01-06 is 202353)."""
    day = _cast(args[0], "DATE")
    week = _cast(call("strftime", day.copy(), exp.Literal.string("%U")), "INTEGER")
    year = call("year", day.copy())
    before = exp.Sub(this=year.copy(), expression=exp.Literal.number(1))
    last_of_before = call("make_date", before.copy(), exp.Literal.number(12), exp.Literal.number(31))
    last_week = _cast(call("strftime", last_of_before, exp.Literal.string("%U")), "INTEGER")

    def code(y: exp.Expr, w: exp.Expr) -> exp.Expr:
        return exp.Add(this=exp.Mul(this=exp.Paren(this=y), expression=exp.Literal.number(100)), expression=w)

    return exp.Case(
        ifs=[
            exp.If(
                this=exp.EQ(this=week.copy(), expression=exp.Literal.number(0)), true=code(before, last_week)
            )
        ],
        default=code(year, week),
    )


TRANSLATIONS: dict[str, Builder] = {
    "toquarter": _part("quarter"),
    "todayofyear": _part("doy"),
    "toweek": _one_mode("toWeek", _formatted("%U", "UTINYINT")),
    "toyearweek": _one_mode("toYearWeek", year_week),
    "tostartoffiveminutes": _start_of_minutes(5),
    "tostartoftenminutes": _start_of_minutes(10),
    "tostartoffifteenminutes": _start_of_minutes(15),
    "tostartofisoyear": lambda args: _cast(
        call("date_trunc", exp.Literal.string("isoyear"), _cast(args[0], "DATE")), "DATE"
    ),
    "tolastdayofmonth": lambda args: call("last_day", _cast(args[0], "DATE")),
    "tolastdayofweek": _one_mode("toLastDayOfWeek", last_day_of_week),
    "datename": date_name,
    "tounixtimestamp64milli": lambda args: call("epoch_ms", args[0]),
    "toyyyymmddhhmmss": _formatted("%Y%m%d%H%M%S", "UBIGINT"),
    "tomodifiedjulianday": lambda args: exp.Paren(
        this=exp.Sub(this=_cast(args[0], "DATE"), expression=_epoch_date())
    ),
    "frommodifiedjulianday": lambda args: exp.Paren(this=exp.Add(this=_epoch_date(), expression=args[0])),
    "age": age,
}
ARITY = {
    (1, 1): "toquarter todayofyear tostartoffiveminutes tostartoftenminutes tostartoffifteenminutes "
    "tostartofisoyear tolastdayofmonth tounixtimestamp64milli toyyyymmddhhmmss tomodifiedjulianday "
    "frommodifiedjulianday",
    (1, 2): "toweek tolastdayofweek toyearweek",
    (2, 3): "datename",
    (3, 3): "age",
}
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {}
