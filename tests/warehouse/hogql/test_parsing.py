"""Parsing and refusal: syntax errors with positions, placeholders, non-SELECT statements, unsafe functions."""

import pytest

from tests.warehouse.hogql_support import analyze
from warehouse.hogql import HogQLError, HogQLSyntaxError, PlaceholderError


@pytest.mark.parametrize(
    ("sql", "line", "column"),
    [
        ("select event fro events", 1, 18),
        ("select event\nfrom events\nwhere (", 3, 7),
        ("select from where", 1, 13),
        ("select 'unterminated", 1, None),
    ],
)
def test_syntax_error_names_line_and_column(catalog, sql, line, column):
    with pytest.raises(HogQLSyntaxError) as caught:
        analyze(sql, catalog)
    message = str(caught.value)
    assert message.startswith(f"Syntax error at line {line}, column ")
    assert caught.value.line == line
    if column is not None:
        assert caught.value.column == column


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select {variables.foo} from events", "Variables like {variables.foo} are not allowed in views"),
        (
            "select event from events where {variables.my_var}",
            "Variables like {variables.my_var} are not allowed in views",
        ),
        ("select {filters}", "Filters and placeholder expressions are not allowed in views"),
        (
            "select event from events where {filters}",
            "Filters and placeholder expressions are not allowed in views",
        ),
        ("select {1 + 2}", "Filters and placeholder expressions are not allowed in views"),
        (
            "select event from events where event = ?",
            "Filters and placeholder expressions are not allowed in views",
        ),
    ],
)
def test_placeholders_get_posthogs_messages(catalog, sql, message):
    with pytest.raises(PlaceholderError) as caught:
        analyze(sql, catalog)
    assert str(caught.value) == message


def test_braces_inside_strings_are_not_placeholders(catalog):
    assert analyze("select '{filters}' as f from events", catalog).dependencies == ["events"]


@pytest.mark.parametrize(
    "sql",
    [
        "insert into events (event) values ('x')",
        "drop table events",
        "delete from events where 1 = 1",
        "update events set event = 'x' where 1 = 1",
        "create table x as select 1",
        "attach database '/tmp/other.duckdb' as other",
        "ATTACH '/tmp/other.duckdb' AS other",
        "detach other",
        "copy events to '/tmp/out.csv'",
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "pragma database_list",
        "show tables",
        "describe events",
        "select 1; select 2",
        "select event from events; drop table events",
        "select 1 settings max_threads = 64",
        "select event from events format JSON",
    ],
)
def test_only_a_single_select_is_a_view(catalog, sql):
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert str(caught.value).startswith(("Invalid query", "Syntax error"))


@pytest.mark.parametrize(
    ("sql", "name"),
    [
        ("select * from file('/etc/passwd')", "file"),
        ("select * from url('http://169.254.169.254/latest', CSV)", "url"),
        ("select * from read_csv('/etc/passwd')", "read_csv"),
        ("select * from read_csv_auto('/etc/passwd')", "read_csv_auto"),
        ("select * from read_parquet('s3://bucket/x.parquet')", "read_parquet"),
        ("select * from s3('https://bucket.s3.amazonaws.com/x.csv')", "s3"),
        ("select * from remote('other:9000', db, t)", "remote"),
        ("select * from mysql('h:3306', 'db', 't', 'u', 'p')", "mysql"),
        ("select * from postgresql('h:5432', 'db', 't', 'u', 'p')", "postgresql"),
        ("select * from executable('x.sh', TSV, 'a String')", "executable"),
        ("select * from input('a String')", "input"),
        ("select * from numbers(10)", "numbers"),
        ("select * from events e join file('/etc/passwd') f on 1 = 1", "file"),
    ],
)
def test_table_functions_are_refused(catalog, sql, name):
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert str(caught.value) == f"Invalid query: table functions like {name}() are not allowed"


@pytest.mark.parametrize(
    "sql",
    [
        "select getenv('HOME')",
        "select read_text('/etc/passwd')",
        "select event from events where event in (select * from read_csv('/etc/passwd'))",
        "select current_setting('memory_limit')",
        "select file('/etc/passwd')",
        "select count() from events where url('http://x') = 1",
    ],
)
def test_functions_off_the_allowlist_are_refused(catalog, sql):
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert "is not supported" in str(caught.value) or "table functions" in str(caught.value)


def test_normalised_hogql_is_returned(catalog):
    analyzed = analyze("SELECT   event  FROM events  WHERE properties.$browser = 'Chrome'", catalog)
    assert analyzed.hogql == "SELECT event FROM events WHERE properties.$browser = 'Chrome'"
