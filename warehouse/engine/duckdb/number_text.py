"""A value as text the way ClickHouse writes it, where DuckDB's cast to VARCHAR writes numbers otherwise.

ClickHouse writes a Float64 or Float32 as its shortest round-trip digits, plainly for 1e-6 <= |x| < 1e21 and with a
bare exponent outside (`1`, `100000000000000000000`, `1e21`, `1e-7`, `-0`, `nan`); DuckDB writes `1.0`, `1e+20`,
`1e-07`, `-0.0`, `-nan`. Both choose the same digits, so DuckDB's text is rewritten, not the number reformatted. A
Decimal loses its trailing zeros in ClickHouse (`2.5` for 2.50, `100` for 100.00). An array or tuple is written as
ClickHouse writes it (`[1,2.5]`, `(1,'a')`, `['it\\'s',NULL]`; DuckDB wrote `[1.0, 2.5]`, `(1.0, a)`), but for one
holding a map or JSON. Any other type is DuckDB's cast.

The type is not known before DuckDB binds the query, so the SQL asks `typeof()`, which DuckDB folds into a constant:
the branches of the other types cost nothing when the query runs (they cost binding it: the array branch ~10 ms, left
out where the value is known to be no array). Checked against chdb in tests/warehouse/query/test_number_text.py and
test_array_text.py.
"""

from collections.abc import Callable
from functools import cache

import sqlglot
from sqlglot import exp

from warehouse.engine.duckdb.sql_builders import call, lambda_of, variable
from warehouse.hogql.typed_columns import PLAIN_COLUMN, is_known_scalar

_MARK = "clickhouse_text"  # meta of a text built here, so a text of it binds it once
_VALUE = "__value"  # lambda parameters: a value or a text bound once, a number of digits
_TEXT = "__text"
_FLOAT32 = "__float32"
_DIGITS = "__digits"
_NESTED_VALUE = "__nested"  # an array or tuple computed once, and its two texts' tokens
_JSON = "__json_tokens"
_DUCKDB = "__duckdb_tokens"

# $t: a float's text with its shortest digits, as DuckDB writes a DOUBLE (`1.0`, `1e+20`, `-nan`) or printf's `%e`
# writes one (`1.3197818e+06`). Where it has an exponent: the sign, the digits without the point (`13197818`) and
# the exponent (6); the point goes after the first digit.
_SIGN = "regexp_extract($t, '^-?')"
_MANTISSA = "replace(regexp_extract($t, '([0-9.]+)e', 1), '.', '')"
_EXPONENT = "TRY_CAST(regexp_extract($t, 'e([-+]?[0-9]+)', 1) AS INTEGER)"
_FLOAT_TEXT = (
    "CASE WHEN $t LIKE '%nan' THEN 'nan' "
    "WHEN NOT contains($t, 'e') THEN CASE WHEN contains($t, '.') THEN rtrim(rtrim($t, '0'), '.') ELSE $t END "
    f"WHEN {_EXPONENT} >= 21 OR {_EXPONENT} <= -7 THEN regexp_replace($t, 'e\\+?(-?)0*', 'e\\1') "
    f"WHEN {_EXPONENT} >= 0 THEN {_SIGN} || CASE WHEN length({_MANTISSA}) <= {_EXPONENT} + 1 "
    f"THEN {_MANTISSA} || repeat('0', {_EXPONENT} + 1 - length({_MANTISSA})) "
    f"ELSE left({_MANTISSA}, {_EXPONENT} + 1) || '.' || substr({_MANTISSA}, {_EXPONENT} + 2) END "
    f"ELSE {_SIGN} || '0.' || repeat('0', -{_EXPONENT} - 1) || {_MANTISSA} END"
)
# $t: a Float32's text as DuckDB writes it, with more digits than it needs at times (1319781.75 for the Float32
# nearest 1319781.8). Its shortest: the first of 1 to 9 significant digits that reads back as the same Float32. Only
# text is read, so the SQL binds for a value of any type (the branch of a type that is not a Float32 is dropped).
_FLOAT32_SHORTEST = (
    "CASE WHEN TRY_CAST($t AS DOUBLE) = 0 OR NOT isfinite(TRY_CAST($t AS DOUBLE)) THEN $t "
    f"ELSE list_extract(list_filter(list_transform(range(1, 10), "
    f"lambda {_DIGITS}: printf('%.' || ({_DIGITS} - 1) || 'e', TRY_CAST($t AS DOUBLE))), "
    f"lambda {_TEXT}: TRY_CAST({_TEXT} AS FLOAT) = TRY_CAST($t AS FLOAT)), 1) END"
)
_DECIMAL_TEXT = "CASE WHEN contains($t, '.') THEN rtrim(rtrim($t, '0'), '.') ELSE $t END"

