"""Another process holding a project's DuckDB file (DuckDB lets one process write a file): reads and loads wait
(bounded), then answer 503 with Retry-After."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.warehouse.engine_support import run_query, tables_url
from tests.warehouse.faults.conftest import start_python
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engines("duckdb", reason="DuckDB's file lock held by another process"),
]

# A real writer in another process: DuckDB's own file lock, held until the process is told to let go.
HOLD_FOR_WRITING = """
import sys, duckdb
conn = duckdb.connect(sys.argv[1] if len(sys.argv) > 1 else {path!r})
print("holding", flush=True)
sys.stdin.readline()
conn.close()
"""


@pytest.fixture
def writer_elsewhere(project, process_env, settings):
    path = get_engine().path(project.pk)
    get_engine().describe_table(build_catalog(project.pk), "events")  # creates the project's file
    settings.WAREHOUSE_LOCK_TIMEOUT_SECONDS = 0.5
    process = start_python(process_env, HOLD_FOR_WRITING.format(path=str(path)))
    assert process.stdout.readline().strip() == "holding", process.stderr.read()
    yield process
    process.kill()
    process.wait()


def test_a_query_while_another_process_writes_is_a_503_with_retry_after(api, project, writer_elsewhere):
    response = run_query(api, project, "select count() from events")
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["type"] == "server_error" and body["code"] == "service_unavailable"
    assert "busy" in body["detail"] and "/" not in body["detail"]


def test_a_load_while_another_process_holds_the_file_is_a_503_and_leaves_nothing(
    api, project, writer_elsewhere
):
    file = SimpleUploadedFile("plans.csv", b"plan,price\nfree,0\npro,20\n")
    response = api.post(
        tables_url(project), {"name": "plans", "format": "CSVWithNames", "file": file}, format="multipart"
    )
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "5"
    assert api.get(tables_url(project)).json()["count"] == 0
