"""HogQL grammar that sqlglot's ClickHouse parser lacks, read on the tokens before parsing.

- `a?.b` / `a?.[i]` (null-safe access) is `a.b` / `a[i]`: a property or element read is already NULL when the
  value or the key is missing, so HogQL's null-safe form means the same thing here.
- Calling a lambda, `(x -> x * 2)(3)` or `((x, y) -> x + y)(1, 2)`, is the body with each parameter replaced by
  its argument in brackets (`((3) * 2)`), the call's meaning.
- `FROM <HogQLQuery query='select ...' />` (a HogQLX tag) is the subquery `FROM (select ...)`.
- A function called with too few or too many arguments (`avg()`) is a syntax error naming the function.
"""

import re

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

from warehouse.hogql.errors import HogQLError, HogQLSyntaxError

_NAME_TOKENS = (TokenType.VAR, TokenType.IDENTIFIER)


def null_safe_access(tokens: list[Token]) -> list[Token]:
    """`a?.b` -> `a.b` and `a?.[1]` -> `a[1]` (the three characters written together, as HogQL's `?.`)."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        dot = tokens[index + 1] if index + 1 < len(tokens) else None
        after = tokens[index + 2] if index + 2 < len(tokens) else None
        if (
            token.token_type == TokenType.PLACEHOLDER
            and dot is not None
            and after is not None
            and dot.token_type == TokenType.DOT
            and dot.start == token.end + 1
            and after.start == dot.end + 1
            and (
                after.token_type == TokenType.L_BRACKET
                or after.text[:1].isalpha()
                or after.text[:1] in '_$`"'
            )
        ):
            if after.token_type != TokenType.L_BRACKET:
                result.append(dot)
            index += 2
            continue
        result.append(token)
        index += 1
    return result


def _closing(tokens: list[Token], opening: int) -> int | None:
    """Index of the bracket closing the one at `opening`, or None."""
    depth = 0
    for index in range(opening, len(tokens)):
        kind = tokens[index].token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET):
            depth -= 1
            if depth == 0:
                return index
    return None


def _split_arguments(tokens: list[Token]) -> list[list[Token]]:
    """Top-level comma-separated parts of a call's argument tokens."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE):
            depth += 1
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE):
            depth -= 1
        if token.token_type == TokenType.COMMA and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [] if parts == [[]] else parts


def _lambda_parts(group: list[Token]) -> tuple[list[str], list[Token]] | None:
    """(parameter names, body) of the tokens inside `( ... )` when they are `x -> body` or `(x, y) -> body`."""
    if len(group) >= 3 and group[0].token_type in _NAME_TOKENS and group[1].token_type == TokenType.ARROW:
        return [group[0].text], group[2:]
    if group and group[0].token_type == TokenType.L_PAREN:
        end = _closing(group, 0)
        if end is not None and end + 1 < len(group) and group[end + 1].token_type == TokenType.ARROW:
            names = _split_arguments(group[1:end])
            if names and all(len(name) == 1 and name[0].token_type in _NAME_TOKENS for name in names):
                return [name[0].text for name in names], group[end + 2 :]
    return None


def _bracketed(tokens: list[Token], like: Token) -> list[Token]:
    open_, close = (Token(kind, text, like.line, like.col, like.start, like.end) for kind, text in
                    ((TokenType.L_PAREN, "("), (TokenType.R_PAREN, ")")))  # fmt: skip
    return [open_, *tokens, close]


def _closing_brackets(tokens: list[Token]) -> dict[int, int]:
    """Index of each opening bracket -> index of the bracket closing it, in one pass (as `_closing` finds it)."""
    openings: list[int] = []
    closing: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.token_type in (TokenType.L_PAREN, TokenType.L_BRACKET):
            openings.append(index)
        elif token.token_type in (TokenType.R_PAREN, TokenType.R_BRACKET) and openings:
            closing[openings.pop()] = index
    return closing


