"""Fixtures for the saved-queries API: URLs, a view factory that goes through the API, and an isolated project."""

import pytest
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
