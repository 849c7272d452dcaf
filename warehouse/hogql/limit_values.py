"""The values LIMIT and OFFSET take, checked before any engine runs the query.

ClickHouse takes a whole number (of Int64 or UInt64: a negative one counts from the end) or a fraction between 0 and
1 (a share of the rows), and refuses anything else: `LIMIT 2.5`, `OFFSET 1.5`, `LIMIT -0.5`, `LIMIT 1e20`,
`LIMIT '2'`, `LIMIT NULL`. DuckDB answered most of them (2.5 read as 2, '2' as 2). Both engines now give this 400,
naming the clause and the value. A computed value (`LIMIT 1 + 1`) is left to the engine; so is `LIMIT n BY keys`,
where ClickHouse takes any number.
"""

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from sqlglot import exp

from warehouse.hogql.dialect import to_hogql
from warehouse.hogql.errors import HogQLError

_LOWEST, _HIGHEST = -(2**63), 2**64 - 1


def check_limit_values(root: exp.Expr) -> None:
    for name, value in limit_values(root):
        shown = to_hogql(value)
        constant = limit_constant(value)
        if isinstance(constant, str):
            raise HogQLError(f"Invalid query: {name} takes a number, but {shown} is not one")
        if constant is not None and not _taken(constant):
            raise HogQLError(
                f"Invalid query: {name} {shown} is neither a whole number nor a fraction between 0 and 1 "
                "(a share of the rows)"
            )


def limit_values(root: exp.Expr) -> Iterator[tuple[str, exp.Expr]]:
    """("LIMIT" | "OFFSET", its value) of every clause, the LIMIT after a `LIMIT n BY keys` among them (not n)."""
    for clause in root.find_all(exp.Limit, exp.Offset):
        name = "LIMIT" if isinstance(clause, exp.Limit) else "OFFSET"
        if not clause.expressions and clause.expression is not None:
            yield name, clause.expression
        then = clause.meta.get("then_limit")
        if then is not None:
            yield "LIMIT", then.expression
            if then.args.get("offset") is not None:
                yield "OFFSET", then.args["offset"]


def limit_constant(value: exp.Expr) -> Decimal | str | None:
    """The value when the query writes it as a constant: a number (exact), or "not a number" for a constant that is
    not one (`'2'`, `NULL`); None when it is computed."""
    sign = 1
    while isinstance(value, exp.Paren | exp.Neg):
        sign = -sign if isinstance(value, exp.Neg) else sign
        value = value.this
    if isinstance(value, exp.Null) or (isinstance(value, exp.Literal) and value.is_string):
        return "not a number"
    if not isinstance(value, exp.Literal):
        return None
    try:
        return sign * Decimal(str(value.this))
    except InvalidOperation:
        return None


def _taken(value: Decimal) -> bool:
    if value == value.to_integral_value():
        return _LOWEST <= value <= _HIGHEST
    return 0 < value < 1
