"""OpenAPI generation: every operation names the API key scope it needs."""

from drf_spectacular.openapi import AutoSchema

from users.permissions import declared_scopes


class ScopedAutoSchema(AutoSchema):
    """Puts each operation's required scopes in its security requirement, its description and `x-required-scopes`."""

    def _scopes(self) -> list[str] | None:
        return declared_scopes(self.view, self.method)

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
