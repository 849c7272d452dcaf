"""ClickHouse string functions in DuckDB's terms, with ClickHouse's meaning (used by functions.py).

DuckDB's string functions count characters (code points); ClickHouse's plain functions count bytes and their
-UTF8 forms characters. Where the two differ in a result (ascii() reads the first byte), the byte is computed.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.number_text import clickhouse_text
from warehouse.engine.duckdb.sql_builders import Builder, call, lambda_of, variable
from warehouse.engine.duckdb.value_size import size_checked
from warehouse.hogql.errors import HogQLError

_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _number(value: int) -> exp.Expr:
    return exp.Literal.number(value)


def _case(condition: exp.Expr, then: exp.Expr, otherwise: exp.Expr) -> exp.Expr:
    return exp.Case(ifs=[exp.If(this=condition, true=then)], default=otherwise)


def concat_with_separator(args: list[exp.Expr]) -> exp.Expr:
    """concatWithSeparator(sep, a, b, ...): NULL when any argument is NULL (DuckDB's concat_ws skips them)."""
    separator, *values = args
    result: exp.Expr = clickhouse_text(values[0]) if values else exp.Literal.string("")
    for value in values[1:]:
        result = exp.DPipe(
            this=exp.DPipe(this=result, expression=separator.copy()), expression=clickhouse_text(value)
        )
    return exp.Paren(this=result)


def _ascii_lower(value: exp.Expr) -> exp.Expr:
    """ClickHouse's case-insensitive byte functions fold ASCII letters only ('É' stays 'É')."""
    return call(
        "translate", value, exp.Literal.string(_ASCII_UPPER), exp.Literal.string(_ASCII_UPPER.lower())
    )


def _count_substrings(haystack: exp.Expr, needle: exp.Expr) -> exp.Expr:
    """Non-overlapping occurrences, left to right (0 for an empty needle)."""
    removed = exp.Sub(
        this=call("strlen", haystack.copy()),
        expression=call("strlen", call("replace", haystack.copy(), needle.copy(), exp.Literal.string(""))),
    )
    count = exp.IntDiv(this=exp.Paren(this=removed), expression=call("strlen", needle.copy()))
    return _case(exp.EQ(this=needle.copy(), expression=exp.Literal.string("")), _number(0), count)


def count_substrings(args: list[exp.Expr]) -> exp.Expr:
    return _count_substrings(args[0], args[1])


def count_substrings_case_insensitive(args: list[exp.Expr]) -> exp.Expr:
    return _count_substrings(_ascii_lower(args[0]), _ascii_lower(args[1]))


def count_matches(node: exp.Expr) -> exp.Expr:
    """countMatches(haystack, pattern): the non-empty matches of the pattern."""
    matches = call("regexp_extract_all", node.this.copy(), node.expression.copy())
    non_empty = lambda_of(exp.NEQ(this=variable("__m"), expression=exp.Literal.string("")), "__m")
    return call("len", call("list_filter", matches, non_empty))


def _has_group(pattern: exp.Expr) -> bool:
    return isinstance(pattern, exp.Literal) and "(" in pattern.this.replace("\\(", "")


def regexp_extract(node: exp.Expr) -> exp.Expr:
    """regexpExtract(haystack, pattern[, index]): the index-th group (1 by default; the whole match when the pattern
    has no group); '' when nothing matches."""
    pattern, group = node.expression, node.args.get("group")
    if group is None:
        group = _number(1 if _has_group(pattern) else 0)
    return call("regexp_extract", node.this.copy(), pattern.copy(), group.copy())


def split_by_regexp(node: exp.Expr) -> exp.Expr:
    """splitByRegexp(pattern, s): an empty pattern splits into characters; an empty s is ['']."""
    if node.args.get("limit") is not None:
        raise HogQLError("Invalid query: splitByRegexp() with a limit is not supported by the DuckDB engine")
    return call("regexp_split_to_array", node.this.copy(), node.expression.copy())


def _split_non_empty(value: exp.Expr, separators: str) -> exp.Expr:
    parts = call("regexp_split_to_array", value, exp.Literal.string(separators))
    return call(
        "list_filter",
        parts,
        lambda_of(exp.NEQ(this=variable("__p"), expression=exp.Literal.string("")), "__p"),
    )


def substring_utf8(args: list[exp.Expr]) -> exp.Expr:
    """substringUTF8(s, offset[, length]): characters from offset (1 first, -1 the last; 0 gives ''), length of
    them (a negative length leaves that many off the end)."""
    value, offset = args[0], args[1]
    size = exp.Length(this=value.copy())
    start = _case(
        exp.GT(this=offset.copy(), expression=_number(0)),
        offset.copy(),
        exp.Add(this=exp.Add(this=size.copy(), expression=offset.copy()), expression=_number(1)),
    )
    if len(args) > 2:
        length = args[2]
        up_to = _case(
            exp.LT(this=length.copy(), expression=_number(0)),
            exp.Add(this=size.copy(), expression=length.copy()),
            exp.Sub(this=exp.Add(this=start.copy(), expression=length.copy()), expression=_number(1)),
        )
    else:
        up_to = size.copy()
    first = call("greatest", start, _number(1))
    count = call(
        "greatest",
        exp.Add(this=exp.Sub(this=up_to, expression=first.copy()), expression=_number(1)),
        _number(0),
    )
    taken = exp.Substring(this=value.copy(), start=first, length=count)
    return _case(exp.EQ(this=offset.copy(), expression=_number(0)), exp.Literal.string(""), taken)


def position_utf8(args: list[exp.Expr], *, fold: bool = False) -> exp.Expr:
    """positionUTF8(haystack, needle[, start]): the character position of needle (1 first), 0 when absent."""
    haystack, needle = args[0], args[1]
    if fold:
        haystack, needle = exp.Lower(this=haystack), exp.Lower(this=needle)
    if len(args) < 3:
        return call("strpos", haystack, needle)
    start = args[2]
    found = call("strpos", exp.Substring(this=haystack, start=start.copy()), needle)
    shifted = exp.Sub(this=exp.Add(this=found.copy(), expression=start.copy()), expression=_number(1))
    return _case(exp.EQ(this=found, expression=_number(0)), _number(0), shifted)


def pad_utf8(function: str, *, left: bool) -> Builder:
    """leftPadUTF8/rightPadUTF8(s, length[, pad]): characters; an empty pad pads with spaces, as ClickHouse."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        value, length = args[0], args[1]
        pad: exp.Expr = args[2] if len(args) > 2 else exp.Literal.string(" ")
        pad = _case(exp.EQ(this=pad.copy(), expression=exp.Literal.string("")), exp.Literal.string(" "), pad)
        checked = size_checked(length.copy(), length, function)
        return call("lpad" if left else "rpad", value, checked, pad)

    return build


def first_byte(node: exp.Expr) -> exp.Expr:
    """ascii(s): the first BYTE of s (195 for 'é'), 0 for ''; DuckDB's ascii() gives the code point."""
    point = call("unicode", node.this.copy())

    def lead(shift: int, marker: int) -> exp.Expr:
        return exp.BitwiseOr(
            this=_number(marker),
            expression=exp.BitwiseRightShift(this=point.copy(), expression=_number(shift)),
        )

    return exp.Case(
        ifs=[
            exp.If(this=exp.LT(this=point.copy(), expression=_number(0)), true=_number(0)),
            exp.If(this=exp.LT(this=point.copy(), expression=_number(0x80)), true=point.copy()),
            exp.If(this=exp.LT(this=point.copy(), expression=_number(0x800)), true=lead(6, 0xC0)),
            exp.If(this=exp.LT(this=point.copy(), expression=_number(0x10000)), true=lead(12, 0xE0)),
        ],
        default=lead(18, 0xF0),
    )


def append_trailing_char(args: list[exp.Expr]) -> exp.Expr:
    value, char = args
    kept = exp.Or(
        this=exp.EQ(this=value.copy(), expression=exp.Literal.string("")),
        expression=call("ends_with", value.copy(), char.copy()),
    )
    return _case(kept, value.copy(), exp.DPipe(this=value, expression=char))


def not_ilike(args: list[exp.Expr]) -> exp.Expr:
    """notILike(s, pattern): NULL for NULL, as ClickHouse's; `\\` escapes a wildcard."""
    like = exp.Escape(this=exp.ILike(this=args[0], expression=args[1]), expression=exp.Literal.string("\\"))
    return exp.Paren(this=exp.Not(this=like))


# ClickHouse's regexpQuoteMeta escapes these (not `}`).
_QUOTED = r"([\\|()^$.\[\]?*+{:\-])"

TRANSLATIONS: dict[str, Builder] = {
    "concatwithseparator": concat_with_separator,
    "countsubstrings": count_substrings,
    "countsubstringscaseinsensitive": count_substrings_case_insensitive,
    "splitbywhitespace": lambda args: _split_non_empty(args[0], "[ \t\n\r\f\v]+"),
    "splitbynonalpha": lambda args: _split_non_empty(args[0], "[^a-zA-Z0-9\\x{80}-\\x{10FFFF}]+"),
    "reverseutf8": lambda args: call("reverse", args[0]),
    "substringutf8": substring_utf8,
    "positionutf8": position_utf8,
    "positioncaseinsensitiveutf8": lambda args: position_utf8(args, fold=True),
    "leftpadutf8": pad_utf8("leftPadUTF8", left=True),
    "rightpadutf8": pad_utf8("rightPadUTF8", left=False),
    "translateutf8": lambda args: call("translate", *args),
    "appendtrailingcharifabsent": append_trailing_char,
    "notilike": not_ilike,
    # DuckDB holds only valid UTF-8: every string is valid as it is
    "isvalidutf8": lambda args: exp.Case(
        ifs=[exp.If(this=exp.Not(this=exp.Is(this=args[0], expression=exp.Null())), true=exp.true())]
    ),
    "tovalidutf8": lambda args: args[0],
    "regexpquotemeta": lambda args: call(
        "regexp_replace",
        args[0],
        exp.Literal.string(_QUOTED),
        exp.Literal.string("\\\\\\1"),
        exp.Literal.string("g"),
    ),
}
ARITY = {
    (1, 1): "splitbywhitespace splitbynonalpha reverseutf8 isvalidutf8 tovalidutf8 regexpquotemeta",
    (2, 2): "countsubstrings countsubstringscaseinsensitive appendtrailingcharifabsent notilike",
    (2, 3): "substringutf8 positionutf8 positioncaseinsensitiveutf8 leftpadutf8 rightpadutf8",
    (3, 3): "translateutf8",
    (1, None): "concatwithseparator",
}
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {
    exp.RegexpCount: count_matches,
    exp.RegexpExtract: regexp_extract,
    exp.RegexpSplit: split_by_regexp,
    exp.Ascii: first_byte,
}
