"""The Python client generated from our live schema by openapi-python-client imports and works, unedited.

Generates the client into a temporary package, imports every module, then calls a live server through it:
create / list / retrieve / update / delete for interviews and saved queries, the audio download, /query/, and
an error read as the generated `Error` model.
"""

import importlib
import os
import pkgutil
import subprocess
import sys
from http import HTTPStatus
from io import BytesIO
from pathlib import Path

import pytest

from tests.api.factories import INTERVIEW_VTT

PACKAGE = "generated_posthog_client"
pytestmark = pytest.mark.django_db(transaction=True)


def generate(schema_file: Path, into: Path) -> Path:
    venv_bin = Path(sys.executable).parent
    result = subprocess.run(
        [venv_bin / "openapi-python-client", "generate", "--path", schema_file, "--meta", "none",
         "--output-path", into / PACKAGE],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PATH": f"{venv_bin}:{os.environ['PATH']}"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    return into


@pytest.fixture
def client_package(schema_file, tmp_path):
    """The generated package, importable for this test only."""
    root = generate(schema_file, tmp_path / "generated")
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_every_generated_module_imports(client_package):
    names = [module.name for module in pkgutil.walk_packages(client_package.__path__, f"{PACKAGE}.")]
    failures = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not just the first
            failures[name] = repr(exc)
    assert failures == {}
    assert len(names) > 100


def test_generated_client_against_a_live_server(client_package, server):
    base_url, project_id, key = server
    pid = str(project_id)
    m = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    api = {
        name: importlib.import_module(f"{PACKAGE}.api.{group}.environments_{name}")
        for group, names in {
            "interviews": ["user_interviews_create", "user_interviews_list", "user_interviews_retrieve",
                           "user_interviews_partial_update", "user_interviews_audio_retrieve",
                           "user_interviews_destroy"],
            "saved_queries": ["warehouse_saved_queries_create", "warehouse_saved_queries_list",
                              "warehouse_saved_queries_retrieve", "warehouse_saved_queries_partial_update",
                              "warehouse_saved_queries_destroy"],
            "query": ["query_create"],
        }.items()
        for name in names
    }  # fmt: skip
    client = importlib.import_module(f"{PACKAGE}.client").AuthenticatedClient(
        base_url=base_url,
        token=key,
        raise_on_unexpected_status=True,
        timeout=importlib.import_module("httpx").Timeout(60),
    )
    used = set()

    def call(name, **kwargs):
        used.add(name)
        return api[name].sync_detailed(client=client, project_id=pid, **kwargs)

    # Interviews: upload (multipart), list, read, edit (JSON), download, delete.
    vtt = INTERVIEW_VTT.read_bytes()
    upload = m.UserInterviewCreateRequest(
        audio=types.File(payload=BytesIO(vtt), file_name="interview.vtt", mime_type="text/vtt"),
        interviewee_emails=["Ada Lovelace <ada@example.com>"],
    )
    created = call("user_interviews_create", body=upload)
    assert created.status_code == HTTPStatus.CREATED, created.content
    interview = created.parsed
    assert isinstance(interview, m.UserInterview) and interview.interviewee_emails == [
        "Ada Lovelace <ada@example.com>"
    ]
    listed = call("user_interviews_list", limit=10).parsed
    assert isinstance(listed, m.PaginatedUserInterviewList) and [i.id for i in listed.results] == [
        interview.id
    ]
    read = call("user_interviews_retrieve", id=interview.id).parsed
    assert read.id == interview.id and read.transcript
    edited = call(
        "user_interviews_partial_update",
        id=interview.id,
        body=m.PatchedUserInterviewEditRequest(summary="Edited"),
    )
    assert edited.status_code == HTTPStatus.OK and edited.parsed.summary == "Edited"
    audio = call("user_interviews_audio_retrieve", id=interview.id)
    assert audio.status_code == HTTPStatus.OK and isinstance(audio.parsed, types.File)
    assert audio.parsed.payload.read() == vtt
    partial = call("user_interviews_audio_retrieve", id=interview.id, range_="bytes=0-9")
    assert partial.status_code == HTTPStatus.PARTIAL_CONTENT and partial.parsed.payload.read() == vtt[:10]
    assert call("user_interviews_destroy", id=interview.id).status_code == HTTPStatus.NO_CONTENT

    # Saved queries: create, list, read, edit, delete; then /query/ reads the view.
    sql = m.HogQLQueryRequest(kind=m.HogQLQueryKindEnum.HOGQLQUERY, query="select event from events")
    created = call(
        "warehouse_saved_queries_create", body=m.SavedQueryRequest(name="generated_view", query=sql)
    )
    assert created.status_code == HTTPStatus.CREATED, created.content
    view = created.parsed
    assert isinstance(view, m.SavedQuery) and [c.name for c in view.columns] == ["event"]
    listed = call("warehouse_saved_queries_list").parsed
    assert [v.name for v in listed.results] == ["generated_view"]
    assert (
        call("warehouse_saved_queries_retrieve", id=view.id).parsed.latest_history_id
        == view.latest_history_id
    )
    renamed = call(
        "warehouse_saved_queries_partial_update",
        id=view.id,
        body=m.PatchedSavedQueryRequest(name="renamed_view"),
    )
    assert renamed.status_code == HTTPStatus.OK and renamed.parsed.name == "renamed_view"
    ran = call(
        "query_create",
        body=m.QueryRequest(
            query=m.QueryNodeRequest(
                kind=m.QueryNodeKindEnum.HOGQLQUERY, query="select count() as n from renamed_view"
            )
        ),
    )
    assert ran.status_code == HTTPStatus.OK and isinstance(ran.parsed, m.QueryResponse), ran.content
    assert ran.parsed.columns == ["n"] and ran.parsed.results == [[0]]

    # An error is read as the generated Error model, with PostHog's fields.
    refused = call("warehouse_saved_queries_create", body=m.SavedQueryRequest(name="1bad", query=sql))
    assert refused.status_code == HTTPStatus.BAD_REQUEST and isinstance(refused.parsed, m.Error)
    assert (refused.parsed.type_, refused.parsed.attr) == (m.ErrorTypeEnum.VALIDATION_ERROR, "name")
    assert call("warehouse_saved_queries_destroy", id=view.id).status_code == HTTPStatus.NO_CONTENT
    gone = call("warehouse_saved_queries_retrieve", id=view.id)
    assert gone.status_code == HTTPStatus.NOT_FOUND and gone.parsed.code == "not_found"

    assert len(used) == 12  # distinct operations called through the generated code
