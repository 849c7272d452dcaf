"""Analysis bounds: text, syntax-tree size, nesting depth and time, each a HogQLError naming the limit."""

import pytest

from tests.warehouse.hogql_support import analyze
from warehouse.hogql import HogQLError

NODES = "more than 10,000 syntax elements (WAREHOUSE_HOGQL_MAX_NODES)"
DEPTH = "more than 32 levels deep (WAREHOUSE_HOGQL_MAX_DEPTH)"


def _union(arms: int) -> str:
    return " union all ".join(f"select {i}" for i in range(arms))


@pytest.mark.parametrize(
    ("sql", "limit"),
    [
        (_union(4000), NODES),  # the 76 KB query: under the size cap, 37-58 s to analyse
        ("select " + "+".join(["1"] * 10_000), NODES),
        ("select 1 from events where " + " or ".join(["event = 'x'"] * 3000), NODES),
        ("select " + "(" * 10_000 + "1" + ")" * 10_000, NODES),
        ("select " + "(" * 33 + "1" + ")" * 33, DEPTH),
        ("select " + "abs(" * 33 + "1" + ")" * 33, DEPTH),
        ("select " + "[" * 40 + "1" + "]" * 40, DEPTH),
        ("select * from " + "(select * from " * 33 + "events" + ")" * 33, DEPTH),
        ("select " + "not " * 40 + "1", DEPTH),
        ("select " + "- " * 40 + "1", DEPTH),
        ("select " + "1 ? 2 : " * 40 + "0", DEPTH),
        # A name read twice per level doubles the substituted tree each level: 2^30 nodes, stopped while copying.
        ("with 1 as a0, " + ", ".join(f"a{i - 1} + a{i - 1} as a{i}" for i in range(1, 30)) + " select a29", NODES),
        ("select (1 as x0), " + ", ".join(f"(x{i - 1} + x{i - 1} as x{i})" for i in range(1, 30)), NODES),
        # Called lambdas expanded on the tokens: each level quadruples its argument (was the 5 s time limit).
        ("select " + "(x -> x + x + x + x)(" * 8 + "1" + ")" * 8, NODES),
    ],
    ids=["union-4000", "plus-10k", "or-3000", "parens-10k", "parens-33", "calls-33", "arrays-40", "subqueries-33",
         "not-40", "minus-40", "ternary-40", "with-doubling-30", "alias-doubling-30", "lambda-calls-8"],
)  # fmt: skip
def test_over_a_bound_is_refused_naming_it(catalog, settings, sql, limit):
    # the size and depth bounds, not the time one (loaded CI)
    settings.WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS = 120
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert str(caught.value).endswith(limit)


@pytest.mark.parametrize(
    "sql",
    [
        "select " + "(" * 32 + "1" + ")" * 32,
        "select * from " + "(select * from " * 30 + "events" + ")" * 30,
        "select " + "not " * 30 + "1",
        "select event from events where " + " or ".join(f"event = 'e{i}'" for i in range(1000)),
        _union(300),
    ],
    ids=["parens-32", "subqueries-30", "not-30", "or-1000", "union-300"],
)
def test_at_the_bounds_a_query_is_analysed(catalog, settings, sql):
    settings.WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS = 120  # as above: on a loaded host union-300 neared 5 s
    assert analyze(sql, catalog).engine_sql


def test_the_text_size_is_bounded(catalog, settings):
    settings.WAREHOUSE_HOGQL_MAX_QUERY_CHARS = 50
    with pytest.raises(HogQLError, match=r"longer than 50 characters \(WAREHOUSE_HOGQL_MAX_QUERY_CHARS\)"):
        analyze("select event from events where event = 'a long enough value'", catalog)


def test_the_bounds_come_from_settings(catalog, settings):
    settings.WAREHOUSE_HOGQL_MAX_NODES = 20
    with pytest.raises(HogQLError, match=r"more than 20 syntax elements"):
        analyze(_union(5), catalog)
    settings.WAREHOUSE_HOGQL_MAX_DEPTH = 3
    with pytest.raises(HogQLError, match=r"more than 3 levels deep"):
        analyze("select ((((1))))", catalog)


def test_analysis_has_a_time_limit(catalog, settings):
    settings.WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS = 0
    with pytest.raises(HogQLError) as caught:
        analyze("select event from events", catalog)
    assert str(caught.value) == (
        "Invalid query: analysing the query took longer than 0 seconds "
        "(WAREHOUSE_HOGQL_ANALYSIS_TIMEOUT_SECONDS); simplify it"
    )


def test_long_and_or_chains_keep_their_meaning_and_text(catalog):
    conditions = [f"event = 'e{i}'" for i in range(40)]
    analyzed = analyze("select event from events where " + " or ".join(conditions), catalog)
    assert analyzed.hogql == "SELECT event FROM events WHERE " + " OR ".join(conditions)
    assert analyzed.engine_sql.count(" OR ") == 39
