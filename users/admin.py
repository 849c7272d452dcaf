from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from users.keys import new_personal_api_key_value
from users.models import Membership, Organization, PersonalAPIKey, Project, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Profile",
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "role_at_organization",
                    "is_email_verified",
                    "hedgehog_config",
                    "current_project",
                ]
            },
        ),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [MembershipInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "organization", "created_at"]
    readonly_fields = ["uuid", "api_token"]


@admin.register(PersonalAPIKey)
class PersonalAPIKeyAdmin(admin.ModelAdmin):
    """Creating a key here shows its value once, in the confirmation message."""

    list_display = ["label", "user", "mask_value", "scopes", "created_at", "last_used_at"]
    readonly_fields = ["mask_value", "created_at", "last_used_at"]
    fields = ["user", "label", "scopes", "scoped_teams", "scoped_organizations", *readonly_fields]
    search_fields = ["label", "user__email"]

    def save_model(self, request, obj, form, change):
        if not change:
            value = new_personal_api_key_value()
            obj.set_value(value)
            super().save_model(request, obj, form, change)
            messages.warning(request, f"Copy the key now, it will not be shown again: {value}")
            return
        super().save_model(request, obj, form, change)
