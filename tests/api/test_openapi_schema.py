"""The schema says what the server does: media types, error responses, tags and summaries, validation rules."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

TAGS = {"interviews", "saved queries", "query", "tables", "keys", "projects", "users", "organizations"}
ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def component(schema: dict, ref: dict) -> dict:
    return schema["components"]["schemas"][ref["$ref"].split("/")[-1]]


def has_binary_field(schema: dict, node: dict) -> bool:
    properties = (
        component(schema, node).get("properties", {}) if "$ref" in node else node.get("properties", {})
    )
    return any(prop.get("format") == "binary" for prop in properties.values())


def test_request_bodies_are_json_unless_a_file_is_uploaded(schema):
    for path, method, operation in operations(schema):
        content = operation.get("requestBody", {}).get("content", {})
        assert "application/x-www-form-urlencoded" not in content, (method, path)
        for media_type, body in content.items():
            uploads = has_binary_field(schema, body["schema"])
            assert (media_type == "multipart/form-data") == uploads, (method, path, media_type)


def test_every_operation_lists_its_error_responses_with_the_error_component(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"type", "code", "detail", "attr"}
    assert error["properties"]["attr"].get("nullable") is True
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"401", "403", "429"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"400", "413", "415"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for status in expected - ({"400"} if path.endswith("/cancel/") else set()):
            assert responses[status]["content"]["application/json"]["schema"] == ERROR_REF, (
                method,
                path,
                status,
            )


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("POST", "/api/environments/{project_id}/query/", {"200", "503"}),
        ("POST", "/api/environments/{project_id}/warehouse_saved_queries/", {"200", "201"}),
        ("POST", "/api/environments/{project_id}/warehouse_saved_queries/{id}/run/", {"200", "409"}),
        ("POST", "/api/environments/{project_id}/user_interviews/{id}/transcribe/", {"200", "409"}),
    ],
)
def test_operation_specific_statuses(schema, method, path, statuses):
    responses = schema["paths"][path][method.lower()]["responses"]
    assert statuses <= set(responses)
    assert "201" not in responses or "201" in statuses


def test_every_operation_has_a_tag_and_a_human_summary(schema):
    for path, method, operation in operations(schema):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in TAGS, (method, path, operation["tags"])
        summary = operation.get("summary", "")
        assert summary and summary != operation["operationId"] and " " in summary, (method, path)
        assert summary[0].isupper() and "_" not in summary, summary


def test_audio_download_declares_octet_stream_and_audio(schema):
    audio = schema["paths"]["/api/environments/{project_id}/user_interviews/{id}/audio/"]["get"]
    for status in ("200", "206"):
        content = audio["responses"][status]["content"]
        assert list(content)[0] == "application/octet-stream"
        assert "audio/*" in content
        assert content["application/octet-stream"]["schema"] == {"type": "string", "format": "binary"}


def test_validation_rules_are_in_the_schema(schema):
    saved_query = schema["components"]["schemas"]["SavedQueryRequest"]["properties"]
    assert saved_query["name"]["pattern"] == r"^[A-Za-z_$][A-Za-z0-9_.$]*$"
    assert saved_query["name"]["maxLength"] == 128
    assert "24hour" in component(schema, saved_query["sync_frequency"]["oneOf"][0])["enum"]
    query = schema["components"]["schemas"]["HogQLQueryRequest"]["properties"]
    assert query["query"]["maxLength"] == 100_000
    assert component(schema, query["kind"])["enum"] == ["HogQLQuery"]
    emails = schema["components"]["schemas"]["UserInterviewCreateRequest"]["properties"]["interviewee_emails"]
    assert emails["items"]["maxLength"] == 254
    table = schema["components"]["schemas"]["WarehouseTableRequest"]["properties"]
    assert table["name"]["pattern"] == saved_query["name"]["pattern"]


def test_docs_pages_load_nothing_from_outside_the_server():
    for page in ["/api/schema/swagger-ui/", "/api/schema/redoc/"]:
        html = Client().get(page).content.decode()
        outside = re.findall(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", html)
        assert outside == [], (page, outside)
