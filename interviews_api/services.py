"""Writes: create, edit, delete and re-run interviews (one transaction each), and wait for their processing.

Recovering a job whose worker was lost is the job's own business: see tasks.py.
"""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from core.errors import Conflict
from interviews_api import recordings
from interviews_api.models import UserInterview
from interviews_api.recordings import UploadedRecording
from interviews_api.selectors import stalled_interviews
from interviews_api.tasks import process_interview, queue_processing
from jobs.leases import is_live
from jobs.queue import wait_for
from users.models import Project, User

Status = UserInterview.Status
SummarySource = UserInterview.SummarySource


def interview_create(
    *,
    project: Project,
    created_by: User | None,
    recording: UploadedRecording,
    interviewee_emails: list[str],
    summary: str | None = None,
) -> UserInterview:
    """Store the recording durably, save the row pending, and queue its processing when the row commits."""
    client_summary = bool(summary and summary.strip())
    interview = UserInterview(
        project=project,
        created_by=created_by,
        interviewee_emails=interviewee_emails,
        summary=(summary or "") if client_summary else "",
        summary_source=SummarySource.CLIENT if client_summary else SummarySource.NONE,
    )
    _store_recording(interview, recording)
    try:
        with transaction.atomic():
            interview.job_id = process_interview.enqueue_on_commit(str(interview.pk))
            interview.save(force_insert=True)
    except BaseException:
        recordings.delete(interview.recording_name)
        raise
    return interview


RECORDING_FIELDS = [
    "recording",
    "recording_filename",
    "recording_content_type",
    "recording_size",
    "recording_kind",
    "recording_format",
    "duration_seconds",
]


def _store_recording(interview: UserInterview, recording: UploadedRecording) -> None:
    """Save the upload to storage (durably, before any processing) and describe it on the row (not saved)."""
    info = recording.info
    interview.recording_filename = (recording.file.name or "")[:255]
    interview.recording_content_type = info.content_type or "application/octet-stream"
    interview.recording_size = recording.file.size or 0  # an upload always has a size
    interview.recording_kind = info.kind
    interview.recording_format = info.format or ""
    interview.duration_seconds = info.duration_seconds
    extension = (info.format or "bin").lower()
    interview.recording.save(f"recording.{extension}", recording.file, save=False)


def interview_update(*, interview: UserInterview, data: dict) -> UserInterview:
    """Edit `interviewee_emails` and `summary`; a new `audio` replaces the recording and processes it again.

    PostHog accepts `audio` on PATCH/PUT and throws it away; we keep it, since silently losing an upload is worse.
    A recording has one owner: the new file is stored under a fresh name first, then the row is locked and
    pointed at it, and the file it pointed at until then (read under the lock, so concurrent replacements each
    supersede exactly one) is deleted once that commits. If the update fails, the new file is deleted instead.
    """
    recording = data.get("audio")
    if recording is None:
        return _update_fields(interview=interview, data=data)
    _store_recording(interview, recording)
    new_name = interview.recording_name
    try:
        with transaction.atomic():
            locked = UserInterview.objects.select_for_update().get(pk=interview.pk)
            superseded = locked.recording_name
            for field in RECORDING_FIELDS:
                value = getattr(interview, field)
                setattr(locked, field, value.name if field == "recording" else value)
            interview = _update_fields(interview=locked, data=data, extra_fields=RECORDING_FIELDS)
            queue_processing(interview)
            if superseded != new_name:
                transaction.on_commit(lambda: recordings.delete(superseded))
    except BaseException:
        recordings.delete(new_name)
        raise
    return interview


@transaction.atomic
def _update_fields(
    *, interview: UserInterview, data: dict, extra_fields: Sequence[str] = ()
) -> UserInterview:
    fields = ["updated_at", *extra_fields]
    if "interviewee_emails" in data:
        interview.interviewee_emails = data["interviewee_emails"]
        fields.append("interviewee_emails")
    if "summary" in data:
        interview.summary = data["summary"]
        interview.summary_source = SummarySource.CLIENT if data["summary"].strip() else SummarySource.NONE
        fields += ["summary", "summary_source"]
    interview.save(update_fields=fields)
    return interview


@transaction.atomic
def interview_delete(*, interview: UserInterview) -> None:
    """Delete the row; the recording goes once the deletion has committed."""
    name = interview.recording_name
    interview.delete()
    transaction.on_commit(lambda: recordings.delete(name))


@transaction.atomic
def interview_retranscribe(*, interview: UserInterview) -> UserInterview:
    """Queue transcription (and a generated summary) again from the stored recording.

    409 only while a worker is really on it (or its task waits in the queue): a job whose worker died is
    recovered first, so its dead claim never blocks the client.
    """
    locked = UserInterview.objects.select_for_update().get(pk=interview.pk)
    if locked.status == Status.PROCESSING and not is_live(locked.job_id):
        locked.status = Status.FAILED  # the job's worker is gone; run it again below
    busy = locked.status in (Status.PENDING, Status.PROCESSING)
    if busy and not stalled_interviews().filter(pk=locked.pk).exists():
        raise Conflict("This interview is already being processed; wait for it to finish.")
    queue_processing(locked)
    return locked


def interview_wait(*, interview: UserInterview, timeout: float | None = None) -> UserInterview:
    """Wait up to INTERVIEW_SYNC_WAIT_SECONDS for the interview's job, then return its current state."""
    if timeout is None:
        timeout = settings.INTERVIEW_SYNC_WAIT_SECONDS
    if interview.status in (Status.PENDING, Status.PROCESSING):
        wait_for(interview.job_id, timeout)
    interview.refresh_from_db()
    return interview
