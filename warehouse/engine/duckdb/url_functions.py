"""ClickHouse URL functions that read a URL's parts by position, in DuckDB's terms (used by functions.py).

ClickHouse reads a URL without validating it: the query string starts at the first `?` (even inside a fragment:
queryString('/p#f?x') is 'x'), the fragment at the first `#`, the path at the first `/` after the scheme and host.
Each regular expression below gave ClickHouse's answer on the same URLs (chdb). The host functions follow
ClickHouse's host rules (a `user@` skipped, no host after `user:password@`, none without a dot). netloc and
the URL parameter functions are not translated: their ClickHouse answers follow rules of their own.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.engine.duckdb.sql_builders import Builder, call

# A URL that names its host: `scheme://host` or `//host`; any other reads its host up to the first / ? or #.
_WITH_HOST = "^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//"
_HOST = "[^/?#]*"


def _string(text: str) -> exp.Expr:
    return exp.Literal.string(text)


def _group(pattern: str) -> Builder:
    """The first group of `pattern` in the URL, '' when it does not match."""
    return lambda args: call("regexp_extract", args[0], _string(pattern), exp.Literal.number(1))


def _cut(pattern: str) -> Builder:
    """The URL less the first match of `pattern`."""
    return lambda args: call("regexp_replace", args[0], _string(pattern), _string(""))


def _path(rest: str) -> Builder:
    """The path (from the first `/` after the host) followed by `rest`; '' without one."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        def after(prefix: str) -> exp.Expr:
            pattern = _string(f"(?s){prefix}{_HOST}(/{rest})")
            return call("regexp_extract", args[0].copy(), pattern, exp.Literal.number(1))

        with_host = call("regexp_matches", args[0].copy(), _string(_WITH_HOST))
        return exp.Case(ifs=[exp.If(this=with_host, true=after(_WITH_HOST))], default=after("^"))

    return build


def _before_first(args: list[exp.Expr]) -> exp.Expr:
    """cutQueryStringAndFragment: the URL up to its first `?`, or without one up to its first `#`."""
    url = args[0]
    has_question = call("contains", url.copy(), _string("?"))
    return exp.Case(
        ifs=[exp.If(this=has_question, true=_cut("(?s)\\?.*")([url.copy()]))],
        default=_cut("(?s)#.*")([url.copy()]),
    )


def query_string_and_fragment(args: list[exp.Expr]) -> exp.Expr:
    """Everything after the first `?`; without one, the fragment with its `#`."""
    url = args[0]
    after_question = call("regexp_extract", url.copy(), _string("(?s)\\?(.*)"), exp.Literal.number(1))
    fragment = call("regexp_extract", url.copy(), _string("(?s)(#.*)"), exp.Literal.number(1))
    has_question = call("contains", url.copy(), _string("?"))
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
    "decodeurlcomponent": lambda args: call("url_decode", args[0]),
    "encodeurlcomponent": lambda args: call("url_encode", args[0]),
    "decodeurlformcomponent": lambda args: call(
        "url_decode", call("replace", args[0], _string("+"), _string(" "))
    ),
    "encodeurlformcomponent": lambda args: call(
        "replace", call("url_encode", args[0]), _string("%20"), _string("+")
    ),
}
TYPED: dict[type[exp.Expr], Callable[[exp.Expr], exp.Expr]] = {}


# A host ClickHouse accepts: letters, digits, '-', '_' and non-ASCII characters, with a dot, not ending in one.
_HOST_CHARACTERS = "[a-zA-Z0-9_\\-\\x{80}-\\x{10FFFF}.]*\\.[a-zA-Z0-9_\\-\\x{80}-\\x{10FFFF}.]*[^.]"
# Second-level names under which the first significant subdomain is the third level (news.bbc.co.uk: bbc).
_GENERIC_SECOND_LEVEL = ("com", "net", "org", "co")


def _host_and_rest(url: exp.Expr) -> tuple[exp.Expr, exp.Expr]:
    """(the host as written, with any user info, up to the first : / ? or #; what follows it)."""

    def part(index: int) -> exp.Expr:
        def after(prefix: str) -> exp.Expr:
            pattern = _string(f"(?s){prefix}([^/?#:]*)(.*)")
            return call("regexp_extract", url.copy(), pattern, exp.Literal.number(index))

        with_host = call("regexp_matches", url.copy(), _string(_WITH_HOST))
        return exp.Case(ifs=[exp.If(this=with_host, true=after(_WITH_HOST))], default=after("^"))

    return part(1), part(2)


def _domain(url: exp.Expr) -> exp.Expr:
    """ClickHouse's domain(): the host after any `user@`, '' unless it is a host ClickHouse accepts."""
    written, _ = _host_and_rest(url)
    host = call("regexp_replace", written, _string("^.*@"), _string(""))
    valid = call("regexp_full_match", host.copy(), _string(_HOST_CHARACTERS))
    return exp.Case(ifs=[exp.If(this=valid, true=host)], default=_string(""))


