"""Base viewsets: what every project endpoint shares (project from the URL, scope checks, membership)."""

from functools import cached_property
from typing import cast

from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.throttling import BaseThrottle

from users.models import Project, User
from users.permissions import ProjectMembershipPermission, ScopePermission
from users.projects import resolve_project


class ProjectScopedViewSet(viewsets.GenericViewSet):
    """A viewset under `/api/environments/<project_id>/` (and `/api/projects/<project_id>/`).

    Subclasses declare `scope_object` (see users/scopes.py), `queryset` and `serializer_class`; the queryset is
    narrowed to the project in the URL, so an object of another project is a 404, never a leak.
    """

    permission_classes = [IsAuthenticated, ScopePermission, ProjectMembershipPermission]
    project_url_kwarg = "project_id"
    project_field = "project"
    scope_object: str | None = None
    # Set per custom action with @action(required_scopes=[...]); DRF only accepts action kwargs that exist here.
    required_scopes: list[str] | None = None
    # Limits on top of the general per-key ones (api/throttling.py), e.g. PostHog's query rates.
    extra_throttle_classes: tuple[type[BaseThrottle], ...] = ()

    @cached_property
    def project(self) -> Project:
        return resolve_project(
            user=cast(User, self.request.user), raw_id=str(self.kwargs[self.project_url_kwarg])
        )

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), *(throttle() for throttle in self.extra_throttle_classes)]

    def get_queryset(self):
        return super().get_queryset().filter(**{self.project_field: self.project})

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        if self.project_url_kwarg in self.kwargs:
            context["project"] = self.project
        return context


class ProjectScopedModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    ProjectScopedViewSet,
):
    """Project-scoped list, create, retrieve, update and destroy."""
