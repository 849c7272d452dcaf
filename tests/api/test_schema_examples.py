"""Every request example in the schema (what Swagger's "Try it out" prefills) works against a live server.

Each operation whose body is JSON must have an example; each example is sent over real HTTP with an all-scopes
key, to a real object, and must get one of the operation's documented success statuses.
"""

import httpx
import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.api.factories import factory_for, isolated_storage  # noqa: F401 (fixture)

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
SESSION_ONLY = "/api/personal_api_keys/"  # not available to API keys: nothing a key could try


def json_operations():
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content and not path.startswith(SESSION_ONLY):
                yield path, method.upper(), operation, content["application/json"]


def examples() -> list:
    return [
        pytest.param(path, method, operation, example["value"], id=f"{method} {path} {name}")
        for path, method, operation, body in json_operations()
        for name, example in body.get("examples", {}).items()
    ]


def test_every_json_body_has_an_example():
    missing = [f"{method} {path}" for path, method, _, body in json_operations() if not body.get("examples")]
    assert missing == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("isolated_storage")
@pytest.mark.parametrize(("path", "method", "operation", "body"), examples())
def test_schema_example_succeeds(live_server, project, make_key, path, method, operation, body):
    key = make_key("*")
    ids = {"project_id": str(project.pk)}
    if "{id}" in path:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        ids["id"] = factory_for(path.split("/")[4])(client, project, "example")
    with httpx.Client(base_url=live_server.url, timeout=60) as http:
        response = http.request(
            method, path.format(**ids), json=body, headers={"Authorization": f"Bearer {key}"}
        )
    success = {status for status in operation["responses"] if status.startswith("2")}
    assert str(response.status_code) in success, (response.status_code, response.text[:500])
