"""A string beside an interval is a date-time, as ClickHouse reads it (`'2024-01-01' + INTERVAL 1 DAY`), on every
engine: DuckDB could not choose an operator for text and an interval (its binder error) until
warehouse/engine/duckdb/dates.py cast the string. The expected values are chdb's answers."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

# query -> the date-time ClickHouse answers
ANSWERS = [
    ("select '2024-01-01' + interval 1 day as x", "2024-01-02T00:00:00"),
    ("select '2024-01-01' - interval 1 day as x", "2023-12-31T00:00:00"),
    ("select '2024-01-01 10:00:00' + interval 1 hour as x", "2024-01-01T11:00:00"),
    ("select '2024-01-31' + interval 1 month as x", "2024-02-29T00:00:00"),
    ("select '2024-01-01' + interval 1 week as x", "2024-01-08T00:00:00"),
    ("select '2024-01-01' + interval 1 second as x", "2024-01-01T00:00:01"),
    ("select '2024-01-01T10:00:00Z' + interval 1 day as x", "2024-01-02T10:00:00"),
    ("select '2024-01-01T10:00:00+02:00' + interval 1 day as x", "2024-01-02T08:00:00"),  # in UTC
    ("select toStartOfDay('2024-01-05' - interval 2 day) as x", "2024-01-03T00:00:00"),
]


@pytest.mark.parametrize(("sql", "value"), ANSWERS)
def test_a_string_beside_an_interval_is_a_date_time(api, project, engine_name, sql, value):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"][0][0].startswith(value)


def test_a_property_beside_an_interval_is_a_date_time(api, project, engine_name):
    response = run_query(api, project, "select properties.$time + interval 1 day as x from events limit 1")
    assert response.status_code == 200, response.json()


def test_a_string_that_is_no_date_time_beside_an_interval_is_refused(api, project, engine_name):
    response = run_query(api, project, "select 'abc' + interval 1 day as x")
    assert response.status_code == 400, response.json()
