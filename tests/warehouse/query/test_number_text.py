"""A number as text (toString, concat, `||`, concatWithSeparator) is written as ClickHouse writes it, on every engine.

ClickHouse writes a Float64 or Float32 with its shortest round-trip digits, plainly for 1e-6 <= |x| < 1e21 and with a
bare exponent outside; a Decimal without trailing zeros. DuckDB wrote `1.0`, `1e+20`, `1e-07`, `-0.0`, `-nan` and
`2.50` (warehouse/engine/duckdb/number_text.py). The expected texts are chdb's answers.
"""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

# query -> the text ClickHouse answers
TEXTS = [
    ("select toString(1.0) as x", "1"),
    ("select toString(100.0) as x", "100"),
    ("select toString(2.5) as x", "2.5"),
    ("select toString(round(2.5)) as x", "2"),
    ("select toString(0.1 + 0.2) as x", "0.30000000000000004"),
    ("select toString(1e15) as x", "1000000000000000"),
    ("select toString(1e20) as x", "100000000000000000000"),
    ("select toString(12345678901234567890.0) as x", "12345678901234567000"),
    ("select toString(1e21) as x", "1e21"),
    ("select toString(1.7976931348623157e308) as x", "1.7976931348623157e308"),
    ("select toString(1e-4) as x", "0.0001"),
    ("select toString(1e-6) as x", "0.000001"),
    ("select toString(1e-7) as x", "1e-7"),
    ("select toString(-1.5e-10) as x", "-1.5e-10"),
    ("select toString(5e-324) as x", "5e-324"),
    ("select toString(-0.0) as x", "-0"),
    ("select toString(1 / 0) as x", "inf"),
    ("select toString(-1 / 0) as x", "-inf"),
    ("select toString(0 / 0) as x", "nan"),
    ("select toString(toFloat32(1)) as x", "1"),
    ("select toString(toFloat32(0.1)) as x", "0.1"),
    ("select toString(toFloat32(1319781.75)) as x", "1319781.8"),  # DuckDB wrote the Float32's 9 digits
    ("select toString(toFloat32(1e20)) as x", "100000000000000000000"),
    ("select toString(toFloat32(3.4e38)) as x", "3.4e38"),
    ("select toString(toDecimal(2.50, 2)) as x", "2.5"),
    ("select toString(toDecimal(100, 2)) as x", "100"),
    ("select toString(1) as x", "1"),
    ("select toString('abc.0') as x", "abc.0"),
    ("select toString(avg(x)) as x from (select arrayJoin([1, 2]) as x)", "1.5"),
    ("select toString(length(toString(1.0))) as x", "1"),
    ("select concat('a', 1.0) as x", "a1"),
    ("select concat('a', 0.1 + 0.2) as x", "a0.30000000000000004"),
    ("select 'v' || 1e21 as x", "v1e21"),
    ("select concatWithSeparator('-', 1.0, 2.5) as x", "1-2.5"),
]


@pytest.mark.parametrize(("sql", "text"), TEXTS)
def test_a_number_is_written_as_clickhouse_writes_it(api, project, engine_name, sql, text):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [[text]]


def test_each_row_of_a_float_column_is_written_as_clickhouse_writes_it(api, project, engine_name):
    sql = "select toString(x) as t from (select arrayJoin([1.5, 2.0, -0.0, 1e25, 1e-9, 1e20]) as x)"
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert [row[0] for row in response.json()["results"]] == [
        "1.5",
        "2",
        "-0",
        "1e25",
        "1e-9",
        "100000000000000000000",
    ]


@pytest.mark.parametrize(
    "call",
    ["toString(length(%s))", "length(%s)", "toInt64(toString(%s))", "toString([%s])", "toString((%s, 1))"],
)
def test_nested_calls_that_write_their_argument_several_times_grow_duckdb_sql_linearly(call):
    """Each of these writes its argument several times (once per typeof() branch): nested, the SQL grew threefold or
    more per level (length() 10 deep: 3**10 copies of x) before such an argument was bound once through a lambda.
    An array or tuple of a text is written from its JSON and DuckDB's text, token by token: no copy per level."""
    import sqlglot

    from warehouse.engine.duckdb.dialect import to_sql

    expression = "x"
    for _ in range(8 if call.count("(") == 2 else 10):
        expression = call % expression
    tree = sqlglot.parse_one(f"select {expression} from t", dialect="clickhouse")
    assert len(to_sql(tree)) < 200_000