# $v: an array or a tuple, its type named `...[]` (or `...[n]`), `TUPLE(...)` or `STRUCT(...)` (a named tuple). One
# that holds a map or a JSON value is left to DuckDB's text (`{a=1}` for ClickHouse's `{'a':1}`; JSON is written
# unquoted in both texts read below). Float32 elements are searched for their shortest digits unless a Float64 or a
# Decimal is beside them (a tuple of both writes each as a Float64).
_NESTED = (
    "(typeof($v) LIKE '%]' OR typeof($v) LIKE 'TUPLE(%' OR typeof($v) LIKE 'STRUCT(%') "
    "AND NOT contains(typeof($v), 'MAP(') AND NOT contains(typeof($v), 'JSON')"
)
_NESTED_FLOAT32 = (
    "contains(typeof($v), 'FLOAT') AND NOT contains(typeof($v), 'DOUBLE') "
    "AND NOT contains(typeof($v), 'DECIMAL')"
)
# An array or tuple is read from two texts of it, cut into the same tokens in the same order: brackets and elements
# (a named tuple's keys dropped, commas skipped). Its JSON (to_json) says which element is a string, a NULL, a
# boolean or a number, holds each string unambiguously, and writes a Float64 with ClickHouse's digits and exponents
# (`1e21`, `1e-7`, `5e-324`; checked against chdb on 3,500 random doubles), a whole one with `.0` and a Decimal with
# its trailing zeros, which ClickHouse drops. DuckDB's text (CAST AS VARCHAR) tells a tuple `(` from an array `[`
# (both `[` in JSON); it quotes an element that holds a bracket, a comma, a quote or an outer space (`'it\'s'`), and a
# named tuple's key (`{'x': 1}`).
_JSON_TOKENS = r'"(?:[^"\\]|\\.)*":?|[\[\]{}]|[^\[\]{}",:]+'
_DUCKDB_TOKENS = r"'(?:[^'\\]|\\.)*':?|[\[\](){}]|[^\[\](){},'\s][^\[\](){},]*"
_TOKENS = "list_filter(regexp_extract_all($t, $pattern), lambda __token: NOT suffix(__token, ':'))"
# $t: JSON tokens, each Float32 (a number with a point or an exponent) written with its shortest digits ($shortest,
# in printf's `%e`) as JSON writes that Float64.
_FLOAT32_TOKENS = (
    "list_transform($t, lambda __token: CASE WHEN regexp_full_match(__token, '-?[0-9]*[.e][-+0-9e]*') "
    "THEN CAST(to_json(TRY_CAST($shortest AS DOUBLE)) AS VARCHAR) ELSE __token END)"
)
# $s as a string inside ClickHouse's array: quoted, `'` and `\` escaped, and \0 \b \f \n \r \t.
_QUOTED = (
    "chr(39) || replace(replace(replace(replace(replace(replace(replace(replace($s, '\\', '\\\\'), chr(39), "
    "'\\' || chr(39)), chr(0), '\\0'), chr(8), '\\b'), chr(12), '\\f'), chr(10), '\\n'), chr(13), '\\r'), chr(9), "
    "'\\t') || chr(39)"
)
# $n: a number in JSON as ClickHouse writes it.
_JSON_NUMBER = (
    "CASE WHEN $n = 'NaN' THEN 'nan' WHEN $n = 'Infinity' THEN 'inf' WHEN $n = '-Infinity' THEN '-inf' "
    "WHEN contains($n, '.') AND NOT contains($n, 'e') THEN rtrim(rtrim($n, '0'), '.') ELSE $n END"
)
# $j, $d: the JSON tokens and DuckDB's; $t: DuckDB's whole text, the answer should the tokens not pair up. Each
# token is written after a comma unless it follows an opening bracket or is a closing one.
_NESTED_TEXT = (
    "CASE WHEN len($j) = len($d) THEN array_to_string(list_transform($j, lambda __json, __at: "
    "CASE WHEN __at > 1 AND list_extract($j, __at - 1) NOT IN ('[', '{') AND __json NOT IN (']', '}') "
    "THEN ',' ELSE '' END || "
    "CASE WHEN __json IN ('[', '{') THEN CASE WHEN list_extract($d, __at) = '[' THEN '[' ELSE '(' END "
    "WHEN __json IN (']', '}') THEN CASE WHEN list_extract($d, __at) = ']' THEN ']' ELSE ')' END "
    "WHEN __json LIKE '\"%' THEN $string WHEN __json = 'null' THEN 'NULL' "
    "WHEN __json IN ('true', 'false') THEN __json ELSE $number END), '') ELSE $t END"
)


