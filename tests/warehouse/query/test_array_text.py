"""An array or tuple as text (toString, concat, `||`, concatWithSeparator) is written as ClickHouse writes it, on
every engine.

ClickHouse separates the elements with `,` and no space, quotes a string, a date or a date-time inside (`'it\\'s'`,
`'2024-01-01'`), writes a number as its number text (`1`, `1e21`), a NULL as `NULL`, a Bool as `true`. DuckDB wrote
`[1.0, 2.5]`, `(1.0, a)`, `[it's]` (warehouse/engine/duckdb/number_text.py). The expected texts are chdb's answers.
"""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

# query -> the text ClickHouse answers
TEXTS = [
    ("select toString([1.0, 2.5]) as x", "[1,2.5]"),
    ("select toString((1.0, 'a')) as x", "(1,'a')"),
    ("select toString([1, 2, 3]) as x", "[1,2,3]"),
    ("select toString([]) as x", "[]"),
    ("select toString(tuple(1)) as x", "(1)"),
    ("select toString([NULL, 1]) as x", "[NULL,1]"),
    ("select toString([NULL]) as x", "[NULL]"),
    ("select toString((1, NULL, 'a')) as x", "(1,NULL,'a')"),
    ("select toString([[1, 2], [3], []]) as x", "[[1,2],[3],[]]"),
    ("select toString([[[1.5]], [[2.0, 3.0]]]) as x", "[[[1.5]],[[2,3]]]"),
    ("select toString([(1, 'a'), (2, 'b')]) as x", "[(1,'a'),(2,'b')]"),
    ("select toString(([1, 2], 'x', (3.0, [4.5]))) as x", "([1,2],'x',(3,[4.5]))"),
    (
        "select toString([1e21, 1e20, 1e-7, 0.1 + 0.2, -0.0]) as x",
        "[1e21,100000000000000000000,1e-7,0.30000000000000004,-0]",
    ),
    ("select toString([1 / 0, -1 / 0, 0 / 0]) as x", "[inf,-inf,nan]"),
    (
        "select toString([toFloat32(1319781.75), toFloat32(0.1), toFloat32(3.4e38)]) as x",
        "[1319781.8,0.1,3.4e38]",
    ),
    ("select toString([toDecimal(2.50, 2), toDecimal(100, 2)]) as x", "[2.5,100]"),
    ("select toString(['a', 'b']) as x", "['a','b']"),
    ("select toString(['it''s', 'back\\\\slash']) as x", "['it\\'s','back\\\\slash']"),
    (
        "select toString(['a, b', 'x]y', '(', ' s', 'NULL', '', '1', 'true']) as x",
        "['a, b','x]y','(',' s','NULL','','1','true']",
    ),
    ("select toString(['tab\\there', 'new\\nline', 'cr\\r']) as x", "['tab\\there','new\\nline','cr\\r']"),
    ("select toString(['é', '日本']) as x", "['é','日本']"),
    ("select toString(['{\"a\": [1, 2]}']) as x", "['{\"a\": [1, 2]}']"),
    ("select toString([toDate('2024-01-01')]) as x", "['2024-01-01']"),
    ("select toString([toDateTime('2024-01-01 10:20:30')]) as x", "['2024-01-01 10:20:30']"),
    ("select toString((toDate('2024-01-01'), 1)) as x", "('2024-01-01',1)"),
    ("select toString([true, false]) as x", "[true,false]"),
    ("select toString((1, true)) as x", "(1,true)"),
    ("select toString(arrayMap(x -> x * 1.5, [1, 2])) as x", "[1.5,3]"),
    ("select toString(splitByChar(',', 'a,b')) as x", "['a','b']"),
    ("select toString(length(toString([1.0]))) as x", "3"),
    ("select toString([toString([1.0, 2.0])]) as x", "['[1,2]']"),
    ("select concat('x', [1.0, 2.5]) as x", "x[1,2.5]"),
    ("select 'v' || (1.0, 'a') as x", "v(1,'a')"),
    ("select concatWithSeparator('-', [1.0], (2.5, 'b')) as x", "[1]-(2.5,'b')"),
]


