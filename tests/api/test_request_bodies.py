"""What a request body can do to a worker: nothing. Deep JSON, oversized JSON, chunked and slow bodies get JSON errors."""

import json

import pytest
from rest_framework.test import APIClient

from api.parsers import nesting_depth

pytestmark = pytest.mark.django_db


def _post(api, project, body: bytes, **extra):
    url = f"/api/environments/{project.id}/warehouse_saved_queries/"
    return api.generic("POST", url, body, content_type="application/json", **extra)


@pytest.mark.parametrize("depth", [65, 5_000, 200_000])
def test_deeply_nested_json_is_a_400_on_every_endpoint(api, project, user, depth):
    body = b"[" * depth + b"]" * depth
    browser = APIClient()
    browser.force_login(user)
    for client, url in (
        (api, f"/api/environments/{project.id}/warehouse_saved_queries/"),
        (api, f"/api/environments/{project.id}/query/"),
        (api, f"/api/environments/{project.id}/user_interviews/"),
        (api, f"/api/environments/{project.id}/warehouse_tables/"),
        (browser, "/api/personal_api_keys/"),
    ):
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400, url
        assert response.json() == {
            "type": "invalid_request",
            "code": "parse_error",
            "detail": "JSON parse error - arrays and objects may be nested at most 64 levels deep.",
            "attr": None,
        }


def test_nesting_within_the_limit_is_parsed(api, project):
    body = {"name": "v", "query": {"kind": "HogQLQuery", "query": "select 1 as x"}, "x": [[[[1]]]]}
    assert _post(api, project, json.dumps(body).encode()).status_code == 201


def test_nesting_depth_counts_arrays_and_objects():
    assert [nesting_depth(v) for v in (1, [], {"a": [1, {"b": []}]}, [[[]]])] == [0, 1, 4, 3]


def test_a_json_body_over_the_size_cap_is_a_413(api, project, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _post(api, project, json.dumps({"name": "x" * 2000}).encode())
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_a_chunked_body_is_refused_with_411(api, project):
    response = _post(api, project, b"", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert response.json() == {
        "type": "invalid_request",
        "code": "length_required",
        "detail": "Send the request body with a Content-Length header: chunked transfer encoding is not supported.",
        "attr": None,
    }


def test_a_body_that_arrives_after_the_time_limit_is_a_408(api, project, settings):
    settings.REQUEST_BODY_TIMEOUT_SECONDS = 0  # the deadline has passed when the first byte is read
    response = _post(api, project, json.dumps({"name": "v"}).encode())
    assert response.status_code == 408
    assert response.json()["code"] == "request_timeout"
