"""Serializers for users, projects and personal API keys."""

from rest_framework import serializers

from users.models import Organization, PersonalAPIKey, Project, User
from users.scopes import invalid_scopes


class UserBasicSerializer(serializers.ModelSerializer):
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


class OrganizationBasicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "created_at"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    organization = serializers.UUIDField(source="organization_id", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "uuid", "organization", "api_token", "name", "created_at"]
        read_only_fields = fields


class PersonalAPIKeySerializer(serializers.ModelSerializer):
    """Shows `value` only in the response that created the key."""

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
        ]
        read_only_fields = ["id", "value", "mask_value", "created_at", "last_used_at"]

    def shown_value(self, key: PersonalAPIKey) -> str | None:
        return key.plain_value

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["scopes"] = data["scopes"] or ["*"]
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
    """The caller's own account, with where it can go next."""

    organizations = OrganizationBasicSerializer(many=True, read_only=True)
    current_project = serializers.IntegerField(source="current_project_id", read_only=True, allow_null=True)

    class Meta(UserBasicSerializer.Meta):
        fields = [*UserBasicSerializer.Meta.fields, "date_joined", "current_project", "organizations"]
        read_only_fields = fields
