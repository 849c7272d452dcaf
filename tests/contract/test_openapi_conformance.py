"""Our generated OpenAPI schema against PostHog's documented API, endpoint by endpoint, field by field."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.contract.seed import DocumentedEndpoint, documented_endpoints

ENDPOINTS = documented_endpoints()
JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}
# Where the documented example disagrees with what PostHog's server really returns (shared/reference), we follow
# the server. Each entry: (field, documented type) -> why.
KNOWN_DOC_ARTIFACTS = {
    (
        "columns",
        "string",
    ): "PostHog's server returns a list of column objects (saved-queries reference, section 2)",
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return resolve(schema, node["allOf"][0])
    return node


def schema_type(schema: dict, node: dict) -> str | None:
    node = resolve(schema, node)
    if "type" in node:
        return node["type"]
    if "properties" in node:
        return "object"
    variants = node.get("oneOf") or node.get("anyOf")
    if variants:
        types = {schema_type(schema, variant) for variant in variants} - {None}
        return types.pop() if len(types) == 1 else None
    return None


def operation(schema: dict, endpoint: DocumentedEndpoint) -> dict:
    assert endpoint.path in schema["paths"], f"{endpoint}: path missing from our schema"
    operations = schema["paths"][endpoint.path]
    assert endpoint.method.lower() in operations, f"{endpoint}: method missing from our schema"
    return operations[endpoint.method.lower()]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_scope(schema, endpoint):
    op = operation(schema, endpoint)
    assert op["x-required-scopes"] == endpoint.scopes, f"{endpoint}: scope"
    assert {"PersonalAPIKeyAuth": endpoint.scopes} in op["security"], f"{endpoint}: security requirement"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_path_and_query_parameters(schema, endpoint):
    op = operation(schema, endpoint)
    params = {(param["in"], param["name"]): param for param in op.get("parameters", [])}
    path_params = {name for (kind, name) in params if kind == "path"}
    for kind in ("path", "query"):
        for name, documented_type in endpoint.parameters.get(kind, {}).items():
            assert (kind, name) in params, f"{endpoint}: {kind} parameter {name!r} missing"
            ours = schema_type(schema, params[(kind, name)]["schema"])
            assert ours == documented_type, (
                f"{endpoint}: {kind} parameter {name!r} is {ours}, documented {documented_type}"
            )
    assert path_params == set(endpoint.parameters.get("path", {})), f"{endpoint}: path parameters differ"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.parameters.get("body")], ids=str)
def test_body_parameters(schema, endpoint):
    op = operation(schema, endpoint)
    contents = op["requestBody"]["content"]
    for name, documented_type in endpoint.parameters["body"].items():
        found = False
        for media_type, content in contents.items():
            properties = resolve(schema, content["schema"]).get("properties", {})
            if name in properties:
                found = True
                if documented_type:
                    ours = schema_type(schema, properties[name])
                    assert ours == documented_type, (
                        f"{endpoint}: body field {name!r} ({media_type}) is {ours}"
                    )
        assert found, f"{endpoint}: body field {name!r} missing from every request content type"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_success_status_and_response_fields(schema, endpoint):
    op = operation(schema, endpoint)
    assert str(endpoint.status) in op["responses"], f"{endpoint}: no {endpoint.status} response"
    if endpoint.example is None:
        return
    response = resolve(schema, op["responses"][str(endpoint.status)]["content"]["application/json"]["schema"])
    example = endpoint.example
    if set(example) == {"count", "next", "previous", "results"}:
        assert set(response["properties"]) >= {"count", "next", "previous", "results"}, (
            f"{endpoint}: envelope"
        )
        assert response["properties"]["results"]["type"] == "array"
        response = resolve(schema, response["properties"]["results"]["items"])
        example = example["results"][0]
    properties = response["properties"]
    for name, value in example.items():
        assert name in properties, f"{endpoint}: response field {name!r} missing"
        if value is None:
            continue
        documented = JSON_TYPES[type(value)]
        ours = schema_type(schema, properties[name])
        if (name, documented) in KNOWN_DOC_ARTIFACTS:
            continue
        assert ours == documented, f"{endpoint}: response field {name!r} is {ours}, documented {documented}"
