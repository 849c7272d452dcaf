from django.contrib import admin

from interviews_api.models import UserInterview


@admin.register(UserInterview)
class UserInterviewAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "status", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["id", "summary"]
    readonly_fields = ["id", "created_at", "updated_at", "job_id", "processing_started_at", "processed_at"]
    raw_id_fields = ["project", "created_by"]
