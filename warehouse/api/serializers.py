"""Serializer fields shared by the warehouse resources: a view or table name, and a column as PostHog lists it."""

from typing import Any

from rest_framework import serializers

from warehouse.naming import NAME_PATTERN


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
    fields = serializers.JSONField(allow_null=True)  # type: ignore[assignment]  # PostHog's name; DRF's metaclass takes it
    table = serializers.CharField(allow_null=True)
    chain = serializers.ListField(child=serializers.CharField(), allow_null=True)
