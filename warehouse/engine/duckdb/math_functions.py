"""ClickHouse's mathematical functions DuckDB lacks or answers differently, written as DuckDB SQL templates.

Each template is DuckDB SQL with the call's arguments as `$a`, `$b`, ... (parenthesised where they are put in).
An argument may appear more than once; the values checked against chdb are in tests/warehouse/query/
test_conformance.py (ROWS, under "math").
"""

from collections.abc import Callable
from functools import cache

import sqlglot
from sqlglot import exp

from warehouse.hogql.errors import HogQLError

NAMES = "abcdef"


@cache
def _parsed(template: str) -> exp.Expr:
    return sqlglot.parse_one(template, dialect="duckdb")


def fill(template: str, args: list[exp.Expr]) -> exp.Expr:
    """The template with `$a`, `$b`, ... replaced by the arguments, in order."""
    values = dict(zip(NAMES, args, strict=False))

    def put(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder) and node.name in values:
            return exp.Paren(this=values[node.name].copy())
        return node

    return exp.Paren(this=_parsed(template).copy().transform(put, copy=False))


def template(text: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    _parsed(text)  # a template that does not parse fails at import, not in a query
    return lambda args: fill(text, args)


_DIVISION_BY_ZERO = "error('Division by zero')"
_FLOAT = "(typeof($a) IN ('FLOAT', 'DOUBLE') OR typeof($a) LIKE 'DECIMAL%')"

# name (lower case) -> the DuckDB form of ClickHouse's function
TRANSLATIONS: dict[str, Callable[[list[exp.Expr]], exp.Expr]] = {
    "e": template("exp(1)"),
    "exp2": template("pow(2, $a)"),
    "exp10": template("pow(10, $a)"),
    # UInt64: the integer part's power, 0 below 0, saturated at the largest UInt64 (as ClickHouse)
    "intexp2": template(
        "CASE WHEN isnan($a) THEN error('intExp2 must not be called with nan') WHEN $a < 0 THEN 0::UBIGINT "
        "WHEN $a >= 64 THEN 18446744073709551615::UBIGINT ELSE pow(2, trunc($a))::UBIGINT END"
    ),
    "intexp10": template(
        "CASE WHEN isnan($a) THEN error('intExp10 must not be called with nan') WHEN $a < 0 THEN 0::UBIGINT "
        "WHEN $a >= 20 THEN 18446744073709551615::UBIGINT ELSE pow(10, trunc($a))::UBIGINT END"
    ),
    # log(1 + x) without the rounding of 1 + x for a small x (x * ln(u) / (u - 1), u = 1 + x)
    "log1p": template(
        "CASE WHEN 1 + $a = 1 OR isinf($a) THEN $a + 0.0 ELSE $a * ln(1 + $a) / ((1 + $a) - 1) END"
    ),
    "hypot": template(
        "CASE WHEN isinf($a) OR isinf($b) THEN 'inf'::DOUBLE ELSE sqrt($a::DOUBLE * $a + $b::DOUBLE * $b) END"
    ),
    # ClickHouse (libm's lgamma_r) gives NaN at the poles below 0, DuckDB infinity
    "lgamma": template("CASE WHEN $a < 0 AND $a = floor($a) THEN 'nan'::DOUBLE ELSE lgamma($a) END"),
    "tgamma": template("gamma($a)"),
    # integers only; a zero argument is ClickHouse's division by zero
    "gcd": template(f"CASE WHEN $a = 0 OR $b = 0 THEN {_DIVISION_BY_ZERO} ELSE gcd($a, $b) END"),
    "lcm": template(f"CASE WHEN $a = 0 OR $b = 0 THEN {_DIVISION_BY_ZERO} ELSE lcm($a, $b) END"),
    "isfinite": template("isfinite($a)"),
    "tonullable": lambda args: args[0],  # ClickHouse's type change only: the value is the same
    "ifnotfinite": template("CASE WHEN isfinite($a) THEN $a ELSE $b END"),
    # the largest bound not above x, the smallest bound when x is below them all
    "rounddown": template("coalesce(list_max(list_filter($b, lambda __bound: __bound <= $a)), list_min($b))"),
    "roundbankers": lambda args: _round(args[0], args[1] if len(args) > 1 else None, ties_to_even=True),
    # the power of two not above x: 0 for an integer <= 0; a float keeps its sign (-3.0 -> -2.0)
    "roundtoexp2": template(
        f"CASE WHEN {_FLOAT} THEN CASE WHEN $a = 0 OR isnan($a) OR isinf($a) THEN $a::DOUBLE "
        "ELSE sign($a) * pow(2, floor(log2(abs($a::DOUBLE)))) END "
        "WHEN $a <= 0 THEN 0 ELSE pow(2, floor(log2($a::DOUBLE))) END"
    ),
    "intdivorzero": template("CASE WHEN $b = 0 THEN 0 ELSE trunc($a / $b)::BIGINT END"),
    # a float divided by 0 is NaN (DuckDB's double % 0), an integer's remainder by 0 is 0
    "moduloorzero": template(f"CASE WHEN $b = 0 AND NOT {_FLOAT} THEN 0 ELSE $a::DOUBLE % $b END"),
    # PostHog's age and duration buckets: the largest bound not above x, 0 below the first
    "roundage": template(
        "CASE WHEN $a < 1 THEN 0 WHEN $a < 18 THEN 17 WHEN $a < 25 THEN 18 WHEN $a < 35 THEN 25 "
        "WHEN $a < 45 THEN 35 WHEN $a < 55 THEN 45 WHEN $a >= 55 THEN 55 END"
    ),
    "roundduration": template(
        "CASE WHEN $a IS NULL THEN NULL WHEN $a < 1 THEN 0 ELSE coalesce(list_max(list_filter("
        "[1, 10, 30, 60, 120, 180, 240, 300, 600, 1200, 1800, 3600, 7200, 18000, 36000], "
        "lambda __bound: __bound <= $a)), 36000) END"
    ),
    "positivemodulo": template("CASE WHEN $a % $b < 0 THEN $a % $b + abs($b) ELSE $a % $b END"),
}


def _width_bucket(node: exp.Expr) -> exp.Expr:
    """ClickHouse's widthBucket: 0 below low, count + 1 from high on, 0 when low >= high."""
    args = [node.this, node.args.get("min_value"), node.args.get("max_value"), node.args.get("num_buckets")]
    if any(arg is None for arg in args) or node.args.get("threshold") is not None:
        raise HogQLError(
            f"Invalid query: wrong number of arguments for {node.meta.get('called_as') or 'width_bucket'}(): it takes 4"
        )
    return fill(
        "CASE WHEN $d = 0 THEN error('Last argument (count) for function widthBucket cannot be 0') "
        "WHEN isnan($a) OR isnan($b) OR isnan($c) THEN "
        "error('The first three arguments (operand, low, high) cannot be NaN in function widthBucket') "
        "WHEN $b >= $c OR $a < $b THEN 0 WHEN $a >= $c THEN $d + 1 "
        "ELSE floor(($a - $b)::DOUBLE / ($c - $b) * $d)::UBIGINT + 1 END",
        args,
    )


ARITY: dict[tuple[int, int | None], str] = {
    (0, 0): "e",
    (
        1,
        1,
    ): "exp2 exp10 intexp2 intexp10 log1p lgamma tgamma isfinite roundtoexp2 roundage roundduration tonullable",
    (2, 2): "hypot gcd lcm ifnotfinite rounddown intdivorzero moduloorzero positivemodulo",
    (1, 2): "roundbankers",
}


def _round(value: exp.Expr, digits: exp.Expr | None, *, ties_to_even: bool = False) -> exp.Expr:
    """ClickHouse's round: a tie goes to the even neighbour for a float (`round(2.5)` is 2) and away from zero for
    an integer or a Decimal (`round(25, -1)` is 30, `round(toDecimal64(2.5, 1))` 3); roundBankers ties to even for
    all. A value the tree shows is a Float64 is rounded as ClickHouse does (`_scaled_round`); otherwise its type is
    only known when DuckDB binds it, and DuckDB's own rounding keeps an integer an integer (a CASE over both forms
    would make it a DOUBLE) at the cost of ClickHouse's answer on a tie made by the scaling."""
    digits = digits if digits is not None else exp.Literal.number(0)
    if _number_kind(value) == "float":
        return _scaled_round(value, digits)
    if ties_to_even:
        return fill("round_even($a, $b)", [value, digits])
    return fill(
        "CASE WHEN typeof($a) IN ('FLOAT', 'DOUBLE') THEN round_even($a, $b) ELSE round($a, $b) END",
        [value, digits],
    )


def _scaled_round(value: exp.Expr, digits: exp.Expr) -> exp.Expr:
    """A Float64 rounded as ClickHouse rounds it: scaled by 10^digits in floating point, to the nearest integer (ties
    to even) and scaled back, so `round(2.675, 2)` is 2.68 (2.675 * 100 is 267.5 as a double); DuckDB's round_even
    rounds the exact binary value, 2.67499..., to 2.67."""
    return fill(
        "CASE WHEN $b >= 0 THEN round_even($a * pow(10, $b), 0) / pow(10, $b) "
        "ELSE round_even($a / pow(10, -$b), 0) * pow(10, -$b) END",
        [value, digits],
    )


_DOUBLE = (exp.DataType.Type.DOUBLE,)
_INTEGER = tuple(exp.DataType.INTEGER_TYPES)


def _number_kind(node: exp.Expr) -> str | None:
    """`float` or `int` where the tree shows a number's type (a literal, a cast, arithmetic on them: `2.675`,
    `1 / 3`, `toFloat(x) * 100`), None where only DuckDB's binding knows it (a column, a function's result)."""
    while isinstance(node, exp.Paren | exp.Neg):
        node = node.this
    if isinstance(node, exp.Literal):
        return None if node.is_string else "int" if node.is_int else "float"
    if isinstance(node, exp.Cast | exp.TryCast):
        return "float" if node.to.is_type(*_DOUBLE) else "int" if node.to.is_type(*_INTEGER) else None
    if isinstance(node, exp.Div | exp.Add | exp.Sub | exp.Mul | exp.Mod):
        kinds = {_number_kind(node.this), _number_kind(node.expression)}
        if None in kinds:
            return None
        return "float" if "float" in kinds or isinstance(node, exp.Div) else "int"
    return None


def _atan(node: exp.Expr) -> None:
    if node.expression is not None:  # sqlglot reads atan(y, x); ClickHouse's atan takes one argument
        raise HogQLError("Invalid query: wrong number of arguments for atan(): it takes 1")


# sqlglot's typed nodes whose DuckDB form differs from ClickHouse's meaning
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr | None]] = {
    exp.Atan: _atan,
    # UInt64; 1 for a negative argument (as ClickHouse), ClickHouse's error above 20
    exp.Factorial: lambda node: fill(
        "CASE WHEN $a > 20 THEN error('The maximum value for the input argument of function factorial is 20') "
        "WHEN $a < 0 THEN 1::UBIGINT ELSE factorial($a)::UBIGINT END",
        [node.this],
    ),
    exp.WidthBucket: _width_bucket,
    exp.Round: lambda node: _round(node.this, node.args.get("decimals")),
}


