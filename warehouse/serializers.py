"""Serializers for saved queries (PostHog's DataWarehouseSavedQuery shape), their history and lineage."""

import uuid
from dataclasses import replace
from functools import cached_property
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from users.serializers import UserBasicSerializer
from warehouse.catalog import Catalog
from warehouse.hogql import serialize_columns
from warehouse.models import ActivityLog, SavedQuery, SyncFrequency
from warehouse.selectors import catalog_for
from warehouse.validation import (
    NAME_PATTERN,
    analyze,
    build_definition,
    validate_query_shape,
    validate_view_name,
)

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


class ViewNameField(serializers.CharField):
    """A view or table name: letters, digits, `_`, `.`, `$`, not starting with a digit (checked in validation)."""

    request_pattern = (
        f"^{NAME_PATTERN.pattern}$"  # documented on requests (a deleted view's stored name differs)
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 128)
        super().__init__(**kwargs)


class SavedQueryColumnSerializer(serializers.Serializer):
    """One column as PostHog's API lists it."""

    key = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField(
        help_text="PostHog's field type: string, integer, float, boolean, datetime, ..."
    )
    schema_valid = serializers.BooleanField()
    fields = serializers.JSONField(allow_null=True)
    table = serializers.CharField(allow_null=True)
    chain = serializers.ListField(child=serializers.CharField(), allow_null=True)


@extend_schema_field(HogQLQuerySerializer)
class HogQLQueryField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> dict[str, Any]:
        return validate_query_shape(super().to_internal_value(data))


class WriteOnlyValueMixin:
    """A request field the documented response also lists; it has no stored value, so it reads as null."""

    def get_attribute(self, instance: Any) -> None:
        return None


class EditedHistoryIdField(WriteOnlyValueMixin, serializers.CharField):
    pass


class SoftUpdateField(WriteOnlyValueMixin, serializers.BooleanField):
    pass


class SavedQuerySerializer(serializers.ModelSerializer):
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

    @cached_property
    def catalog(self) -> Catalog:
        """The project's catalog, without the view being edited (its name is its own, its SQL is the new one)."""
        return catalog_for(project=self.context["project"], exclude=getattr(self.instance, "pk", None))

    def validate_name(self, name: str) -> str:
        if self.instance is not None and name == self.instance.name:
            return name
        return validate_view_name(name, catalog=self.catalog)

    def validate_query(self, query: dict[str, Any]) -> dict[str, Any]:
        name = self.initial_data.get("name")
        view_name = name if isinstance(name, str) else getattr(self.instance, "name", None)
        catalog = self.catalog
        if self.instance is not None and view_name:
            # The edited view, under its (new) name, is its new SQL: reading itself through others is a cycle.
            catalog = replace(catalog, views={**catalog.views, view_name: query["query"]})
        self._analyzed = analyze(query, catalog=catalog, view_name=view_name)
        return query

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        creating = self.instance is None
        if creating and "query" not in attrs:
            required = self.fields["query"].error_messages["required"]
            raise serializers.ValidationError({"query": [required]}, code="required")
        if creating and attrs.get("deleted"):
            raise serializers.ValidationError({"deleted": ["A saved query cannot be created deleted."]})
        if "query" in attrs:
            # As PostHog: soft_update on create skips typing; on update it only skips the history check.
            skip_typing = creating and bool(attrs.get("soft_update"))
            attrs["definition"] = build_definition(
                attrs["query"],
                analyzed=self._analyzed,
                catalog=self.catalog,
                types=None if skip_typing else attrs.get("types"),
                infer_columns=not skip_typing,
            )
        return attrs


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
