"""LIMIT and OFFSET take what ClickHouse takes (warehouse/hogql/limit_values.py): a whole number, or a fraction
between 0 and 1. Anything else is our 400 on every engine, before the engine runs (DuckDB read LIMIT 2.5 as 2 and
LIMIT '2' as 2; ClickHouse refuses both). A negative value or a share of the rows, which ClickHouse answers, is a
400 naming the DuckDB engine there (DuckDB refused the first in its own words and read the second as 0)."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

# query -> the 400's message, the same on every engine
REFUSED = [
    ("select 1 as x limit 2.5", "LIMIT 2.5 is neither a whole number nor a fraction between 0 and 1"),
    (
        "select 1 as x limit 1 offset 1.5",
        "OFFSET 1.5 is neither a whole number nor a fraction between 0 and 1",
    ),
    ("select 1 as x limit 1.5, 2", "OFFSET 1.5 is neither"),
    ("select 1 as x limit -2.5", "LIMIT -2.5 is neither"),
    ("select 1 as x limit 1e20", "LIMIT 1e20 is neither"),
    ("select 1 as x limit 18446744073709551616", "LIMIT 18446744073709551616 is neither"),
    ("select 1 as x limit 2 by x limit 2.5", "LIMIT 2.5 is neither"),
    ("select 1 as x limit '2'", "LIMIT takes a number, but '2' is not one"),
    ("select 1 as x limit 1 offset '0'", "OFFSET takes a number, but '0' is not one"),
    ("select 1 as x limit null", "LIMIT takes a number, but NULL is not one"),
]
# query -> the rows, the same on every engine
ANSWERED = [
    ("select 1 as x limit 2.0", [[1]]),
    ("select 1 as x limit 1e0", [[1]]),
    ("select 1 as x limit 3.0 offset 1.0", []),
    ("select 1 as x limit 2.5 by x", [[1]]),  # LIMIT n BY takes any number on ClickHouse
    ("select 1 as x limit 1 + 1", [[1]]),
]


@pytest.mark.parametrize(("sql", "message"), REFUSED)
def test_a_limit_clickhouse_refuses_is_our_400(api, project, engine_name, sql, message):
    response = run_query(api, project, sql)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert message in body["detail"] and body["attr"] == "query"


@pytest.mark.parametrize(("sql", "rows"), ANSWERED)
def test_a_whole_limit_is_answered(api, project, engine_name, sql, rows):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == rows


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select 1 as x limit -1", "a negative LIMIT (LIMIT -1, rows counted from the end)"),
        ("select 1 as x limit 1 offset -1", "a negative OFFSET"),
        ("select 1 as x limit 0.5", "a LIMIT between 0 and 1 (LIMIT 0.5, a share of the rows)"),
        ("select 1 as x limit 1 offset 0.5", "an OFFSET between 0 and 1"),
    ],
)
def test_a_limit_duckdb_cannot_answer_as_clickhouse_is_refused_there(api, project, engine_name, sql, message):
    response = run_query(api, project, sql)
    if engine_name == "clickhouse":
        assert response.status_code == 200, response.json()
    else:
        assert response.status_code == 400, response.json()
        assert message in response.json()["detail"] and "DuckDB engine" in response.json()["detail"]