# Vector norms and distances over arrays (a tuple written in the query, (1, 2), is read as an array)
_DIFFERENCE = "list_transform(range(1, len($a) + 1), lambda __i: $a[__i]::DOUBLE - $b[__i])"
_NORMS = {
    "l1": "coalesce(list_sum(list_transform({v}, lambda __v: abs(__v::DOUBLE))), 0)",
    "l2": "sqrt(coalesce(list_sum(list_transform({v}, lambda __v: __v::DOUBLE * __v)), 0))",
    "linf": "coalesce(list_max(list_transform({v}, lambda __v: abs(__v::DOUBLE))), 0)",
    "lp": "pow(coalesce(list_sum(list_transform({v}, lambda __v: pow(abs(__v::DOUBLE), {p}))), 0), 1 / {p})",
}


def _as_array(arg: exp.Expr) -> exp.Expr:
    if isinstance(arg, exp.Tuple) or (isinstance(arg, exp.Anonymous) and str(arg.name).lower() == "row"):
        return exp.Array(expressions=[e.copy() for e in arg.expressions])  # (1, 2) or tuple(1, 2)
    return arg


def _checked_p(norm: str, p: str, function: str) -> str:
    message = f"Second argument for function {function} must be a finite number not less than one"
    return f"CASE WHEN NOT isfinite({p}) OR {p} < 1 THEN error('{message}') ELSE {norm} END"


