"""warehouse_saved_queries: PostHog's DataWarehouseSavedQuery endpoint (views, their history, lineage and
materialization runs). Each action validates, calls one service or selector, and serializes."""

import uuid
from typing import Any

from django.conf import settings
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import SearchFilter
from api.pagination import LimitOffsetPagination, PageNumberPagination
from api.representation import DirectRepresentation
from api.throttling import QueryWriteBurstRateThrottle, QueryWriteSustainedRateThrottle
from api.viewsets import ProjectScopedModelViewSet
from users.api.serializers import UserBasicSerializer
from warehouse.activity import activity_for
from warehouse.api.serializers import SavedQueryColumnSerializer, ViewNameField
from warehouse.hogql import serialize_columns
from warehouse.lineage import Direction, lineage
from warehouse.materialization.services import (
    NotRunningError,
    materialization_cancel,
    materialization_revert,
    materialization_start,
)
from warehouse.models import ActivityLog, MaterializationRun, SavedQuery, SyncFrequency
from warehouse.saved_queries import saved_query_create_or_update, saved_query_delete, saved_query_update
from warehouse.selectors import SAVED_QUERY_ROW, materialization_runs_for, saved_queries_for

INVALID_FREQUENCY = '"{input}" is not a valid sync frequency. Allowed values: ' + ", ".join(
    SyncFrequency.CHOICES
)


class HogQLQuerySerializer(serializers.Serializer):
    """Documents the `query` object; validation is `validate_query_shape`'s."""

    kind = serializers.ChoiceField(choices=["HogQLQuery"])
    query = serializers.CharField(
        max_length=settings.WAREHOUSE_HOGQL_MAX_QUERY_CHARS,  # documents the bound validate_query_shape enforces
        help_text="The HogQL SELECT (ClickHouse-flavoured SQL).",
    )


@extend_schema_field(HogQLQuerySerializer)
class HogQLQueryField(serializers.JSONField):
    pass


class WriteOnlyValueMixin:
    """A request field the documented response also lists; it has no stored value, so it reads as null."""

    def get_attribute(self, instance: Any) -> None:
        return None


class EditedHistoryIdField(WriteOnlyValueMixin, serializers.CharField):
    pass


class SoftUpdateField(WriteOnlyValueMixin, serializers.BooleanField):
    pass


class SavedQuerySerializer(DirectRepresentation, serializers.ModelSerializer):
    created_by = UserBasicSerializer(read_only=True)
    name = ViewNameField()
    query = HogQLQueryField(required=False, help_text="HogQL query")
    sync_frequency = serializers.ChoiceField(
        choices=SyncFrequency.CHOICES,
        required=False,
        allow_null=True,
        allow_blank=True,
        error_messages={"invalid_choice": INVALID_FREQUENCY},
        help_text="How often to materialize: one of the choices; `never` pauses; null or absent leaves it.",
    )
    columns = serializers.SerializerMethodField()
    latest_history_id = serializers.SerializerMethodField()
    edited_history_id = EditedHistoryIdField(
        required=False,
        allow_null=True,
        help_text="The `latest_history_id` this edit starts from (write only).",
    )
    soft_update = SoftUpdateField(
        required=False,
        allow_null=True,
        help_text="Create: skip column inference. Update: skip the edited_history_id check (write only).",
    )
    types = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        write_only=True,
        required=False,
        help_text='Column types given by the client instead of inferred: [["event", "Nullable(String)"], ...].',
    )

    class Meta:
        model = SavedQuery
        fields = [
            "id", "deleted", "name", "query", "created_by", "created_at", "sync_frequency", "columns", "status",
            "last_run_at", "latest_error", "edited_history_id", "latest_history_id", "soft_update",
            "is_materialized", "types",
        ]  # fmt: skip
        read_only_fields = [
            "id", "created_by", "created_at", "columns", "status", "last_run_at", "latest_error", "is_materialized",
        ]  # fmt: skip
        extra_kwargs = {"name": {"required": True}, "deleted": {"required": False}}

    @extend_schema_field(SavedQueryColumnSerializer(many=True))
    def get_columns(self, saved_query: SavedQuery) -> list[dict[str, Any]]:
        return serialize_columns(saved_query.columns or {})

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_latest_history_id(self, saved_query: SavedQuery) -> uuid.UUID | None:
        return getattr(saved_query, "latest_history_id", None)


class LevelSerializer(serializers.Serializer):
    level = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="How many hops to follow (all when absent)."
    )


class AncestorsSerializer(serializers.Serializer):
    ancestors = serializers.ListField(
        child=serializers.CharField(), help_text="View ids (UUIDs) and table names."
    )


class DescendantsSerializer(serializers.Serializer):
    descendants = serializers.ListField(child=serializers.CharField(), help_text="View ids (UUIDs).")