def _call_lambda_once(tokens: list[Token]) -> list[Token] | None:
    """The tokens with the first `(lambda)(arguments)` call replaced by its body, or None when there is none."""
    closing = _closing_brackets(
        tokens
    )  # once per call expanded: linear, where a scan per bracket was quadratic
    for start, token in enumerate(tokens):
        if token.token_type != TokenType.L_PAREN:
            continue
        if start > 0 and tokens[start - 1].token_type in (*_NAME_TOKENS, TokenType.R_PAREN):
            continue  # f(...) or quantiles(0.5)(x): a call, not a bracketed lambda
        end = closing.get(start)
        if end is None or end + 1 >= len(tokens) or tokens[end + 1].token_type != TokenType.L_PAREN:
            continue
        parts = _lambda_parts(tokens[start + 1 : end])
        call_end = closing.get(end + 1)
        if parts is None or call_end is None:
            continue
        names, body = parts
        arguments = _split_arguments(tokens[end + 2 : call_end])
        if len(arguments) != len(names):
            raise HogQLSyntaxError(
                f"Syntax error at line {token.line}, column {token.col}: the lambda takes {len(names)} "
                f"argument(s) and is called with {len(arguments)}",
                line=token.line,
                column=token.col,
            )
        values = dict(zip(names, arguments, strict=True))
        expanded: list[Token] = []
        for position, part in enumerate(body):
            after_dot = position > 0 and body[position - 1].token_type == TokenType.DOT
            if part.token_type in _NAME_TOKENS and part.text in values and not after_dot:
                expanded.extend(_bracketed(values[part.text], part))
            else:
                expanded.append(part)
        return [*tokens[:start], *_bracketed(expanded, token), *tokens[call_end + 1 :]]
    return None


def call_lambdas(tokens: list[Token], check) -> list[Token]:
    """Every `(x -> body)(argument)` replaced by its body; `check` bounds the tokens after each replacement."""
    while (called := _call_lambda_once(tokens)) is not None:
        tokens = called
        check(tokens)
    return tokens


def called_expression_message(tokens: list[Token]) -> tuple[str, int, int] | None:
    """`(message, line, column)` when the text calls something that is neither a function nor a lambda, such as
    `x['key'](1)`: HogQL's grammar reads that as a call of the expression, which only a lambda can answer."""
    for previous, token in zip(tokens, tokens[1:], strict=False):
        if token.token_type == TokenType.L_PAREN and previous.token_type == TokenType.R_BRACKET:
            message = "only a function or a lambda can be called, not the value before this '('"
            return message, token.line, token.col
    return None


_MISSING = re.compile(r"Required keyword: '\w+' missing for <class '[\w.]*\.(\w+)'>")
_TOO_MANY = re.compile(r"The number of provided arguments \((\d+)\) is greater than the maximum .*?\((\d+)\)")


def argument_count_message(description: str, tokens: list[Token], line: int, column: int) -> str | None:
    """`wrong number of arguments for avg()` when the parser stopped on a call's arguments, else None."""
    missing = _MISSING.search(description)
    if missing:
        node_class = getattr(exp, missing.group(1), None)
        if not (isinstance(node_class, type) and issubclass(node_class, exp.Func)):
            return None
    elif not _TOO_MANY.search(description):
        return None
    at = next((i for i, t in enumerate(tokens) if t.line == line and t.col == column), None)
    if at is None:
        return None
    depth = 0
    for index in range(at - 1, 0, -1):
        kind = tokens[index].token_type
        if kind == TokenType.R_PAREN:
            depth += 1
        elif kind == TokenType.L_PAREN:
            if depth == 0:
                name = tokens[index - 1]
                if name.text[:1].isalpha() or name.text[:1] == "_":
                    return f"wrong number of arguments for {name.text}()"
                return None
            depth -= 1
    return None


def _tag_end(tokens: list[Token], start: int) -> tuple[str, dict[str, Token], int] | None:
    """(name, attributes, index after the tag) of `<Name attr='v' ... />` or `<Name ...></Name>` at `start`."""
    name = tokens[start + 1].text
    attributes: dict[str, Token] = {}
    index = start + 2
    while index + 2 < len(tokens) and tokens[index].token_type in _NAME_TOKENS:
        if tokens[index + 1].token_type != TokenType.EQ:
            return None
        attributes[tokens[index].text] = tokens[index + 2]
        index += 3
    kinds = [token.token_type for token in tokens[index : index + 5]]
    if kinds[:2] == [TokenType.SLASH, TokenType.GT]:
        return name, attributes, index + 2
    closing = [TokenType.GT, TokenType.LT, TokenType.SLASH]
    if (
        kinds[:3] == closing
        and len(kinds) == 5
        and tokens[index + 3].text == name
        and kinds[4] == TokenType.GT
    ):
        return name, attributes, index + 5
    return None


def _after_from(tokens: list[Token], index: int) -> bool:
    """The token at `index` is FROM or JOIN, or brackets right after one (`FROM (<HogQLQuery ... />)`)."""
    while index > 0 and tokens[index].token_type == TokenType.L_PAREN:
        index -= 1
    return tokens[index].token_type in (TokenType.FROM, TokenType.JOIN)


