"""Runs the processing domain on a stored recording inside a job, and records the outcome on the interview.

Only the job whose id is stored on the row (`job_id`) may write: a duplicate delivery, or a job superseded by
`transcribe/` or by the stalled-work sweep, finds another id and stops.
"""

import logging

from django.db import transaction
from django.utils import timezone

from interviews_api import recordings
from interviews_api.models import UserInterview
from interviews_api.processing import ProviderError, UnsupportedRecording, summarize, transcribe
from jobs.queue import TimeLimitExceeded

logger = logging.getLogger(__name__)

Status = UserInterview.Status
SUPERSEDED = "superseded"


def interview_claim(*, interview_id: str, job_id: str) -> UserInterview | None:
    """Mark the interview processing for this job; None when the job is no longer the interview's job."""
    now = timezone.now()
    claimed = UserInterview.objects.filter(
        pk=interview_id, job_id=job_id, status__in=[Status.PENDING, Status.PROCESSING]
    ).update(status=Status.PROCESSING, processing_started_at=now, processing_error="", updated_at=now)
    return UserInterview.objects.filter(pk=interview_id).first() if claimed else None


def interview_process(*, interview_id: str, job_id: str) -> str:
    """Transcribe, then summarize unless the client wrote the summary, then save; returns the final status."""
    interview = interview_claim(interview_id=interview_id, job_id=job_id)
    if interview is None:
        return SUPERSEDED
    with recordings.local_copy(interview.recording_name) as path:
        transcript = _stage(
            "transcription", transcribe, path, interviewee_emails=list(interview.interviewee_emails)
        )
    summary = None
    if interview.summary_source != UserInterview.SummarySource.CLIENT:
        summary = _stage("summary", summarize, transcript)
    return interview_record_result(
        interview_id=interview_id, job_id=job_id, transcript=transcript, summary=summary
    )


def _stage(stage: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (ProviderError, UnsupportedRecording) as exc:
        exc.stage = stage
        raise


@transaction.atomic
def interview_record_result(*, interview_id: str, job_id: str, transcript: str, summary: str | None) -> str:
    interview = UserInterview.objects.select_for_update().filter(pk=interview_id, job_id=job_id).first()
    if interview is None:
        return SUPERSEDED
    interview.transcript = transcript
    # A summary the client wrote while we were working wins over the generated one.
    if summary is not None and interview.summary_source != UserInterview.SummarySource.CLIENT:
        interview.summary = summary
        interview.summary_source = UserInterview.SummarySource.GENERATED
    interview.status = Status.COMPLETED
    interview.processing_error = ""
    interview.processed_at = timezone.now()
    interview.save(
        update_fields=[
            "transcript",
            "summary",
            "summary_source",
            "status",
            "processing_error",
            "processed_at",
            "updated_at",
        ]
    )
    return Status.COMPLETED


def failure_message(exc: BaseException) -> str:
    """What the client reads in `processing_error`."""
    stage = getattr(exc, "stage", "processing")
    if isinstance(exc, ProviderError):
        return f"The {stage} provider failed: {exc}"
    if isinstance(exc, UnsupportedRecording):
        return f"The recording could not be processed: {exc}"
    if isinstance(exc, TimeLimitExceeded):
        return f"Processing stopped: {exc} (INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS)."
    return f"Processing failed unexpectedly ({type(exc).__name__}); the worker log has the details."


def interview_record_failure(exc: BaseException, interview_id: str, *, job_id: str | None) -> None:
    now = timezone.now()
    UserInterview.objects.filter(pk=interview_id, job_id=job_id).update(
        status=Status.FAILED, processing_error=failure_message(exc), processed_at=now, updated_at=now
    )
