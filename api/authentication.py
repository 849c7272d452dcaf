"""Personal API key authentication, PostHog style, and its OpenAPI description."""

import re
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.permissions import declared_scopes, project_in_url
from users.keys import hash_key_value
from users.models import PersonalAPIKey, Project
from users.selectors import active_key_with_user, active_key_with_user_and_project, project_pk

BEARER_PATTERN = re.compile(r"^Bearer\s+(\S.+)$")
KEY_FIELD = "personal_api_key"
# Where authentication leaves the project the URL names when it read it with the key (one query for both): a
# (project id, project or None) pair on the request, which the view's `project` (api/viewsets.py) takes.
PROJECT_READ_WITH_KEY = "project_read_with_key"


def find_key_with_source(request: Request, *, include_body: bool = True) -> tuple[str, str] | None:
    """The first candidate key and where it was found: the Authorization header, the body, then the query string."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    match = BEARER_PATTERN.match(header)
    if match:
        return match.group(1).strip(), "Authorization header"
    if include_body and request.method not in ("GET", "HEAD", "OPTIONS", "DELETE"):
        data = request.data
        if hasattr(data, "get"):
            value = data.get(KEY_FIELD)
            if isinstance(value, str) and value:
                return value, "body"
    value = request.query_params.get(KEY_FIELD)
    if value:
        return value, "query string"
    return None


class PersonalAPIKeyAuthentication(authentication.BaseAuthentication):
    """Authenticates `Authorization: Bearer phx_...` (or the body / query `personal_api_key`) against hashed keys."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[object, PersonalAPIKey] | None:
        found = find_key_with_source(request)
        if found is None:
            return None
        value, source = found
        project_id = _url_project_id(request)
        project: Project | None = None
        if project_id is None:
            key = active_key_with_user(hash_key_value(value))
        else:
            key, project = active_key_with_user_and_project(hash_key_value(value), project_id)
        if key is None:
            raise exceptions.AuthenticationFailed(f"Personal API key found in request {source} is invalid.")
        if project_id is not None:
            setattr(request, PROJECT_READ_WITH_KEY, (project_id, project))
        self._touch(key)
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    @staticmethod
    def _touch(key: PersonalAPIKey) -> None:
        """Record use at most once per interval, so reads don't turn every request into a write."""
        now = timezone.now()
        interval = timedelta(seconds=settings.PERSONAL_API_KEY_LAST_USED_INTERVAL_SECONDS)
        if key.last_used_at is not None and now - key.last_used_at < interval:
            return
        PersonalAPIKey.objects.filter(pk=key.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - interval)
        ).update(last_used_at=now)
        key.last_used_at = now


def _url_project_id(request: Request) -> int | None:
    """The project id in the URL of a view that names one, when it is a number."""
    raw_id = project_in_url((getattr(request, "parser_context", None) or {}).get("view"))
    return project_pk(raw_id) if raw_id is not None else None


class PersonalAPIKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalAPIKeyAuthentication"
    name = "PersonalAPIKeyAuth"

    def get_security_requirement(self, auto_schema):
        scopes = declared_scopes(auto_schema.view, auto_schema.method)
        return None if scopes is None else {self.name: scopes}

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API key (`phx_...`). Each operation lists the scope it needs.",
        }
