"""Integer `+ - *` widen as ClickHouse's do on every engine: ClickHouse types an integer literal by the smallest type
that holds it and widens the result one step (Int32 * Int32 is Int64), where DuckDB kept an INTEGER an INTEGER and
answered `Out of Range Error: Overflow in multiplication of INT32` (warehouse/engine/duckdb/integer_arithmetic.py).
The expected values are chdb's answers; the types are each engine's own (Int64 on DuckDB where ClickHouse may say
UInt64 or a narrower type), so only values are compared, and that they are integers."""

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.warehouse.engine_support import run_query, tables_url

pytestmark = pytest.mark.django_db

# query -> the value ClickHouse answers
WIDENED = [
    ("select 100000 * 100000 as x", 10000000000),
    ("select 65536 * 65536 as x", 4294967296),
    ("select 2147483647 + 1 as x", 2147483648),
    ("select toInt32(2147483647) + 1 as x", 2147483648),
    ("select -2147483648 - 1 as x", -2147483649),
    ("select minus(-2147483647, 10) as x", -2147483657),
    ("select multiply(100000, 100000) as x", 10000000000),
    ("select plus(2147483647, 1) as x", 2147483648),
    ("select 1000 * 1000 * 1000 * 10 as x", 10000000000),
    ("select (1000 * 1000) * (1000 * 10) as x", 10000000000),
    ("select 3000000000 * 3 as x", 9000000000),
    ("select toInt32(100000) * toInt32(100000) as x", 10000000000),
    ("select toInt32(100000) * 100000 as x", 10000000000),
    ("select 100000 * toInt32(100000) as x", 10000000000),
    ("select -toInt32(100000) * 100000 as x", -10000000000),
    ("select toInt16(200) * toInt16(200) as x", 40000),
    ("select toInt8(100) + toInt8(100) as x", 200),
    ("select toUInt8(200) + toUInt8(100) as x", 300),
    ("select toUInt32(4294967295) + 1 as x", 4294967296),
    ("select toInt32(0) - 2147483647 - 10 as x", -2147483657),
    ("select toInt32(65536) * 65536 * 1000 as x", 4294967296000),
    # arithmetic on literals alone is ClickHouse's to the last bit, wrapping at 64 bits
    ("select 9223372036854775807 + 1 as x", 9223372036854775808),
    ("select 4294967295 * 4294967295 as x", 18446744065119617025),
    ("select 18446744073709551615 + 1 as x", 0),
    ("select -(-2147483648) as x", -2147483648),
    ("select -(0 - 2147483648) as x", 2147483648),
    ("select (0 - 2147483648) * -1 as x", 2147483648),
    ("select -(1 + 1) * 3 as x", -6),
    # the idioms that were BIGINT on DuckDB already
    ("select toUnixTimestamp(toDateTime('2024-01-01 00:00:00')) * 1000 as x", 1704067200000),
    ("select toHour(toDateTime('2024-01-01 10:00:00')) * 3600 * 1000000 as x", 36000000000),
    ("select count() * 1000000000000 as x from (select 1)", 1000000000000),
    # small results stay small, and where an integer literal goes unchanged the answer is the same
    ("select 1 + 1 as x", 2),
    ("select 1 - 2 as x", -1),
    ("select 7 * 2 - 20 as x", -6),
    ("select [10, 20, 30][1 + 1] as x", 20),
    ("select length(range(1 + 2)) as x", 3),
    ("select intDiv(100000 * 100000, 7) as x", 1428571428),
]

# query -> the value ClickHouse answers: dates, date-times and intervals beside integer arithmetic
DATES = [
    ("select toDate('2024-01-01') + 1 as x", "2024-01-02"),
    ("select toDate('2024-01-01') + 7 * 2 as x", "2024-01-15"),
    ("select toDate('2024-01-01') - 1 as x", "2023-12-31"),
    ("select d + 7 * 2 as x from (select toDate('2024-01-01') as d)", "2024-01-15"),
    ("select toDateTime('2024-01-01 00:00:00') + 1 as x", "2024-01-01T00:00:01"),
    ("select toDateTime('2024-01-01 00:00:00') - 3600 * 24 as x", "2023-12-31T00:00:00"),
    ("select plus(toDateTime('2024-01-01 00:00:00'), 60 * 60) as x", "2024-01-01T01:00:00"),
    ("select toDate('2024-01-01') - interval 1 day as x", "2023-12-31"),
    ("select toDate('2024-01-01') + interval (1 + 1) day as x", "2024-01-03"),
    ("select toDateTime('2024-01-01 00:00:00') + interval 2 * 3 hour as x", "2024-01-01T06:00:00"),
    ("select '2024-01-01' + interval 1 day as x", "2024-01-02T00:00:00"),
    # A narrow integer beside a date stays as it is (DuckDB adds an INTEGER to a DATE, no BIGINT).
    ("select toDate('2024-01-01') + toInt32(1) as x", "2024-01-02"),
    ("select toInt32(1) + d as x from (select toDate('2024-01-01') as d)", "2024-01-02"),
    ("select d - toUInt8(1) as x from (select toDate('2024-01-01') as d)", "2023-12-31"),
]


