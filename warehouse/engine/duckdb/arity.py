"""How many arguments each DuckDB translation of a ClickHouse function takes (functions.py's tables).

A call outside its translation's range is the compiler's 400, `wrong number of arguments for sumIf(): the DuckDB
engine takes 2`, never a call DuckDB does not know (`sumIf(1)` reached DuckDB as "Scalar Function with name sumif
does not exist") nor an argument silently dropped (`toString(x, 'UTC')`). tests/warehouse/query/test_arity.py
checks that every translation is listed here and that each bound is refused one past it.
"""

from warehouse.engine.duckdb.functions import FAMILIES
from warehouse.hogql.errors import HogQLError

ENGINE_NAME = "DuckDB"
MANY = None  # no upper bound

_BY_RANGE: dict[tuple[int, int | None], str] = {
    (0, 0): "now today yesterday generateuuidv4",
    (1, 1): """
        tostring toint toint64 toint32 tofloat tofloat64 todate todatetime touuid tobool tointornull tofloatornull
        todateornull todatetimeornull parsedatetimebesteffort tostartofweek toyear tomonth todayofmonth tohour
        tominute tosecond isnull isnotnull negate empty notempty lengthutf8 lowerutf8 upperutf8 grouparray
        groupuniqarray anylast stddevpop stddevsamp varpop varsamp toint8 toint16 touint8 touint16 touint32
        touint64 tofloat32 tounixtimestamp fromunixtimestamp toyyyymm toyyyymmdd base64encode base64decode
        jsonextractkeys topk tointervalsecond tointervalminute tointervalhour tointervalday tointervalweek
        tointervalmonth tointervalquarter tointervalyear assumenotnull
    """,
    (2, 2): """
        plus minus multiply divide modulo intdiv positioncaseinsensitive splitbychar covarpop totimezone
        tostartofinterval max2 min2 arrayelement tupleelement indexof extract extractall bitand bitor bitxor summap
        tumble adddays addhours addminutes addseconds addweeks addmonths addyears subtractdays subtracthours
        subtractminutes subtractseconds subtractweeks subtractmonths subtractyears addquarters subtractquarters
        sumif avgif minif maxif uniqif countequal
    """,
    (3, 3): "replaceall replaceone replaceregexpall replaceregexpone",
    (1, 2): "todecimal arraystringconcat arraysort tumblestart tumbleend",
    (3, 4): "hop",  # a time zone: the translation's own message
    (1, 4): "hopstart hopend",
    (1, 3): "range laginframe leadinframe",
    # a lambda alone, or over several arrays: the translations' own messages say which
    (1, MANY): "concat uniqexact countdistinct jsonextractint jsonextractfloat jsonextractbool jsonhas "
    "arrayzip arrayexists arrayall arraycount",
    (2, MANY): "arraymap arrayfilter",
    (3, MANY): "multiif",
}
ARITY: dict[str, tuple[int, int | None]] = {
    name: bounds
    for ranges in (_BY_RANGE, *(family.ARITY for family in FAMILIES))
    for bounds, names in ranges.items()
    for name in names.split()
}
# Parametric aggregates, name(parameters)(arguments): (parameters, arguments).
PARAMETRIC_ARITY: dict[str, tuple[tuple[int, int | None], tuple[int, int | None]]] = {
    "quantiles": ((1, MANY), (1, 1)),
    "grouparray": ((1, 1), (1, 1)),
    "topk": ((1, 1), (1, 1)),
    "quantileif": ((1, 1), (2, 2)),
    "quantilesif": ((1, MANY), (2, 2)),
}


def _takes(low: int, high: int | None) -> str:
    if high == low:
        return str(low)
    return f"at least {low}" if high is None else f"{low} to {high}" if high - low > 1 else f"{low} or {high}"


def _outside(count: int, bounds: tuple[int, int | None]) -> bool:
    low, high = bounds
    return count < low or (high is not None and count > high)


def check_arity(name: str, written: str, count: int) -> None:
    """Refuse `written(...)` with `count` arguments when the translation of `name` does not take that many."""
    bounds = ARITY.get(name)
    if bounds is not None and _outside(count, bounds):
        raise HogQLError(
            f"Invalid query: wrong number of arguments for {written}(): "
            f"the {ENGINE_NAME} engine takes {_takes(*bounds)}"
        )


def check_parametric_arity(name: str, written: str, params: int, args: int) -> None:
    """The same for `written(parameters)(arguments)`."""
    bounds = PARAMETRIC_ARITY.get(name)
    if bounds is None:
        return
    for count, range_, what in ((params, bounds[0], "parameters"), (args, bounds[1], "arguments")):
        if _outside(count, range_):
            raise HogQLError(
                f"Invalid query: wrong number of {what} for {written}(): "
                f"the {ENGINE_NAME} engine takes {_takes(*range_)}"
            )
