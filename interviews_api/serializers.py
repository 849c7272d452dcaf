"""Serializers: the interview as clients see it, and the create / update inputs."""

import json
from dataclasses import dataclass
from functools import lru_cache

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from interviews_api.models import UserInterview
from interviews_api.processing import RecordingInfo, UnsupportedRecording, inspect_recording
from interviews_api.recordings import uploaded_path
from interviews_api.validators import MAX_LENGTH, validate_email_with_display_name
from users.serializers import UserBasicSerializer

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


class UserInterviewSerializer(serializers.ModelSerializer):
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
        request = self.context.get("request")
        if request is None or not interview.recording:
            return None
        return request.build_absolute_uri(audio_path(interview.project_id, interview.pk))


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


@dataclass(frozen=True)
class Recording:
    """An uploaded recording, already inspected."""

    file: UploadedFile
    info: RecordingInfo


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

    def validate_audio(self, upload: UploadedFile) -> Recording:
        return inspected_recording(upload)


def inspected_recording(upload: UploadedFile) -> Recording:
    """The upload with what it contains, or a 400 naming what was detected."""
    try:
        with uploaded_path(upload) as path:
            info = inspect_recording(path)
    except UnsupportedRecording as exc:
        raise serializers.ValidationError(str(exc), code="unsupported") from exc
    return Recording(file=upload, info=info)


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

    def validate_audio(self, upload: UploadedFile) -> Recording:
        return inspected_recording(upload)


class UserInterviewEditSerializer(UserInterviewUpdateSerializer):
    """The JSON edit: who was interviewed and the summary (a new recording needs multipart)."""

    audio = None  # type: ignore[assignment]

    class Meta(UserInterviewUpdateSerializer.Meta):
        fields = ["interviewee_emails", "summary"]
