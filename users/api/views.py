"""Account endpoints: projects, the caller, and personal API keys."""

from functools import cached_property
from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated

from api.permissions import NO_KEY_ACCESS, OrganizationMembershipPermission, ScopePermission
from api.viewsets import PROJECT_PERMISSIONS, ProjectFromURL
from users.api.organization_serializers import OrganizationSerializer
from users.api.serializers import PersonalAPIKeySerializer, ProjectSerializer, UserMeSerializer
from users.models import Organization, PersonalAPIKey, Project, User
from users.selectors import (
    CURRENT,
    current_organization_for,
    organizations_for,
    projects_for,
    resolve_organization,
    valid_uuids,
)
from users.services import personal_api_key_create


class ProjectViewSet(
    ProjectFromURL, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The projects the caller can reach; their ids go in every project URL. `@current` is the caller's own.

    Not a ProjectScopedViewSet: the list names no project. One project is the one its URL names, with the same
    permissions as every project endpoint.
    """

    scope_object = "project"
    serializer_class = ProjectSerializer
    queryset = Project.objects.all()
    project_url_kwarg = "pk"
    permission_classes = PROJECT_PERMISSIONS

    def get_queryset(self):
        queryset = projects_for(self.request.user).order_by("id")
        key = self.request.auth
        if isinstance(key, PersonalAPIKey) and key.scoped_organizations:
            queryset = queryset.filter(organization_id__in=key.scoped_organizations)
        return queryset

    def get_object(self) -> Project:
        return self.project


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's organizations (a key's `scoped_organizations` narrow them); `@current` is the caller's own."""

    scope_object = "organization"
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.none()
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        key = self.request.auth if isinstance(self.request.auth, PersonalAPIKey) else None
        return organizations_for(cast(User, self.request.user), key=key)

    def get_object(self) -> Organization:
        raw_id = str(self.kwargs[self.lookup_field])
        if raw_id == CURRENT:
            current = current_organization_for(cast(User, self.request.user))
            organization = None if current is None else self.get_queryset().filter(pk=current.pk).first()
            if organization is None:
                raise NotFound("Current organization not found.")
            return organization
        organization = self.get_queryset().filter(pk__in=valid_uuids([raw_id])).first()
        if organization is None:
            raise NotFound()  # another organization's id, or one outside the key's scope, is not found
        return organization


class OrganizationProjectViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """`/api/organizations/<organization_id>/projects/`: the organization's projects (`@current` works)."""

    scope_object = "project"
    serializer_class = ProjectSerializer
    queryset = Project.objects.none()
    organization_url_kwarg = "organization_id"
    permission_classes = [IsAuthenticated, ScopePermission, OrganizationMembershipPermission]

    @cached_property
    def organization(self) -> Organization:
        return resolve_organization(
            user=cast(User, self.request.user), raw_id=str(self.kwargs[self.organization_url_kwarg])
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return (
            projects_for(cast(User, self.request.user)).filter(organization=self.organization).order_by("id")
        )


class MeViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """`/api/users/@me/`: the account the key or session belongs to."""

    scope_object = "user"
    allow_project_scoped_keys = True
    serializer_class = UserMeSerializer
    lookup_value_regex = "@me"

    def get_queryset(self):
        return User.objects.all()

    def get_object(self):
        return self.get_queryset().get(pk=self.request.user.pk)


class PersonalAPIKeyViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Keys for browser sessions to manage; a key itself may only read `@current`, i.e. itself."""

    scope_object = "personal_api_key"
    serializer_class = PersonalAPIKeySerializer
    allow_project_scoped_keys = True

    @cached_property
    def _is_key_reading_itself(self) -> bool:
        return self.action == "retrieve" and self.kwargs.get(self.lookup_field) == "@current"

    def check_permissions(self, request):
        if isinstance(request.auth, PersonalAPIKey):
            if not self._is_key_reading_itself:
                raise PermissionDenied(NO_KEY_ACCESS)
            return
        super().check_permissions(request)

    def get_queryset(self):
        return PersonalAPIKey.objects.filter(user=self.request.user)

    def get_object(self) -> PersonalAPIKey:
        if self._is_key_reading_itself:
            if not isinstance(self.request.auth, PersonalAPIKey):
                raise NotFound()
            return self.request.auth
        return super().get_object()

    def perform_create(self, serializer):
        key, _ = personal_api_key_create(user=self.request.user, **serializer.validated_data)
        serializer.instance = key

    @extend_schema(description="Create a key. The response is the only time `value` is shown.")
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
