"""Adversarial inputs on every operation of our schema: 100 KB crafted strings in every string field and query
parameter, bodies nested far past any limit, and the key sent in the body or query string (never echoed back).

Each answer must be below 500 and, for a 4xx, in the error shape; the operations and their string fields come from
/api/schema/, so a new endpoint or field is covered without editing this file.
"""

import json
import uuid
from urllib.parse import urlencode

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.test import APIClient

from tests.api.factories import factory_for, isolated_storage  # noqa: F401 (fixture)
from tests.fuzz.support import ERROR_KEYS, schema

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_storage")]

MULTIPART = MULTIPART_CONTENT
SIZE = 100_000
CRAFTED = ["a <" * (SIZE // 3), "(" * SIZE, "é " * (SIZE // 2)]
DEEP = b"[" * 100_000 + b"]" * 100_000
RAW = schema.raw_schema
OPERATIONS = [
    (path, method.upper(), operation)
    for path, item in RAW["paths"].items()
    if path.startswith(("/api/environments/", "/api/personal_api_keys/"))
    for method, operation in item.items()
    if method in ("get", "post", "put", "patch", "delete")
]


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = RAW["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _strings_filled(node: dict, value: str, depth: int = 0) -> object:
    """A body for `node` with every string property (nested objects too) set to `value`."""
    node = _resolve(node)
    if "allOf" in node:
        node = _resolve(node["allOf"][0])
    if "enum" in node:
        return next(
            (choice for choice in node["enum"] if choice), None
        )  # a valid choice, so the rest is checked
    if node.get("type") == "string" and node.get("format") not in ("binary", "uuid"):
        return value
    if node.get("type") == "array" and depth < 3:
        return [_strings_filled(node.get("items", {}), value, depth + 1)]
    if node.get("type") == "object" or "properties" in node:
        properties = node.get("properties", {}) if depth < 3 else {}
        filled = {name: _strings_filled(child, value, depth + 1) for name, child in properties.items()}
        return {name: item for name, item in filled.items() if item is not None}
    return None


def _body_schema(operation: dict) -> tuple[str, dict] | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            return media, content[media]["schema"]
    return None


def _url(path: str, project, object_id: str | None) -> str:
    return path.replace("{project_id}", str(project.pk)).replace("{id}", object_id or "@current")


@pytest.fixture
def object_id(api, project):
    made: dict[str, str] = {}

    def make(path: str) -> str | None:
        if "{id}" not in path:
            return None
        if path.startswith("/api/personal_api_keys/"):
            return "@current"
        resource = path.split("/")[4]
        if resource not in made:
            made[resource] = factory_for(resource)(api, project, f"adv_{uuid.uuid4().hex[:8]}")
        return made[resource]

    return make


def _assert_handled(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:300])
    if response.status_code >= 400 and "/cancel/ " not in what + " ":
        body = response.json()
        assert set(body) == ERROR_KEYS, (what, body)


def _text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def _send_crafted(api, method: str, url: str, operation: dict, value: str):
    query = {p["name"]: value for p in operation.get("parameters", []) if p.get("in") == "query"}
    if query:
        url += "?" + urlencode(query)
    found = _body_schema(operation)
    if method in ("GET", "DELETE", "HEAD") or found is None:
        return api.generic(method, url)
    media, node = found
    body = _strings_filled(node, value) or {}
    if media == "multipart/form-data":
        fields = {name: item for name, item in body.items() if isinstance(item, str | list)}
        return api.generic(method, url, encode_multipart(BOUNDARY, fields), content_type=MULTIPART)
    return api.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS]
)
def test_crafted_strings_deep_bodies_and_keys_in_body_or_query(
    api, project, user, object_id, make_key, settings, path, method, operation
):
    settings.THROTTLE_ENABLED = False  # rate limits are tested in tests/api
    if path.startswith("/api/personal_api_keys/"):  # managed from a browser session only
        api = APIClient()
        api.force_login(user)
    url = _url(path, project, object_id(path))
    key = make_key("*")
    if method in ("POST", "PUT", "PATCH"):
        for value in CRAFTED:
            _assert_handled(_send_crafted(api, method, url, operation, value), f"{method} {path}")
        response = api.generic(method, url, DEEP, content_type="application/json")
        _assert_handled(response, f"{method} {path} nested")
        assert response.status_code != 201, "a body nested 100,000 deep was accepted"
        # The key in the JSON body: it authenticates, and the answer never contains it.
        body = json.dumps({"personal_api_key": key})
        response = APIClient().generic(method, url, body, content_type="application/json")
        _assert_handled(response, f"{method} {path} key in body")
        assert key not in _text(response)
    elif method == "GET":
        for value in CRAFTED:
            _assert_handled(_send_crafted(api, method, url, operation, value), f"{method} {path}")
    # The key in the query string, with paging parameters so any next/previous link would carry it.
    response = APIClient().generic(method, f"{url}?{urlencode({'personal_api_key': key, 'limit': 1})}")
    _assert_handled(response, f"{method} {path} key in query")
    assert key not in _text(response)
