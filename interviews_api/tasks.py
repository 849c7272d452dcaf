"""The interview processing job and its resumer (discovered by the Huey consumer and by jobs.apps)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

import jobs
from interviews_api import pipeline
from interviews_api.models import UserInterview


def retry_policy() -> jobs.RetryPolicy:
    return jobs.RetryPolicy(
        retries=settings.INTERVIEW_PROCESSING_RETRIES,
        delay=settings.INTERVIEW_RETRY_DELAY_SECONDS,
        backoff=settings.INTERVIEW_RETRY_BACKOFF,
        max_delay=settings.INTERVIEW_RETRY_MAX_DELAY_SECONDS,
    )


def record_failure(exc: BaseException, interview_id: str) -> None:
    pipeline.interview_record_failure(exc, interview_id, job_id=jobs.current_job_id())


@jobs.job(retry=retry_policy, on_failure=record_failure)
def process_interview(interview_id: str) -> str:
    return pipeline.interview_process(interview_id=interview_id, job_id=jobs.current_job_id())


def stalled_interviews():
    """Interviews left pending or processing for longer than INTERVIEW_STALLED_AFTER_SECONDS."""
    cutoff = timezone.now() - timedelta(seconds=settings.INTERVIEW_STALLED_AFTER_SECONDS)
    pending = Q(status=UserInterview.Status.PENDING, updated_at__lt=cutoff)
    processing = Q(status=UserInterview.Status.PROCESSING, processing_started_at__lt=cutoff)
    return UserInterview.objects.filter(pending | processing)


@jobs.resumer
def resume_stalled_interviews() -> int:
    from interviews_api.services import interview_requeue_if_stalled

    ids = list(stalled_interviews().values_list("pk", flat=True)[:500])
    return sum(interview_requeue_if_stalled(interview_id=str(pk)) for pk in ids)
