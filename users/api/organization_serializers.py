"""PostHog's shapes for organizations and projects (its TeamBasic, ProjectBasic and Organization serializers).

A PostHog field this server has no data for is still present, with PostHog's type and a fixed value a client can
rely on (`FIXED`); docs/posthog-clients.md lists each one with its source in PostHog's code.
"""

from typing import Any

from django.utils.text import slugify
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from users.models import Membership, Organization, Project


class FixedValueMixin:
    """A read-only field that always shows the same value: a PostHog field with no counterpart here."""

    def __init__(self, value: Any, **kwargs: Any) -> None:
        self.fixed_value = value
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return self.fixed_value


class FixedBoolean(FixedValueMixin, serializers.BooleanField):
    pass


class FixedNullableBoolean(FixedValueMixin, serializers.BooleanField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(None, allow_null=True, **kwargs)


class FixedString(FixedValueMixin, serializers.CharField):
    pass


class FixedInteger(FixedValueMixin, serializers.IntegerField):
    pass


class FixedJSON(FixedValueMixin, serializers.JSONField):
    pass


class FixedList(FixedValueMixin, serializers.ListField):
    pass


class FixedObject(FixedValueMixin, serializers.DictField):
    pass


class ProjectSerializer(serializers.ModelSerializer):
    """PostHog's `TeamBasic` (also its project list item): `/api/projects/`, `team` in `/api/users/@me/`."""

    organization = serializers.UUIDField(source="organization_id", read_only=True)
    project_id = serializers.IntegerField(
        source="pk", read_only=True, help_text="The project's id: each project is its own single environment."
    )
    completed_snippet_onboarding = FixedBoolean(False)
    has_completed_onboarding_for = FixedJSON(None, allow_null=True)
    ingested_event = FixedBoolean(False)
    is_demo = FixedBoolean(False)
    timezone = FixedString("UTC", help_text="Timestamps in the warehouse are UTC.")
    access_control = FixedBoolean(False)

    class Meta:
        model = Project
        fields = [
            "id",
            "uuid",
            "organization",
            "project_id",
            "api_token",
            "name",
            "completed_snippet_onboarding",
            "has_completed_onboarding_for",
            "ingested_event",
            "is_demo",
            "timezone",
            "access_control",
            "created_at",
        ]
        read_only_fields = fields


class ProjectBasicSerializer(serializers.ModelSerializer):
    """PostHog's `ProjectBasic`: the `projects` of an organization."""

    organization_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "organization_id", "name"]
        read_only_fields = fields


def _membership_level(organization: Organization, user) -> int | None:
    level = getattr(organization, "membership_level", None)
    if level is None and user is not None and user.is_authenticated:
        level = (
            Membership.objects.filter(organization=organization, user=user)
            .values_list("level", flat=True)
            .first()
        )
    return level


class OrganizationFieldsMixin(serializers.Serializer):
    """What PostHog's basic and full organization shapes share."""

    slug = serializers.SerializerMethodField()
    logo_media_id = FixedString(None, allow_null=True)
    membership_level = serializers.SerializerMethodField()
    members_can_use_personal_api_keys = FixedBoolean(True, help_text="Keys are always allowed here.")

    def get_slug(self, organization: Organization) -> str:
        return slugify(organization.name) or str(organization.pk)

    @extend_schema_field(serializers.ChoiceField(choices=Membership.Level.choices, allow_null=True))
    def get_membership_level(self, organization: Organization) -> int | None:
        request = self.context.get("request")
        return _membership_level(organization, getattr(request, "user", None))


class OrganizationBasicSerializer(OrganizationFieldsMixin, serializers.ModelSerializer):
    """PostHog's `OrganizationBasic`: the items of `organizations` in `/api/users/@me/`."""

    is_active = FixedBoolean(True)
    is_not_active_reason = FixedString(None, allow_null=True)
    is_pending_deletion = FixedBoolean(False)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "slug",
            "logo_media_id",
            "membership_level",
            "members_can_use_personal_api_keys",
            "is_active",
            "is_not_active_reason",
            "is_pending_deletion",
            "created_at",
        ]
        read_only_fields = fields


class OrganizationSerializer(OrganizationFieldsMixin, serializers.ModelSerializer):
    """PostHog's `Organization`: `/api/organizations/` and `organization` in `/api/users/@me/`."""

    updated_at = serializers.DateTimeField(
        source="created_at", read_only=True, help_text="Organizations are not edited through this API."
    )
    plugins_access_level = FixedInteger(0, help_text="PostHog's level 0: no apps/plugins.")
    teams = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()
    available_product_features = FixedList([], child=serializers.DictField())
    is_member_join_email_enabled = FixedBoolean(False)
    metadata = FixedObject({"instance_tag": "none"}, child=serializers.CharField())
    customer_id = FixedString(None, allow_null=True)
    enforce_2fa = FixedNullableBoolean()
    members_can_invite = FixedBoolean(False)
    allow_publicly_shared_resources = FixedBoolean(False)
    member_count = serializers.SerializerMethodField()
    is_ai_data_processing_approved = FixedNullableBoolean()
    default_experiment_stats_method = FixedString("bayesian")
    default_role_id = FixedString(None, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "slug",
            "logo_media_id",
            "created_at",
            "updated_at",
            "membership_level",
            "plugins_access_level",
            "teams",
            "projects",
            "available_product_features",
            "is_member_join_email_enabled",
            "metadata",
            "customer_id",
            "enforce_2fa",
            "members_can_invite",
            "members_can_use_personal_api_keys",
            "allow_publicly_shared_resources",
            "member_count",
            "is_ai_data_processing_approved",
            "default_experiment_stats_method",
            "default_role_id",
        ]
        read_only_fields = fields

    @extend_schema_field(ProjectSerializer(many=True))
    def get_teams(self, organization: Organization) -> list[dict[str, Any]]:
        return list(ProjectSerializer(self._projects(organization), many=True, context=self.context).data)

    @extend_schema_field(ProjectBasicSerializer(many=True))
    def get_projects(self, organization: Organization) -> list[dict[str, Any]]:
        return list(
            ProjectBasicSerializer(self._projects(organization), many=True, context=self.context).data
        )

    def get_member_count(self, organization: Organization) -> int:
        return organization.memberships.filter(user__is_active=True).count()

    @staticmethod
    def _projects(organization: Organization) -> list[Project]:
        cached = getattr(organization, "_projects_cache", None)
        if cached is None:
            cached = list(organization.projects.order_by("id"))
            organization._projects_cache = cached  # type: ignore[attr-defined]
        return cached
