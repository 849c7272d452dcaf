"""Column typing by engine planning, PostHog's stored form, and the API's list form."""

import pytest

from tests.warehouse.hogql_support import analyze
from warehouse.column_types import plan_columns
from warehouse.hogql import HogQLError, columns_from_types, serialize_columns


@pytest.fixture(autouse=True)
def warehouse_dir(settings, tmp_path):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"


# ClickHouse types these as PostHog does (its CLICKHOUSE_HOGQL_MAPPING of the query's ClickHouse types): properties
# are JSON text, a String; isNull() is a UInt8. DuckDB has JSON and BOOLEAN types.
ON_CLICKHOUSE = {
    "select properties, elements_chain_texts from events": {
        "properties": "string",
        "elements_chain_texts": "array",
    },
    "select isNull(event) as x from events": {"x": "integer"},
}


def _expected(settings, sql, expected):
    return ON_CLICKHOUSE.get(sql, expected) if settings.WAREHOUSE_ENGINE == "clickhouse" else expected


def _types(sql, catalog):
    return {c["name"]: c["type"] for c in serialize_columns(plan_columns(analyze(sql, catalog), catalog))}


def test_posthogs_example_columns(catalog):
    stored = plan_columns(analyze("select event as event from events LIMIT 100", catalog), catalog)
    assert stored == {"event": {"hogql": "StringDatabaseField", "clickhouse": "String", "valid": True}}
    assert serialize_columns(stored) == [
        {
            "key": "event",
            "name": "event",
            "type": "string",
            "schema_valid": True,
            "fields": None,
            "table": None,
            "chain": None,
        }
    ]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "select event, distinct_id, uuid from events",
            {"event": "string", "distinct_id": "string", "uuid": "string"},
        ),
        ("select timestamp, toDate(timestamp) as day from events", {"timestamp": "datetime", "day": "date"}),
        (
            "select properties, elements_chain_texts from events",
            {"properties": "json", "elements_chain_texts": "array"},
        ),
        ("select is_identified from persons", {"is_identified": "boolean"}),
        ("select count() from events", {"count()": "integer"}),
        (
            "select count() as c, avg(duration) as a, sum(duration) as s, max(`$start_timestamp`) as m from sessions",
            {"c": "integer", "a": "float", "s": "integer", "m": "datetime"},
        ),
        (
            "select 1.5 as f, 1 as i, 'x' as s, true as b",
            {"f": "float", "i": "integer", "s": "string", "b": "boolean"},
        ),
        ("select properties.$browser from events", {"$browser": "string"}),
        ("select person.properties.email from events", {"email": "string"}),
        (
            "select e.event, p.is_identified, s.duration from events e join persons p on e.person_id = p.id "
            "join sessions s on s.session_id = e.$session_id",
            {"event": "string", "is_identified": "boolean", "duration": "integer"},
        ),
        ("select amount from `stripe.charges`", {"amount": "integer"}),
        ("select distinct_id, views from pageviews_by_user", {"distinct_id": "string", "views": "integer"}),
        (
            "select uniq(distinct_id) as u, countIf(event = 'a') as n from events",
            {"u": "integer", "n": "integer"},
        ),
    ],
)
def test_planned_column_types(catalog, sql, expected, settings):
    assert _types(sql, catalog) == _expected(settings, sql, expected)


def test_planning_reads_no_data_and_creates_no_file(catalog, settings):
    plan_columns(analyze("select event from events", catalog), catalog)
    assert not (settings.WAREHOUSE_DIR / "project_7.duckdb").exists()


def test_engine_refusals_while_planning_are_invalid_queries(catalog):
    with pytest.raises(HogQLError, match="^Invalid query: "):
        plan_columns(analyze("select event + 1 as x from events", catalog), catalog)


def test_client_types_and_legacy_form():
    stored = columns_from_types(
        [["event", "Nullable(String)"], ["ts", "DateTime64(6, 'UTC')"], ["n", "Int64"]]
    )
    assert stored["event"] == {
        "hogql": "StringDatabaseField",
        "clickhouse": "Nullable(String)",
        "valid": True,
    }
    assert [c["type"] for c in serialize_columns(stored)] == ["string", "datetime", "integer"]
    legacy = serialize_columns({"a": "Nullable(Float64)", "b": "Array(String)", "c": "Map(String, String)"})
    assert [c["type"] for c in legacy] == ["float", "array", "json"]
    assert (
        serialize_columns({"x": {"hogql": "StringDatabaseField", "clickhouse": "String", "valid": False}})[0][
            "schema_valid"
        ]
        is False
    )


@pytest.mark.parametrize("types", [[["a"]], [["a", "NoSuchType"]], "String", [[1, "String"]]])
def test_bad_client_types_are_refused(types):
    with pytest.raises(HogQLError):
        columns_from_types(types)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("addDays(timestamp, 1)", "datetime"),
        ("JSONExtractInt(properties, 'n')", "integer"),
        ("toStartOfWeek(timestamp)", "date"),
        ("toStartOfDay(timestamp)", "datetime"),
        ("replaceRegexpAll(event, 'a', 'b')", "string"),
        ("splitByChar(',', event)", "array"),
        ("toYear(timestamp)", "integer"),
        ("isNull(event)", "boolean"),
        ("multiIf(event = 'a', 1, 2)", "integer"),
        ("dateDiff('second', timestamp, now())", "integer"),
        ("toString(1)", "string"),
        ("toFloat(event)", "float"),
    ],
)
def test_clickhouse_functions_are_translated_for_the_engine(catalog, expression, expected, settings):
    sql = f"select {expression} as x from events"
    assert _types(sql, catalog) == _expected(settings, sql, {"x": expected})


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [
        ("sumIf(1, event = 'x')", "integer"),
        ("avgIf(1, true)", "float"),
        ("uniqExact(event)", "integer"),
        ("groupArray(event)", "array"),
        ("anyLast(event)", "string"),
        ("countDistinct(event)", "integer"),
    ],
)
def test_aggregate_combinators_are_translated(catalog, aggregate, expected):
    assert _types(f"select {aggregate} as x from events", catalog) == {"x": expected}
