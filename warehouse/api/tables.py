"""warehouse_tables: register a table from an uploaded file or an S3-compatible URL pattern (scope warehouse_table)."""

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import SearchFilter
from api.viewsets import ProjectScopedViewSet
from users.api.serializers import UserBasicSerializer
from warehouse.api.serializers import SavedQueryColumnSerializer, ViewNameField
from warehouse.hogql import serialize_columns
from warehouse.loading import LOADABLE_FORMATS, warehouse_table_create, warehouse_table_delete
from warehouse.models import LoadStatus, WarehouseCredential, WarehouseTable

NULL_OBJECT = serializers.DictField(allow_null=True)


class WarehouseCredentialSerializer(serializers.ModelSerializer):
    """PostHog's credential shape; the key and secret are write-only (never echoed back)."""

    created_by = UserBasicSerializer(read_only=True)

    class Meta:
        model = WarehouseCredential
        fields = ["id", "created_by", "created_at", "access_key", "access_secret"]
        read_only_fields = ["id", "created_by", "created_at"]
        extra_kwargs = {"access_key": {"write_only": True}, "access_secret": {"write_only": True}}


class WarehouseTableSerializer(serializers.ModelSerializer):
    created_by = UserBasicSerializer(read_only=True)
    name = ViewNameField()
    format = serializers.ChoiceField(choices=LOADABLE_FORMATS)
    credential = WarehouseCredentialSerializer(required=False, allow_null=True)
    url_pattern = serializers.CharField(max_length=500, required=False, allow_blank=True)
    file = serializers.FileField(write_only=True, required=False, help_text="The data (multipart upload).")
    columns = serializers.SerializerMethodField()
    external_data_source = serializers.SerializerMethodField()
    external_schema = serializers.SerializerMethodField()

    class Meta:
        model = WarehouseTable
        fields = [
            "id", "deleted", "name", "format", "created_by", "created_at", "url_pattern", "credential", "columns",
            "external_data_source", "external_schema", "row_count", "status", "error", "file",
        ]  # fmt: skip
        read_only_fields = ["id", "deleted", "created_by", "created_at", "row_count", "status", "error"]
        extra_kwargs = {
            "status": {
                "help_text": "Running while the data loads (poll the table), then Completed or Failed."
            },
            "error": {"help_text": "Why the load failed (status Failed); null otherwise."},
        }

    @extend_schema_field(SavedQueryColumnSerializer(many=True))
    def get_columns(self, table: WarehouseTable) -> list[dict[str, Any]]:
        return serialize_columns(table.columns or {})

    @extend_schema_field(NULL_OBJECT)  # always null here; the schema must say it may be
    def get_external_data_source(self, table: WarehouseTable) -> None:
        return None  # tables here are loaded, never synced from an external source

    @extend_schema_field(NULL_OBJECT)
    def get_external_schema(self, table: WarehouseTable) -> None:
        return None


class WarehouseTableViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProjectScopedViewSet
):
    """Create, Read and Delete Warehouse Tables (loaded data; materialized views are listed with their view)."""

    scope_object = "warehouse_table"
    queryset = WarehouseTable.objects.all()
    serializer_class = WarehouseTableSerializer
    filter_backends = [SearchFilter]
    search_fields = ["name"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    error_statuses = {"create": [503]}  # the warehouse file is locked by a long write

    def safely_get_queryset(self, queryset):
        live = Q(deleted=False)
        if self.action == "retrieve":  # a failed load stays visible by id (its name is already free)
            live |= Q(status=LoadStatus.FAILED)
        return (
            queryset.filter(live)
            .exclude(format=WarehouseTable.Format.DELTA_S3_WRAPPER)
            .select_related("created_by", "credential__created_by")
            .order_by("-created_at", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register the table and load its data: 201 with its columns when it loaded within the request, or 201 with
        `status: "Running"` when it loads in the background (larger, compressed or S3 data); poll the table."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        table = warehouse_table_create(
            project=self.project,
            user=self.user,
            name=data["name"],
            file_format=data["format"],
            upload=data.get("file"),
            url_pattern=data.get("url_pattern") or "",
            credential=data.get("credential"),
        )
        return Response(self.get_serializer(table).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        warehouse_table_delete(project=self.project, table_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
