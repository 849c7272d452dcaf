"""Scope enforcement: what each key may do, and that every endpoint declares what it needs."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.viewsets import ViewSetMixin

from api.permissions import declared_scopes
from users.scopes import SCOPE_OBJECTS, scopes_grant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("granted", "required", "allowed"),
    [
        (["*"], "warehouse_view:write", True),
        (["warehouse_view:read"], "warehouse_view:read", True),
        (["warehouse_view:write"], "warehouse_view:read", True),
        (["warehouse_view:read"], "warehouse_view:write", False),
        (["query:write"], "warehouse_view:read", False),
        ([], "project:read", False),
        (None, "project:read", False),
    ],
)
def test_scopes_grant(granted, required, allowed):
    assert scopes_grant(granted, required) is allowed


def test_missing_scope_is_403_naming_it(client_with, project):
    response = client_with("user:read").get("/api/projects/")
    assert response.status_code == 403
    assert response.json() == {
        "type": "authentication_error",
        "code": "permission_denied",
        "detail": "API key missing required scope 'project:read'",
        "attr": None,
    }


def test_write_scope_implies_read(client_with, project):
    assert client_with("project:write").get(f"/api/projects/{project.id}/").status_code == 200


def _viewsets():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                if getattr(callback, "cls", None) and issubclass(callback.cls, ViewSetMixin):
                    yield pattern, callback

    return list(walk(get_resolver().url_patterns))


def test_every_viewset_action_declares_its_scope():
    """A new endpoint without a scope fails here, not in front of a user."""
    routes = _viewsets()
    assert routes
    for pattern, callback in routes:
        for method, action in callback.actions.items():
            view = callback.cls(**callback.initkwargs)
            view.action = action
            if hasattr(view, "scope_object"):
                assert view.scope_object in (*SCOPE_OBJECTS, "INTERNAL"), pattern
            scopes = declared_scopes(view, method.upper())
            if getattr(view, "scope_object", None) == "INTERNAL":
                continue
            assert scopes, f"{callback.cls.__name__}.{action} ({method}) declares no scope"
            for scope in scopes:
                obj, _, act = scope.partition(":")
                assert obj in SCOPE_OBJECTS and act in ("read", "write"), scope
