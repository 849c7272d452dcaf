"""Bounds on query analysis: text size, syntax-tree size and nesting depth, and a time limit (each a 400).

A query is analysed (parsed, checked, resolved, qualified) in the request before the engine runs it; without bounds
a 76 KB query of 4,000 UNION ALL arms held a worker for most of a minute. The limits come from settings (see
docs/limits.md), are the same for /query/ and saved-query writes, and are checked before each costly step: the
text before tokenizing, the tokens' nesting depth and count before parsing, the tree's size after parsing and after
saved queries are inlined, and the clock between steps.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from warehouse.hogql.errors import HogQLError

_OPENING = {TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE}
_CLOSING = {TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE}
# Operators the parser recurses on without brackets: `not not x`, `- - x`, `a ? b : c ? d : e`.
_NESTING_OPERATORS = {TokenType.NOT, TokenType.DASH, TokenType.PLACEHOLDER}
# After these a `-` is a sign, not a subtraction.
_BEFORE_OPERAND = {
    TokenType.NOT,
    TokenType.DASH,
    TokenType.PLACEHOLDER,
    TokenType.COMMA,
    TokenType.SELECT,
    *_OPENING,
}


class AnalysisLimitError(HogQLError):
    """The query is over one of the analysis limits; the message names the limit and its setting."""


@dataclass(frozen=True)
class Limits:
    max_chars: int
    max_nodes: int
    max_depth: int
    seconds: float

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_chars=int(settings.WAREHOUSE_HOGQL_MAX_QUERY_CHARS),
            max_nodes=int(settings.WAREHOUSE_HOGQL_MAX_NODES),
            max_depth=int(settings.WAREHOUSE_HOGQL_MAX_DEPTH),
            seconds=float(settings.WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS),
        )


@dataclass(frozen=True)
class _Budget:
    limits: Limits
    deadline: float


_BUDGET: ContextVar[_Budget | None] = ContextVar("hogql_analysis_budget", default=None)


@contextmanager
def analysis_budget() -> Iterator[None]:
    """One budget for an analysis, shared by the saved queries it inlines (nested calls reuse it)."""
    if _BUDGET.get() is not None:
        yield
        return
    limits = Limits.from_settings()
    token = _BUDGET.set(_Budget(limits, time.monotonic() + limits.seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _limits() -> Limits:
    budget = _BUDGET.get()
    return budget.limits if budget is not None else Limits.from_settings()


def check_time() -> None:
    """Stop an analysis that has run past its time limit."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise AnalysisLimitError(
            f"Invalid query: analysing the query took longer than {budget.limits.seconds:g} seconds "
            "(WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS); simplify it"
        )


class CopyBudget:
    """The nodes a rewrite may add by copying an expression where its name is read (`WITH <expr> AS a`, an alias
    inside an expression). A name read twice at each level of a chain doubles the tree per level, so copies are
    counted as they are made and stop at the tree's own size limit, before memory or the clock run out."""

    def __init__(self) -> None:
        self._left = _limits().max_nodes

    def copy(self, node: exp.Expr) -> exp.Expr:
        for _ in node.walk():
            self._left -= 1
            if self._left < 0:
                _too_large(_limits().max_nodes)
        check_time()
        return node.copy()


def check_text(sql: str) -> None:
    limit = _limits().max_chars
    if len(sql) > limit:
        raise AnalysisLimitError(
            f"Invalid query: the query is longer than {limit:,} characters (WAREHOUSE_HOGQL_MAX_QUERY_CHARS)"
        )


def check_tokens(tokens: list[Token]) -> None:
    """Before parsing: how many tokens, and how deeply brackets nest (the parser recurses on each level)."""
    limits = _limits()
    if len(tokens) > limits.max_nodes:
        _too_large(limits.max_nodes)
    depth, prefixes = 0, [0]  # bracket depth; per level, the prefix operators (NOT, -, ?) nesting within it
    for previous, token in zip([None, *tokens], tokens, strict=False):
        kind = token.token_type
        if kind in _OPENING:
            depth += 1
            prefixes.append(0)
        elif kind in _CLOSING:
            depth = max(0, depth - 1)
            if len(prefixes) > 1:
                prefixes.pop()
        elif kind == TokenType.COMMA:
            prefixes[-1] = 0
        elif kind in _NESTING_OPERATORS and (kind != TokenType.DASH or _starts_operand(previous)):
            prefixes[-1] += 1
        if depth + prefixes[-1] > limits.max_depth:
            _too_deep(limits.max_depth)
    check_time()


def check_token_count(tokens: list[Token]) -> None:
    """The count alone, after a step that only adds tokens (a called lambda expanded); check_tokens follows it."""
    limits = _limits()
    if len(tokens) > limits.max_nodes:
        _too_large(limits.max_nodes)
    check_time()


def _starts_operand(previous: Token | None) -> bool:
    return previous is None or previous.token_type in _BEFORE_OPERAND


def check_tree(root: exp.Expr) -> None:
    """After parsing, and again after saved queries are inlined: the tree's size and nesting depth."""
    limits = _limits()
    count = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > limits.max_nodes:
            _too_large(limits.max_nodes)
        if _nests(node):
            depth += 1
            if depth > limits.max_depth:
                _too_deep(limits.max_depth)
        stack.extend((child, depth) for child in node.iter_expressions())
    check_time()


def _nests(node: exp.Expr) -> bool:
    """A level of nesting: a bracket, subquery, call or prefix operator (not a link of `a AND b AND c`)."""
    if isinstance(node, exp.Connector) and type(node.parent) is type(node):
        return False
    return isinstance(node, _NESTING_NODES)


_NESTING_NODES = (
    exp.Paren,
    exp.Subquery,
    exp.Func,
    exp.Not,
    exp.Neg,
    exp.Case,
    exp.Bracket,
    exp.Lambda,
    exp.Window,
)


def _too_large(limit: int) -> None:
    raise AnalysisLimitError(
        f"Invalid query: the query has more than {limit:,} syntax elements (WAREHOUSE_HOGQL_MAX_NODES)"
    )


def _too_deep(limit: int) -> None:
    raise AnalysisLimitError(
        f"Invalid query: the query nests brackets, subqueries, calls or operators more than {limit} levels deep "
        "(WAREHOUSE_HOGQL_MAX_DEPTH)"
    )


def balance_connectors(root: exp.Expr) -> None:
    """Rebuild long AND / OR chains as balanced trees: same meaning (both are associative, NULLs included), but a
    depth of log2(n) instead of n, which keeps the optimizer's per-column ancestor walks from going quadratic."""
    for node in list(root.find_all(exp.And, exp.Or)):
        if type(node.parent) is type(node) or node.parent is None and node is not root:
            continue
        operands = _operands(node)
        if len(operands) > 8:
            node.replace(_balanced(type(node), operands))


def _operands(node: exp.Connector) -> list[exp.Expr]:
    operands: list[exp.Expr] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is type(node):
            stack.extend((current.expression, current.this))
        else:
            operands.append(current)
    return operands


def _balanced(kind: type[exp.Connector], operands: list[exp.Expr]) -> exp.Expr:
    level = operands
    while len(level) > 1:
        paired = [kind(this=level[i], expression=level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    return level[0]
