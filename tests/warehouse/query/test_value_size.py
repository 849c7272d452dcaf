"""A value built in the engine (repeat, leftPad/rightPad, range) is bounded before it is built, not only the page."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db(transaction=True)
LIMIT = 1000


@pytest.fixture(autouse=True)
def small_values(settings):
    settings.WAREHOUSE_HOGQL_MAX_VALUE_SIZE = LIMIT


@pytest.mark.engines(
    "duckdb",
    reason="DuckDB's own check of repeat/leftPad/range sizes; ClickHouse stops such values at max_memory_usage",
)
@pytest.mark.parametrize(
    ("sql", "function"),
    [
        ("select repeat('a', 1000000000) as big", "repeat"),
        ("select length(repeat('a', 1001)) as n", "repeat"),
        ("select leftPad('a', 5000, 'x') as s", "leftPad"),
        ("select rightPad('a', 5000, 'x') as s", "rightPad"),
        ("select length(range(100000)) as n", "range"),
        ("select length(range(5, 100000)) as n", "range"),
        ("select length(range(0, 100000, 2)) as n", "range"),
        ("select repeat(event, toInt(length(event)) * 1000) as s from events limit 1", "repeat"),
    ],
)
def test_a_value_over_the_size_limit_is_a_400_naming_the_function(api, project, seed, sql, function):
    seed(project, events=5)
    response = run_query(api, project, sql)
    assert response.status_code == 400, response.json()
    detail = response.json()["detail"]
    assert f"{function}() would build a value larger than {LIMIT}" in detail
    assert "WAREHOUSE_HOGQL_MAX_VALUE_SIZE" in detail


@pytest.mark.engines("clickhouse", reason="DuckDB checks the value's size first (the test above)")
def test_on_clickhouse_a_huge_value_is_stopped_by_the_memory_limit_with_a_400(api, project, seed):
    seed(project, events=5)
    response = run_query(api, project, "select repeat('a', 1000000000) as big")
    assert response.status_code == 400, response.json()
    assert response.json()["attr"] == "query" and "memory limit" in response.json()["detail"]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select length(repeat('ab', 500)) as n", 1000),
        ("select length(leftPad('a', 1000, 'x')) as n", 1000),
    ],
)
def test_values_within_the_limit_keep_clickhouse_meaning(api, project, seed, sql, expected):
    seed(project, events=5)
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [[expected]]


@pytest.mark.parametrize(
    ("sql", "first", "last"),
    [
        ("select range(1000) as r", 0, 999),
        ("select range(1000000, 1001000) as r", 1000000, 1000999),  # a large start is not a large range
        ("select range(0, 2000, 2) as r", 0, 1998),
    ],
)
def test_ranges_within_the_limit_keep_clickhouse_meaning(api, project, seed, sql, first, last):
    seed(project, events=5)
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    [[values]] = response.json()["results"]
    assert (len(values), values[0], values[-1]) == (LIMIT, first, last)
