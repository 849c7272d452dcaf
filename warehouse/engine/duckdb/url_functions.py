"""ClickHouse URL functions that read a URL's parts by position, in DuckDB's terms (used by functions.py).

ClickHouse reads a URL without validating it: the query string starts at the first `?` (even inside a fragment:
queryString('/p#f?x') is 'x'), the fragment at the first `#`, the path at the first `/` after the scheme and host.
Each regular expression below gave ClickHouse's answer on the same URLs (chdb). The host functions (domain,
topLevelDomain, port, cutWWW, firstSignificantSubdomain, ...) and URL parameters are not translated: ClickHouse's
rules for user info, ports and hosts without a dot are its own, and stay refused on DuckDB.
"""

from collections.abc import Callable

from sqlglot import exp

Builder = Callable[[list[exp.Expr]], exp.Expr]
# A URL that names its host: `scheme://host` or `//host`; any other reads its host up to the first / ? or #.
_WITH_HOST = "^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//"
_HOST = "[^/?#]*"


def _call(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _string(text: str) -> exp.Expr:
    return exp.Literal.string(text)


def _group(pattern: str) -> Builder:
    """The first group of `pattern` in the URL, '' when it does not match."""
    return lambda args: _call("regexp_extract", args[0], _string(pattern), exp.Literal.number(1))


def _cut(pattern: str) -> Builder:
    """The URL less the first match of `pattern`."""
    return lambda args: _call("regexp_replace", args[0], _string(pattern), _string(""))


def _path(rest: str) -> Builder:
    """The path (from the first `/` after the host) followed by `rest`; '' without one."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        def after(prefix: str) -> exp.Expr:
            pattern = _string(f"(?s){prefix}{_HOST}(/{rest})")
            return _call("regexp_extract", args[0].copy(), pattern, exp.Literal.number(1))

        with_host = _call("regexp_matches", args[0].copy(), _string(_WITH_HOST))
        return exp.Case(ifs=[exp.If(this=with_host, true=after(_WITH_HOST))], default=after("^"))

    return build


def _before_first(args: list[exp.Expr]) -> exp.Expr:
    """cutQueryStringAndFragment: the URL up to its first `?`, or without one up to its first `#`."""
    url = args[0]
    has_question = _call("contains", url.copy(), _string("?"))
    return exp.Case(
        ifs=[exp.If(this=has_question, true=_cut("(?s)\\?.*")([url.copy()]))],
        default=_cut("(?s)#.*")([url.copy()]),
    )


def query_string_and_fragment(args: list[exp.Expr]) -> exp.Expr:
    """Everything after the first `?`; without one, the fragment with its `#`."""
    url = args[0]
    after_question = _call("regexp_extract", url.copy(), _string("(?s)\\?(.*)"), exp.Literal.number(1))
    fragment = _call("regexp_extract", url.copy(), _string("(?s)(#.*)"), exp.Literal.number(1))
    has_question = _call("contains", url.copy(), _string("?"))
    return exp.Case(ifs=[exp.If(this=has_question, true=after_question)], default=fragment)


TRANSLATIONS: dict[str, Builder] = {
    "protocol": _group("^([a-zA-Z][a-zA-Z0-9+.-]*):"),
    "path": _path("[^?#]*"),
    "pathfull": _path(".*"),
    "querystring": _group("\\?([^#]*)"),
    "fragment": _group("(?s)#(.*)"),
    "querystringandfragment": query_string_and_fragment,
    "cutquerystring": _cut("\\?[^#]*"),
    "cutfragment": _cut("(?s)#.*"),
    "cutquerystringandfragment": _before_first,
    "decodeurlcomponent": lambda args: _call("url_decode", args[0]),
    "encodeurlcomponent": lambda args: _call("url_encode", args[0]),
    "decodeurlformcomponent": lambda args: _call(
        "url_decode", _call("replace", args[0], _string("+"), _string(" "))
    ),
    "encodeurlformcomponent": lambda args: _call(
        "replace", _call("url_encode", args[0]), _string("%20"), _string("+")
    ),
}
ARITY = {(1, 1): " ".join(TRANSLATIONS)}
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {}