def answer(api, project, sql: str):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    body = response.json()
    return body["results"][0][0], body["types"][0][1]


# query -> the rows ClickHouse answers: a key computed from literals is a constant, not a column's position
KEYS = [
    ("select count() as c from (select arrayJoin([1, 2, 3]) as x) group by 1 + 1", [[3]]),
    ("select x, 7 as y from (select arrayJoin([3, 1, 2]) as x) order by 1 + 1, x", [[1, 7], [2, 7], [3, 7]]),
    ("select x from (select arrayJoin([3, 1, 2]) as x) order by 0 - x", [[3], [2], [1]]),
    (
        "select x, count() as c from (select arrayJoin([1, 1, 2]) as x) group by x, 100000 * 100000 order by x",
        [[1, 2], [2, 1]],
    ),
]


@pytest.mark.parametrize(("sql", "rows"), KEYS)
def test_a_computed_constant_key_is_not_a_position(api, project, engine_name, sql, rows):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == rows


@pytest.mark.parametrize(("sql", "value"), WIDENED)
def test_integer_arithmetic_widens_as_clickhouse(api, project, engine_name, sql, value):
    got, got_type = answer(api, project, sql)
    assert got == value and type(got) is int
    assert got_type.startswith(("Int", "UInt")), got_type


@pytest.mark.parametrize(("sql", "value"), DATES)
def test_dates_and_intervals_beside_integer_arithmetic_answer_as_before(
    api, project, engine_name, sql, value
):
    got, _ = answer(api, project, sql)
    assert got.startswith(value), got


def test_a_small_sum_keeps_an_integer_type_in_a_saved_query(api, project, engine_name):
    """`1 + 1` is computed before DuckDB sees it: still an integer column (Int32 on DuckDB, UInt16 on ClickHouse)."""
    response = api.post(
        f"/api/environments/{project.pk}/warehouse_saved_queries/",
        {"name": "two", "query": {"kind": "HogQLQuery", "query": "select 1 + 1 as x"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [(c["name"], c["type"]) for c in response.json()["columns"]] == [("x", "integer")]
    assert run_query(api, project, "select x + 1 as y from two").json()["results"] == [[3]]
    assert run_query(api, project, "select x * 100000 * 100000 as y from two").json()["results"] == [
        [20000000000]
    ]


# query -> the value ClickHouse answers: a narrow integer read from a subquery or CTE
DERIVED = [
    ("select x * 100000 * 100000 as y from (select 1 + 1 as x)", 20000000000),
    ("select x * x as y from (select toInt32(100000) as x)", 10000000000),
    ("with t as (select toUInt32(4294967295) as x) select x + 1 as y from t", 4294967296),
    ("select y * 100000 as z from (select x * 1 as y from (select toInt32(100000) as x))", 10000000000),
]


@pytest.mark.parametrize(("sql", "value"), DERIVED)
def test_a_narrow_integer_read_from_a_subquery_widens(api, project, engine_name, sql, value):
    assert answer(api, project, sql)[0] == value


@pytest.mark.engines(
    "duckdb", reason="64-bit overflow of a computed value is DuckDB's error; ClickHouse wraps"
)
def test_a_64_bit_overflow_of_a_computed_value_is_still_an_error_on_duckdb(api, project):
    response = run_query(api, project, "select toInt64(9223372036854775807) + 1 as x")
    assert response.status_code == 400
    assert "Overflow in addition of INT64" in response.json()["detail"]


@pytest.mark.engines("clickhouse", reason="ClickHouse wraps a 64-bit overflow; DuckDB refuses it")
def test_a_64_bit_overflow_of_a_computed_value_wraps_on_clickhouse(api, project):
    assert answer(api, project, "select toInt64(9223372036854775807) + 1 as x")[0] == -9223372036854775808


@pytest.mark.django_db(transaction=True)
def test_a_loaded_column_times_a_large_literal(api, project, engine_name, tmp_path):
    """A CSV's integers are Int64 on both engines; a Parquet file's INT32 column is DuckDB's INTEGER (ClickHouse's
    Int32): both widen beside a large literal or another narrow column, as ClickHouse's do."""
    csv = b"id,n\n1,100000\n2,3\n"
    parquet = tmp_path / "narrow.parquet"
    duckdb.sql(
        "COPY (SELECT CAST(range + 1 AS INTEGER) AS id, CAST(100000 * (range + 1) AS INTEGER) AS n FROM range(2)) "
        f"TO '{parquet}' (FORMAT parquet)"
    )
    for name, content, file_format in (
        ("wide", csv, "CSVWithNames"),
        ("narrow", parquet.read_bytes(), "Parquet"),
    ):
        file = SimpleUploadedFile("data.bin", content)
        response = api.post(
            tables_url(project), {"name": name, "format": file_format, "file": file}, format="multipart"
        )
        assert response.status_code == 201, response.json()
    assert run_query(api, project, "select n * 100000 as x from wide order by id").json()["results"] == [
        [10000000000],
        [300000],
    ]
    assert run_query(api, project, "select n * 100000 as x, n * n as y from narrow order by id").json()[
        "results"
    ] == [[10000000000, 10000000000], [20000000000, 40000000000]]
