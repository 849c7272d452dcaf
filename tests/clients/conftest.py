"""Fixtures for the client tests: the warehouse's private folder and synthetic data, and a live server with a
project, an all-scopes key and our schema as it serves it."""

from pathlib import Path

import httpx
import pytest

from tests.api.factories import isolated_storage  # noqa: F401 (fixture)
from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401

TYPESCRIPT_DIR = Path(__file__).resolve().parent / "typescript"


@pytest.fixture
def server(live_server, project, make_key, isolated_storage):  # noqa: F811
    """(base URL, project id, all-scopes key) of a live server on a free port, against the test database."""
    return live_server.url, project.pk, make_key("*")


@pytest.fixture
def schema_file(server, tmp_path):
    """Our schema as the live server serves it, saved to a file the generators read."""
    base_url, _, _ = server
    response = httpx.get(f"{base_url}/api/schema/?format=json", timeout=60)
    assert response.status_code == 200, response.text[:300]
    path = tmp_path / "schema.json"
    path.write_bytes(response.content)
    return path
