"""Regenerate posthog_corpus.sql: the HogQL that PostHog's own tests feed its parser, filtered by PostHog's parser.

Run with a Python that has PyPI `hogql-parser` (PostHog's C++ parser; keep it out of the project's venv):
    python3 -m venv /tmp/hp && /tmp/hp/bin/pip install hogql-parser==1.3.88
    /tmp/hp/bin/python benchmarks/hogql_conformance/posthog_corpus.py SOURCE.py... [--out FILE]

Each SOURCE is one of PostHog's test files (posthog/hogql/test/*.py from a checkout, or an excerpt of one holding
the lines with query strings); a first-line comment `... at <40-hex commit>` names the commit it was taken at.
Extracted: the string literals passed to `_select`, `_print_hogql`, `parse_select`, `execute_hogql_query`,
`_assert_select_error` (SELECT queries), to `_expr`, `parse_expr`, `_assert_expr_error` (expressions, run as
`select <expr> from events`, as PostHog's printer tests translate them over events), assigned to `query`/`q`, or listed in `queries = [...]`. Adjacent literals are joined as Python
joins them; an f-string keeps its `{...}` text, which makes it a placeholder query (below).

Each unique query is classed by PostHog's parser (`parse_select_json`): `rejected` (a syntax error there),
`placeholder` (has a `{name}` placeholder, which PostHog fills before running; not runnable as written),
`other_table` (names a table we do not serve; CTE names are ours), or `kept`. Only `kept` goes to the corpus.
The extension imports `posthog.hogql.errors` at import time; a stand-in module is put on the path for it.
"""

import argparse
import ast
import io
import json
import re
import sys
import tempfile
import tokenize
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SELECT_CALLS = {"_select", "_print_hogql", "parse_select", "execute_hogql_query", "_assert_select_error"}
EXPR_CALLS = {"_expr", "parse_expr", "_assert_expr_error"}
ASSIGNED = {"query", "q"}
OUR_TABLES = {"events", "persons", "sessions", "groups", "person_distinct_ids"}
ERRORS_STAND_IN = """
class BaseHogQLError(Exception):
    def __init__(self, message="", *, start=None, end=None, node=None, **kwargs):
        super().__init__(message)
        self.start, self.end = start, end
class ExposedHogQLError(BaseHogQLError): pass
class InternalHogQLError(BaseHogQLError): pass
class SyntaxError(ExposedHogQLError): pass
class QueryError(ExposedHogQLError): pass
class NotImplementedError(InternalHogQLError): pass
class ParsingError(InternalHogQLError): pass
class ResolutionError(InternalHogQLError): pass
class ImpossibleASTError(InternalHogQLError): pass
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sources", nargs="+")
    parser.add_argument("--out", default=str(HERE / "posthog_corpus.sql"))
    parser.add_argument("--excluded", help="write the excluded queries with their class to this file")
    options = parser.parse_args()
    hogql_parser = _import_posthog_parser()
    seen: set[str] = set()
    extracted: list[tuple[str, str]] = []  # (source label, query)
    for source in options.sources:
        text = Path(source).read_text()
        label = f"{Path(source).name} @ {_commit_of(text)}"
        for query in extract_queries(text):
            if query and query not in seen:
                seen.add(query)
                extracted.append((label, query))
    classes = [(label, query, classify(hogql_parser, query)) for label, query in extracted]
    counts = Counter(kind for _, _, kind in classes)
    print(f"extracted {len(extracted)} unique: " + ", ".join(f"{k} {counts[k]}" for k in sorted(counts)))
    _write_corpus(Path(options.out), classes, counts, len(extracted))
    if options.excluded:
        lines = [f"{kind}\t{label}\t{query}" for label, query, kind in classes if kind != "kept"]
        Path(options.excluded).write_text("\n".join(lines) + "\n")


def extract_queries(text: str) -> list[str]:
    """The HogQL strings in one test file's text, in order, each on one line."""
    tokens = [t for t in _tokens(text) if t.type not in (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE)]
    found = []
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME:
            continue
        after = tokens[i + 1 : i + 2]
        if token.string in SELECT_CALLS | EXPR_CALLS and after and after[0].string == "(":
            literal = _literal_at(tokens, i + 2)
            if literal:
                found.append(f"select {literal} from events" if token.string in EXPR_CALLS else literal)
        elif token.string in ASSIGNED and after and after[0].string == "=":
            literal = _literal_at(tokens, i + 2)
            if literal is not None:
                found.append(literal)
        elif token.string == "queries" and tokens[i + 1 : i + 3] and tokens[i + 2].string == "[":
            j = i + 3
            while j < len(tokens) and tokens[j].string != "]":
                if tokens[j].type == tokenize.STRING and tokens[j - 1].type != tokenize.STRING:
                    literal = _literal_at(tokens, j)
                    if literal:
                        found.append(literal)
                j += 1
    return [" ".join(line.strip() for line in query.strip().splitlines()) for query in found]


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            tokens.append(token)
    except (tokenize.TokenError, IndentationError):
        pass  # an excerpt may end inside an open call: what came before is what we need
    return tokens


