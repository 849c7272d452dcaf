"""Saved-query materialization actions: run, cancel and run_history (a mixin; revert is in views.py)."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import LimitOffsetPagination
from warehouse.materialization import NotRunningError, materialization_cancel, materialization_start
from warehouse.models import MaterializationRun

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


class MaterializationActionsMixin:
    """Mixed into SavedQueryViewSet; each action resolves the view in the URL's project, then calls one service."""

    @extend_schema(request=None, responses={200: RunStartedSerializer})
    @action(detail=True, methods=["post"], required_scopes=["warehouse_view:write"])
    def run(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Materialize the view now (then the materialized views that read it); 409 when it is already running."""
        runs = materialization_start(
            project=self.project, saved_query_id=self.get_object().pk, user=request.user
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
        runs = (
            MaterializationRun.objects.filter(project=self.project, saved_query=self.get_object())
            .select_related("saved_query")
            .order_by("-started_at", "-id")
        )
        page = self.paginate_queryset(runs)
        return self.get_paginated_response(MaterializationRunSerializer(page, many=True).data)
