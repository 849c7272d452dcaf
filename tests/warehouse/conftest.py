"""Fixtures for every warehouse test: the engine's private storage on ClickHouse, and the saved-queries API's
URLs, a view factory that goes through the API, and an isolated project."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from rest_framework.test import APIClient

from users.models import Project

EVENT_VIEW_SQL = "select event as event from events LIMIT 100"


def views_url(project: Project, *parts: object) -> str:
    path = "/".join(str(part) for part in parts)
    return f"/api/environments/{project.pk}/warehouse_saved_queries/" + (f"{path}/" if path else "")


def hogql(sql: str) -> dict:
    return {"kind": "HogQLQuery", "query": sql}


@pytest.fixture
def create_view(api: APIClient, project: Project):
    """create_view("name", "select ...", **extra) -> the JSON of a view created through the API (asserts 201)."""

    def create(
        name: str, sql: str = EVENT_VIEW_SQL, *, client: APIClient | None = None, on=None, **extra
    ) -> dict:
        response = (client or api).post(
            views_url(on or project), {"name": name, "query": hogql(sql), **extra}
        )
        assert response.status_code == 201, response.json()
        return response.json()

    return create


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.engines("duckdb", reason=...)`: skipped, saying why, when the suite runs on another engine."""
    engine = django_settings.WAREHOUSE_ENGINE
    for item in items:
        marker = item.get_closest_marker("engines")
        if marker is not None and engine not in marker.args:
            reason = marker.kwargs.get("reason", "")
            only = "/".join(marker.args)
            item.add_marker(pytest.mark.skip(reason=f"{only} only, not {engine}: {reason}"))


@pytest.fixture(autouse=True)
def clickhouse_databases():
    """On WAREHOUSE_ENGINE=clickhouse (embedded): each test gets its own databases in the process's one chdb
    directory (chdb opens one per process, so a per-test WAREHOUSE_DIR cannot hold them).

    override_settings, not the `settings` fixture: some tests take a parameter named `settings`."""
    if django_settings.WAREHOUSE_ENGINE != "clickhouse" or django_settings.CLICKHOUSE_URL:
        yield
        return
    from tests.warehouse.engine.clickhouse import support

    with override_settings(**support.embedded_settings(tag="s")):
        yield