@cache
def _parsed(template: str) -> exp.Expr:
    return sqlglot.parse_one(template, dialect="duckdb")


def _filled(template: str, **values: exp.Expr) -> exp.Expr:
    """The template with each `$name` replaced by the expression given for it."""

    def put(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder) and node.name in values:
            return exp.Paren(this=values[node.name].copy())
        return node

    return exp.Paren(this=_parsed(template).copy().transform(put, copy=False))


def _once(value: exp.Expr, name: str, body: Callable[[exp.Expr], exp.Expr]) -> exp.Expr:
    """body(value) with the value computed once: `list_extract(list_transform([value], name -> body), 1)`."""
    bound = call("list_transform", exp.Array(expressions=[value]), lambda_of(body(variable(name)), name))
    return call("list_extract", bound, exp.Literal.number(1))


def _text_of(value: exp.Expr, *, computed: bool, scalar: bool) -> exp.Expr:
    """ClickHouse's text of a value of any type, the type's branch chosen by `typeof()` (folded when DuckDB binds the
    query, so only the value's own branch runs). A computed value's text is bound once in the branches that read it
    several times; a column's is written out (cheaper: DuckDB reads a column again for nothing). A value known to be
    no array or tuple (`scalar`) has no branch for them: it costs DuckDB ~10 ms to bind."""
    text = exp.Cast(this=value.copy(), to=exp.DataType.build("VARCHAR"))
    double = _once(text, _TEXT, _float_text) if computed else _float_text(text)
    float32 = _once(text, _FLOAT32, lambda own: _once(_filled(_FLOAT32_SHORTEST, t=own), _TEXT, _float_text))
    decimal = _once(text, _TEXT, lambda own: _filled(_DECIMAL_TEXT, t=own))
    ifs = [
        exp.If(this=_is_type(value, "= 'DOUBLE'"), true=double),
        exp.If(this=_is_type(value, "= 'FLOAT'"), true=float32),
        exp.If(this=_is_type(value, "LIKE 'DECIMAL%'"), true=decimal),
    ]
    if not scalar:  # first: `DECIMAL(38,2)[]` is no Decimal
        nested = _once(value, _NESTED_VALUE, _nested_text) if computed else _nested_text(value)
        ifs.insert(0, exp.If(this=_filled(_NESTED, v=value), true=nested))
    return exp.Case(ifs=ifs, default=text)


def _nested_text(value: exp.Expr) -> exp.Expr:
    """ClickHouse's text of an array or tuple (`[1,2.5]`, `(1,'a')`, `[[1],[]]`), at any depth: the value's two
    texts are read token by token (_NESTED_TEXT), so the SQL is the same size however deep the value nests."""
    text = exp.Cast(this=value.copy(), to=exp.DataType.build("VARCHAR"))
    json = _filled(_TOKENS, t=call("to_json", value.copy()), pattern=exp.Literal.string(_JSON_TOKENS))
    shortest = _filled(_FLOAT32_SHORTEST, t=variable("__token"))
    json = exp.Case(
        ifs=[
            exp.If(
                this=_filled(_NESTED_FLOAT32, v=value),
                true=_filled(_FLOAT32_TOKENS, t=json, shortest=shortest),
            )
        ],
        default=json,
    )
    duckdb = _filled(_TOKENS, t=text, pattern=exp.Literal.string(_DUCKDB_TOKENS))
    token = variable("__json")
    string = _filled(_QUOTED, s=call("json_extract_string", token, exp.Literal.string("$")))
    number = _filled(_JSON_NUMBER, n=token)

    def tokens_read(json_tokens: exp.Expr, duckdb_tokens: exp.Expr) -> exp.Expr:
        return _filled(_NESTED_TEXT, j=json_tokens, d=duckdb_tokens, t=text, string=string, number=number)

    return _once(
        json, _JSON, lambda json_tokens: _once(duckdb, _DUCKDB, lambda own: tokens_read(json_tokens, own))
    )