def domain_without_www(args: list[exp.Expr]) -> exp.Expr:
    return call("regexp_replace", _domain(args[0]), _string("^www\\."), _string(""))


def top_level_domain(args: list[exp.Expr]) -> exp.Expr:
    """The domain's last label; '' for a number (an IPv4 address has none)."""
    last = call("regexp_extract", _domain(args[0]), _string("\\.([^.]*)$"), exp.Literal.number(1))
    numeric = call("regexp_full_match", last.copy(), _string("[0-9]*"))
    return exp.Case(ifs=[exp.If(this=numeric, true=_string(""))], default=last)


def port(args: list[exp.Expr]) -> exp.Expr:
    """The port written after a host ClickHouse accepts, else the default (0)."""
    default = args[1] if len(args) > 1 else exp.Literal.number(0)
    _, rest = _host_and_rest(args[0])
    digits = call("regexp_extract", rest, _string("^:([0-9]+)"), exp.Literal.number(1))
    has_host = exp.NEQ(this=_domain(args[0]), expression=_string(""))
    found = exp.And(this=has_host, expression=exp.NEQ(this=digits.copy(), expression=_string("")))
    number = exp.TryCast(this=digits, to=exp.DataType.build("USMALLINT", dialect="duckdb"))
    return exp.Case(
        ifs=[exp.If(this=found, true=exp.Coalesce(this=number, expressions=[default.copy()]))],
        default=default,
    )


def _significant_position(labels: exp.Expr) -> exp.Expr:
    """The label position (1 first) of the first significant subdomain: the second level, or the third where the
    second is com/net/org/co and there is a third; the one label of a domain that has one."""
    count = call("len", labels.copy())
    second = exp.Sub(this=count.copy(), expression=exp.Literal.number(1))
    generic = exp.In(
        this=call("list_extract", labels.copy(), second.copy()),
        expressions=[_string(name) for name in _GENERIC_SECOND_LEVEL],
    )
    third = exp.And(this=exp.GTE(this=count.copy(), expression=exp.Literal.number(3)), expression=generic)
    single = exp.LT(this=count.copy(), expression=exp.Literal.number(2))
    return exp.Case(
        ifs=[
            exp.If(this=single, true=exp.Literal.number(1)),
            exp.If(this=third, true=exp.Sub(this=count, expression=exp.Literal.number(2))),
        ],
        default=second,
    )


def _with_labels(args: list[exp.Expr], build) -> exp.Expr:
    """build(labels) over the labels of the domain without www., the domain computed once (bound by a lambda)."""
    labels = exp.column(exp.to_identifier("__labels", quoted=True))
    split = call("string_split", domain_without_www(args), _string("."))
    once = exp.Lambda(this=build(labels), expressions=[exp.to_identifier("__labels", quoted=True)])
    return call(
        "list_extract", call("list_transform", exp.Array(expressions=[split]), once), exp.Literal.number(1)
    )


def first_significant_subdomain(args: list[exp.Expr]) -> exp.Expr:
    def build(labels: exp.Expr) -> exp.Expr:
        label = call("list_extract", labels.copy(), _significant_position(labels))
        return exp.Coalesce(this=label, expressions=[_string("")])

    return _with_labels(args, build)


def cut_to_first_significant_subdomain(args: list[exp.Expr]) -> exp.Expr:
    """The domain from its first significant subdomain on ('' when that subdomain is empty)."""

    def build(labels: exp.Expr) -> exp.Expr:
        position = _significant_position(labels)
        kept = call(
            "array_to_string",
            call("list_slice", labels.copy(), position.copy(), call("len", labels.copy())),
            _string("."),
        )
        empty = exp.Coalesce(
            this=exp.EQ(this=call("list_extract", labels.copy(), position), expression=_string("")),
            expressions=[exp.true()],
        )
        return exp.Case(ifs=[exp.If(this=empty, true=_string(""))], default=kept)

    return _with_labels(args, build)


TRANSLATIONS.update(
    {
        "domain": lambda args: _domain(args[0]),
        "domainwithoutwww": domain_without_www,
        "topleveldomain": top_level_domain,
        "port": port,
        "firstsignificantsubdomain": first_significant_subdomain,
        "cuttofirstsignificantsubdomain": cut_to_first_significant_subdomain,
        # the www. starting the host of a URL written with // (after a user@, not after user:password@)
        "cutwww": lambda args: call(
            "regexp_replace",
            args[0],
            _string("^((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?:[^/?#:@]*@)?)www\\."),
            _string("\\1"),
        ),
    }
)
ARITY = {
    (1, 1): " ".join(name for name in TRANSLATIONS if name != "port"),
    (1, 2): "port",
}
