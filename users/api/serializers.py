"""Serializers for users, projects and personal API keys."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.representation import DirectRepresentation
from users.api.organization_serializers import (
    OrganizationBasicSerializer,
    OrganizationSerializer,
    ProjectSerializer,
)
from users.models import PersonalAPIKey, Project, User
from users.scopes import invalid_scopes
from users.selectors import current_organization_for, current_project_for, organizations_for

__all__ = ["PersonalAPIKeySerializer", "ProjectSerializer", "UserBasicSerializer", "UserMeSerializer"]


class UserBasicSerializer(DirectRepresentation, serializers.ModelSerializer):
    """PostHog's `UserBasic`: the `created_by` object on every resource."""

    # Declared so the schema allows the blank default (a read-only model field loses allow_blank).
    role_at_organization = serializers.ChoiceField(
        choices=User.Role.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "uuid",
            "distinct_id",
            "first_name",
            "last_name",
            "email",
            "is_email_verified",
            "hedgehog_config",
            "role_at_organization",
        ]
        read_only_fields = fields


class PersonalAPIKeySerializer(serializers.ModelSerializer):
    """PostHog's key shape; `value` only in the response that created the key, unscoped lists as `[]`."""

    value = serializers.SerializerMethodField(method_name="shown_value")
    scopes = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=False)
    scoped_teams = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
    scoped_organizations = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True
    )

    class Meta:
        model = PersonalAPIKey
        fields = [
            "id",
            "label",
            "value",
            "mask_value",
            "created_at",
            "last_used_at",
            "scopes",
            "scoped_teams",
            "scoped_organizations",
            "user_id",
            "last_rolled_at",
        ]
        read_only_fields = [
            "id",
            "value",
            "mask_value",
            "created_at",
            "last_used_at",
            "user_id",
            "last_rolled_at",
        ]

    def shown_value(self, key: PersonalAPIKey) -> str | None:
        return key.plain_value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["scopes"] = data["scopes"] or ["*"]
        # Stored as null when unscoped; PostHog's clients expect lists.
        data["scoped_teams"] = data["scoped_teams"] or []
        data["scoped_organizations"] = data["scoped_organizations"] or []
        return data

    def validate_scopes(self, scopes: list[str]) -> list[str]:
        bad = invalid_scopes(scopes)
        if bad:
            raise serializers.ValidationError(f"Invalid scope: {bad[0]}")
        return scopes

    def validate_scoped_teams(self, team_ids: list[int] | None) -> list[int] | None:
        if not team_ids:
            return None
        reachable = set(
            Project.objects.filter(
                pk__in=team_ids, organization__memberships__user=self.context["request"].user
            ).values_list("pk", flat=True)
        )
        if reachable != set(team_ids):
            raise serializers.ValidationError(
                "You must be a member of all teams that you are scoping the key to."
            )
        return team_ids

    def validate_scoped_organizations(self, org_ids: list[str] | None) -> list[str] | None:
        if not org_ids:
            return None
        user = self.context["request"].user
        reachable = {str(pk) for pk in user.organizations.values_list("pk", flat=True)}
        if not set(org_ids) <= reachable:
            raise serializers.ValidationError(
                "You must be a member of all organizations that you are scoping the key to."
            )
        return org_ids


class UserMeSerializer(UserBasicSerializer):
    """The caller's own account, with PostHog's `team` and `organization` (where a client goes by default)."""

    team = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    organizations = serializers.SerializerMethodField()
    current_project = serializers.IntegerField(source="current_project_id", read_only=True, allow_null=True)

    class Meta(UserBasicSerializer.Meta):
        fields = [
            *UserBasicSerializer.Meta.fields,
            "date_joined",
            "is_staff",
            "current_project",
            "team",
            "organization",
            "organizations",
        ]
        read_only_fields = fields

    @extend_schema_field(ProjectSerializer(allow_null=True))
    def get_team(self, user: User) -> dict | None:
        project = current_project_for(user)
        return None if project is None else ProjectSerializer(project, context=self.context).data

    @extend_schema_field(OrganizationSerializer(allow_null=True))
    def get_organization(self, user: User) -> dict | None:
        current = current_organization_for(user)
        if current is None:
            return None
        annotated = organizations_for(user).filter(pk=current.pk).first() or current
        return OrganizationSerializer(annotated, context=self.context).data

    @extend_schema_field(OrganizationBasicSerializer(many=True))
    def get_organizations(self, user: User) -> list:
        return list(
            OrganizationBasicSerializer(organizations_for(user), many=True, context=self.context).data
        )
