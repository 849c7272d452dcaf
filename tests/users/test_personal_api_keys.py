"""Managing keys: through the API (browser sessions), the management commands, and @current."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from users.keys import hash_key_value
from users.models import PersonalAPIKey, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(user, project) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_create_shows_value_once_then_masks(session):
    response = session.post(
        "/api/personal_api_keys/", {"label": "ci", "scopes": ["query:read"]}, format="json"
    )
    assert response.status_code == 201
    value = response.json()["value"]
    assert value.startswith("phx_")
    assert PersonalAPIKey.objects.get().secure_value == hash_key_value(value)
    listed = session.get("/api/personal_api_keys/").json()["results"][0]
    assert listed["value"] is None
    assert listed["mask_value"] == f"phx_...{value[-4:]}"
    # The new key works.
    assert APIClient().get("/api/users/@me/", HTTP_AUTHORIZATION=f"Bearer {value}").status_code == 403


@pytest.mark.parametrize(
    ("payload", "attr", "detail"),
    [
        ({"label": "x", "scopes": ["nope:read"]}, "scopes", "Invalid scope: nope:read"),
        ({"label": "x", "scopes": ["query:delete"]}, "scopes", "Invalid scope: query:delete"),
        ({"label": "x"}, "scopes", "This field is required."),
        ({"scopes": ["*"]}, "label", "This field is required."),
    ],
)
def test_create_validation(session, payload, attr, detail):
    response = session.post("/api/personal_api_keys/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["attr"] == attr
    assert response.json()["detail"] == detail
    assert response.json()["type"] == "validation_error"


def test_scoping_to_a_foreign_project_is_refused(session, other_project):
    response = session.post(
        "/api/personal_api_keys/",
        {"label": "x", "scopes": ["*"], "scoped_teams": [other_project.id]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "You must be a member of all teams that you are scoping the key to."


def test_eleventh_key_is_refused(session):
    for index in range(10):
        assert (
            session.post("/api/personal_api_keys/", {"label": f"k{index}", "scopes": ["*"]}).status_code
            == 201
        )
    response = session.post("/api/personal_api_keys/", {"label": "k11", "scopes": ["*"]})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "You can only have 10 personal API keys. Remove an existing key before creating a new one."
    )


def test_delete_revokes(session):
    value = session.post("/api/personal_api_keys/", {"label": "x", "scopes": ["*"]}).json()["value"]
    key_id = PersonalAPIKey.objects.get().id
    assert session.delete(f"/api/personal_api_keys/{key_id}/").status_code == 204
    assert APIClient().get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {value}").status_code == 401


def test_key_reads_itself_through_current(client_with, user):
    response = client_with("query:read").get("/api/personal_api_keys/@current/")
    assert response.status_code == 200
    data = response.json()
    assert data["scopes"] == ["query:read"]
    assert data["value"] is None
    # PostHog's shape: lists even when unscoped (its clients reject null), the owner's id, the last roll.
    assert (data["scoped_teams"], data["scoped_organizations"]) == ([], [])
    assert (data["user_id"], data["last_rolled_at"]) == (user.id, None)


def test_current_shows_the_keys_limits(client_with, project):
    org_id = str(project.organization_id)
    client = client_with("*", scoped_teams=[project.id], scoped_organizations=[org_id])
    data = client.get("/api/personal_api_keys/@current").json()
    assert (data["scoped_teams"], data["scoped_organizations"]) == ([project.id], [org_id])


def test_key_cannot_list_keys(client_with):
    response = client_with("*").get("/api/personal_api_keys/")
    assert response.status_code == 403
    assert response.json()["detail"] == "This action does not support personal API key access"


def test_createapikey_prints_only_the_key(user, project):
    out = StringIO()
    call_command(
        "createapikey",
        user.email,
        "--scopes",
        "query:read, project:read",
        "--label",
        "cli",
        "--project",
        str(project.id),
        stdout=out,
    )
    value = out.getvalue().strip()
    assert "\n" not in value and value.startswith("phx_")
    key = PersonalAPIKey.objects.get(secure_value=hash_key_value(value))
    assert (key.label, key.scopes, key.scoped_teams) == ("cli", ["query:read", "project:read"], [project.id])


def test_createapikey_rejects_unknown_scope_and_user(user):
    with pytest.raises(CommandError, match="Invalid scope: bogus"):
        call_command("createapikey", user.email, "--scopes", "bogus", stdout=StringIO())
    with pytest.raises(CommandError, match="No user"):
        call_command("createapikey", "nobody@example.com", stdout=StringIO())


def test_bootstrap_is_idempotent_and_prints_a_working_key(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first, second = StringIO(), StringIO()
    call_command("bootstrap", "--json", stdout=first)
    call_command("bootstrap", "--json", stdout=second)
    a, b = json.loads(first.getvalue()), json.loads(second.getvalue())
    assert a["project_id"] == b["project_id"] and a["api_key"] == b["api_key"]  # one demo key, reused
    assert Project.objects.count() == 1
    response = APIClient().get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {b['api_key']}")
    assert [row["id"] for row in response.json()["results"]] == [a["project_id"]]
