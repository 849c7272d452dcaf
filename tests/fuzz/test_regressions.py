"""Cases the fuzzer found, kept as plain tests: a real response validated against our own schema."""

import pytest

from tests.api.factories import FACTORIES, isolated_storage  # noqa: F401 (fixture)
from tests.fuzz.support import call_and_validate, schema

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_storage")]


def _validate(path: str, method: str, api_key: str, **path_parameters) -> int:
    case = schema[path][method].Case(
        path_parameters={name: str(value) for name, value in path_parameters.items()}
    )
    return call_and_validate(case, api_key).status_code


def test_blank_role_at_organization_is_in_the_schema(api, project, make_key):
    """created_by.role_at_organization is "" for a user who never chose one; the enum did not allow it."""
    interview = FACTORIES["user_interviews"](api, project, "role")
    path = "/api/environments/{project_id}/user_interviews/{id}/"
    assert _validate(path, "GET", make_key("*"), project_id=project.pk, id=interview) == 200


def test_table_external_source_and_schema_are_nullable(api, project, make_key):
    """warehouse_tables answer external_data_source/external_schema null; the schema said a non-null object."""
    table = FACTORIES["warehouse_tables"](api, project, "nullable")
    path = "/api/environments/{project_id}/warehouse_tables/{id}/"
    assert _validate(path, "GET", make_key("*"), project_id=project.pk, id=table) == 200


def test_audio_download_media_type_is_documented(api, project, make_key):
    """audio/ streams the recording in its own media type (text/vtt here); the schema said octet-stream only."""
    interview = FACTORIES["user_interviews"](api, project, "audio")
    path = "/api/environments/{project_id}/user_interviews/{id}/audio/"
    assert _validate(path, "GET", make_key("*"), project_id=project.pk, id=interview) == 200
