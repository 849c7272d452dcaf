"""A number literal has ClickHouse's type on every engine: one with a fraction or an exponent, or an integer past
UInt64, is a Float64 (DuckDB read `2.5` as an exact DECIMAL: `0.1 + 0.2` was 0.3 and `round(2.5)` a Decimal(2, 0));
an integer stays an integer and an explicit Decimal a Decimal. Values are compared exactly, types through the API's
`types` (the differential test compares floats to 9 digits and does not see types)."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

# query -> (the value, its ClickHouse type), the same on both engines (what chdb answers)
FLOATS = [
    ("select 0.1 + 0.2 as x", 0.30000000000000004, "Float64"),
    ("select 0.1 * 3 as x", 0.30000000000000004, "Float64"),
    ("select if(0.1 + 0.2 = 0.3, 'equal', 'not equal') as x", "not equal", "String"),
    ("select 0.5 as x", 0.5, "Float64"),
    ("select -2.5 as x", -2.5, "Float64"),
    ("select 1. as x", 1.0, "Float64"),
    ("select 1e3 as x", 1000.0, "Float64"),
    ("select 2.5e-3 as x", 0.0025, "Float64"),
    ("select 1 / 3.0 as x", 0.3333333333333333, "Float64"),
    ("select 2.5 * 2 as x", 5.0, "Float64"),
    ("select 1 + 1.0 as x", 2.0, "Float64"),
    ("select 7 % 2.5 as x", 2.0, "Float64"),
    ("select round(2.5) as x", 2.0, "Float64"),
    ("select round(-2.5) as x", -2.0, "Float64"),
    ("select round(0.125, 2) as x", 0.12, "Float64"),
    ("select round(1.005, 2) as x", 1.0, "Float64"),
    ("select round(2.675, 2) as x", 2.68, "Float64"),  # 2.675 * 100 is 267.5 as a double: a tie, to even
    ("select round(2.665, 2) as x", 2.66, "Float64"),
    ("select roundBankers(2.675, 2) as x", 2.68, "Float64"),
    ("select round(1 / 3, 4) as x", 0.3333, "Float64"),
    ("select round(1250.0, -2) as x", 1200.0, "Float64"),
    ("select floor(-2.5) as x", -3.0, "Float64"),
    ("select greatest(1, 2.5) as x", 2.5, "Float64"),
    ("select if(1 = 1, 1, 2.5) as x", 1.0, "Float64"),
    ("select [1, 2.5] as x", [1.0, 2.5], "Array(Float64)"),
    ("select sum(x) as s from (select arrayJoin([0.1, 0.2]) as x)", 0.30000000000000004, "Float64"),
    ("select 123456789012345678901234567890.5 as x", 1.2345678901234568e29, "Float64"),
    ("select 100000000000000000000 as x", 1e20, "Float64"),
    ("select quantile(0.5)(x) as q from (select arrayJoin([1, 2, 4]) as x)", 2.0, "Float64"),
]

# query -> the value: an integer type (ClickHouse's width follows the value, DuckDB's is fixed), or a Decimal
INTEGERS = [
    ("select 2 as x", 2),
    ("select 1 + 1 as x", 2),
    ("select 18446744073709551615 as x", 18446744073709551615),
    ("select round(25, -1) as x", 30),
    ("select roundBankers(25, -1) as x", 20),
    ("select intDiv(7, 2) as x", 3),
]
DECIMALS = [
    ("select toDecimal(2.5, 2) as x", 2.5),
    ("select round(toDecimal(2.5, 1)) as x", 3.0),
    ("select toDecimal(0.1, 1) + toDecimal(0.2, 1) as x", 0.3),
    ("select toDecimal(1.005, 2) as x", 1.0),  # from the Float64 1.00499..., as ClickHouse
]


def answer(api, project, sql: str):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    body = response.json()
    return body["results"][0][0], body["types"][0][1]


@pytest.mark.parametrize(("sql", "value", "type_name"), FLOATS)
def test_a_decimal_literal_is_a_float64(api, project, engine_name, sql, value, type_name):
    got, got_type = answer(api, project, sql)
    if value is not None:
        assert got == value and type(got) is type(value)
    if type_name is not None:
        assert got_type == type_name


def test_a_decimal_literal_beside_a_datetime_moves_it_by_seconds(api, project, engine_name):
    got, _ = answer(api, project, "select toDateTime('2024-01-01 00:00:00') + 2.5 as x")
    assert got.startswith("2024-01-01T00:00:02")


@pytest.mark.parametrize(("sql", "value"), INTEGERS)
def test_an_integer_literal_stays_an_integer(api, project, engine_name, sql, value):
    got, got_type = answer(api, project, sql)
    assert got == value and type(got) is int
    assert got_type.startswith(("Int", "UInt")), got_type


@pytest.mark.parametrize(("sql", "value"), DECIMALS)
def test_an_explicit_decimal_stays_a_decimal(api, project, engine_name, sql, value):
    got, got_type = answer(api, project, sql)
    assert float(got) == value
    assert got_type.startswith("Decimal("), got_type
