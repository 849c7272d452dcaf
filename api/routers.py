"""Routers: PostHog accepts paths with and without the trailing slash, and nests project resources twice."""

from rest_framework.routers import SimpleRouter

PROJECT_PREFIXES = ("environments", "projects")


class OptionalSlashRouter(SimpleRouter):
    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"


class ProjectRouter(OptionalSlashRouter):
    """Registers a project resource under both `/api/environments/<id>/` and `/api/projects/<id>/`."""

    def register_project(self, prefix: str, viewset, basename: str) -> None:
        for scope in PROJECT_PREFIXES:
            self.register(rf"{scope}/(?P<project_id>[^/.]+)/{prefix}", viewset, f"{scope[:-1]}_{basename}")