def _norm(kind: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    text = _NORMS[kind].format(v="$a", p="$b")
    if kind == "lp":
        text = _checked_p(text, "$b", "arrayLpNorm")
    text = f"CASE WHEN $a IS NULL THEN NULL ELSE {text} END"
    return lambda args: fill(text, [_as_array(args[0]), *args[1:]])


def _distance(kind: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    name = {"l1": "L1", "l2": "L2", "linf": "Linf", "lp": "Lp"}[kind]
    text = _NORMS[kind].format(v=_DIFFERENCE, p="$c")
    if kind == "lp":
        text = _checked_p(text, "$c", "arrayLpDistance")
    message = f"Array arguments for function array{name}Distance must have equal sizes"
    text = f"CASE WHEN len($a) != len($b) THEN error('{message}') ELSE {text} END"
    return lambda args: fill(text, [_as_array(args[0]), _as_array(args[1]), *args[2:]])


def _normalize(kind: str) -> Callable[[list[exp.Expr]], exp.Expr]:
    norm = _NORMS[kind].format(v="$a", p="$b")
    if kind == "lp":
        norm = _checked_p(norm, "$b", "LpNormalize")
    text = f"list_transform($a, lambda __x: __x::DOUBLE / ({norm}))"
    return lambda args: fill(text, [_as_array(args[0]), *args[1:]])


for _kind in _NORMS:
    TRANSLATIONS[f"{_kind}norm"] = _norm(_kind)
    TRANSLATIONS[f"{_kind}distance"] = _distance(_kind)
    TRANSLATIONS[f"{_kind}normalize"] = _normalize(_kind)
TRANSLATIONS["dotproduct"] = lambda args: fill(
    "list_inner_product($a::DOUBLE[], $b::DOUBLE[])", [_as_array(arg) for arg in args]
)
TYPED[exp.CosineDistance] = lambda node: fill(
    "list_cosine_distance($a::DOUBLE[], $b::DOUBLE[])", [_as_array(node.this), _as_array(node.expression)]
)
ARITY[(1, 1)] += " l1norm l2norm linfnorm l1normalize l2normalize linfnormalize"
ARITY[(2, 2)] += " lpnorm lpnormalize l1distance l2distance linfdistance dotproduct"
ARITY[(3, 3)] = "lpdistance"


def _bit(value: exp.Expr, position: exp.Expr) -> exp.Expr:
    """Bit `position` (0 the lowest) of an integer, two's complement: 0 or 1; a negative position or one past 63 is
    an error (ClickHouse's bound is the value's type width, not known before the engine binds it)."""
    return fill(
        "CASE WHEN $b < 0 OR $b > 63 THEN error('The bit position argument needs to a positive value and less or "
        "equal to 63') ELSE ($a >> $b) & 1 END",
        [value, position],
    )


def _bits(combine: type[exp.Binary]) -> Callable[[list[exp.Expr]], exp.Expr]:
    def build(args: list[exp.Expr]) -> exp.Expr:
        value, *positions = args
        result = _bit(value, positions[0])
        for position in positions[1:]:
            result = exp.Paren(this=combine(this=result, expression=_bit(value, position)))
        return result

    return build


TRANSLATIONS["bittest"] = lambda args: _bit(*args)
TRANSLATIONS["bittestall"] = _bits(exp.BitwiseAnd)
TRANSLATIONS["bittestany"] = _bits(exp.BitwiseOr)
ARITY[(2, 2)] += " bittest"
ARITY[(2, None)] = "bittestall bittestany"
