"""Values a query builds whole in memory (repeat, leftPad, range), bounded by WAREHOUSE_HOGQL_MAX_VALUE_SIZE."""

from django.conf import settings
from sqlglot import exp


def _call(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def size_checked(value: exp.Expr, size: exp.Expr, function: str) -> exp.Expr:
    """`value`, or the engine's error when `size` is over WAREHOUSE_HOGQL_MAX_VALUE_SIZE: a value built by repeat(),
    leftPad() or range() is made whole in memory before any result cap can see it (repeat('a', 1e9) is 1 GB)."""
    limit = int(settings.WAREHOUSE_HOGQL_MAX_VALUE_SIZE)
    message = (
        f"{function}() would build a value larger than {limit} characters or elements "
        "(WAREHOUSE_HOGQL_MAX_VALUE_SIZE)"
    )
    over = exp.GT(this=exp.Paren(this=size.copy()), expression=exp.Literal.number(limit))
    return exp.Case(ifs=[exp.If(this=over, true=_call("error", exp.Literal.string(message)))], default=value)
