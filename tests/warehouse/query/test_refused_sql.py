"""Every form that could reach outside the project's tables is refused with a clear 400 (never run, never a 500)."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

REFUSED = {
    # files, URLs and other table functions
    "read_csv": ("select * from read_csv('/etc/passwd')", "table functions"),
    "read_parquet": ("select * from read_parquet('x.parquet')", "table functions"),
    "file()": ("select * from file('/etc/passwd', 'CSV')", "table functions"),
    "url()": ("select * from url('http://127.0.0.1/', 'CSV')", "table functions"),
    "s3()": ("select * from s3('https://bucket.s3.amazonaws.com/x.csv')", "table functions"),
    "range()": ("select * from range(10)", "table functions"),
    "file string as table": ("select * from '/etc/passwd'", "Unknown table"),
    "function in select": ("select read_text('/etc/passwd')", "read_text"),
    "duckdb catalog function": ("select * from duckdb_tables()", "table functions"),
    # statements that are not a single SELECT
    "ATTACH": ("ATTACH '/tmp/other.duckdb' AS other", "only SELECT"),
    "COPY": ("COPY events TO '/tmp/out.csv'", "only SELECT"),
    "INSTALL": ("INSTALL httpfs", "only SELECT"),
    "LOAD": ("LOAD httpfs", "only SELECT"),
    "SET": ("SET enable_external_access = true", "only SELECT"),
    "PRAGMA": ("PRAGMA database_list", "only SELECT"),
    "CREATE": ("create table t as select 1", "only SELECT"),
    "INSERT": ("insert into events (event) values ('x')", "only SELECT"),
    "DROP": ("drop table events", "only SELECT"),
    "multiple statements": ("select 1; select 2", "exactly one SELECT"),
    "statement after select": ("select 1; ATTACH '/tmp/x.duckdb'", "exactly one SELECT"),
    "SETTINGS clause": ("select 1 settings max_threads = 1", "SETTINGS"),
    # names outside the project
    "schema-qualified": ("select * from main.events", "Unknown table"),
    "other project database": ("select * from project_2.main.events", "Unknown table"),
    "quoted other project": ('select * from "project_2"."main"."events"', "Unknown table"),
    "backquoted other project": ("select * from `project_2`.`main`.`events`", "Unknown table"),
    "information_schema": ("select * from information_schema.tables", "Unknown table"),
    "system catalog": ("select * from system.tables", "Unknown table"),
    "duckdb_settings view": ("select * from duckdb_settings", "Unknown table"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused(api, project, name):
    sql, message = REFUSED[name]
    response = run_query(api, project, sql)
    assert response.status_code == 400, (name, response.json())
    body = response.json()
    assert body["type"] == "validation_error" and body["attr"] == "query"
    assert message.lower() in body["detail"].lower(), body["detail"]
