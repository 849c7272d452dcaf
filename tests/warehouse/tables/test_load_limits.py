"""Loads are bounded by the data they bring in (after decompression) and by rows; larger loads run in a job."""

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.testing import queue_on_disk, running_consumer
from tests.warehouse.engine_support import run_query, tables_url, wait_until
from warehouse.models import WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)


def csv(rows: int) -> bytes:
    return b"id,label\n" + b"".join(b"%d,row number %d\n" % (i, i) for i in range(rows))


def upload(api, project, name: str, content: bytes, filename: str = "data.csv"):
    file = SimpleUploadedFile(filename, content)
    body = {"name": name, "format": "CSVWithNames", "file": file}
    return api.post(tables_url(project), body, format="multipart")


def test_a_gzip_that_expands_past_the_byte_limit_fails_naming_the_limit_and_frees_the_name(
    api, project, settings
):
    settings.WAREHOUSE_LOAD_MAX_BYTES = 1_000_000
    bomb = gzip.compress(
        b"id,label\n" + b"1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" * 100_000
    )  # 4.3 MB in ~20 KB
    assert len(bomb) < 50_000
    response = upload(api, project, "bomb", bomb, "bomb.csv.gz")
    assert response.status_code == 201, response.json()  # compressed: loaded by a job (immediate in tests)
    table = api.get(tables_url(project, response.json()["id"])).json()
    assert table["status"] == "Failed" and table["deleted"] is True
    assert (
        table["error"]
        == "The data is larger than 1000000 bytes once decompressed (WAREHOUSE_LOAD_MAX_BYTES)."
    )
    assert api.get(tables_url(project)).json()["count"] == 0
    assert upload(api, project, "bomb", csv(3)).status_code == 201  # the name is free


def test_a_gzip_within_the_limits_loads(api, project):
    response = upload(api, project, "zipped", gzip.compress(csv(500)), "zipped.csv.gz")
    assert response.status_code == 201
    table = api.get(tables_url(project, response.json()["id"])).json()
    assert table["status"] == "Completed" and table["row_count"] == 500 and table["error"] is None
    assert run_query(api, project, "select count() from zipped").json()["results"] == [[500]]


def test_more_rows_than_the_row_limit_is_a_400_naming_it(api, project, settings):
    settings.WAREHOUSE_LOAD_MAX_ROWS = 5
    response = upload(api, project, "many", csv(6))
    assert response.status_code == 400 and response.json()["attr"] == "file"
    assert response.json()["detail"] == "The data has more than 5 rows (WAREHOUSE_LOAD_MAX_ROWS)"
    assert api.get(tables_url(project)).json()["count"] == 0
    assert upload(api, project, "many", csv(5)).status_code == 201


def test_zstd_is_refused_with_a_message(api, project, settings):
    settings.WAREHOUSE_LOAD_INLINE_MAX_BYTES = 0
    response = upload(api, project, "z", b"\x28\xb5\x2f\xfd" + b"\x00" * 20, "z.csv.zst")
    table = api.get(tables_url(project, response.json()["id"])).json()
    assert table["status"] == "Failed" and "zstd" in table["error"]


def test_a_large_load_answers_at_once_with_status_running_and_completes_in_a_job(
    api, project, settings, tmp_path
):
    settings.WAREHOUSE_LOAD_INLINE_MAX_BYTES = 1000
    with queue_on_disk(tmp_path / "queue.sqlite3"):
        response = upload(api, project, "big", csv(2000))
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "Running" and body["row_count"] is None and body["columns"] == []
        assert api.get(tables_url(project)).json()["results"][0]["status"] == "Running"
        assert run_query(api, project, "select count() from big").status_code == 400  # not queryable yet
        with running_consumer():
            wait_until(lambda: WarehouseTable.objects.get(pk=body["id"]).status == "Completed", timeout=30)
    table = api.get(tables_url(project, body["id"])).json()
    assert table["row_count"] == 2000 and [c["name"] for c in table["columns"]] == ["id", "label"]
    assert run_query(api, project, "select count() from big").json()["results"] == [[2000]]
    assert not list((settings.WAREHOUSE_DIR / "incoming").iterdir())  # the staged upload is gone