def _float_text(text: exp.Expr) -> exp.Expr:
    return _filled(_FLOAT_TEXT, t=text)


def _is_type(value: exp.Expr, test: str) -> exp.Expr:
    return _filled(f"typeof($v) {test}", v=value)


def _is_simple(value: exp.Expr) -> bool:
    """A column or a constant: written several times, it costs nothing more."""
    while isinstance(value, exp.Paren | exp.Neg):
        value = value.this
    return isinstance(value, exp.Column | exp.Literal | exp.Null | exp.Boolean)


_SCALAR_CALLS = frozenset({"json_extract_string", "strlen"})  # a property read (properties.x), a length


def _is_scalar(value: exp.Expr) -> bool:
    """The value is known to be no array or tuple before DuckDB binds the query: a constant, arithmetic, a
    comparison, a count, a property read, a text or number built here, or a column the catalog types so
    (hogql/typed_columns.py)."""
    while isinstance(value, exp.Paren | exp.Neg):
        value = value.this
    if value.meta.get(_MARK) or is_known_scalar(value):
        return True
    if isinstance(value, exp.Cast):  # TRY_CAST too
        return not value.to.args.get("nested")
    return isinstance(value, exp.Anonymous) and value.name.lower() in _SCALAR_CALLS


def _is_plain(value: exp.Expr) -> bool:
    """The value is known to be none of a float, a decimal, an array, a tuple or a map, so every branch of
    _text_of but its default (DuckDB's cast) would fold away: a column the catalog types so (hogql/typed_columns.py),
    a text built here, a property read, a count."""
    while isinstance(value, exp.Paren):
        value = value.this
    if value.meta.get(_MARK) or value.meta.get(PLAIN_COLUMN) or isinstance(value, exp.Count):
        return True
    return isinstance(value, exp.Anonymous) and value.name.lower() == "json_extract_string"


def clickhouse_text(value: exp.Expr) -> exp.Expr:
    """ClickHouse's toString(value) in DuckDB.

    The value is written into the SQL a few times (in each `typeof()`, and once per type's branch); a value that holds
    another such text (`toString(length(toString(x)))`) is bound once through a one-element lambda instead, so nested
    calls do not grow the SQL exponentially with their depth (the lambda costs about a tenth of a second per million
    rows, so it is not the rule)."""
    if isinstance(value, exp.Literal) and value.is_string:
        return value
    if _is_plain(value):  # DuckDB's text is ClickHouse's (or differs in no way the branches would mend)
        cast = exp.Cast(this=value.copy(), to=exp.DataType.build("VARCHAR"))
        cast.meta[_MARK] = True
        return cast
    scalar = _is_scalar(value)
    if any(node.meta.get(_MARK) for node in value.walk()):
        text = _once(value, _VALUE, lambda own: _text_of(own, computed=False, scalar=scalar))
    else:
        text = _text_of(value, computed=not _is_simple(value), scalar=scalar)
    text.meta[_MARK] = True
    return text


def by_type(value: exp.Expr, build: Callable[[exp.Expr], exp.Expr]) -> exp.Expr:
    """build(value) for SQL that writes the value several times (in each `typeof()` and branch): a value that holds
    another such expression is bound once through a lambda, as in clickhouse_text()."""
    if any(node.meta.get(_MARK) for node in value.walk()):
        result = _once(value, _VALUE, build)
    else:
        result = build(value)
    result.meta[_MARK] = True
    return result
