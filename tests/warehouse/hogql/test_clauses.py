"""Nothing the parser accepts is dropped: every clause argument is executed or refused (a 400 naming it)."""

import pytest
from sqlglot import exp

from tests.warehouse.hogql_support import analyze
from warehouse.hogql import HogQLError
from warehouse.hogql.clause_policy import POLICY


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


@pytest.mark.parametrize("node", sorted(POLICY, key=lambda cls: cls.__name__), ids=lambda cls: cls.__name__)
def test_every_argument_the_parser_can_set_is_executed_or_refused(node):
    """A parser upgrade that adds a clause (a new argument) fails here until the clause is classified."""
    executed, refused = POLICY[node]
    assert not executed & set(refused), "a clause cannot be both executed and refused"
    assert set(node.arg_types) == executed | set(refused)


def test_every_kind_of_query_node_has_a_policy():
    assert _subclasses(exp.Query) <= set(POLICY)


@pytest.mark.engines("duckdb", reason="the clauses DuckDB refuses, by DuckDB's message")
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select event from events order by event with fill", "WITH FILL"),
        ("select event, count() from events group by event with rollup", "WITH ROLLUP"),
        ("select event, count() from events group by event with cube", "WITH CUBE"),
        (
            "select 1 from events any left join persons on events.person_id > persons.id",
            "ANY JOIN on anything but equalities with the joined table's columns",
        ),
        ("select 1 from events paste join persons", "PASTE JOIN"),
        ("select 1 from events right semi join persons on events.person_id = persons.id", "RIGHT SEMI JOIN"),
        ("select event from events t(a)", "column aliases on a table"),
        ("select count() from events sample 0", "SAMPLE with a size that is not a positive number"),
        (
            "select 1 from events sample 1/2 full join persons on persons.id = events.person_id",
            "SAMPLE on a table of a FULL JOIN or a JOIN ... USING, or beside a RIGHT or FULL JOIN",
        ),
    ],
)
def test_clauses_the_engine_cannot_run_are_refused_by_name(catalog, sql, message):
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert str(caught.value) == f"Invalid query: {message} is not supported by the DuckDB engine"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select count() from groups sample 1/2", "SAMPLE is only supported on the events table"),
        ("select event from events limit 2 with ties", "LIMIT ... WITH TIES needs an ORDER BY"),
    ],
)
def test_clauses_used_where_they_have_no_meaning_are_refused(catalog, sql, message):
    with pytest.raises(HogQLError, match=message):
        analyze(sql, catalog)


@pytest.mark.engines("duckdb", reason="asserts the DuckDB SQL it prints")
@pytest.mark.parametrize(
    ("sql", "engine_sql"),
    [
        ("select event from events prewhere event = 'signup'", 'WHERE ("events"."event" = \'signup\')'),
        ("select event from events final", 'FROM "project_7"."main"."events" AS "events"'),
        ("select 1 from events global join persons on 1 = 1", "JOIN"),
        ("select 1 from events all inner join persons on 1 = 1", "INNER JOIN"),
        (
            "select event from events order by event limit 1 by event",
            "QUALIFY ROW_NUMBER() OVER (PARTITION BY",
        ),
        ("select event from events order by event limit 1 with ties", "QUALIFY RANK() OVER (ORDER BY"),
    ],
)
def test_clickhouse_clauses_are_printed_with_their_meaning(catalog, sql, engine_sql):
    printed = analyze(sql, catalog).engine_sql
    assert engine_sql in printed
    for dropped in ("PREWHERE", "FINAL", "GLOBAL", "ALL INNER", "LIMIT 1 BY", "WITH TIES"):
        assert dropped not in printed
