"""Permissions every endpoint inherits: API key scopes, key project/organization limits, project membership."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from users.models import PersonalAPIKey
from users.scopes import INTERNAL, SCOPE_OBJECTS, scopes_grant

READ_ACTIONS = ("list", "retrieve")
WRITE_ACTIONS = ("create", "update", "partial_update", "destroy")
NO_KEY_ACCESS = "This action does not support personal API key access"


def declared_scopes(view, method: str) -> list[str] | None:
    """The scopes `view`'s current action declares for `method`; None when keys may not use it at all."""
    scope_object = getattr(view, "scope_object", None)
    if scope_object is None:
        raise ImproperlyConfigured(f"{type(view).__name__} must declare a scope_object.")
    if scope_object == INTERNAL:
        return None
    if scope_object not in SCOPE_OBJECTS:
        raise ImproperlyConfigured(
            f"{type(view).__name__}.scope_object {scope_object!r} is not a registered scope."
        )
    declared = getattr(view, "required_scopes", None)
    if declared:
        return list(declared)
    action = getattr(view, "action", None)
    if method == "OPTIONS" or action in getattr(view, "scope_object_read_actions", READ_ACTIONS):
        return [f"{scope_object}:read"]
    if action in getattr(view, "scope_object_write_actions", WRITE_ACTIONS):
        return [f"{scope_object}:write"]
    return None


def required_scopes(view, request: Request) -> list[str]:
    """The scopes a key needs for this request, or 403 when the endpoint does not take keys."""
    scopes = declared_scopes(view, request.method or "GET")
    if scopes is None:
        raise PermissionDenied(NO_KEY_ACCESS)
    return scopes


class ScopePermission(BasePermission):
    """Personal API keys need the scope the endpoint declares and must be allowed the project it names.

    Browser sessions are not scope-checked (as PostHog), but still go through project membership.
    """

    def has_permission(self, request: Request, view) -> bool:
        key = request.auth
        if not isinstance(key, PersonalAPIKey):
            return True
        if getattr(view, "action_map", None) is not None and view.action is None:
            return True  # a method this endpoint lacks: let the view answer 405
        self._check_key_limits(key, view)
        for scope in required_scopes(view, request):
            if not scopes_grant(key.scopes, scope):
                raise PermissionDenied(f"API key missing required scope '{scope}'")
        return True

    @staticmethod
    def _check_key_limits(key: PersonalAPIKey, view) -> None:
        project = view.project if _names_project(view) else None
        organization = view.organization if _names_organization(view) else None
        if key.scoped_teams:
            if project is None:
                if not getattr(view, "allow_project_scoped_keys", False):
                    raise PermissionDenied(
                        "API keys with scoped projects are only supported on project-based endpoints."
                    )
            elif project.pk not in key.scoped_teams:
                raise PermissionDenied(
                    f"API key does not have access to the requested project: ID {project.pk}."
                )
        organization_id = (
            project.organization_id if project is not None else getattr(organization, "pk", None)
        )
        if key.scoped_organizations and organization_id is not None:
            if str(organization_id) not in key.scoped_organizations:
                raise PermissionDenied(
                    f"API key does not have access to the requested organization: ID {organization_id}."
                )


class ProjectMembershipPermission(BasePermission):
    """The caller must belong to the organization of the project in the URL."""

    message = "You don't have access to the project."

    def has_permission(self, request: Request, view) -> bool:
        if not _names_project(view):
            return True
        return bool(view.project.is_member)


class OrganizationMembershipPermission(BasePermission):
    """The caller must belong to the organization in the URL (`/api/organizations/<organization_id>/...`)."""

    message = "You don't have access to the organization."

    def has_permission(self, request: Request, view) -> bool:
        if not _names_organization(view):
            return True
        return bool(view.organization.is_member)


def _names_organization(view) -> bool:
    kwarg = getattr(view, "organization_url_kwarg", None)
    return kwarg is not None and kwarg in getattr(view, "kwargs", {})


def _names_project(view) -> bool:
    return project_in_url(view) is not None


def project_in_url(view) -> str | None:
    """What the URL gives for the view's project (`project_url_kwarg`), as written; None when it names none."""
    kwarg = getattr(view, "project_url_kwarg", None)
    value = (getattr(view, "kwargs", None) or {}).get(kwarg) if kwarg is not None else None
    return None if value is None else str(value)
