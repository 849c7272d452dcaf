"""Every error under /api/ is JSON in PostHog's shape, whatever produced it."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from api.exceptions import first_error

pytestmark = pytest.mark.django_db


def shape(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    data = response.json()
    assert set(data) == {"type", "code", "detail", "attr"}
    return data


def test_400_validation_error_names_the_field(user, project):
    client = APIClient()
    client.force_login(user)
    response = client.post("/api/personal_api_keys/", {"label": "x"}, format="json")
    assert response.status_code == 400
    assert shape(response) == {
        "type": "validation_error",
        "code": "required",
        "detail": "This field is required.",
        "attr": "scopes",
    }


def test_400_malformed_json(user, project):
    client = APIClient()
    client.force_login(user)
    response = client.post("/api/personal_api_keys/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert shape(response)["type"] == "invalid_request"
    assert shape(response)["code"] == "parse_error"


def test_401_and_403(client_with, project):
    assert shape(APIClient().get("/api/projects/"))["code"] == "not_authenticated"
    assert shape(client_with("query:read").get("/api/projects/"))["code"] == "permission_denied"


def test_404_unknown_api_path_is_json(api):
    for path in ["/api/nope/", "/api/environments/1/nope/", "/api/projects/1/deeper/still/"]:
        response = api.get(path)
        assert response.status_code == 404
        assert shape(response) == {
            "type": "invalid_request",
            "code": "not_found",
            "detail": "Endpoint not found.",
            "attr": None,
        }


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_404_unknown_api_path_for_every_method_even_with_csrf_checks(method, make_key, project):
    """A real client over HTTP (CSRF checks on, as in production): a write to a typo'd path is 404, not 403."""
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {make_key('*')}")
    path = f"/api/environments/{project.pk}/warehouse_saved_query/x/"
    body = {} if method in ("get", "options") else {"data": "{}", "content_type": "application/json"}
    response = getattr(client, method)(path, **body)
    assert response.status_code == 404
    assert shape(response)["detail"] == "Endpoint not found."


def test_405(api, project):
    response = api.delete(f"/api/projects/{project.id}/")
    assert response.status_code == 405
    assert shape(response)["code"] == "method_not_allowed"
    assert shape(response)["type"] == "invalid_request"


def test_413_body_too_large(user, project, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client = APIClient()
    client.force_login(user)
    response = client.post("/api/personal_api_keys/", {"label": "x" * 500, "scopes": ["*"]}, format="json")
    assert response.status_code == 413
    assert shape(response)["code"] == "payload_too_large"


def test_415_unsupported_media_type(user, project):
    client = APIClient()
    client.force_login(user)
    response = client.post("/api/personal_api_keys/", "label=x", content_type="text/csv")
    assert response.status_code == 415
    assert shape(response)["code"] == "unsupported_media_type"


def test_csrf_failure_for_session_is_json(user, project):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/personal_api_keys/", {"label": "x", "scopes": ["*"]}, format="json")
    assert response.status_code == 403
    assert shape(response)["type"] == "authentication_error"


def test_bad_host_is_json(project):
    response = Client(HTTP_HOST="evil.example").get("/api/projects/")
    assert response.status_code == 400
    assert shape(response)["type"] == "invalid_request"


@pytest.mark.urls("tests.api.urls")
def test_500_is_generic_json_and_logged(api, project, caplog):
    response = api.get(f"/api/environments/{project.id}/crash/")
    assert response.status_code == 500
    assert shape(response) == {
        "type": "server_error",
        "code": "error",
        "detail": "A server error occurred.",
        "attr": None,
    }
    assert "boom: secret internals" not in response.content.decode()
    assert "boom: secret internals" in caplog.text


def test_429_throttled(client_with, project, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"burst": "3/minute", "sustained": "100/hour"},
    }
    client = client_with("*")
    statuses = [client.get("/api/projects/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    data = shape(client.get("/api/projects/"))
    assert data["type"] == "throttled_error" and data["code"] == "throttled"
    assert data["detail"].startswith("Request was throttled. Expected available in")
    # Buckets are per key: a second key of the same user is not throttled yet.
    assert client_with("*").get("/api/projects/").status_code == 200


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ({"a": ["bad"]}, ("bad", "invalid", "a")),
        ({"a": [{"b": ["bad"]}]}, ("bad", "invalid", "a__0__b")),
        ({"emails": {"0": ["bad"]}}, ("bad", "invalid", "emails__0")),
        ({"non_field_errors": ["bad"]}, ("bad", "invalid", None)),
        (["bad"], ("bad", "invalid", None)),
    ],
)
def test_first_error_paths(detail, expected):
    assert first_error(detail) == expected


@pytest.mark.urls("tests.api.urls")
@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        (
            "invalid",
            400,
            {
                "type": "validation_error",
                "code": "invalid_input",
                "detail": "The name is taken.",
                "attr": "name",
            },
        ),
        (
            "invalid-no-attr",
            400,
            {"type": "validation_error", "code": "nothing", "detail": "Nothing to do.", "attr": None},
        ),
        (
            "not-found",
            404,
            {"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": None},
        ),
        (
            "conflict",
            409,
            {
                "type": "invalid_request",
                "code": "already_running",
                "detail": "Already running.",
                "attr": None,
            },
        ),
        (
            "django",
            400,
            {"type": "validation_error", "code": "invalid_input", "detail": "Bad name.", "attr": "name"},
        ),
    ],
)
def test_domain_errors_are_mapped_once_to_posthogs_shape(client, kind, status, body):
    response = client.get(f"/api/domain-error/{kind}/")
    assert response.status_code == status
    assert response.json() == body
