"""One factory per project resource: creates a real object through the API and returns its id.

Used by the generated checks (cross-project ids, fuzzing) so they run on real objects. A new project resource
with detail routes needs an entry in FACTORIES; the checks fail with a message saying so until it has one.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from users.models import Project

INTERVIEW_VTT = Path(__file__).resolve().parents[1] / "interviews_api" / "fixtures" / "interview.vtt"
TABLE_CSV = b"id,amount\n1,10.5\n2,7.25\n"

Factory = Callable[[APIClient, Project, str], str]


def _created(response) -> str:
    assert response.status_code == 201, (response.status_code, response.content[:500])
    return str(response.json()["id"])


def make_interview(client: APIClient, project: Project, tag: str) -> str:
    """A WebVTT transcript (no audio decoding, so it is fast) with one interviewee."""
    upload = SimpleUploadedFile("interview.vtt", INTERVIEW_VTT.read_bytes(), content_type="text/vtt")
    return _created(
        client.post(
            f"/api/environments/{project.pk}/user_interviews/",
            {"audio": upload, "interviewee_emails": [f"{tag}@example.com"]},
            format="multipart",
        )
    )


def make_saved_query(client: APIClient, project: Project, tag: str) -> str:
    body = {"name": f"view_{tag}", "query": {"kind": "HogQLQuery", "query": "select event from events"}}
    return _created(
        client.post(f"/api/environments/{project.pk}/warehouse_saved_queries/", body, format="json")
    )


def make_table(client: APIClient, project: Project, tag: str) -> str:
    upload = SimpleUploadedFile("data.csv", TABLE_CSV, content_type="text/csv")
    body = {"name": f"table_{tag}", "format": "CSVWithNames", "file": upload}
    return _created(
        client.post(f"/api/environments/{project.pk}/warehouse_tables/", body, format="multipart")
    )


# URL prefix of the resource (what comes after /api/environments/<project_id>/) -> factory.
FACTORIES: dict[str, Factory] = {
    "user_interviews": make_interview,
    "warehouse_saved_queries": make_saved_query,
    "warehouse_tables": make_table,
}


def resource_of(pattern: str) -> str:
    """`environments/(?P<project_id>[^/.]+)/user_interviews/(?P<pk>...)` -> `user_interviews`."""
    return re.sub(r"\(\?P<project_id>[^)]+\)", "", pattern).split("/")[2]


def factory_for(resource: str) -> Factory:
    if resource not in FACTORIES:
        raise AssertionError(
            f"No factory for the project resource {resource!r}: add one to FACTORIES in tests/api/factories.py "
            "(create a real object through the API and return its id), so the generated cross-project and "
            "fuzzing checks cover it."
        )
    return FACTORIES[resource]


@pytest.fixture
def isolated_storage(settings, tmp_path):
    """Recordings, uploads and warehouse files in this test's own folder, with the offline providers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "local"
    settings.INTERVIEW_SUMMARY_PROVIDER = "extractive"
    return settings
