"""Shared fixtures: organizations, projects, users and clients that authenticate with real personal API keys; on
WAREHOUSE_ENGINE=clickhouse, each test's own databases in the process's embedded ClickHouse."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from rest_framework.test import APIClient

from api.throttling import limiter
from users.models import Membership, Organization, Project, User
from users.services import personal_api_key_create


@pytest.fixture
def organization(db) -> Organization:
    return Organization.objects.create(name="Acme")


@pytest.fixture
def user(organization) -> User:
    user = User.objects.create_user("alice@example.com", first_name="Alice")
    Membership.objects.create(organization=organization, user=user, level=Membership.Level.OWNER)
    return user


@pytest.fixture
def project(organization, user) -> Project:
    project = Project.objects.create(organization=organization, name="Main")
    user.current_project = project
    user.save(update_fields=["current_project"])
    return project


@pytest.fixture
def other_project(db) -> Project:
    """A project in an organization the `user` fixture does not belong to."""
    stranger = User.objects.create_user("mallory@example.com")
    org = Organization.objects.create(name="Other org")
    Membership.objects.create(organization=org, user=stranger, level=Membership.Level.OWNER)
    return Project.objects.create(organization=org, name="Other")


@pytest.fixture
def make_key(user):
    """make_key("a:read", ...) -> the plain value of a new key for `user` (or `owner=`)."""

    def make(*scopes: str, owner: User | None = None, **limits) -> str:
        _, value = personal_api_key_create(
            user=owner or user, label="test", scopes=list(scopes) or ["*"], enforce_limit=False, **limits
        )
        return value

    return make


@pytest.fixture
def client_with(make_key):
    """client_with("a:read") -> an APIClient sending a new key with those scopes as a Bearer header."""

    def make(*scopes: str, **limits) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_key(*scopes, **limits)}")
        return client

    return make


@pytest.fixture
def api(client_with, project) -> APIClient:
    """A client whose key has every scope."""
    return client_with("*")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with empty rate-limit windows (the in-process storage outlives a test's database)."""
    yield
    limiter().storage.reset()


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