def hogqlx_tables(tokens: list[Token], tokenize) -> list[Token]:
    """`FROM <HogQLQuery query='select ...' />` is the subquery `FROM (select ...)`; any other tag is refused."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        previous = tokens[index - 1] if index else None
        if (
            token.token_type == TokenType.LT
            and previous is not None
            and _after_from(tokens, index - 1)
            and index + 1 < len(tokens)
            and tokens[index + 1].token_type in _NAME_TOKENS
        ):
            tag = _tag_end(tokens, index)
            query = tag[1].get("query") if tag else None
            if (
                tag is None
                or tag[0] != "HogQLQuery"
                or set(tag[1]) != {"query"}
                or query is None
                or (query.token_type != TokenType.STRING)
            ):
                name = tokens[index + 1].text
                if name == "HogQLQuery":
                    raise HogQLError(
                        "Invalid query: <HogQLQuery /> in FROM takes one attribute, query='select ...'"
                    )
                raise HogQLError(
                    f"Invalid query: the HogQLX tag <{name}> is not supported in FROM; "
                    "only <HogQLQuery query='select ...' /> is"
                )
            inner = [
                Token(part.token_type, part.text, query.line, query.col, query.start, query.end)
                for part in tokenize(query.text)
            ]
            in_brackets = (
                previous.token_type == TokenType.L_PAREN
            )  # `FROM (<HogQLQuery ... />)`: already a subquery
            result.extend(inner if in_brackets else _bracketed(inner, token))
            index = tag[2]
            continue
        result.append(token)
        index += 1
    return result


# Tokens after which an expression starts: an `in` there is PostHog's function `in(a, b)`, not the operator.
_EXPRESSION_STARTS = frozenset(
    getattr(TokenType, name)
    for name in """SELECT COMMA L_PAREN L_BRACKET WHERE PREWHERE HAVING QUALIFY ON AND OR NOT THEN ELSE WHEN
    CASE PLUS DASH STAR SLASH MOD DIV EQ NEQ NULLSAFE_EQ LT GT LTE GTE DPIPE GROUP_BY ORDER_BY DISTINCT ARROW
    COLON PLACEHOLDER IS LIKE ILIKE RLIKE IRLIKE BETWEEN CARET AMP PIPE""".split()
)


def _is_membership_call(tokens: list[Token], index: int) -> bool:
    """`in(` or `notIn(` where a function call can stand (`select in(1, (1, 2))`, `x = 1 or notIn(y, [2])`)."""
    token = tokens[index]
    if index + 1 >= len(tokens) or tokens[index + 1].token_type != TokenType.L_PAREN:
        return False
    if token.token_type in _NAME_TOKENS and token.text.lower() == "notin":
        return True
    if token.token_type != TokenType.IN:
        return False
    before = [tokens[i] for i in range(index - 1, max(index - 3, -1), -1)]
    if not before:
        return True
    if before[0].token_type == TokenType.NOT:  # `a NOT in(...)` is the operator; `NOT in(a, b)` a call
        return len(before) == 1 or before[1].token_type in _EXPRESSION_STARTS
    return before[0].token_type in _EXPRESSION_STARTS


def membership_calls(tokens: list[Token]) -> list[Token]:
    """PostHog's `in(a, b)` / `notIn(a, b)` (ClickHouse's functions) as `((a) IN b)` / `((a) NOT IN b)`; a `b`
    that is not a bracketed list, array, tuple or subquery is bracketed (`in(x, 1)` is `x IN (1)`)."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = _closing(tokens, index + 1) if _is_membership_call(tokens, index) else None
        if end is None:
            result.append(token)
            index += 1
            continue
        arguments = _split_arguments(tokens[index + 2 : end])
        if len(arguments) != 2 or not all(arguments):
            column = token.col - len(token.text) + 1  # the token's first character
            raise HogQLSyntaxError(
                f"Syntax error at line {token.line}, column {column}: wrong number of arguments for "
                f"{token.text}()",
                line=token.line,
                column=column,
            )
        value, values = (membership_calls(argument) for argument in arguments)
        if not _is_list(values):
            values = _bracketed(values, values[0])
        operator = [Token(TokenType.IN, "IN", token.line, token.col, token.start, token.end)]
        if token.token_type != TokenType.IN:
            operator.insert(0, Token(TokenType.NOT, "NOT", token.line, token.col, token.start, token.end))
        result.extend(_bracketed([*_bracketed(value, token), *operator, *values], token))
        index = end + 1
    return result


def _is_list(tokens: list[Token]) -> bool:
    """`( ... )`, `[ ... ]` or `tuple( ... )`: what may follow IN as it is."""
    start = 1 if tokens[0].text.lower() == "tuple" else 0
    if start >= len(tokens) or tokens[start].token_type not in (TokenType.L_PAREN, TokenType.L_BRACKET):
        return False
    return _closing(tokens, start) == len(tokens) - 1
