"""The warehouse saved queries endpoint: validate, call one service, serialize."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import SearchFilter
from api.pagination import PageNumberPagination
from api.throttling import QueryWriteBurstRateThrottle, QueryWriteSustainedRateThrottle
from api.viewsets import ProjectScopedModelViewSet
from warehouse.activity import activity_for
from warehouse.materialization import materialization_revert
from warehouse.materialization_api import MaterializationActionsMixin
from warehouse.models import SavedQuery
from warehouse.selectors import lineage, saved_queries_for
from warehouse.serializers import (
    ActivityLogSerializer,
    AncestorsSerializer,
    DescendantsSerializer,
    LevelSerializer,
    SavedQuerySerializer,
)
from warehouse.services import (
    saved_query_create,
    saved_query_delete,
    saved_query_update,
)
from warehouse.validation import NAME_PATTERN


class ActivityPagination(PageNumberPagination):
    """PostHog's activity pages: `?limit=10&page=1`, answered as `{results, next, previous, total_count}`."""

    page_size = 10
    page_size_query_param = "limit"
    max_page_size = 100

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(
            {
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "total_count": self.page.paginator.count,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        base = super().get_paginated_response_schema(schema)
        properties = base["properties"]
        properties["total_count"] = properties.pop("count")
        base["required"] = ["results", "total_count"]
        return base


SIGNUPS_QUERY = {
    "kind": "HogQLQuery",
    "query": "select distinct_id, timestamp from events where event = 'signup'",
}
CREATE_EXAMPLE = OpenApiExample(
    "A view of signups", {"name": "signups", "query": SIGNUPS_QUERY}, request_only=True
)
REPLACE_EXAMPLE = OpenApiExample(
    "New SQL, without the history check",
    {
        "name": "signups",
        "query": {**SIGNUPS_QUERY, "query": "select distinct_id from events"},
        "soft_update": True,
    },
    request_only=True,
)
SCHEDULE_EXAMPLE = OpenApiExample("Materialize daily", {"sync_frequency": "24hour"}, request_only=True)
LEVEL_EXAMPLE = OpenApiExample("Direct neighbours only", {"level": 1}, request_only=True)


@extend_schema_view(
    create=extend_schema(
        examples=[CREATE_EXAMPLE],
        responses={
            201: SavedQuerySerializer,
            200: OpenApiResponse(
                SavedQuerySerializer, description="A saved query with this name existed: it was updated."
            ),
        },
    ),
    update=extend_schema(examples=[REPLACE_EXAMPLE]),
    partial_update=extend_schema(examples=[SCHEDULE_EXAMPLE]),
)
class SavedQueryViewSet(MaterializationActionsMixin, ProjectScopedModelViewSet):
    """Create, Read, Update and Delete Warehouse Tables."""

    scope_object = "warehouse_view"
    queryset = SavedQuery.objects.all()
    serializer_class = SavedQuerySerializer
    pagination_class = PageNumberPagination
    filter_backends = [SearchFilter]
    search_fields = ["name"]
    extra_throttle_classes = (QueryWriteBurstRateThrottle, QueryWriteSustainedRateThrottle)
    error_statuses = {"run": [409]}  # already running

    def get_queryset(self):
        return saved_queries_for(project=self.project, with_history=self.action in ("list", "retrieve"))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """As PostHog, a POST naming an existing view updates it (200); otherwise it creates one (201)."""
        name = request.data.get("name") if isinstance(request.data, dict) else None
        # Only a valid name can exist (and a NUL byte is a database error on PostgreSQL): look up nothing else.
        valid = isinstance(name, str) and NAME_PATTERN.fullmatch(name) is not None
        existing = (
            saved_queries_for(project=self.project, with_history=False).filter(name=name).first()
            if valid
            else None
        )
        if existing is not None:
            return self._update(request, existing, partial=True)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved_query = saved_query_create(
            project=self.project,
            user=request.user,
            name=data["name"],
            definition=data["definition"],
            sync_frequency=data.get("sync_frequency"),
        )
        return Response(self.get_serializer(saved_query).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._update(request, self.get_object(), partial=kwargs.get("partial", False))

    def _update(self, request: Request, instance: SavedQuery, *, partial: bool) -> Response:
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved_query = saved_query_update(
            project=self.project,
            user=request.user,
            saved_query_id=instance.pk,
            name=data.get("name"),
            definition=data.get("definition"),
            sync_frequency=data.get("sync_frequency"),
            delete=bool(data.get("deleted")),
            check_history="query" in data and not data.get("soft_update"),
            edited_history_id=data.get("edited_history_id"),
        )
        return Response(self.get_serializer(saved_query).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        saved_query_delete(project=self.project, user=request.user, saved_query_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=LevelSerializer, responses=AncestorsSerializer, examples=[LEVEL_EXAMPLE])
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:read"])
    def ancestors(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The tables and views this view reads from, directly or through other views (`level`: hops)."""
        return Response({"ancestors": self._lineage(request, "ancestors")})

    @extend_schema(request=LevelSerializer, responses=DescendantsSerializer, examples=[LEVEL_EXAMPLE])
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:read"])
    def descendants(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The views that read from this view, directly or through other views (`level`: hops)."""
        return Response({"descendants": self._lineage(request, "descendants")})

    def _lineage(self, request: Request, direction: str) -> list[str]:
        params = LevelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return lineage(
            project=self.project,
            saved_query=self.get_object(),
            direction=direction,
            level=params.validated_data.get("level"),
        )

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:write"])
    def revert_materialization(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Back to a plain view: clears the frequency and run state, stops a run and drops the materialized table."""
        materialization_revert(project=self.project, user=request.user, saved_query_id=self.get_object().pk)
        return Response(status=status.HTTP_200_OK)

    @extend_schema(responses=ActivityLogSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        required_scopes=["warehouse_view:read"],
        pagination_class=ActivityPagination,
        filter_backends=[],
    )
    def activity(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """This view's change history, newest first (`?limit=` entries a page, `?page=`)."""
        entries = activity_for(project=self.project, item_id=self.get_object().pk)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(ActivityLogSerializer(page, many=True).data)
