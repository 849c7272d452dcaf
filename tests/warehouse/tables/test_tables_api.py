"""warehouse_tables: upload CSV / JSON lines / Parquet, detected columns in PostHog's shape, names, delete, scopes."""

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import run_query, tables_url
from warehouse.catalog import build_catalog
from warehouse.engine import EngineError, get_engine

pytestmark = pytest.mark.django_db(transaction=True)
CSV = b"id,amount,paid_at,ok\n1,10.5,2024-01-02 03:04:05,true\n2,7.25,2024-02-03 04:05:06,false\n"
JSONL = b'{"id": 1, "plan": "pro", "tags": ["a", "b"]}\n{"id": 2, "plan": "free", "tags": []}\n'


def upload(client, project, name: str, content: bytes, file_format: str, filename: str = "data.bin"):
    file = SimpleUploadedFile(filename, content)
    return client.post(
        tables_url(project), {"name": name, "format": file_format, "file": file}, format="multipart"
    )


def _types(body) -> dict[str, str]:
    return {column["name"]: column["type"] for column in body["columns"]}


def test_upload_a_csv_detects_columns_in_posthogs_shape(api, project, user):
    response = upload(api, project, "charges", CSV, "CSVWithNames")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert _types(body) == {"id": "integer", "amount": "float", "paid_at": "datetime", "ok": "boolean"}
    assert body["columns"][0] == {
        "key": "id", "name": "id", "type": "integer", "schema_valid": True, "fields": None, "table": None, "chain": None,
    }  # fmt: skip
    assert body["row_count"] == 2 and body["format"] == "CSVWithNames" and body["url_pattern"] == ""
    assert body["created_by"]["email"] == user.email and body["credential"] is None
    assert body["external_data_source"] is None and body["deleted"] is False
    result = run_query(api, project, "select sum(amount), count() from charges where ok").json()
    assert result["results"] == [[10.5, 1]]


def test_upload_json_lines_and_parquet(api, project, tmp_path):
    assert _types(upload(api, project, "plans", JSONL, "JSONEachRow").json()) == {
        "id": "integer", "plan": "string", "tags": "array",
    }  # fmt: skip
    parquet = tmp_path / "p.parquet"
    duckdb.sql(
        f"COPY (SELECT range AS n, 'x' || range AS label FROM range(5)) TO '{parquet}' (FORMAT parquet)"
    )
    response = upload(api, project, "numbers_pq", parquet.read_bytes(), "Parquet")
    assert response.status_code == 201 and response.json()["row_count"] == 5
    assert run_query(api, project, "select max(n) from numbers_pq").json()["results"] == [[4]]


def test_a_file_that_is_not_in_its_format_is_a_400_and_leaves_nothing(api, project):
    response = upload(api, project, "broken", b"not parquet at all", "Parquet")
    assert response.status_code == 400 and response.json()["attr"] == "format"
    assert "Could not load the data as Parquet" in response.json()["detail"]
    assert "/" not in response.json()["detail"].split(":", 1)[1].replace("://", "")  # no server paths
    assert api.get(tables_url(project)).json()["count"] == 0
    assert upload(api, project, "broken", CSV, "CSVWithNames").status_code == 201  # the name is free


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "1bad",
            "is not a valid table name. Table names can only contain letters, numbers, '_', '.', or '$' ",
        ),
        ("events", "events is not a valid table name. Table names cannot overlap with PostHog table names."),
        ("a view", "is not a valid table name"),
    ],
)
def test_names_follow_the_saved_query_rules(api, project, name, message):
    response = upload(api, project, name, CSV, "CSVWithNames")
    assert response.status_code == 400 and response.json()["attr"] == "name"
    assert message in response.json()["detail"]


def test_names_clash_with_views_and_tables_both_ways(api, project, create_view):
    create_view("my_view", "select 1 as one")
    response = upload(api, project, "my_view", CSV, "CSVWithNames")
    assert (
        response.status_code == 400 and response.json()["detail"] == "A table with this name already exists."
    )
    assert upload(api, project, "stripe.charges", CSV, "CSVWithNames").status_code == 201
    assert upload(api, project, "stripe.charges", CSV, "CSVWithNames").json()["detail"] == (
        "A table with this name already exists."
    )
    response = api.post(views_url(project), {"name": "stripe.charges", "query": hogql("select 1")})
    assert (
        response.status_code == 400 and response.json()["detail"] == "A table with this name already exists."
    )


@pytest.mark.parametrize(
    ("data", "attr"),
    [
        ({"name": "t", "format": "CSV"}, "file"),
        ({"name": "t", "format": "Delta", "url_pattern": "s3://b/k"}, "format"),
        ({"name": "t", "format": "CSV", "url_pattern": "s3://b/k.csv"}, "credential"),
    ],
)
def test_a_source_is_required(api, project, data, attr):
    response = api.post(tables_url(project), data, format="json")
    assert response.status_code == 400 and response.json()["attr"] == attr


def test_list_retrieve_search_and_delete(api, project):
    first = upload(api, project, "alpha", CSV, "CSVWithNames").json()
    upload(api, project, "beta", CSV, "CSVWithNames")
    listing = api.get(tables_url(project)).json()
    assert listing["count"] == 2 and {t["name"] for t in listing["results"]} == {"alpha", "beta"}
    assert api.get(tables_url(project) + "?search=alp").json()["count"] == 1
    assert api.get(tables_url(project, first["id"])).json()["name"] == "alpha"
    assert api.patch(tables_url(project, first["id"]), {"name": "x"}).status_code == 405
    assert api.delete(tables_url(project, first["id"])).status_code == 204
    assert api.get(tables_url(project, first["id"])).status_code == 404
    with pytest.raises(EngineError):
        get_engine().describe_table(build_catalog(project.pk), "alpha")
    assert run_query(api, project, "select * from alpha").status_code == 400
    assert upload(api, project, "alpha", CSV, "CSVWithNames").status_code == 201


def test_materialized_views_are_not_listed_as_loaded_tables(api, project, create_view):
    view = create_view("mat", "select 1 as one")
    assert api.post(views_url(project, view["id"], "run")).status_code == 200
    assert api.get(tables_url(project)).json()["count"] == 0


@pytest.mark.parametrize(
    ("scope", "read", "write"),
    [
        ("warehouse_table:read", 200, 403),
        ("warehouse_table:write", 200, 201),
        ("warehouse_view:write", 403, 403),
    ],
)
def test_scopes(client_with, project, scope, read, write):
    client = client_with(scope)
    assert client.get(tables_url(project)).status_code == read
    assert upload(client, project, "scoped", CSV, "CSVWithNames").status_code == write
