"""OpenAPI generation: scopes, tags, summaries, request media types and error responses for every operation.

What every operation shares is derived here once, from the path and the view, so an endpoint documents itself
by declaring (`scope_object`, serializers, `error_statuses`), not by repeating decorators.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from api.permissions import declared_scopes

PROJECT_ID_PARAMETER = OpenApiParameter(
    "project_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Project ID of the project you're trying to access. To find the ID of the project, make a call "
    "to /api/projects/.",
)
PROJECT_PREFIXES = ("environments", "projects")
JSON, MULTIPART = "application/json", "multipart/form-data"


class ErrorSerializer(serializers.Serializer):
    """Every error under /api/, in PostHog's shape."""

    type = serializers.ChoiceField(
        choices=[
            "validation_error",
            "authentication_error",
            "invalid_request",
            "throttled_error",
            "server_error",
        ]
    )
    code = serializers.CharField(
        help_text="Machine-readable reason, e.g. `required`, `not_found`, `throttled`."
    )
    detail = serializers.CharField(help_text="Human-readable message.")
    attr = serializers.CharField(
        allow_null=True, help_text="The request field at fault (nested: `a__b`), or null."
    )


ERROR_DESCRIPTIONS = {
    400: "Invalid input: `attr` names the field.",
    401: "No valid API key or session.",
    403: "The key lacks a scope, or may not reach this project.",
    404: "Not found (or in a project the caller cannot reach).",
    409: "Conflicts with the resource's current state (e.g. already running).",
    413: "The request body is too large.",
    415: "Unsupported media type (send the content type this operation declares).",
    429: "Rate limited: wait the `Retry-After` seconds.",
    503: "Temporarily unavailable (the warehouse is busy); retry.",
}

# (tag, singular, plural) per resource, the path segment after the project (or after /api/).
RESOURCES = {
    "user_interviews": ("interviews", "an interview", "interviews"),
    "warehouse_saved_queries": ("saved queries", "a saved query", "saved queries"),
    "query": ("query", "a query", "queries"),
    "warehouse_tables": ("tables", "a table", "tables"),
    "personal_api_keys": ("keys", "a personal API key", "personal API keys"),
    "projects": ("projects", "a project", "projects"),
    "users": ("users", "a user", "users"),
    "organizations": ("organizations", "an organization", "organizations"),
}
CRUD_SUMMARIES = {
    "list": "List {plural}",
    "create": "Create {singular}",
    "retrieve": "Retrieve {singular}",
    "update": "Replace {singular}",
    "partial_update": "Update {singular}",
    "destroy": "Delete {singular}",
}
ACTION_SUMMARIES = {
    ("query", "create"): "Run a HogQL query",
    ("user_interviews", "audio"): "Download an interview's recording",
    ("user_interviews", "transcribe"): "Transcribe and summarize an interview again",
    ("warehouse_saved_queries", "ancestors"): "List what a saved query reads from",
    ("warehouse_saved_queries", "descendants"): "List the saved queries that read this one",
    ("warehouse_saved_queries", "activity"): "List a saved query's changes",
    ("warehouse_saved_queries", "run"): "Materialize a saved query now",
    ("warehouse_saved_queries", "cancel"): "Cancel a saved query's running materialization",
    ("warehouse_saved_queries", "run_history"): "List a saved query's materialization runs",
    ("warehouse_saved_queries", "revert_materialization"): "Turn a materialized saved query back into a view",
    ("users", "retrieve"): "Retrieve the current user",
}


def resource_of(path: str) -> str:
    """`/api/environments/{project_id}/user_interviews/{id}/` -> `user_interviews`; `/api/projects/` -> `projects`."""
    segments = path.strip("/").split("/")[1:]
    if len(segments) >= 3 and segments[0] in PROJECT_PREFIXES and segments[1] == "{project_id}":
        segments = segments[2:]
    return segments[0] if segments else ""


def has_file_field(serializer: Any) -> bool:
    if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
        serializer = serializer()
    fields = getattr(serializer, "fields", None) or {}
    return any(isinstance(field, serializers.FileField) for field in fields.values())


class ScopedAutoSchema(AutoSchema):
    """Puts each operation's required scopes in its security requirement, its description and `x-required-scopes`;
    tags and summarizes it by resource; declares JSON bodies as JSON only (multipart only for uploads); and lists
    the error responses `{type, code, detail, attr}` the operation can give."""

    def _scopes(self) -> list[str] | None:
        return declared_scopes(self.view, self.method)

    @property
    def _resource(self) -> str:
        return resource_of(self.path)

    @property
    def _action(self) -> str:
        return getattr(self.view, "action", None) or self.method.lower()

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if "{project_id}" in self.path:
            parameters.append(PROJECT_ID_PARAMETER)
        return parameters

    def get_description(self) -> str:  # type: ignore[override]
        description = super().get_description() or ""
        scopes = self._scopes()
        line = (
            "Required API key scopes: " + ", ".join(f"`{scope}`" for scope in scopes)
            if scopes
            else "Not available to personal API keys (browser session only)."
        )
        return f"{description}\n\n{line}".strip()

    def get_tags(self) -> list[str]:
        tag = RESOURCES.get(self._resource, (self._resource.replace("_", " "),))[0]
        return [tag] if tag else super().get_tags()

    def get_summary(self) -> str | None:
        declared = super().get_summary()
        if declared:
            return declared
        resource, action = self._resource, self._action
        if (resource, action) in ACTION_SUMMARIES:
            return ACTION_SUMMARIES[(resource, action)]
        noun = resource.replace("_", " ")
        _, singular, plural = RESOURCES.get(resource, (noun, noun, noun))
        if action in CRUD_SUMMARIES:
            return CRUD_SUMMARIES[action].format(singular=singular, plural=plural)
        return f"{action.replace('_', ' ').capitalize()} ({singular.split(' ', 1)[-1]})"

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A field's `request_pattern` (a regex its validation enforces) is documented on requests."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        pattern = getattr(field, "request_pattern", None)
        if pattern and direction == "request" and schema.get("type") == "string":
            schema["pattern"] = pattern
        return schema

    def map_parsers(self) -> list[Any]:
        """JSON, unless the body carries a file (then multipart); never form-encoded (answered 415)."""
        wanted = MULTIPART if has_file_field(self.get_request_serializer()) else JSON
        media_types = super().map_parsers()
        return [wanted] if wanted in media_types else media_types

    def error_statuses(self, operation: dict[str, Any]) -> set[int]:
        statuses = {403, 429}
        if operation.get("security") and {} not in operation["security"]:
            statuses.add(401)
        if "{" in self.path:
            statuses.add(404)
        if "requestBody" in operation:
            statuses |= {400, 413, 415}
        declared = getattr(self.view, "error_statuses", None) or {}
        statuses |= set(declared.get(self._action, ()))
        return statuses

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        operation["x-required-scopes"] = self._scopes() or []
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation["responses"]
        for status in sorted(self.error_statuses(operation)):
            responses.setdefault(
                str(status),
                {"description": ERROR_DESCRIPTIONS[status], "content": {JSON: {"schema": error}}},
            )
        return operation
