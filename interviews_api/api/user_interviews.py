"""user_interviews: recordings with who was interviewed, their transcript and a summary (scope user_interview_DO_NOT_USE).

`/api/environments/<project_id>/user_interviews/`: the viewset, its search filter and its serializers.
"""

import json
from functools import cached_property, lru_cache

import django_filters
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.exceptions import error_body
from api.filters import ListFilterBackend, bounded_search
from api.parsers import JSONParser
from api.representation import DirectRepresentation
from api.schema import ErrorSerializer
from api.viewsets import ProjectScopedModelViewSet
from interviews_api import recordings, selectors, services
from interviews_api.api import downloads, uploads
from interviews_api.models import UserInterview
from interviews_api.processing import UnsupportedRecording
from interviews_api.recordings import UploadedRecording
from interviews_api.validators import MAX_LENGTH, validate_email_with_display_name
from users.api.serializers import UserBasicSerializer

PLACEHOLDER_PROJECT, PLACEHOLDER_ID = 987654321, "00000000-0000-0000-0000-000000000000"


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "string",
            "maxLength": 254,
            "example": "Ada Lovelace <ada@example.com>",
            "description": "An email address, optionally with a display name: `Name <address>`.",
        },
    }
)
class IntervieweeEmailsField(serializers.ListField):
    """A list of `address` or `Name <address>`; in multipart, repeated fields or one JSON-array string."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "child",
            serializers.CharField(max_length=MAX_LENGTH, validators=[validate_email_with_display_name]),
        )
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        if not hasattr(dictionary, "getlist") or self.field_name not in dictionary:
            return super().get_value(dictionary)
        values = [value for value in dictionary.getlist(self.field_name) if value != ""]
        if len(values) == 1 and values[0].lstrip().startswith("["):
            try:
                return json.loads(values[0])
            except ValueError:
                pass
        return values


class UserInterviewSerializer(DirectRepresentation, serializers.ModelSerializer):
    """An interview; `audio` is an authenticated download of the stored recording (range requests work)."""

    created_by = UserBasicSerializer(read_only=True)
    interviewee_emails = IntervieweeEmailsField(required=False)
    audio = serializers.SerializerMethodField(
        help_text="Absolute URL of the stored recording (needs user_interview_DO_NOT_USE:read; supports Range)."
    )
    status = serializers.ChoiceField(
        choices=UserInterview.Status.choices,
        read_only=True,
        help_text="pending: stored, waiting for a worker; processing: being transcribed and summarized; "
        "completed: transcript and summary are ready; failed: see processing_error, retry with transcribe/.",
    )
    processing_error = serializers.CharField(
        read_only=True, help_text="Why processing failed (empty unless status is failed)."
    )

    class Meta:
        model = UserInterview
        fields = [
            "id",
            "created_by",
            "created_at",
            "interviewee_emails",
            "transcript",
            "summary",
            "audio",
            "status",
            "processing_error",
        ]
        read_only_fields = [
            "id",
            "created_by",
            "created_at",
            "transcript",
            "audio",
            "status",
            "processing_error",
        ]
        extra_kwargs = {"summary": {"required": False, "allow_blank": True}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_audio(self, interview: UserInterview) -> str | None:
        origin = self._request_origin
        if origin is None or not interview.recording:
            return None
        return origin + audio_path(interview.project_id, interview.pk)

    @cached_property
    def _request_origin(self) -> str | None:
        """`scheme://host` of the request, once per serializer (a list's child builds 100 audio URLs): what
        `build_absolute_uri` puts before a path that starts with one slash, as every audio path does."""
        request = self.context.get("request")
        return None if request is None else request.build_absolute_uri("/").removesuffix("/")


def audio_path(project_id: int, interview_id) -> str:
    """The recording's download path (the URL pattern reversed once per process: a list builds 100 of them)."""
    return _audio_path_template().format(project_id=project_id, interview_id=interview_id)


@lru_cache(maxsize=1)
def _audio_path_template() -> str:
    path = reverse(
        "environment_user_interviews-audio", kwargs={"project_id": PLACEHOLDER_PROJECT, "pk": PLACEHOLDER_ID}
    )
    prefix, suffix = path.split(f"/{PLACEHOLDER_ID}/")
    return prefix.replace(f"/{PLACEHOLDER_PROJECT}/", "/{project_id}/") + "/{interview_id}/" + suffix


class UserInterviewCreateSerializer(serializers.Serializer):
    """multipart/form-data: `audio` is the recording (or a WebVTT/SRT/plain-text transcript)."""

    audio = serializers.FileField(
        allow_empty_file=False,
        help_text="The recording (WAV, MP3, M4A/AAC, OGG/Opus, WebM, FLAC) or a transcript (WebVTT, SRT, text).",
    )
    interviewee_emails = IntervieweeEmailsField(required=False, default=list)
    summary = serializers.CharField(
        required=False, allow_blank=True, help_text="Your own summary; when sent, no summary is generated."
    )

    def validate_audio(self, upload: UploadedFile) -> UploadedRecording:
        return inspected_recording(upload)


def inspected_recording(upload: UploadedFile) -> UploadedRecording:
    """The upload with what it contains, or a 400 naming what was detected."""
    try:
        return recordings.inspect_upload(upload)
    except UnsupportedRecording as exc:
        raise serializers.ValidationError(str(exc), code="unsupported") from exc


class UserInterviewUpdateSerializer(serializers.ModelSerializer):
    """Edits who was interviewed and the summary; anything else in the body is ignored."""

    interviewee_emails = IntervieweeEmailsField(required=False)
    audio = serializers.FileField(
        required=False,
        write_only=True,
        allow_empty_file=False,
        help_text="A new recording (or transcript) that replaces the stored one and is processed again.",
    )

    class Meta:
        model = UserInterview
        fields = ["interviewee_emails", "summary", "audio"]
        extra_kwargs = {"summary": {"required": False, "allow_blank": True}}

    def validate_audio(self, upload: UploadedFile) -> UploadedRecording:
        return inspected_recording(upload)


class UserInterviewEditSerializer(UserInterviewUpdateSerializer):
    """The JSON edit: who was interviewed and the summary (a new recording needs multipart)."""

    audio = None  # type: ignore[assignment]

    class Meta(UserInterviewUpdateSerializer.Meta):
        fields = ["interviewee_emails", "summary"]


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


class UserInterviewFilter(django_filters.FilterSet):
    """`?search=`: bounded like every list's search (api/filters.py), then matched by the selector."""

    search = django_filters.CharFilter(
        method="search_interviews",
        strip=False,  # the bound applies to the text as sent
        help_text="Only interviews whose transcript, summary or interviewee emails match (full-text search on "
        "PostgreSQL, case-insensitive substring on SQLite).",
    )

    def search_interviews(self, queryset, name: str, value: str):
        return selectors.interview_search(queryset, text=bounded_search(value, param=name))


@extend_schema_view(
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
    # Newest first, with `created_by` joined so a page costs the same number of queries at any size.
    queryset = UserInterview.objects.select_related("created_by").order_by("-created_at", "-pk")
    serializer_class = UserInterviewSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = UserInterviewFilter
    row_shape = selectors.INTERVIEW_ROW
    parser_classes = [MultiPartParser, JSONParser]
    error_statuses = {"transcribe": [409]}  # already being processed

    def initialize_request(self, request, *args, **kwargs):
        uploads.install_upload_handlers(request)
        return super().initialize_request(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        uploads.check_content_length(request)
        super().initial(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = UserInterviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        interview = services.interview_create(
            project=self.project,
            created_by=self.user,
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