@pytest.mark.parametrize(("sql", "text"), TEXTS)
def test_an_array_or_tuple_is_written_as_clickhouse_writes_it(api, project, engine_name, sql, text):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [[text]]


def test_each_row_of_an_array_column_is_written_as_clickhouse_writes_it(api, project, engine_name):
    sql = (
        "select toString(a) as t from (select arrayJoin([[1.5, 2.0], [], [-0.0, 1e25]]) as a) "
        "union all select toString(b) from (select arrayJoin([('x', 1), ('it''s', 2)]) as b)"
    )
    response = run_query(api, project, f"select t from ({sql}) order by t")
    assert response.status_code == 200, response.json()
    assert [row[0] for row in response.json()["results"]] == sorted(
        ["[1.5,2]", "[]", "[-0,1e25]", "('x',1)", "('it\\'s',2)"]
    )


@pytest.mark.engines("duckdb", reason="the SQL DuckDB is given")
@pytest.mark.parametrize(
    ("expression", "has_array_branch"),
    [
        ("uuid", False),  # a core column typed string
        ("properties", False),  # a core table's JSON text
        ("properties.$browser", False),
        ("timestamp", False),
        ("1.5", False),
        ("count()", False),
        ("elements_chain_texts", True),  # typed array
        ("[1.5]", True),
        ("e.uuid", False),  # read from `events as e`
        ("x", False),  # a subquery's output that is a constant
        ("s.a", True),  # a subquery's output that is an array
        ("s.ev", False),  # a subquery's output that is a core column typed string
        ("s.f", True),  # a subquery's output of a function whose type DuckDB tells
        ("s.dup", False),  # two outputs of that name: ClickHouse numbers the second, so this one is the first
    ],
)
def test_duckdb_is_given_the_array_branch_only_where_the_value_may_be_an_array(
    api, project, expression, has_array_branch
):
    """The branch that writes an array or tuple costs DuckDB ~10 ms to bind, whatever the value's type: a value
    known to be no array (a catalog column typed so, a property, a constant, a count, a subquery's output of such)
    goes without it."""
    subquery = "select 1.5 as x, [1] as a, event as ev, lower(event) as f, 1 as dup from events limit 1"
    sql = f"select toString({expression}) from ({subquery}) as s, events as e"
    body = run_query(api, project, sql).json()
    assert body.get("engine_sql") is not None, body
    assert ("to_json" in body["engine_sql"].lower()) is has_array_branch, body


@pytest.mark.engines("duckdb", reason="the SQL DuckDB is given")
@pytest.mark.parametrize(
    ("sql", "has_array_branch"),
    [
        ("with c as (select event from events) select toString(event) from c", False),
        ("with c as (select groupArray(event) as g from events) select toString(g) from c", True),
        ("select toString(n) from (select m + 1 as n from (select count() as m from events))", False),
        ("select concat(a, b) from (select event as a, distinct_id as b from events)", False),
        ("select toString(x) from (select event as x from events union all select event from events)", True),
    ],
)
def test_a_subquery_or_cte_output_known_to_be_no_array_passes_the_knowledge_on(
    api, project, sql, has_array_branch
):
    body = run_query(api, project, sql).json()
    assert body.get("engine_sql") is not None, body
    assert ("to_json" in body["engine_sql"].lower()) is has_array_branch, body


def test_a_view_over_scalar_columns_gives_its_readers_no_array_branch(api, project, engine_name):
    created = api.post(
        f"/api/environments/{project.pk}/warehouse_saved_queries/",
        {
            "name": "event_names",
            "query": {"kind": "HogQLQuery", "query": "select event, [1, 2] as a from events"},
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    response = run_query(
        api, project, "select concat(event, '!') as e, toString(a) as t from event_names limit 1"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    if engine_name == "duckdb":  # one argument may be an array (a), the other is known to be none (event)
        sql = body["engine_sql"].lower()
        assert 'to_json("event_names"."a")' in sql and 'to_json("event_names"."event")' not in sql, sql