class ActivityLogSerializer(serializers.ModelSerializer):
    user = UserBasicSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ActivityLog
        fields = ["id", "user", "activity", "scope", "item_id", "detail", "created_at"]
        read_only_fields = fields


# PostHog's exact body (not our error shape): clients written against PostHog read `error`.
NOT_RUNNING_BODY = {"error": "Cannot cancel a query that is not running"}


class MaterializationRunSerializer(serializers.ModelSerializer):
    saved_query_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="saved_query.name", read_only=True)
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = MaterializationRun
        fields = [
            "id", "saved_query_id", "name", "status", "trigger", "started_at", "finished_at", "duration_seconds",
            "rows_written", "error", "job_id",
        ]  # fmt: skip
        read_only_fields = fields


RunStartedSerializer = inline_serializer(
    "MaterializationRunStarted",
    {
        "runs": MaterializationRunSerializer(
            many=True, help_text="The view first, then the views that read it."
        )
    },
)
CancelRefusedSerializer = inline_serializer(
    "MaterializationCancelRefused", {"error": serializers.CharField()}
)


class ActivityPagination(PageNumberPagination):
    """PostHog's activity pages: `?limit=10&page=1`, answered as `{results, next, previous, total_count}`."""

    page_size = 10
    page_size_query_param = "limit"  # type: ignore[assignment]  # the stubs type the base default only
    max_page_size = 100

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(
            {
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "total_count": self.page.paginator.count if self.page else 0,
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
class SavedQueryViewSet(ProjectScopedModelViewSet):
    """Create, Read, Update and Delete Warehouse Tables."""

    scope_object = "warehouse_view"
    queryset = SavedQuery.objects.all()
    serializer_class = SavedQuerySerializer
    pagination_class = PageNumberPagination
    filter_backends = [SearchFilter]
    search_fields = ["name"]
    row_shape = SAVED_QUERY_ROW
    extra_throttle_classes = (QueryWriteBurstRateThrottle, QueryWriteSustainedRateThrottle)
    error_statuses = {"run": [409]}  # already running

    def safely_get_queryset(self, queryset):
        return saved_queries_for(project=self.project, with_history=self.action in ("list", "retrieve"))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """As PostHog, a POST naming an existing view updates it (200); otherwise it creates one (201)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved_query, created = saved_query_create_or_update(
            project=self.project, user=self.user, **_changes(serializer.validated_data)
        )
        return Response(
            self.get_serializer(saved_query).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        saved_query = saved_query_update(
            project=self.project,
            user=self.user,
            saved_query=instance,
            **_changes(serializer.validated_data),
        )
        return Response(self.get_serializer(saved_query).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        saved_query_delete(project=self.project, user=self.user, saved_query_id=self.get_object().pk)
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

    def _lineage(self, request: Request, direction: Direction) -> list[str]:
        params = LevelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return lineage(
            project=self.project,
            saved_query=self.get_object(),
            direction=direction,
            level=params.validated_data.get("level"),
        )

    @extend_schema(request=None, responses={200: RunStartedSerializer})
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:write"])
    def run(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Materialize the view now (then the materialized views that read it); 409 when it is already running."""
        runs = materialization_start(
            project=self.project, saved_query_id=self.get_object().pk, user=self.user
        )
        for run in runs:
            run.refresh_from_db()
        return Response({"runs": MaterializationRunSerializer(runs, many=True).data})

    @extend_schema(request=None, responses={200: None, 400: CancelRefusedSerializer})
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:write"])
    def cancel(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Stop the running materialization (status Cancelled); PostHog's 400 body when it is not running."""
        try:
            materialization_cancel(project=self.project, saved_query_id=self.get_object().pk)
        except NotRunningError:
            return Response(NOT_RUNNING_BODY, status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_200_OK)

    @extend_schema(responses=MaterializationRunSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        required_scopes=["warehouse_view:read"],
        filter_backends=[],
        pagination_class=LimitOffsetPagination,
    )
    def run_history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every materialization run of this view, newest first (`?limit=`, `?offset=`)."""
        runs = materialization_runs_for(project=self.project, saved_query=self.get_object())
        page = self.paginate_queryset(runs)
        return self.get_paginated_response(MaterializationRunSerializer(page, many=True).data)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:write"])
    def revert_materialization(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Back to a plain view: clears the frequency and run state, stops a run and drops the materialized table."""
        materialization_revert(project=self.project, user=self.user, saved_query_id=self.get_object().pk)
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


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    """The validated request as the saved-query services' arguments."""
    return {
        "name": data.get("name"),
        "query": data.get("query"),
        "types": data.get("types"),
        "soft_update": bool(data.get("soft_update")),
        "sync_frequency": data.get("sync_frequency"),
        "deleted": bool(data.get("deleted")),
        "edited_history_id": data.get("edited_history_id"),
    }
