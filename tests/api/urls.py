"""The real URLs plus a few test-only endpoints that exercise the shared conventions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import include, path
from rest_framework import mixins
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import PageNumberPagination
from api.routers import ProjectRouter
from api.viewsets import ProjectScopedViewSet
from core import errors
from users.api.serializers import ProjectSerializer
from users.models import Project


class CrashViewSet(mixins.ListModelMixin, ProjectScopedViewSet):
    scope_object = "project"
    queryset = Project.objects.all()
    project_field = "pk"
    serializer_class = ProjectSerializer

    def list(self, request, *args, **kwargs):
        raise RuntimeError("boom: secret internals")


class PagedProjectsViewSet(mixins.ListModelMixin, ProjectScopedViewSet):
    """Lists the organization's projects, 1000 a page, to test page-number links."""

    scope_object = "project"
    serializer_class = ProjectSerializer
    pagination_class = PageNumberPagination
    queryset = Project.objects.order_by("id")
    project_field = "organization__projects"  # the projects sharing the URL's project's organization


DOMAIN_ERRORS = {
    "invalid": errors.InvalidInput("The name is taken.", attr="name"),
    "invalid-no-attr": errors.InvalidInput("Nothing to do.", code="nothing"),
    "not-found": errors.NotFound(),
    "conflict": errors.Conflict("Already running.", code="already_running"),
    "django": DjangoValidationError({"name": ["Bad name."]}),
}


class DomainErrorView(APIView):
    """Raises the domain error named in the URL, as a service would."""

    permission_classes = [AllowAny]

    def get(self, request, kind):
        raise DOMAIN_ERRORS[kind]


class OpenView(APIView):
    """Answers anyone (like the schema views), so requests without a key reach the throttles."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


router = ProjectRouter()
router.register_project("crash", CrashViewSet, "crash")
router.register_project("paged", PagedProjectsViewSet, "paged")

urlpatterns = [
    path("api/open/", OpenView.as_view()),
    path("api/domain-error/<str:kind>/", DomainErrorView.as_view()),
    path("api/", include(router.urls)),
    path("", include("config.urls")),
]
handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
