"""The base project viewset: its narrowing and permissions cannot be skipped by a subclass."""

import pytest
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.test import APIRequestFactory, force_authenticate

from api.permissions import ProjectMembershipPermission, ScopePermission
from api.viewsets import ProjectScopedModelViewSet, ProjectScopedViewSet
from users.models import Project


class OwnQueryset:
    def get_queryset(self):
        return Project.objects.all()


@pytest.mark.parametrize("method", ["get_queryset", "get_object", "get_permissions", "check_permissions"])
def test_overriding_a_protected_method_fails_when_the_class_is_made(method):
    with pytest.raises(
        TypeError, match=rf"Leaky\.{method}: {method} is protected and must not be overridden"
    ):
        type("Leaky", (ProjectScopedModelViewSet,), {method: lambda self: None})


def test_a_mixin_cannot_bring_its_own_get_queryset():
    with pytest.raises(TypeError, match="Use safely_get_queryset"):

        class Leaky(OwnQueryset, ProjectScopedViewSet):
            queryset = Project.objects.all()


def test_permission_classes_add_to_the_base_ones_never_replace_them():
    class Open(ProjectScopedViewSet):
        permission_classes = [AllowAny]

    kinds = [type(permission) for permission in Open().get_permissions()]
    assert kinds == [IsAuthenticated, ScopePermission, ProjectMembershipPermission, AllowAny]


@pytest.mark.django_db
def test_whatever_safely_get_queryset_returns_is_narrowed_to_the_project(user, project, organization):
    class Everything(ProjectScopedViewSet):
        queryset = Project.objects.all()
        project_field = "pk"

        def safely_get_queryset(self, queryset):
            return Project.objects.all()  # ignores the queryset it was given

    Project.objects.create(organization=organization, name="Sibling")
    request = APIRequestFactory().get("/")
    force_authenticate(request, user=user)
    view = Everything(action_map={"get": "list"})
    view.setup(view.initialize_request(request), project_id=str(project.pk))
    assert list(view.get_queryset()) == [project]
