"""A request under a project URL reads the key, its user and the project in one statement (api/authentication.py,
users/selectors.py), and answers exactly as when the project was read on its own: 404 for an unknown project, 403
for another organization's, the key's project limits, 401 for a bad key whatever the project."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from users.keys import hash_key_value
from users.models import Project
from users.selectors import active_key_with_user_and_project

pytestmark = pytest.mark.django_db

PROJECT_TABLE = '"users_project"'


def interviews(project_id) -> str:
    return f"/api/environments/{project_id}/user_interviews/"


def statements(client: APIClient, url: str) -> tuple[int, dict, list[str]]:
    client.get(url)  # a first request may write the key's last_used_at
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, response.json(), [query["sql"] for query in captured]


def reading_the_project(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if PROJECT_TABLE in sql or "users_project " in sql]


def test_the_project_is_read_in_the_keys_statement(api, project):
    status, _, sqls = statements(api, interviews(project.pk))
    assert status == 200
    project_reads = reading_the_project(sqls)
    assert len(project_reads) == 1, sqls
    assert "users_personalapikey" in project_reads[0]  # the key's own statement, not a second query


def test_current_is_resolved_on_its_own(api, project):
    status, _, sqls = statements(api, interviews("@current"))
    assert status == 200
    assert any("users_personalapikey" in sql and "users_project" not in sql for sql in sqls), sqls


def test_an_unknown_project_is_404_after_one_statement(api, project):
    status, body, sqls = statements(api, interviews(project.pk + 1000))
    assert (status, body["detail"]) == (404, "Project not found.")
    assert len(sqls) == 1, sqls


@pytest.mark.parametrize("raw_id", ["abc", "1" * 25, "-1"])
def test_a_malformed_project_id_is_404(api, project, raw_id):
    response = api.get(interviews(raw_id))
    assert response.status_code == 404


def test_another_organizations_project_is_403(api, project, other_project):
    status, body, _ = statements(api, interviews(other_project.pk))
    assert (status, body["detail"]) == (403, "You don't have access to the project.")


def test_a_key_limited_to_other_projects_is_refused(client_with, project, other_project):
    client = client_with("*", scoped_teams=[other_project.pk])
    response = client.get(interviews(project.pk))
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == f"API key does not have access to the requested project: ID {project.pk}."
    )


@pytest.mark.parametrize("which", ["own", "unknown", "other"])
def test_a_bad_key_is_401_whatever_the_project(project, other_project, which):
    project_id = {"own": project.pk, "unknown": project.pk + 1000, "other": other_project.pk}[which]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer phx_not_a_key")
    response = client.get(interviews(project_id))
    assert response.status_code == 401
    assert response.json()["detail"] == "Personal API key found in request Authorization header is invalid."


def test_an_inactive_users_key_is_401_under_a_project(make_key, user, project):
    value = make_key("*")
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    assert client.get(interviews(project.pk)).status_code == 401


def test_the_project_read_with_the_key_is_the_one_the_orm_reads(make_key, project):
    """Every field converted as the ORM converts it (dates, JSON, UUIDs), on SQLite and PostgreSQL alike."""
    _, read = active_key_with_user_and_project(hash_key_value(make_key("*")), project.pk)
    expected = Project.objects.get(pk=project.pk)
    assert read is not None and read.is_member is True
    for field in Project._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
