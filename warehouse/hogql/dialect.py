"""HogQL as a sqlglot dialect: ClickHouse SQL whose identifiers may start with or contain `$`."""

import re
from typing import ClassVar

from sqlglot import exp
from sqlglot.dialects.clickhouse import ClickHouse
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from warehouse.hogql.bounds import check_token_count, check_tokens
from warehouse.hogql.errors import HogQLSyntaxError, PlaceholderError
from warehouse.hogql.grammar import (
    argument_count_message,
    call_lambdas,
    called_expression_message,
    hogqlx_tables,
    membership_calls,
    null_safe_access,
)
from warehouse.hogql.hogqlx_values import hogqlx_values
from warehouse.hogql.templates import f_strings, mask_templates

# `{variables.foo}` / `{foo}`: a field placeholder; anything else in braces is an expression placeholder.
_FIELD_CHAIN = re.compile(r"^\s*[A-Za-z_$][\w$]*(\s*\.\s*[A-Za-z_$][\w$]*)*\s*$")


class HogQL(ClickHouse):
    """ClickHouse, except `$` is an identifier character (`$browser`, `properties.$set`) instead of heredoc."""

    class Tokenizer(ClickHouse.Tokenizer):
        HEREDOC_STRINGS: ClassVar[list] = []
        SINGLE_TOKENS = {
            key: value for key, value in ClickHouse.Tokenizer.SINGLE_TOKENS.items() if key != "$"
        }
        VAR_SINGLE_TOKENS = {"$"}
        # HogQL's regex operators: `=~` (or `~`) match, `=~*` (or `~*`) case-insensitive match, `!~` / `!~*` their
        # negations.
        KEYWORDS = {
            **ClickHouse.Tokenizer.KEYWORDS,
            "~": TokenType.RLIKE,
            "~*": TokenType.IRLIKE,
            "=~": TokenType.RLIKE,
            "=~*": TokenType.IRLIKE,
            "!~": TokenType.RLIKE,
            "!~*": TokenType.IRLIKE,
        }

    class Parser(ClickHouse.Parser):  # type: ignore[misc, valid-type]
        """`LIMIT n BY keys LIMIT m`: the second LIMIT (on the rows LIMIT BY keeps) rides on the first."""

        QUERY_MODIFIER_PARSERS = {
            **ClickHouse.Parser.QUERY_MODIFIER_PARSERS,
            TokenType.LIMIT: lambda self: ("limit", self._parse_limit_then_limit()),
        }

        def _parse_limit(self, *args, **kwargs) -> exp.Expr | None:
            """`LIMIT m, n WITH TIES`: the options after the count (sqlglot reads them only after `LIMIT n`)."""
            limit = super()._parse_limit(*args, **kwargs)
            if (
                isinstance(limit, exp.Limit)
                and limit.args.get("offset")
                and not limit.args.get("limit_options")
            ):
                limit.set("limit_options", self._parse_limit_options())
            return limit

        def _parse_limit_then_limit(self) -> exp.Expr | None:
            limit = self._parse_limit()
            if (
                isinstance(limit, exp.Limit)
                and limit.expressions
                and self._curr
                and self._curr.token_type == TokenType.LIMIT
            ):
                then = self._parse_limit()
                if isinstance(then, exp.Limit) and then.expressions:
                    self.raise_error("LIMIT BY may be followed by one plain LIMIT")
                limit.meta["then_limit"] = then
            return limit

        def _parse_table_sample(self, as_modifier: bool = False) -> exp.TableSample | None:
            """`SAMPLE k OFFSET m`: the OFFSET right after SAMPLE is the sample's (as ClickHouse reads it), not the
            query's row OFFSET; kept in the sample's meta (sampling.py reads it)."""
            sample = super()._parse_table_sample(as_modifier)
            if isinstance(sample, exp.TableSample) and self._match(TokenType.OFFSET):
                sample.meta["offset"] = self._parse_factor()
            return sample

        def _parse_extract(self) -> exp.Expr:
            """ClickHouse's extract(haystack, pattern) takes two arguments; a third is named, not 'unexpected'."""
            node = super()._parse_extract()
            if isinstance(node, exp.Anonymous) and self._curr and self._curr.token_type == TokenType.COMMA:
                self.raise_error("wrong number of arguments for extract()")
            return node

        def _parse_function_call(self, *args, **kwargs) -> exp.Expr | None:
            """A call, remembering the name it was written with (`arrayMax`, not sqlglot's `array_max`) for messages."""
            token = self._curr
            try:
                node = super()._parse_function_call(*args, **kwargs)
            except ValueError:  # sqlglot's own builders unpack their arguments: `xor()`
                self.raise_error(f"wrong number of arguments for {token.text if token else 'the function'}()")
                return None
            if node is not None and token is not None:  # `notLike(a, b)` is a NOT over a LIKE: named too
                node.meta.setdefault("called_as", token.text)
            return node

    class Generator(ClickHouse.Generator):  # type: ignore[misc, valid-type]
        def tablesample_sql(self, expression: exp.TableSample, tablesample_keyword: str | None = None) -> str:
            offset = expression.meta.get("offset")
            sql = super().tablesample_sql(expression, tablesample_keyword)
            return f"{sql} OFFSET {self.sql(offset)}" if offset is not None else sql

        def limit_sql(self, expression: exp.Limit, top: bool = False) -> str:
            then = expression.meta.get("then_limit")
            return super().limit_sql(expression, top) + (self.sql(then) if then is not None else "")


