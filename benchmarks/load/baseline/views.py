"""The baseline's whole API: key authentication, two resources (list and retrieve), their URLs.

One indexed sha256 key lookup joined to the user; the caller's membership of the URL's project folded into the
object query (another project's object, or a project the caller is not in, is a 404); DRF's limit/offset pagination;
no throttling. Bodies have the real server's keys and sizes.
"""

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import path
from rest_framework import generics, serializers

from baseline.models import ActivityLog, Membership, SavedQuery, User, UserInterview


class UserBasicSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id", "uuid", "distinct_id", "first_name", "last_name", "email", "is_email_verified",
            "hedgehog_config", "role_at_organization",
        ]  # fmt: skip


class InterviewSerializer(serializers.ModelSerializer):
    created_by = UserBasicSerializer()
    audio = serializers.SerializerMethodField()

    class Meta:
        model = UserInterview
        fields = [
            "id", "created_by", "created_at", "interviewee_emails", "transcript", "summary", "audio", "status",
            "processing_error",
        ]  # fmt: skip

    def get_audio(self, interview):
        url = f"/api/environments/{interview.project_id}/user_interviews/{interview.pk}/audio/"
        return self.context["request"].build_absolute_uri(url)


class SavedQuerySerializer(serializers.ModelSerializer):
    created_by = UserBasicSerializer()
    sync_frequency = serializers.SerializerMethodField()
    columns = serializers.SerializerMethodField()
    latest_history_id = serializers.UUIDField()

    class Meta:
        model = SavedQuery
        fields = [
            "id", "deleted", "name", "query", "created_by", "created_at", "sync_frequency", "columns", "status",
            "last_run_at", "latest_error", "latest_history_id", "is_materialized",
        ]  # fmt: skip

    def get_sync_frequency(self, saved_query):
        return None if saved_query.sync_frequency_interval is None else "24hour"

    def get_columns(self, saved_query):
        return [
            {"key": name, "name": name, "type": "string", "schema_valid": True, "fields": None, "table": None,
             "chain": None}
            for name in saved_query.columns or {}
        ]  # fmt: skip


class ProjectObjects:
    """The URL's project's objects, only when the caller is a member of its organization (one query)."""

    lookup_field = "pk"

    def get_queryset(self):
        member = Membership.objects.filter(
            organization_id=OuterRef("project__organization_id"), user_id=self.request.user.pk
        )
        return (
            self.model.objects.filter(Exists(member), project_id=self.kwargs["project_id"])
            .select_related("created_by")
            .order_by("-created_at", "-id")
        )


class InterviewViewSet(ProjectObjects):
    model = UserInterview
    serializer_class = InterviewSerializer


class SavedQueryViewSet(ProjectObjects):
    model = SavedQuery
    serializer_class = SavedQuerySerializer

    def get_queryset(self):
        newest = ActivityLog.objects.filter(scope="DataWarehouseSavedQuery", item_id=OuterRef("pk"))
        newest = newest.order_by("-created_at", "-id").values("id")[:1]
        return super().get_queryset().filter(deleted=False).annotate(latest_history_id=Subquery(newest))


class InterviewList(InterviewViewSet, generics.ListAPIView):
    pass


class InterviewDetail(InterviewViewSet, generics.RetrieveAPIView):
    pass


class SavedQueryList(SavedQueryViewSet, generics.ListAPIView):
    pass


class SavedQueryDetail(SavedQueryViewSet, generics.RetrieveAPIView):
    pass


def health(request):
    return HttpResponse("ok")


urlpatterns = [
    path("api/environments/<int:project_id>/user_interviews/", InterviewList.as_view()),
    path("api/environments/<int:project_id>/user_interviews/<uuid:pk>/", InterviewDetail.as_view()),
    path("api/environments/<int:project_id>/warehouse_saved_queries/", SavedQueryList.as_view()),
    path("api/environments/<int:project_id>/warehouse_saved_queries/<uuid:pk>/", SavedQueryDetail.as_view()),
    path("_health", health),
]
