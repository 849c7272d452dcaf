"""URLs for bench_request_layers.py: the same request answered by more and more of /query/'s request path, each
returning the same precomputed body, so the only difference between two layers is the code they add."""

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import PersonalAPIKeyAuthentication
from config.urls import urlpatterns as project_urlpatterns
from warehouse.api.query import QueryViewSet, query_node_of
from warehouse.querying import unwrap_query_node

BODY: dict[str, Any] = {}  # the /query/ response every layer answers with (set by the bench)


@csrf_exempt
def django_view(request: HttpRequest, project_id: int) -> HttpResponse:
    """Django alone: the test client, the middleware and URL resolution."""
    return HttpResponse(b"{}", content_type="application/json")


class DRFView(APIView):
    """+ DRF: its request, the body parsed, content negotiation, the JSON renderer."""

    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = []
    throttle_classes: ClassVar[list] = []

    def post(self, request: Request, project_id: int) -> Response:
        request.data  # noqa: B018  # parse the body, as every layer does
        return Response(BODY)


class KeyView(DRFView):
    """+ our key authentication (the key, its user and the project in one statement)."""

    authentication_classes: ClassVar[list] = [PersonalAPIKeyAuthentication]
    permission_classes: ClassVar[list] = [IsAuthenticated]


class QueryStackView(QueryViewSet):
    """+ scopes, membership, the three rate limits and the body's node: /query/ without running anything."""

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unwrap_query_node(query_node_of(request.data))
        self.project  # noqa: B018
        return Response(BODY)


urlpatterns = [
    path("layers/<int:project_id>/django/", django_view),
    path("layers/<int:project_id>/drf/", DRFView.as_view()),
    path("layers/<int:project_id>/key/", KeyView.as_view()),
    path("layers/<int:project_id>/stack/", QueryStackView.as_view({"post": "create"})),
    *project_urlpatterns,
]
