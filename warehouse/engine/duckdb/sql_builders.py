"""Constructors of DuckDB expression trees shared by the function translations (the `*_functions.py` modules)."""

from collections.abc import Callable

from sqlglot import exp

# A translation: the call's arguments (HogQL trees) -> the DuckDB expression that means what ClickHouse's does.
Builder = Callable[[list[exp.Expr]], exp.Expr]


def call(name: str, *args: exp.Expr) -> exp.Expr:
    """`name(args...)`, printed as written (a DuckDB function sqlglot need not know)."""
    return exp.Anonymous(this=name, expressions=list(args))


def variable(name: str) -> exp.Expr:
    """A lambda parameter (or any quoted name) used in a body."""
    return exp.column(exp.to_identifier(name, quoted=True))


def lambda_of(body: exp.Expr, *params: str) -> exp.Lambda:
    """`(params) -> body`, DuckDB's lambda."""
    return exp.Lambda(this=body, expressions=[exp.to_identifier(p, quoted=True) for p in params])
