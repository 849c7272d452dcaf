"""Which functions a HogQL query may call, and the calls that are operators in disguise (`equals(a, b)` is `a = b`).

Functions stay ClickHouse calls in the canonical tree; each engine's printer spells the ones it lacks
(warehouse/engine/<name>/dialect.py) and refuses, through its `unsupported_functions`, those it cannot run with
ClickHouse's meaning.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.hogql.errors import HogQLError
from warehouse.hogql.target import Target

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
    arrayall arraycount arrayelement arrayexists arraysort arraystringconcat arrayzip base64decode base64encode
    bitand bitor bitxor extractall fromunixtimestamp generateuuidv4 indexof jsonextractkeys laginframe
    leadinframe max2 min2 range subtractseconds todecimal tofloat32 toint16 toint8 tointervalday tointervalhour
    tointervalminute tointervalmonth tointervalquarter tointervalsecond tointervalweek tointervalyear
    tostartofinterval totimezone touint16 touint32 touint64 touint8 tounixtimestamp toyyyymm toyyyymmdd
    tupleelement summap topk tumble hop tumblestart tumbleend hopstart hopend assumenotnull countequal
    arrayavg arrayproduct arraycumsum arraycumsumnonnegative arraydifference arrayfirstindex arraylastindex
    arrayreversesort arraypopback arraypopfront arraypushback arraypushfront arrayenumerate arrayenumerateuniq
    arrayenumeratedense hasall hasany hassubstr
    concatwithseparator countsubstrings countsubstringscaseinsensitive splitbywhitespace splitbynonalpha
    reverseutf8 substringutf8 positionutf8 positioncaseinsensitiveutf8 leftpadutf8 rightpadutf8 translateutf8
    appendtrailingcharifabsent notilike isvalidutf8 tovalidutf8 regexpquotemeta
    e exp2 exp10 intexp2 intexp10 log1p hypot lgamma tgamma gcd lcm isfinite ifnotfinite rounddown roundbankers
    roundtoexp2 intdivorzero moduloorzero positivemodulo
    l1norm l2norm linfnorm lpnorm l1distance l2distance linfdistance lpdistance l1normalize l2normalize
    linfnormalize lpnormalize dotproduct bittest bittestall bittestany
    roundage roundduration tonullable
    medianexactweighted medianexactweightedif
    covarsamp avgweighted medianexact medianexacthigh medianexactlow mediandeterministic skewpop skewsamp kurtpop
    kurtsamp simplelinearregression covarsampif avgweightedif medianexactif medianexacthighif medianexactlowif
    mediandeterministicif skewpopif skewsampif kurtpopif kurtsampif simplelinearregressionif anyif anylastif
    argmaxif argminif countdistinctif uniqexactif medianif stddevpopif stddevsampif varpopif varsampif covarpopif
    groupbitandif groupbitorif groupbitxorif minmap maxmap summapif minmapif maxmapif
    toquarter todayofyear toweek tostartoffiveminutes tostartoftenminutes tostartoffifteenminutes tostartofisoyear
    tolastdayofmonth tolastdayofweek datename tounixtimestamp64milli toyyyymmddhhmmss tomodifiedjulianday
    frommodifiedjulianday age addquarters subtractquarters
    jsonlength jsontype jsonarraylength jsonextractuint jsonextractarrayraw isvalidjson mapkeys mapvalues
    mapcontains mapfromarrays
    arrayuniq arraysplit arrayfill arrayresize toyearweek arrayintersect tojsonstring
    domain domainwithoutwww topleveldomain port firstsignificantsubdomain cuttofirstsignificantsubdomain cutwww
    protocol path pathfull querystring fragment querystringandfragment cutquerystring cutfragment
    cutquerystringandfragment decodeurlcomponent encodeurlcomponent decodeurlformcomponent encodeurlformcomponent
    """.split()
)
# Parametric aggregates, name(parameters)(arguments).
ALLOWED_PARAMETRIC = frozenset({"quantiles", "grouparray", "topk", "quantileif", "quantilesif"})

# sqlglot's own names for the typed nodes the allowed spellings parse into (plus plain SQL it parses natively).
ALLOWED_KEYS = frozenset(
    """
    and or xor regexpilike rownumber rank denserank lag lead firstvalue lastvalue nthvalue percentrank cumedist
    ntile exists varmap format casttostrtype isnan isinf rand cityhash64
    abs anyvalue approxdistinct argmax argmin array arrayconcat arraycontains arraydistinct arrayfilter
    arrayreverse arrayslice arraysum avg case cast ceil coalesce concat corr count countif currentdate
    currenttimestamp dateadd datediff datesub datetrunc dayofweekiso endswith exp explode extract floor greatest
    hex if jsonextract jsonextractscalar least left length ln log lower max md5digest min nullif pad pow quantile
    regexplike repeat replace reverse right round sign split sqrt startswith stddev stddevpop stddevsamp
    strposition struct substring sum timestamptrunc timetostr transform trim trycast typeof upper variance
    variancepop
    arraymax arraymin arraycompact regexpcount regexpextract regexpsplit translate ascii
    sin cos tan asin acos atan atan2 sinh cosh asinh acosh atanh pi degrees radians cbrt trunc factorial
    widthbucket bitwiseandagg bitwiseoragg bitwisexoragg cosinedistance
    arraymax arraymin arraycompact regexpcount regexpextract regexpsplit translate ascii weekofyear yearofweekiso
    monthname
    """.split()
)


