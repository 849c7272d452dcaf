"""HogQLX values through /query/: a tag or an object in an expression is the tuple PostHog's resolver makes of it
(the queries are PostHog's own, from its test_resolver.py), and a malformed tag is refused by name."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

ROWS = [
    ("select <RecordingButton sessionId={'12345-6789'} />", [[["__hx_tag", "RecordingButton", "sessionId", "12345-6789"]]]),
    ("select <Sparkline data={[1,2,3]} />", [[["__hx_tag", "Sparkline", "data", [1, 2, 3]]]]),
    ("select {'key': {'key': 'value'}}", [[["__hx_tag", "__hx_obj", "key", ["__hx_tag", "__hx_obj", "key", "value"]]]]),
    ("select {'a': 1 + 1, 'b': [1, 2]}", [[["__hx_tag", "__hx_obj", "a", 2, "b", [1, 2]]]]),
    ("select <a href='https://google.com'>{x}</a> from (select 'e' as x)",
     [[["__hx_tag", "a", "href", "https://google.com", "source", "e"]]]),
    ("select <Outer><Inner select={1} /></Outer>", [[["__hx_tag", "Outer", "source", ["__hx_tag", "Inner", "select", 1]]]]),
    ("select recording_button('12345')", [[["__hx_tag", "RecordingButton", "sessionId", "12345"]]]),
    ("select sparkline((1, 2, 3))", [[["__hx_tag", "Sparkline", "data", [1, 2, 3]]]]),
    ("select <Many>{1}{2}</Many>, 1 < 2", [[["__hx_tag", "Many", "source", [1, 2]], True]]),
]  # fmt: skip

REFUSED = [
    ("select <a>{1}</b>", "Invalid query: opening and closing HogQLX tags must match. Got a and b"),
    ("select <a source='x'>{1}</a>", "Invalid query: nested HogQLX tags cannot have a source attribute"),
    ("select <a>text</a>", "Invalid query: the HogQLX tag <a> holds only {expressions} and tags, then </a>"),
    ("select sparkline(1, 2)", "Invalid query: function sparkline() is not supported by the {engine} engine"),
    ("select (x, y) -> { print('hello'); return x * y }",
     "Invalid query: a lambda with a block body `-> { ... }` is Hog, not HogQL"),
]  # fmt: skip


@pytest.mark.parametrize(("sql", "rows"), ROWS)
def test_hogqlx_value_is_the_tagged_tuple(api, project, sql, rows):
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == rows


@pytest.mark.parametrize(("sql", "detail"), REFUSED)
def test_malformed_hogqlx_is_refused_by_name(api, project, settings, sql, detail):
    detail = detail.replace(
        "{engine}", {"duckdb": "DuckDB", "clickhouse": "ClickHouse"}[settings.WAREHOUSE_ENGINE]
    )
    response = run_query(api, project, sql)
    assert response.status_code == 400 and response.json()["detail"] == detail, response.json()