def _literal_at(tokens: list[tokenize.TokenInfo], index: int) -> str | None:
    parts = []
    while index < len(tokens) and tokens[index].type in (
        tokenize.STRING,
        getattr(tokenize, "FSTRING_START", -1),
    ):
        parts.append(_string_value(tokens[index].string))
        index += 1
    if not parts:
        return None
    ends_line = index >= len(tokens) or tokens[index].start[0] > tokens[index - 1].end[0]
    if not ends_line and tokens[index].string not in (",", ")", "]"):
        return None  # not a plain literal (a .format() call, an operation, ...)
    return "".join(parts)


def _string_value(literal: str) -> str:
    prefix = re.match(r"[a-zA-Z]*", literal).group(0)
    if "f" in prefix.lower():
        literal = literal[len(prefix) :]  # keep `{...}` as written: a placeholder to us
        prefix = prefix.lower().replace("f", "")
        return ast.literal_eval(prefix + literal)
    return ast.literal_eval(literal)


def _commit_of(text: str) -> str:
    match = re.search(r"\bat ([0-9a-f]{40})\b", text.splitlines()[0] if text else "")
    return match.group(1) if match else "unknown commit"


def classify(hogql_parser, query: str) -> str:
    tree = json.loads(hogql_parser.parse_select_json(query))
    if tree.get("error"):
        return "rejected"
    nodes = list(_walk(tree))
    if any(node.get("node") == "Placeholder" for node in nodes):
        return "placeholder"
    ctes = {node["name"] for node in nodes if node.get("node") == "CTE"}
    tables = {
        ".".join(node["table"]["chain"])
        for node in nodes
        if node.get("node") == "JoinExpr" and (node.get("table") or {}).get("node") == "Field"
    }
    return "kept" if tables <= OUR_TABLES | ctes else "other_table"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _import_posthog_parser():
    try:
        import posthog.hogql.errors  # noqa: F401
    except ImportError:
        stand_in = Path(tempfile.mkdtemp(prefix="posthog-errors-")) / "posthog" / "hogql"
        stand_in.mkdir(parents=True)
        (stand_in.parent / "__init__.py").write_text("")
        (stand_in / "__init__.py").write_text("")
        (stand_in / "errors.py").write_text(ERRORS_STAND_IN)
        sys.path.insert(0, str(stand_in.parent.parent))
    import hogql_parser

    return hogql_parser


def _write_corpus(path: Path, classes: list[tuple[str, str, str]], counts: Counter, total: int) -> None:
    labels = list(dict.fromkeys(label for label, _, _ in classes))
    header = [
        "-- HogQL from PostHog's own tests (github.com/PostHog/posthog, MIT licence): the query strings of the files",
        "-- below, at the commits named, that PostHog's parser (PyPI hogql-parser 1.3.88) accepts, that have no",
        "-- {placeholder} and that name only tables we serve. Regenerate with posthog_corpus.py (see its docstring).",
        f"-- Extracted {total} unique; PostHog's parser rejects {counts['rejected']}; placeholders "
        f"{counts['placeholder']}; other tables {counts['other_table']}; kept {counts['kept']}.",
    ]
    lines = list(header)
    for label in labels:
        lines.append(f"-- from posthog/hogql/test/{label}")
        lines.extend(query for source, query, kind in classes if source == label and kind == "kept")
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
