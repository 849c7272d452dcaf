from django.contrib import admin

from warehouse.models import ActivityLog, SavedQuery, WarehouseTable


@admin.register(SavedQuery)
class SavedQueryAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "status", "is_materialized", "created_by", "created_at", "deleted"]
    list_filter = ["deleted", "is_materialized", "status"]
    search_fields = ["name", "deleted_name"]
    list_select_related = ["project", "created_by"]
    readonly_fields = ["id", "columns", "dependencies", "created_at", "deleted_at", "deleted_name"]
    raw_id_fields = ["project", "created_by", "table"]


@admin.register(WarehouseTable)
class WarehouseTableAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "format", "created_at", "deleted"]
    list_filter = ["deleted", "format"]
    search_fields = ["name"]
    raw_id_fields = ["project", "created_by"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """The history is evidence: readable here, never edited."""

    list_display = ["created_at", "scope", "activity", "item_id", "user", "project"]
    list_filter = ["scope", "activity"]
    search_fields = ["item_id"]
    list_select_related = ["user", "project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
