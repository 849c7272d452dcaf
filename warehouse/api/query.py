"""POST /api/environments/<project_id>/query/: run a HogQLQuery against the project's warehouse (scope query:read)."""

import json
from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from api.throttling import HogQLQueryRateThrottle
from api.viewsets import ProjectScopedViewSet
from core.errors import InvalidInput
from warehouse.engine import QueryTimeoutError, ResultTooLargeError
from warehouse.querying import WRAPPER_KINDS, run_hogql_query, unwrap_query_node


class QueryResultTooLarge(APIException):
    """400 with code `result_too_large`: the page's values passed WAREHOUSE_MAX_RESULT_BYTES (fetching stopped)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "result_too_large"
    default_detail = "The result is too large."


class QueryTimedOut(APIException):
    """400 in the error shape with code `timeout` (PostHog answers an over-long query with a 400 too)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "timeout"
    default_detail = "The query took too long and was stopped."


class QueryNodeSerializer(serializers.Serializer):
    """Documents the `query` object; validation is `unwrap_query_node`'s."""

    kind = serializers.ChoiceField(choices=["HogQLQuery", *WRAPPER_KINDS])
    query = serializers.CharField(required=False, help_text="HogQLQuery: the HogQL SELECT.")
    source = serializers.JSONField(  # type: ignore[assignment]  # PostHog's name; DRF's metaclass takes it
        required=False, help_text=f"{', '.join(WRAPPER_KINDS)}: the query it shows, a HogQLQuery."
    )


@extend_schema_field(QueryNodeSerializer)
class QueryNodeField(serializers.JSONField):
    pass


@extend_schema_serializer(component_name="Query")  # QueryRequest in the schema
class QueryRequestSerializer(serializers.Serializer):
    """Documents the body; `query_node_of` validates it."""

    query = QueryNodeField(
        help_text='{"kind": "HogQLQuery", "query": "<HogQL SELECT>"}, or a display node wrapping one as `source`'
    )


def query_node_of(body: Any) -> Any:
    """The body's `query`, checked as QueryRequestSerializer would check it (the same words and codes), without
    building a serializer per request: its field copies cost about 0.2 ms of a /query/ right after a large query
    (docs/performance.md). A form's `query` field carries the node as JSON text."""
    if body is None:
        raise InvalidInput("No data provided", code="null")
    if not isinstance(body, Mapping):
        raise InvalidInput(f"Invalid data. Expected a dictionary, but got {type(body).__name__}.")
    if "query" not in body:
        raise InvalidInput("This field is required.", attr="query", code="required")
    node = body["query"]
    if node is None:
        raise InvalidInput("This field may not be null.", attr="query", code="null")
    if isinstance(body, QueryDict) and isinstance(node, str):
        try:
            return json.loads(node)
        except ValueError:
            raise InvalidInput("Value must be valid JSON.", attr="query") from None
    return node


class QueryResponseSerializer(serializers.Serializer):
    results = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    columns = serializers.ListField(child=serializers.CharField())
    types = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="[column, ClickHouse type] pairs",
    )
    hasMore = serializers.BooleanField()  # noqa: N815 (PostHog's key)
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    query = serializers.CharField(help_text="The HogQL as sent.")
    hogql = serializers.CharField(help_text="The HogQL as parsed and normalised.")
    engine = serializers.CharField(help_text="The engine that ran the query (duckdb).")
    engine_sql = serializers.CharField(help_text="The SQL the engine ran, built from the validated tree.")
    timings = serializers.ListField(child=serializers.DictField())
    error = serializers.CharField(allow_null=True)


QUERY_EXAMPLE = OpenApiExample(
    "Events per day",
    {
        "query": {
            "kind": "HogQLQuery",
            "query": "select toDate(timestamp) as day, count() as n from events group by day order by day",
        }
    },
    request_only=True,
)


class QueryViewSet(ProjectScopedViewSet):
    """Run HogQL over the project's warehouse: core tables, loaded tables and saved queries."""

    scope_object = "query"
    scope_object_read_actions = ["create"]  # as PostHog: running a query only reads
    error_statuses = {"create": [503]}  # the warehouse file is locked by a long write

    extra_throttle_classes = (HogQLQueryRateThrottle,)

    @extend_schema(
        request=QueryRequestSerializer, responses={200: QueryResponseSerializer}, examples=[QUERY_EXAMPLE]
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Run a HogQLQuery: the SQL's LIMIT applies (default 100, at most 50,000 rows); `hasMore` says if cut."""
        query = unwrap_query_node(query_node_of(request.data))
        try:
            return Response(run_hogql_query(project=self.project, sql=query["query"]))
        except QueryTimeoutError as err:
            raise QueryTimedOut(str(err)) from err
        except ResultTooLargeError as err:
            raise QueryResultTooLarge(str(err)) from err
