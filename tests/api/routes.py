"""Every API route, discovered from the URL configuration, so checks cover new endpoints automatically."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.viewsets import ViewSetMixin

from api.permissions import declared_scopes

# An id no object has; fixed so test ids are the same in every run (and every xdist worker).
MISSING_OBJECT_ID = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    action: str
    pattern: str
    viewset: type
    initkwargs: dict

    @property
    def project_based(self) -> bool:
        return "project_id" in self.pattern

    @property
    def organization_based(self) -> bool:
        return "organization_id" in self.pattern

    @property
    def detail(self) -> bool:
        return "(?P<pk>" in self.pattern or "(?P<id>" in self.pattern

    def scopes(self) -> list[str] | None:
        view = self.viewset(**self.initkwargs)
        view.action = self.action
        return declared_scopes(view, self.method)

    def url(
        self, *, project_id: int | str = 1, object_id: str | None = None, organization_id: str = "@current"
    ) -> str:
        path = self.pattern.replace("/?", "/")
        path = path.replace("(?P<project_id>[^/.]+)", str(project_id))
        path = path.replace("(?P<organization_id>[^/.]+)", str(organization_id))
        path = re.sub(r"\(\?P<(pk|id)>[^)]+\)", object_id or MISSING_OBJECT_ID, path)
        path = re.sub(r"\(\?P<[a-z_]+>[^)]+\)", "x", path)
        return "/api/" + path

    def __str__(self) -> str:
        return f"{self.method} {self.url()} ({self.action})"


def api_routes(*, environments_only: bool = True) -> list[Route]:
    """One Route per (URL pattern, HTTP method) of every viewset under /api/."""
    routes = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern).lstrip("^"))
                continue
            callback = getattr(pattern, "callback", None)
            cls = getattr(callback, "cls", None)
            if not isinstance(pattern, URLPattern) or cls is None or not issubclass(cls, ViewSetMixin):
                continue
            full = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
            if not full.startswith("api/") or (
                environments_only and full.startswith("api/projects/(?P<project_id>")
            ):
                continue
            for method, action in callback.actions.items():
                routes.append(
                    Route(
                        name=pattern.name,
                        method=method.upper(),
                        action=action,
                        pattern=full.removeprefix("api/"),
                        viewset=cls,
                        initkwargs=callback.initkwargs,
                    )
                )

    walk(get_resolver().url_patterns, "")
    return routes
