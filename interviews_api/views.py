"""The user interviews API: `/api/environments/<project_id>/user_interviews/`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.exceptions import error_body
from api.filters import search_term
from api.parsers import JSONParser
from api.schema import ErrorSerializer
from api.viewsets import ProjectScopedModelViewSet
from interviews_api import downloads, selectors, services, uploads
from interviews_api.models import UserInterview
from interviews_api.serializers import (
    UserInterviewCreateSerializer,
    UserInterviewEditSerializer,
    UserInterviewSerializer,
    UserInterviewUpdateSerializer,
)

SEARCH_PARAMETER = OpenApiParameter(
    "search",
    str,
    description="Only interviews whose transcript, summary or interviewee emails match (full-text search on "
    "PostgreSQL, case-insensitive substring on SQLite).",
)
RANGE_PARAMETER = OpenApiParameter(
    "Range", str, OpenApiParameter.HEADER, description="One byte range, e.g. `bytes=0-1023` or `bytes=-500`."
)
UPDATE_REQUEST = {
    "application/json": UserInterviewEditSerializer,
    "multipart/form-data": UserInterviewUpdateSerializer,
}
EDIT_EXAMPLE = OpenApiExample(
    "Edit who was interviewed and the notes",
    {"interviewee_emails": ["Ada Lovelace <ada@example.com>"], "summary": "Edited notes"},
    request_only=True,
    media_type="application/json",
)
# What a download may be: recordings by their detected type, transcripts as text; generic clients read octets.
RECORDING_MEDIA_TYPES = ("application/octet-stream", "audio/*", "video/webm", "text/*")
PROCESSING_NOTE = (
    "Waits up to INTERVIEW_SYNC_WAIT_SECONDS for transcription and summary; if they are not done by then the "
    "response has `status` pending or processing and the client polls the interview."
)


@extend_schema_view(
    list=extend_schema(parameters=[SEARCH_PARAMETER]),
    create=extend_schema(
        request={"multipart/form-data": UserInterviewCreateSerializer},
        responses={201: UserInterviewSerializer},
        description="Upload a recording (multipart/form-data). " + PROCESSING_NOTE,
    ),
    update=extend_schema(request=UPDATE_REQUEST, examples=[EDIT_EXAMPLE]),
    partial_update=extend_schema(request=UPDATE_REQUEST, examples=[EDIT_EXAMPLE]),
)
class UserInterviewViewSet(ProjectScopedModelViewSet):
    """User interviews: recordings with who was interviewed, their transcript and a summary."""

    scope_object = "user_interview_DO_NOT_USE"
    queryset = UserInterview.objects.select_related("created_by")
    serializer_class = UserInterviewSerializer
    parser_classes = [MultiPartParser, JSONParser]
    error_statuses = {"transcribe": [409]}  # already being processed

    def initialize_request(self, request, *args, **kwargs):
        uploads.install_upload_handlers(request)
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        uploads.check_content_length(request)
        super().initial(request, *args, **kwargs)

    def safely_get_queryset(self, queryset):
        search = search_term(self.request) if self.action == "list" else ""
        return selectors.interview_list(project=self.project, search=search)

    def create(self, request, *args, **kwargs):
        serializer = UserInterviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        interview = services.interview_create(
            project=self.project,
            created_by=request.user,
            recording=data["audio"],
            interviewee_emails=data["interviewee_emails"],
            summary=data.get("summary"),
        )
        interview = services.interview_wait(interview=interview)
        return Response(self.get_serializer(interview).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        interview = self.get_object()
        serializer = UserInterviewUpdateSerializer(
            interview, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        interview = services.interview_update(interview=interview, data=serializer.validated_data)
        if "audio" in serializer.validated_data:
            interview = services.interview_wait(interview=interview)
        return Response(self.get_serializer(interview).data)

    def perform_destroy(self, instance: UserInterview) -> None:
        services.interview_delete(interview=instance)

    @extend_schema(request=None, responses={200: UserInterviewSerializer}, description=PROCESSING_NOTE)
    @action(detail=True, methods=["post"], required_scopes=["user_interview_DO_NOT_USE:write"])
    def transcribe(self, request, *args, **kwargs):
        """Transcribe and summarize again from the stored recording (a client-written summary is kept)."""
        interview = services.interview_retranscribe(interview=self.get_object())
        interview = services.interview_wait(interview=interview)
        return Response(self.get_serializer(interview).data)

    @extend_schema(
        parameters=[RANGE_PARAMETER],
        responses={
            (200, *RECORDING_MEDIA_TYPES): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The recording, in the media type it was stored with (audio/*, text/vtt, ...).",
            ),
            (206, *RECORDING_MEDIA_TYPES): OpenApiResponse(
                OpenApiTypes.BINARY, description="The requested byte range (see Content-Range)."
            ),
            416: OpenApiResponse(
                ErrorSerializer, description="The range starts past the end of the recording."
            ),
        },
    )
    @action(detail=True, methods=["get"], required_scopes=["user_interview_DO_NOT_USE:read"])
    def audio(self, request, *args, **kwargs):
        """Download the stored recording, streamed; a `Range` header gets 206 with that slice."""
        interview = self.get_object()
        try:
            return downloads.recording_response(interview, request.headers.get("Range", ""))
        except downloads.RangeNotSatisfiable as exc:
            body = error_body(type="invalid_request", code=exc.default_code, detail=str(exc.detail))
            headers = {"Content-Range": f"bytes */{interview.recording_size}"}
            return Response(body, status=exc.status_code, headers=headers)
