"""A user interview: the stored recording, who was interviewed, and the transcript and summary made from it."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models


def recording_key(interview: "UserInterview", filename: str) -> str:
    """Storage key: one folder per project, the interview's id as the name, the detected format as suffix."""
    suffix = PurePosixPath(filename).suffix.lower()[:12]
    return f"interviews/{interview.project_id}/{interview.pk}{suffix}"


class InterviewStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class UserInterview(models.Model):
    Status = InterviewStatus

    class SummarySource(models.TextChoices):
        NONE = "", "none yet"
        GENERATED = "generated"
        CLIENT = "client"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey("users.Project", on_delete=models.CASCADE, related_name="user_interviews")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    interviewee_emails = models.JSONField(default=list, blank=True)
    transcript = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    # Whether `summary` was written by a person (kept on re-transcription) or generated (regenerated).
    summary_source = models.CharField(max_length=16, choices=SummarySource.choices, blank=True, default="")

    recording = models.FileField(upload_to=recording_key, max_length=300)
    recording_filename = models.CharField(max_length=255, blank=True)
    recording_content_type = models.CharField(max_length=100, blank=True)
    recording_size = models.BigIntegerField(default=0)
    recording_kind = models.CharField(max_length=16, blank=True)
    recording_format = models.CharField(max_length=32, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    processing_error = models.TextField(blank=True)
    # The one job allowed to write results; a superseded or duplicate job finds another id and does nothing.
    job_id = models.CharField(max_length=64, blank=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    # Workers that died while processing this recording (reset when a client asks again); see INTERVIEW_MAX_ATTEMPTS.
    interruptions = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["project", "-created_at"], name="interview_project_newest"),
            models.Index(fields=["status", "updated_at"], name="interview_status_updated"),
        ]

    def __str__(self) -> str:
        return f"Interview {self.pk} ({self.status})"

    @property
    def recording_name(self) -> str:
        """The recording's key in storage; every saved interview has one (the field is required)."""
        if not self.recording.name:
            raise ValueError(f"Interview {self.pk} has no stored recording")
        return self.recording.name
