"""HogQLX values, read on the tokens before parsing, as PostHog resolves them: a tag or an object in an expression
is a tuple tagged for PostHog's UI to render.

- `<Sparkline data={[1, 2]} />` -> `('__hx_tag', 'Sparkline', 'data', ([1, 2]))`; an attribute is a string or an
  `{expression}`; the children of `<a href='x'>{event}</a>` are its `source` attribute (a list when several).
- `{'key': value, ...}` -> `('__hx_tag', '__hx_obj', 'key', (value), ...)`.
- `recording_button(id)` and `sparkline(data)` are their tags, `<RecordingButton sessionId={id} />`, ...
Tags in FROM are tables (grammar.hogqlx_tables); a brace that is neither stays a placeholder (refused in views).
"""

from sqlglot.tokens import Token, TokenType

from warehouse.hogql.errors import HogQLError

# Tokens after which `<` starts a value (a tag), never a comparison.
_VALUE_STARTS = {
    TokenType.SELECT,
    TokenType.COMMA,
    TokenType.L_PAREN,
    TokenType.L_BRACKET,
    TokenType.L_BRACE,
    TokenType.THEN,
    TokenType.ELSE,
    TokenType.DISTINCT,
    TokenType.ARROW,
}


# PostHog's functions that stand for a tag: name -> (tag, its one attribute).
TAG_FUNCTIONS = {"recording_button": ("RecordingButton", "sessionId"), "sparkline": ("Sparkline", "data")}


