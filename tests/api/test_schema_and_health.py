"""The OpenAPI schema is warning-free and self-hosted; the health check answers."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target), stdout=StringIO())
    schema = yaml.safe_load(target.read_text())
    assert schema["components"]["securitySchemes"]["PersonalAPIKeyAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["PersonalAPIKeyAuth"]["description"],
    }
    for path, operations in schema["paths"].items():
        assert path.endswith("/"), path
        for method, operation in operations.items():
            assert "x-required-scopes" in operation, (path, method)


def test_schema_endpoint_and_docs_pages_need_no_internet():
    client = Client()
    assert client.get("/api/schema/").status_code == 200
    for page in ["/api/schema/swagger-ui/", "/api/schema/redoc/"]:
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
        assert "/static/drf_spectacular_sidecar/" in html


def test_health():
    response = Client().get("/_health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
