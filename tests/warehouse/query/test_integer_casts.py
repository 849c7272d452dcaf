"""Conversions to integers answer as on ClickHouse, on every engine (warehouse/engine/duckdb/integer_casts.py).

HogQL's toInt is ClickHouse's accurateCastOrNull(x, 'Int64'): a float that is not a whole number, or a string that
is not an integer, is NULL (DuckDB's cast rounded: 3 for '2.5', 4 for 3.7); a Decimal drops its fraction. The
fixed widths (toInt64 ... toUInt8) truncate toward zero (DuckDB rounded -2.7 to -3) and refuse a string that is
not an integer (DuckDB read '2.5' as 3). The expected values are chdb's answers.
"""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

# query -> the value ClickHouse answers
VALUES = [
    ("select toInt(2.5) as x", None),
    ("select toInt(-2.5) as x", None),
    ("select toInt(3.7) as x", None),
    ("select toInt(2.0) as x", 2),
    ("select toInt(toFloat32(2.5)) as x", None),
    ("select toInt(1e20) as x", None),
    ("select toInt(0 / 0) as x", None),
    ("select toInt(-9223372036854775808.0) as x", -9223372036854775808),
    ("select toInt('12') as x", 12),
    ("select toInt('+12') as x", 12),
    ("select toInt('-007') as x", -7),
    ("select toInt('2.5') as x", None),
    ("select toInt(' 12') as x", None),
    ("select toInt('1e3') as x", None),
    ("select toInt('abc') as x", None),
    ("select toInt('9223372036854775808') as x", None),
    ("select toInt(toDecimal(2.5, 1)) as x", 2),
    ("select toInt(toDecimal(-2.99, 2)) as x", -2),
    ("select toInt(true) as x", 1),
    ("select toInt(NULL) as x", None),
    ("select toInt64(2.5) as x", 2),
    ("select toInt64(-2.7) as x", -2),
    ("select toInt64('12') as x", 12),
    ("select toInt64(toDecimal(-2.99, 2)) as x", -2),
    ("select toInt32(2.5) as x", 2),
    ("select toInt32(-2.7) as x", -2),
    ("select toInt16(2.7) as x", 2),
    ("select toInt8(-2.7) as x", -2),
    ("select toUInt8(2.5) as x", 2),
    ("select toUInt16(2.7) as x", 2),
    ("select toUInt32(7.9) as x", 7),
    ("select toUInt64(2.5) as x", 2),
    ("select toInt64(toInt64(toInt(toString(2.0)))) as x", 2),
    # toIntOrNull is toInt64OrNull: a String that is an integer, else NULL (DuckDB's TRY_CAST read '2.5' as 3)
    ("select toIntOrNull('2.5') as x", None),
    ("select toIntOrNull(' 12') as x", None),
    ("select toIntOrNull('12 ') as x", None),
    ("select toIntOrNull('+12') as x", 12),
    ("select toIntOrNull('-7') as x", -7),
    ("select toIntOrNull('') as x", None),
    ("select toIntOrNull('99999999999999999999') as x", None),
    ("select toIntOrNull('0x1A') as x", None),
    ("select toIntOrNull('1e3') as x", None),
    ("select toIntOrNull(NULL) as x", None),
]


@pytest.mark.parametrize(("sql", "value"), VALUES)
def test_a_conversion_to_an_integer_answers_as_clickhouse(api, project, engine_name, sql, value):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [[value]]


@pytest.mark.parametrize("sql", ["select toInt64('2.5') as x", "select toInt32('12abc') as x"])
def test_a_fixed_width_conversion_refuses_a_string_that_is_not_an_integer(api, project, engine_name, sql):
    response = run_query(api, project, sql)
    assert response.status_code == 400, response.json()
    assert "Cannot parse string" in response.json()["detail"]


@pytest.mark.parametrize(
    "sql", ["select toIntOrNull(2.5) as x", "select toIntOrNull(toDate('2024-01-01')) as x"]
)
def test_to_int_or_null_refuses_what_is_not_a_string(api, project, engine_name, sql):
    response = run_query(api, project, sql)
    assert response.status_code == 400, response.json()
    assert response.json()["attr"] == "query"