def hogqlx_values(tokens: list[Token]) -> list[Token]:
    """The tokens with each HogQLX tag and object in an expression replaced by its tuple."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        if tokens[index].token_type == TokenType.ARROW and tokens[index + 1 : index + 2]:
            if tokens[index + 1].token_type == TokenType.L_BRACE:
                raise HogQLError("Invalid query: a lambda with a block body `-> { ... }` is Hog, not HogQL")
        read = _tag(tokens, index) if _starts_tag(tokens, index) else _tag_function(tokens, index)
        if read is None and _starts_object(tokens, index):
            read = _object(tokens, index)
        if read is None:
            result.append(tokens[index])
            index += 1
            continue
        replacement, index = read
        result.extend(replacement)
    return result


def _tag_function(tokens: list[Token], start: int) -> tuple[list[Token], int] | None:
    """`recording_button(id)` / `sparkline(data)`: PostHog's functions for its tags, the tag's tuple."""
    tag = TAG_FUNCTIONS.get(tokens[start].text.lower()) if tokens[start].token_type == TokenType.VAR else None
    if (
        tag is None
        or tokens[start + 1 : start + 2] == []
        or tokens[start + 1].token_type != TokenType.L_PAREN
    ):
        return None
    depth, end = 0, None
    for index in range(start + 1, len(tokens)):
        kind = tokens[index].token_type
        depth += kind in (TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE)
        depth -= kind in (TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE)
        if depth == 1 and kind == TokenType.COMMA:
            return None  # one argument only: otherwise refused as the unknown function it is
        if depth == 0:
            end = index
            break
    if end is None or end == start + 2:
        return None
    at = tokens[start]
    argument = [_token(at, TokenType.L_PAREN, "("), *hogqlx_values(tokens[start + 2 : end])]
    argument.append(_token(at, TokenType.R_PAREN, ")"))
    items = [[_string(at, "__hx_tag")], [_string(at, tag[0])], [_string(at, tag[1])], argument]
    return _tuple(at, items), end + 1


def _starts_tag(tokens: list[Token], index: int) -> bool:
    return (
        tokens[index].token_type == TokenType.LT
        and index + 1 < len(tokens)
        and _is_name(tokens[index + 1])
        and (index == 0 or tokens[index - 1].token_type in _VALUE_STARTS)
        and not (index > 1 and tokens[index - 2].token_type in (TokenType.FROM, TokenType.JOIN))  # a table
    )


def _is_name(token: Token) -> bool:
    """A tag or attribute name: any word, keywords too (`<ActorsQuery select={...} />`)."""
    return token.token_type not in (TokenType.STRING, TokenType.IDENTIFIER) and token.text.isidentifier()


def _starts_object(tokens: list[Token], index: int) -> bool:
    kinds = [token.token_type for token in tokens[index : index + 3]]
    return kinds == [TokenType.L_BRACE, TokenType.STRING, TokenType.COLON]


def _tag(tokens: list[Token], start: int) -> tuple[list[Token], int] | None:
    """(tuple tokens, index after the tag) for the tag at `start`, or None when it is not one."""
    at = tokens[start]
    name = tokens[start + 1].text
    items: list[list[Token]] = [[_string(at, "__hx_tag")], [_string(at, name)]]
    index = start + 2
    attributes = set()
    while index + 2 < len(tokens) and _is_name(tokens[index]):
        if tokens[index + 1].token_type != TokenType.EQ:
            return None
        value = _attribute_value(tokens, index + 2)
        if value is None:
            return None
        attributes.add(tokens[index].text)
        items += [[_string(at, tokens[index].text)], value[0]]
        index = value[1]
    kinds = [token.token_type for token in tokens[index : index + 2]]
    if kinds == [TokenType.SLASH, TokenType.GT]:
        return _tuple(at, items), index + 2
    if kinds[:1] != [TokenType.GT]:
        return None
    children, index = _children(tokens, index + 1, name)
    if children and "source" in attributes:
        raise HogQLError("Invalid query: nested HogQLX tags cannot have a source attribute")
    if children:
        source = children[0] if len(children) == 1 else _array(at, children)
        items += [[_string(at, "source")], source]
    return _tuple(at, items), index


def _children(tokens: list[Token], index: int, name: str) -> tuple[list[list[Token]], int]:
    """The children of tag `name` up to its closing tag, and the index after it."""
    children: list[list[Token]] = []
    while index < len(tokens):
        kinds = [token.token_type for token in tokens[index : index + 4]]
        if len(kinds) == 4 and kinds[:2] == [TokenType.LT, TokenType.SLASH] and kinds[3] == TokenType.GT:
            closing = tokens[index + 2].text
            if closing != name:
                raise HogQLError(
                    f"Invalid query: opening and closing HogQLX tags must match. Got {name} and {closing}"
                )
            return children, index + 4
        child = _attribute_value(tokens, index) if kinds[:1] == [TokenType.L_BRACE] else None
        if (
            child is None
            and kinds[:1] == [TokenType.LT]
            and index + 1 < len(tokens)
            and _is_name(tokens[index + 1])
        ):
            child = _tag(tokens, index)
        if child is None:
            break
        children.append(child[0])
        index = child[1]
    raise HogQLError(
        f"Invalid query: the HogQLX tag <{name}> holds only {{expressions}} and tags, then </{name}>"
    )


def _attribute_value(tokens: list[Token], index: int) -> tuple[list[Token], int] | None:
    """`'text'` or `{expression}` (an expression may hold tags and objects itself) at `index`."""
    token = tokens[index]
    if token.token_type == TokenType.STRING:
        return [token], index + 1
    if token.token_type == TokenType.LT and index + 1 < len(tokens) and _is_name(tokens[index + 1]):
        return _tag(tokens, index)
    if token.token_type != TokenType.L_BRACE:
        return None
    end = _closing_brace(tokens, index)
    if end is None or end == index + 1:
        return None
    inner = hogqlx_values(tokens[index + 1 : end])
    return [_token(token, TokenType.L_PAREN, "("), *inner, _token(token, TokenType.R_PAREN, ")")], end + 1


def _object(tokens: list[Token], start: int) -> tuple[list[Token], int] | None:
    """`{'key': value, ...}` at `start` as its tuple, or None when the braces are not an object."""
    end = _closing_brace(tokens, start)
    if end is None:
        return None
    at = tokens[start]
    items: list[list[Token]] = [[_string(at, "__hx_tag")], [_string(at, "__hx_obj")]]
    index = start + 1
    while index < end:
        key, colon = tokens[index], tokens[index + 1]
        if key.token_type != TokenType.STRING or colon.token_type != TokenType.COLON:
            return None
        value_end = _item_end(tokens, index + 2, end)
        items += [[key], [_token(at, TokenType.L_PAREN, "("), *hogqlx_values(tokens[index + 2 : value_end])]]
        items[-1].append(_token(at, TokenType.R_PAREN, ")"))
        index = value_end + 1  # past the comma (or the closing brace)
    return _tuple(at, items), end + 1


def _closing_brace(tokens: list[Token], start: int) -> int | None:
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index].token_type == TokenType.L_BRACE:
            depth += 1
        elif tokens[index].token_type == TokenType.R_BRACE:
            depth -= 1
            if depth == 0:
                return index
    return None


def _item_end(tokens: list[Token], start: int, end: int) -> int:
    """Index of the comma ending the object item starting at `start` (or `end`), skipping nested brackets."""
    depth = 0
    for index in range(start, end):
        kind = tokens[index].token_type
        if kind in (TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE):
            depth += 1
        elif kind in (TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE):
            depth -= 1
        elif kind == TokenType.COMMA and depth == 0:
            return index
    return end


def _tuple(at: Token, items: list[list[Token]]) -> list[Token]:
    return _bracketed(at, items, TokenType.L_PAREN, "(", TokenType.R_PAREN, ")")


def _array(at: Token, items: list[list[Token]]) -> list[Token]:
    return _bracketed(at, items, TokenType.L_BRACKET, "[", TokenType.R_BRACKET, "]")


def _bracketed(at: Token, items: list[list[Token]], left, left_text, right, right_text) -> list[Token]:
    result = [_token(at, left, left_text)]
    for position, item in enumerate(items):
        if position:
            result.append(_token(at, TokenType.COMMA, ","))
        result.extend(item)
    return [*result, _token(at, right, right_text)]


def _string(at: Token, text: str) -> Token:
    return _token(at, TokenType.STRING, text)


def _token(at: Token, kind: TokenType, text: str) -> Token:
    return Token(kind, text, at.line, at.col, at.start, at.end)
