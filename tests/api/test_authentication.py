"""Every way a personal API key can be presented, and every way it can fail."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from users.keys import hash_key_value
from users.models import PersonalAPIKey

pytestmark = pytest.mark.django_db


def error(response) -> tuple[int, str, str]:
    body = response.json()
    assert set(body) == {"type", "code", "detail", "attr"}
    return response.status_code, body["code"], body["detail"]


def test_bearer_header(make_key, project):
    client = APIClient()
    response = client.get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {make_key('project:read')}")
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == project.id


def test_bearer_header_tolerates_extra_whitespace(make_key, project):
    response = APIClient().get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer    {make_key('*')}  ")
    assert response.status_code == 200


def test_key_in_body(make_key, project):
    value = make_key("personal_api_key:read", "project:read")
    response = APIClient().post("/api/personal_api_keys/", {"personal_api_key": value}, format="json")
    # Authenticated through the body; keys may not create keys, which proves the key was recognised.
    assert error(response) == (
        403,
        "permission_denied",
        "This action does not support personal API key access",
    )


def test_key_in_query_string(make_key, project):
    response = APIClient().get(f"/api/projects/?personal_api_key={make_key('project:read')}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "path", "source"),
    [
        ({"HTTP_AUTHORIZATION": "Bearer phx_not_a_real_key"}, "/api/projects/", "Authorization header"),
        ({}, "/api/projects/?personal_api_key=phx_not_a_real_key", "query string"),
    ],
)
def test_bad_key_names_where_it_was_found(kwargs, path, source, project):
    response = APIClient().get(path, **kwargs)
    assert error(response) == (
        401,
        "authentication_failed",
        f"Personal API key found in request {source} is invalid.",
    )
    assert response.json()["type"] == "authentication_error"


def test_bad_key_in_body_names_the_body(project):
    response = APIClient().post("/api/personal_api_keys/", {"personal_api_key": "phx_nope"}, format="json")
    assert error(response) == (
        401,
        "authentication_failed",
        "Personal API key found in request body is invalid.",
    )


def test_only_the_first_key_found_is_tried(make_key, project):
    good = make_key("*")
    response = APIClient().get(f"/api/projects/?personal_api_key={good}", HTTP_AUTHORIZATION="Bearer phx_bad")
    assert response.status_code == 401


def test_no_credentials(project):
    response = APIClient().get("/api/projects/")
    assert error(response) == (401, "not_authenticated", "Authentication credentials were not provided.")


def test_inactive_user_key_is_refused(make_key, user, project):
    value = make_key("*")
    user.is_active = False
    user.save()
    response = APIClient().get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {value}")
    assert response.status_code == 401


def test_key_is_stored_only_as_sha256_digest(make_key):
    value = make_key("*")
    key = PersonalAPIKey.objects.get()
    assert key.secure_value == hash_key_value(value)
    assert key.secure_value.startswith("sha256$")
    assert value not in str(PersonalAPIKey.objects.values().get())
    assert key.mask_value == f"phx_...{value[-4:]}"
    assert value.startswith("phx_") and len(value) >= 4 + 43


def test_last_used_at_written_at_most_once_an_hour(make_key, project):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_key('*')}")
    client.get("/api/projects/")
    first = PersonalAPIKey.objects.get().last_used_at
    assert first is not None
    client.get("/api/projects/")
    assert PersonalAPIKey.objects.get().last_used_at == first
    PersonalAPIKey.objects.update(last_used_at=timezone.now() - timedelta(hours=2))
    client.get("/api/projects/")
    assert PersonalAPIKey.objects.get().last_used_at > first


def test_session_login_works_without_scopes(user, project):
    client = APIClient()
    client.force_login(user)
    assert client.get("/api/projects/").status_code == 200
    assert client.get("/api/users/@me/").json()["email"] == user.email
