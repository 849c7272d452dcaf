"""Rate limits: one budget per key wherever the key was sent, per client address without a key; 429 with Retry-After."""

import socket

import pytest
from rest_framework.test import APIClient

from tests.warehouse.conftest import hogql, views_url


@pytest.fixture
def burst_of_three(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"burst": "3/minute", "sustained": "100/hour"},
    }


def _key_in(where: str, key: str, project) -> int:
    """One request carrying the key in the header, the JSON body or the query string; its status."""
    client = APIClient()
    url = f"/api/environments/{project.id}/user_interviews/"
    if where == "header":
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code
    if where == "body":
        return client.post(url, {"personal_api_key": key}, format="json").status_code
    return client.get(url, {"personal_api_key": key}).status_code


@pytest.mark.parametrize("where", ["header", "body", "query"])
def test_a_key_is_throttled_wherever_it_is_sent(burst_of_three, make_key, project, where):
    key = make_key("*")
    statuses = [_key_in(where, key, project) for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429


def test_header_body_and_query_share_one_budget(burst_of_three, make_key, project):
    key = make_key("*")
    assert [_key_in(where, key, project) for where in ("header", "body", "query")] == [200, 400, 200]
    assert _key_in("header", key, project) == 429


def test_429_has_posthogs_body_and_retry_after(burst_of_three, client_with, project):
    client = client_with("*")
    for _ in range(3):
        client.get("/api/projects/")
    response = client.get("/api/projects/")
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    assert response.json() == {
        "type": "throttled_error",
        "code": "throttled",
        "detail": f"Request was throttled. Expected available in {retry_after} seconds.",
        "attr": None,
    }


@pytest.mark.urls("tests.api.urls")
def test_requests_without_a_key_are_counted_per_client_address(burst_of_three, db):
    first, second = APIClient(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.2")
    assert [first.get("/api/open/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get("/api/open/").status_code == 200
    # X-Forwarded-For is not trusted unless NUM_PROXIES says a proxy sets it: spoofing it changes nothing.
    assert first.get("/api/open/", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_session_users_are_counted_per_user(burst_of_three, user, project):
    client = APIClient()
    client.force_login(user)
    assert [client.get("/api/projects/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_throttle_enabled_false_turns_every_limit_off(burst_of_three, client_with, project, settings):
    settings.THROTTLE_ENABLED = False
    client = client_with("*")
    assert {client.get("/api/projects/").status_code for _ in range(5)} == {200}


def test_saved_query_writes_have_the_query_engine_rates(client_with, project, settings):
    settings.THROTTLE_QUERY_BURST_RATE = "2/minute"
    client = client_with("warehouse_view:write")
    url = views_url(project)
    created = [client.post(url, {"name": f"v{i}", "query": hogql("select 1 as x")}) for i in range(2)]
    assert [response.status_code for response in created] == [201, 201]
    view_id = created[0].json()["id"]
    assert client.patch(views_url(project, view_id), {"name": "renamed"}).status_code == 429
    assert client.delete(views_url(project, view_id)).status_code == 429
    # Reads are not counted against the write budget; another key has its own.
    assert client.get(url).status_code == 200
    assert client.get(views_url(project, view_id)).status_code == 200
    other = client_with("warehouse_view:write")
    assert other.delete(views_url(project, view_id)).status_code == 204


def test_requests_pass_when_the_rate_limit_storage_is_down(
    burst_of_three, client_with, project, settings, caplog
):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.THROTTLE_STORAGE_URL = f"redis://127.0.0.1:{port}/0"
    client = client_with("*")
    assert {client.get("/api/projects/").status_code for _ in range(5)} == {200}
    assert "Rate limit storage unavailable" in caplog.text
