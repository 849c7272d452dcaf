"""Base viewsets: what every project endpoint shares (project from the URL, scope checks, membership).

The narrowing to the project cannot be skipped: a subclass of `ProjectScopedViewSet` may not override
`get_queryset`, `get_object`, `get_permissions` or `check_permissions` (the class statement fails). It refines its
queryset in `safely_get_queryset`, and the base narrows whatever that returns to the project in the URL. Its
`permission_classes` are added to the base ones, never in place of them.
"""

import copy
from collections.abc import Sequence
from functools import cached_property
from typing import Any, cast

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from api.authentication import PROJECT_READ_WITH_KEY
from api.permissions import ProjectMembershipPermission, ScopePermission
from core.errors import NotFound
from core.fixed_rows import PROJECT_PLACEHOLDER, FixedRowQuery, placeholder_for
from core.rows import RowShape
from users.models import Project, User
from users.selectors import resolve_project

PROJECT_PERMISSIONS: tuple[type[BasePermission], ...] = (
    IsAuthenticated,
    ScopePermission,
    ProjectMembershipPermission,
)
PROTECTED_METHODS: dict[str, str] = {
    "get_queryset": "Use safely_get_queryset(queryset) instead; the base narrows its result to the project.",
    "get_object": "It must come from the project-narrowed queryset; refine safely_get_queryset instead.",
    "get_permissions": "Add to permission_classes instead; the base project permissions always apply.",
    "check_permissions": "Add to permission_classes instead; every base project permission must run.",
}


class ProjectFromURL:
    """The project named in the URL (`project_url_kwarg`), resolved once per request, 404 when unknown."""

    project_url_kwarg = "project_id"
    kwargs: dict[str, Any]
    request: Any

    @property
    def user(self) -> User:
        """The caller; the base permissions (IsAuthenticated first) admit no anonymous one."""
        return cast(User, self.request.user)

    @cached_property
    def project(self) -> Project:
        raw_id = str(self.kwargs[self.project_url_kwarg])
        read_with_key = getattr(
            self.request, PROJECT_READ_WITH_KEY, None
        )  # the key's query read it (one query)
        if read_with_key is not None and str(read_with_key[0]) == raw_id:
            if read_with_key[1] is None:
                raise NotFound("Project not found.")
            return read_with_key[1]
        return resolve_project(user=self.user, raw_id=raw_id)


class ProjectScopedViewSet(ProjectFromURL, viewsets.GenericViewSet):
    """A viewset under `/api/environments/<project_id>/` (and `/api/projects/<project_id>/`).

    Subclasses declare `scope_object` (see users/scopes.py), `queryset` and `serializer_class`, and may refine
    the queryset in `safely_get_queryset`; every object they reach is of the project in the URL (`project_field`),
    so an object of another project is a 404, never a leak.
    """

    permission_classes: Sequence[type[BasePermission]] = ()  # on top of PROJECT_PERMISSIONS
    project_field = "project"
    scope_object: str | None = None
    # Set per custom action with @action(required_scopes=[...]); DRF only accepts action kwargs that exist here.
    required_scopes: list[str] | None = None
    # Limits on top of the general per-key ones (api/throttling.py), e.g. PostHog's query rates.
    extra_throttle_classes: tuple[type[BaseThrottle], ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, advice in PROTECTED_METHODS.items():
            if getattr(cls, name) is not getattr(ProjectScopedViewSet, name):  # also a mixin's override
                raise TypeError(
                    f"{cls.__name__}.{name}: {name} is protected and must not be overridden. {advice}"
                )

    def safely_get_queryset(self, queryset: QuerySet) -> QuerySet:
        """The subclass's refinement (filters, joins, order); whatever it returns is narrowed to the project."""
        return queryset

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reads the model only
            return queryset.none()
        return self.safely_get_queryset(queryset).filter(**{self.project_field: self.project.pk})

    def get_permissions(self) -> list[BasePermission]:
        return [permission() for permission in (*PROJECT_PERMISSIONS, *self.permission_classes)]

    def get_throttles(self) -> list[BaseThrottle]:
        return [*super().get_throttles(), *(throttle() for throttle in self.extra_throttle_classes)]

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

    # The fields a list and a retrieve serialize, read as rows instead of model instances (core/rows.py). Declaring
    # it promises that `safely_get_queryset` depends on nothing but the project and the action: a retrieve then runs
    # one fixed statement per connection (core/fixed_rows.py), built from this class's project-narrowed queryset.
    row_shape: RowShape | None = None

    def list_rows(self, queryset: QuerySet) -> QuerySet:
        """What a list page serializes: the filtered queryset, or its rows of `row_shape`, which the serializer
        reads as it reads instances. Filters, ordering, count and pagination run on `queryset` either way.
        """
        return queryset if self.row_shape is None else self.row_shape.as_rows(queryset)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = self._retrieved_row(request)
        if row is None:  # not found, a malformed id, filters in the query string: DRF's own path answers
            return super().retrieve(request, *args, **kwargs)
        self.check_object_permissions(request, row)
        return Response(self.get_serializer(row).data)

    def _retrieved_row(self, request: Request) -> tuple | None:
        if self.row_shape is None or self.lookup_field != "pk" or request.query_params:
            return None
        cls = type(self)
        fixed = cls.__dict__.get("_fixed_retrieve")  # this class's own, never a parent's
        if fixed is None:
            model = self.get_queryset().model  # once per class
            placeholders = {
                "project_id": (Project._meta.pk, PROJECT_PLACEHOLDER),
                "pk": (model._meta.pk, placeholder_for(model._meta.pk)),
            }
            fixed = FixedRowQuery(self.row_shape, model, placeholders)
            cls._fixed_retrieve = fixed  # type: ignore[attr-defined]
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return fixed.row(self._retrieve_queryset, project_id=self.project.pk, pk=lookup)

    def _retrieve_queryset(self, *, project_id: int, pk: Any) -> QuerySet:
        """What `get_object` filters, for a placeholder project and primary key."""
        probe = copy.copy(self)
        probe.__dict__["project"] = Project(pk=project_id)  # the cached `project` property, of this copy only
        return probe.get_queryset().filter(pk=pk).order_by()  # one row: the list order is not needed

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.list_rows(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(self.get_serializer(rows, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