def tokenize(sql: str) -> list[Token]:
    """Tokens of `sql`, or a HogQLSyntaxError naming where tokenizing stopped."""
    masked, templates = mask_templates(sql)
    try:
        tokens = HogQL().tokenizer_class(dialect=HogQL).tokenize(masked)
    except TokenError as err:
        cause = str(err.__cause__ or err)
        where = re.search(r"(\d+):(\d+)", cause)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        what = cause.split(" from ")[0] if where else "unterminated string, identifier or comment"
        raise HogQLSyntaxError(
            f"Syntax error at line {line}, column {column}: {what}", line=line, column=column
        ) from err
    tokens = null_safe_access(f_strings(_negated_regex_operators(tokens), templates, tokenize))
    return hogqlx_values(membership_calls(hogqlx_tables(tokens, tokenize)))


def _negated_regex_operators(tokens: list[Token]) -> list[Token]:
    """`a !~ b` is read as `a NOT RLIKE b` (the parser negates a range operator after NOT)."""
    result: list[Token] = []
    for token in tokens:
        if token.token_type in (TokenType.RLIKE, TokenType.IRLIKE) and token.text.startswith("!"):
            result.append(Token(TokenType.NOT, "NOT", token.line, token.col, token.start, token.start))
            token = Token(token.token_type, token.text[1:], token.line, token.col, token.start + 1, token.end)
        result.append(token)
    return result


def refuse_placeholders(sql: str, tokens: list[Token]) -> None:
    """Raise PostHog's messages for `{variables.x}` / `{filters}` / `{expr}` placeholders."""
    fields: list[str] = []
    expressions = False
    depth, start = 0, 0
    for token in tokens:
        if token.token_type == TokenType.L_BRACE:
            if depth == 0:
                start = token.end + 1
            depth += 1
        elif token.token_type == TokenType.R_BRACE and depth:
            depth -= 1
            if depth == 0:
                inner = sql[start : token.start]
                if _FIELD_CHAIN.match(inner) and inner.split(".")[0].strip() != "filters":
                    fields.append(".".join(part.strip() for part in inner.split(".")))
                else:
                    expressions = True
    if fields:
        raise PlaceholderError(f"Variables like {{{fields[-1]}}} are not allowed in views")
    if expressions or depth:
        raise PlaceholderError("Filters and placeholder expressions are not allowed in views")


def parse_statements(sql: str) -> list[exp.Expr]:
    """Parse HogQL text into statements; syntax errors carry line and column."""
    tokens = tokenize(sql)
    refuse_placeholders(sql, tokens)
    check_tokens(tokens)
    called = call_lambdas(tokens, check_token_count)  # each expansion counted; the nesting once at the end
    if called is not tokens:
        tokens = called
        check_tokens(tokens)
    try:
        statements = HogQL().parser().parse(tokens, sql)
    except ParseError as err:
        detail = err.errors[0] if err.errors else {}
        line = detail.get("line") or 1
        column = max(1, (detail.get("col") or 1) - len(detail.get("highlight") or "") + 1)
        description = str(detail.get("description") or "invalid syntax")
        description = re.sub(r"<Token token_type: [^,]+, text: ([^,]*),.*?>", r"'\1'", description)
        description = argument_count_message(description, tokens, line, detail.get("col") or 1) or description
        if (not_callable := called_expression_message(tokens)) is not None:
            description, line, column = not_callable
        description = re.sub(
            r"Required keyword: '\w+' missing for <class '[\w.]*\.(\w+)'>", r"incomplete \1", description
        )
        raise HogQLSyntaxError(
            f"Syntax error at line {line}, column {column}: {description}", line=line, column=column
        ) from err
    return [statement for statement in statements if statement is not None]


def to_hogql(expression: exp.Expr) -> str:
    """Print a tree back as (normalised) HogQL text."""
    return expression.sql(dialect=HogQL)
