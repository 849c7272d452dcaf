"""Shared by the engine-backed API tests (query, tables, materialization): a private warehouse folder, data, URLs."""

import time

import pytest

from warehouse.engine import get_engine


def query_url(project) -> str:
    return f"/api/environments/{project.pk}/query/"


def tables_url(project, *parts) -> str:
    path = "/".join(str(part) for part in parts)
    return f"/api/environments/{project.pk}/warehouse_tables/" + (f"{path}/" if path else "")


def run_query(client, project, sql: str):
    return client.post(query_url(project), {"query": {"kind": "HogQLQuery", "query": sql}}, format="json")


def reads_table(engine_sql: str, name: str) -> bool:
    """The engine SQL reads the project's stored table `name`: a qualified name, `"main"."<name>"` on DuckDB,
    `"<prefix>project_<id>"."<name>"` on ClickHouse (a subquery or CTE of that name is never qualified)."""
    return f'."{name}"' in engine_sql


def wait_until(condition, *, timeout: float = 20.0, every: float = 0.05):
    """Polls `condition()` until it returns something truthy (returned) or the timeout passes (fails)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s")


@pytest.fixture(autouse=True)
def warehouse_settings(settings, tmp_path):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.WAREHOUSE_LOCK_TIMEOUT_SECONDS = 10
    settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS = 20
    settings.WAREHOUSE_CANCEL_POLL_SECONDS = 0.05
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    return settings


@pytest.fixture
def seed():
    """seed(project, events=1000) -> SeedCounts: synthetic core data in the project's warehouse file."""

    def fill(project, events: int = 1000, **kwargs):
        return get_engine().seed_core_tables(project.pk, events=events, **kwargs)

    return fill