def function_name(node: exp.Func) -> str:
    """The name a function was called by (for messages and the allowlist)."""
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc | exp.ParameterizedAgg):
        return str(node.name)
    return str(node.meta.get("called_as") or node.sql_name().lower())


# Aggregates whose argument count the compiler checks on every engine (PostHog's counts): count(1, 2, 3, 4) and
# countIf() are a precise 400 instead of the engine's error.
AGGREGATE_ARITY = {
    "count": (0, 1),
    "countif": (1, 2),
    "sum": (1, 1),
    "avg": (1, 1),
    "min": (1, 1),
    "max": (1, 1),
}


def argument_count(node: exp.Func) -> int:
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc):
        return len(node.expressions)
    single = sum(1 for key in ("this", "expression") if isinstance(node.args.get(key), exp.Expr))
    return single + len(node.args.get("expressions") or [])


def check_function(node: exp.Func, target: Target) -> None:
    """Refuse any function that is not on the allowlist, or that the target engine cannot run."""
    name = function_name(node)
    low, high = AGGREGATE_ARITY.get(name.lower(), (0, None))
    if isinstance(node, exp.AggFunc) and high is not None and not low <= argument_count(node) <= high:
        takes = str(low) if low == high else f"{low} or {high}"
        raise HogQLError(f"Invalid query: wrong number of arguments for {name}(): it takes {takes}")
    if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc | exp.CombinedAggFunc | exp.ParameterizedAgg):
        allowed = name.lower() in ALLOWED_NAMES or name.lower() in ALLOWED_PARAMETRIC
    else:
        allowed = node.key in ALLOWED_KEYS
    allowed = allowed or name.lower() in target.native_functions  # e.g. ClickHouse: PostHog's whole list
    if name.lower() in target.unsupported_functions or not allowed:
        raise HogQLError(f"Invalid query: function {name}() is not supported by the {target.label} engine")


def _operand(arg: exp.Expr) -> exp.Expr:
    """An argument made an operand: `multiply(1 + 2, 3)` must print `(1 + 2) * 3`."""
    return exp.Paren(this=arg) if isinstance(arg, exp.Binary | exp.Unary | exp.Connector | exp.Not) else arg


def binary(cls: type[exp.Binary]) -> Callable[[list[exp.Expr]], exp.Expr]:
    """`name(a, b)` as the operator `a <op> b`, parenthesised."""
    return lambda args: exp.Paren(this=cls(this=_operand(args[0]), expression=_operand(args[1])))


# Comparisons called as functions: operators in the canonical tree, so they get the operators' HogQL meaning
# (NULL-safe equality, ...; warehouse/hogql/operators.py) whatever the engine.
_COMPARISONS = {
    "equals": exp.EQ,
    "notequals": exp.NEQ,
    "less": exp.LT,
    "greater": exp.GT,
    "lessorequals": exp.LTE,
    "greaterorequals": exp.GTE,
}


def canonical_comparisons(root: exp.Expr) -> None:
    """Rewrite `equals(a, b)` and the other comparison functions as operators, in place (innermost first)."""
    for node in list(root.find_all(exp.Anonymous, bfs=False))[::-1]:
        cls = _COMPARISONS.get(str(node.name).lower())
        if cls is None:
            continue
        args = [arg.copy() for arg in node.expressions]
        if len(args) < 2:
            raise HogQLError(f"Invalid query: wrong number of arguments for {node.name}()")
        node.replace(binary(cls)(args))


def check_nested_aggregates(root: exp.Expr) -> None:
    """An aggregate inside another of the same query (`avg(avg(x))`) is refused as PostHog does; an aggregate
    under a window function (`sum(count()) OVER ()`) is not nested."""
    for node in root.find_all(exp.AggFunc):
        if isinstance(node.parent, exp.Window):
            continue
        outer = node.parent
        while outer is not None and not isinstance(outer, exp.Query | exp.Subquery):
            if isinstance(outer, exp.AggFunc) and not isinstance(outer.parent, exp.Window):
                raise HogQLError(
                    f"Invalid query: aggregation {function_name(node)}() cannot be nested inside another "
                    f"aggregation, {function_name(outer)}()"
                )
            outer = outer.parent
