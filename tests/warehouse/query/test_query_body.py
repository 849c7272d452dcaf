"""The body of POST /query/: what is not a query node is a 400 in the error shape, with the same words whether the
body is JSON or a form (a form's `query` field carries the node as JSON text)."""

import json

import pytest

from tests.warehouse.engine_support import query_url

pytestmark = pytest.mark.django_db


def error_of(response):
    assert response.status_code == 400, response.content
    body = response.json()
    return body["code"], body["detail"], body["attr"]


@pytest.mark.parametrize(
    ("body", "expected"),  # (code, the detail or its start, attr)
    [
        ({}, ("required", "This field is required.", "query")),
        ({"q": 1}, ("required", "This field is required.", "query")),
        ({"query": None}, ("null", "This field may not be null.", "query")),
        ([], ("invalid_input", "Invalid data. Expected a dictionary, but got list.", None)),
        ("x", ("invalid_input", "Invalid data. Expected a dictionary, but got str.", None)),
        (5, ("invalid_input", "Invalid data. Expected a dictionary, but got int.", None)),
        (None, ("null", "No data provided", None)),
        ({"query": "select 1"}, ("invalid_input", "Invalid query. Expected {", "query")),
        ({"query": {}}, ("invalid_input", "Unsupported query kind None.", "query")),
    ],
)
def test_a_json_body_that_is_not_a_query_node(api, project, body, expected):
    code, detail, attr = error_of(
        api.post(query_url(project), json.dumps(body), content_type="application/json")
    )
    assert (code, attr) == (expected[0], expected[2])
    assert detail.startswith(expected[1]), detail


def test_a_form_body_carries_the_node_as_json_text(api, project):
    node = {"kind": "HogQLQuery", "query": "select 1 as x"}
    response = api.post(query_url(project), {"query": json.dumps(node)}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == [[1]]


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"query": "{bad"}, ("invalid_input", "Value must be valid JSON.", "query")),
        ({"x": "1"}, ("required", "This field is required.", "query")),
    ],
)
def test_a_form_body_that_is_not_a_query_node(api, project, form, expected):
    assert error_of(api.post(query_url(project), form, format="multipart")) == expected
