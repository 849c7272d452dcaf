"""OpenAPI generation: every operation names the API key scope it needs."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from users.permissions import declared_scopes

PROJECT_ID_PARAMETER = OpenApiParameter(
    "project_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Project ID of the project you're trying to access. To find the ID of the project, make a call "
    "to /api/projects/.",
)


class ScopedAutoSchema(AutoSchema):
    """Puts each operation's required scopes in its security requirement, its description and `x-required-scopes`."""

    def _scopes(self) -> list[str] | None:
        return declared_scopes(self.view, self.method)

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

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation["x-required-scopes"] = self._scopes() or []
        return operation
