"""HogQL's template strings: `f'hello {event}'` is read as `concat('hello ', (event))`.

A template whose expressions hold quotes (`f'fi{'a'}sh'`, `f'{call('x')}'`, a template inside a template) would end
early for the tokenizer, so templates are found on the text first (skipping strings, quoted names and comments);
one with a quote inside its braces is masked by a plain string of the same length, so every other token keeps its
position, and is read from the original text.
"""

from collections.abc import Callable

from sqlglot.tokens import Token, TokenType

_NAME_CHARACTERS = "_$"


def _string_end(sql: str, start: int) -> int:
    """Index after the string or quoted name opened at `start` (backslash escapes, doubled quotes)."""
    quote, index = sql[start], start + 1
    while index < len(sql):
        if sql[index] == "\\":
            index += 2
        elif sql[index] == quote and sql[index + 1 : index + 2] == quote:
            index += 2
        elif sql[index] == quote:
            return index + 1
        else:
            index += 1
    return len(sql)  # unterminated: the tokenizer says so


def _opens_template(sql: str, quote: int) -> bool:
    """The quote at `quote` follows a lone `f`: `f'...'`, not `elf'...'`."""
    if quote < 1 or sql[quote - 1] != "f":
        return False
    return quote < 2 or not (sql[quote - 2].isalnum() or sql[quote - 2] in _NAME_CHARACTERS)


def _template_end(sql: str, start: int) -> tuple[int, bool]:
    """(index after the template whose quote is at `start`, whether its braces hold a quote)."""
    index, depth, quoted = start + 1, 0, False
    while index < len(sql):
        character = sql[index]
        if character == "\\":
            index += 2
        elif depth == 0 and character == "'" and sql[index + 1 : index + 2] == "'":
            index += 2
        elif depth == 0 and character == "'":
            return index + 1, quoted
        elif depth and character == "'":
            quoted = True
            index = _template_end(sql, index)[0] if _opens_template(sql, index) else _string_end(sql, index)
        else:
            if character == "{":
                depth += 1
            elif character == "}" and depth:
                depth -= 1
            index += 1
    return len(sql), quoted


def mask_templates(sql: str) -> tuple[str, dict[int, str]]:
    """`sql` with each template that holds a quote in its braces masked, and {its quote's index: its text}."""
    masked, templates, index = list(sql), {}, 0
    while index < len(sql):
        character, following = sql[index], sql[index + 1 : index + 2]
        if character == "-" and following == "-":
            end = sql.find("\n", index)
            index = len(sql) if end < 0 else end
        elif character == "/" and following == "*":
            end = sql.find("*/", index + 2)
            index = len(sql) if end < 0 else end + 2
        elif character in '"`':
            index = _string_end(sql, index)
        elif character == "'" and _opens_template(sql, index):
            end, quoted = _template_end(sql, index)
            if quoted and end - index >= 2 and sql[end - 1] == "'":
                templates[index] = sql[index + 1 : end - 1]
                masked[index + 1 : end - 1] = ["\n" if c == "\n" else "x" for c in templates[index]]
            index = end
        elif character == "'":
            index = _string_end(sql, index)
        else:
            index += 1
    return "".join(masked), templates


def _raw_parts(raw: str) -> list[tuple[bool, str]]:
    """A template's text as (is_expression, text) parts; braces inside the expressions' strings do not count."""
    parts: list[tuple[bool, str]] = []
    index, start, depth = 0, 0, 0
    while index < len(raw):
        character = raw[index]
        if character == "\\" and not depth:
            index += 2
            continue
        if depth and character == "'":
            index = _template_end(raw, index)[0] if _opens_template(raw, index) else _string_end(raw, index)
            continue
        if character == "{":
            if not depth:
                parts.append((False, raw[start:index]))
                start = index + 1
            depth += 1
        elif character == "}" and depth:
            depth -= 1
            if not depth:
                parts.append((True, raw[start:index]))
                start = index + 1
        index += 1
    parts.append((False, raw[start:]))
    return [part for part in parts if part[0] or part[1]]


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def template_sql(text: str, *, raw: bool, tokenize: Callable[[str], list[Token]]) -> str:
    """`hello {event}!` -> `concat('hello ', (event), '!')`. `raw`: the text as written (its literal parts are
    unescaped by reading each as a string), else the string token's text (a `{` without its `}` stays text)."""
    if raw:
        parts = [
            f"({part})" if expression else _quote(tokenize(f"'{part}'")[0].text)
            for expression, part in _raw_parts(text)
        ]
        return f"concat({', '.join(parts or [_quote('')])})"
    pieces: list[str] = []
    rest = text
    while "{" in rest and "}" in rest[rest.index("{") :]:
        before, _, after = rest.partition("{")
        expression, _, rest = after.partition("}")
        if before:
            pieces.append(_quote(before))
        pieces.append(f"({expression})")
    if rest or not pieces:
        pieces.append(_quote(rest))
    return f"concat({', '.join(pieces)})"


def f_strings(
    tokens: list[Token], templates: dict[int, str], tokenize: Callable[[str], list[Token]]
) -> list[Token]:
    """Each `f'...'` token pair replaced by the tokens of its concat(); `templates` holds the masked ones' text."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if (
            token.token_type == TokenType.VAR
            and token.text == "f"
            and following is not None
            and following.token_type == TokenType.STRING
            and following.start == token.end + 1
        ):
            raw = templates.get(following.start)
            sql = template_sql(
                raw if raw is not None else following.text, raw=raw is not None, tokenize=tokenize
            )
            for part in tokenize(sql):
                result.append(
                    Token(
                        part.token_type, part.text, following.line, following.col, token.start, following.end
                    )
                )
            index += 2
            continue
        result.append(token)
        index += 1
    return result
