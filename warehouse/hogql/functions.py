"""Which functions a HogQL query may call (the DuckDB rewrites of ClickHouse-only ones: duckdb_functions.py)."""

from sqlglot import exp

from warehouse.hogql.duckdb_functions import ENGINE_NAME, REFUSED, TRANSLATED_NAMES
from warehouse.hogql.errors import HogQLError

# ClickHouse/HogQL spellings (lower case) a query may use. Table functions (file, url, s3, remote, mysql,
# postgresql, executable, input, numbers, read_csv, ...) and engine introspection are deliberately absent.
ALLOWED_NAMES = frozenset(
    """
    count countif countdistinct sum sumif avg avgif min max minif maxif any anylast argmin argmax uniq uniqexact
    uniqif grouparray groupuniqarray median quantile quantiles stddevpop stddevsamp varpop varsamp corr covarpop
    abs round floor ceil ceiling sqrt exp log log2 log10 ln pow power greatest least sign intdiv modulo plus minus
    multiply divide negate lower upper length lengthutf8 concat substring substr trim trimleft trimright ltrim
    rtrim replace replaceall replaceone replaceregexpall replaceregexpone position positioncaseinsensitive match
    extract splitbychar splitbystring reverse leftpad rightpad startswith endswith empty notempty lowerutf8
    upperutf8 left right repeat hex tostring toint toint64 toint32 tofloat tofloat64 todate todatetime touuid
    tobool totypename tointornull tofloatornull todateornull todatetimeornull parsedatetimebesteffort now today
    yesterday tostartofday tostartofweek tostartofmonth tostartofyear tostartofhour tostartofminute
    tostartofquarter toyear tomonth todayofmonth todayofweek tohour tominute tosecond datediff dateadd datesub
    date_diff date_add date_sub date_trunc datetrunc adddays addhours addminutes addseconds addweeks addmonths
    addyears subtractdays subtracthours subtractminutes subtractweeks subtractmonths subtractyears if multiif
    and or xor not ifnull nullif coalesce isnull isnotnull equals notequals less greater lessorequals greaterorequals
    jsonextractstring jsonextractint jsonextractfloat jsonextractbool jsonextractraw jsonhas array arrayjoin has
    arraymap arrayfilter arraysum arrayconcat arrayreverse arraydistinct arrayslice tuple md5 cast
    formatdatetime
    """.split()
)

# sqlglot's own names for the typed nodes the allowed spellings parse into (plus plain SQL it parses natively).
ALLOWED_KEYS = frozenset(
    """
    and or xor regexpilike rownumber rank denserank lag lead firstvalue lastvalue nthvalue percentrank cumedist
    ntile exists varmap format casttostrtype isnan isinf
    abs anyvalue approxdistinct argmax argmin array arrayconcat arraycontains arraydistinct arrayfilter
    arrayreverse arrayslice arraysum avg case cast ceil coalesce concat corr count countif currentdate
    currenttimestamp dateadd datediff datesub datetrunc dayofweekiso endswith exp explode extract floor greatest
    hex if jsonextract jsonextractscalar least left length ln log lower max md5digest min nullif pad pow quantile
    regexplike repeat replace reverse right round sign split sqrt startswith stddev stddevpop stddevsamp
    strposition struct substring sum timestamptrunc timetostr transform trim trycast typeof upper variance
    variancepop
    """.split()
)


def function_name(node: exp.Func) -> str:
    """The name a function was called by (for messages and the allowlist)."""
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc | exp.ParameterizedAgg):
        return str(node.name)
    return node.sql_name().lower()


def check_function(node: exp.Func) -> None:
    """Refuse any function that is not on the allowlist."""
    name = function_name(node)
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc | exp.ParameterizedAgg):
        allowed = name.lower() in ALLOWED_NAMES or name.lower() in TRANSLATED_NAMES
    else:
        allowed = node.key in ALLOWED_KEYS
    if name.lower() in REFUSED:
        raise HogQLError(f"Invalid query: function {name}() is not supported by the {ENGINE_NAME} engine")
    if not allowed:
        raise HogQLError(f"Invalid query: function {name}() is not supported by the {ENGINE_NAME} engine")
