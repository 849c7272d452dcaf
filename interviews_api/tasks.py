"""The interview processing job, its lease handling and its resumer (discovered by the consumer and jobs.apps)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

import jobs
from interviews_api import cleanup, pipeline  # noqa: F401 (cleanup registers its sweeper)
from interviews_api.models import UserInterview


def retry_policy() -> jobs.RetryPolicy:
    return jobs.RetryPolicy(
        retries=settings.INTERVIEW_PROCESSING_RETRIES,
        delay=settings.INTERVIEW_RETRY_DELAY_SECONDS,
        backoff=settings.INTERVIEW_RETRY_BACKOFF,
        max_delay=settings.INTERVIEW_RETRY_MAX_DELAY_SECONDS,
    )


def time_limit() -> float:
    return float(settings.INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS)


def record_failure(exc: BaseException, interview_id: str) -> None:
    pipeline.interview_record_failure(exc, interview_id, job_id=jobs.current_job_id())


def project_of(interview_id: str) -> int | None:
    return UserInterview.objects.filter(pk=interview_id).values_list("project_id", flat=True).first()


def lease_lost(lost: jobs.LostLease, interview_id: str) -> None:
    from interviews_api.services import interview_recover

    interview_recover(interview_id=interview_id, lost=lost)


@jobs.job(
    retry=retry_policy,
    on_failure=record_failure,
    kind="interview",
    time_limit=time_limit,
    project_of=project_of,
    on_lease_lost=lease_lost,
)
def process_interview(interview_id: str) -> str:
    return pipeline.interview_process(interview_id=interview_id, job_id=jobs.current_job_id())


def stalled_interviews():
    """Pending or processing for longer than INTERVIEW_STALLED_AFTER_SECONDS: a task lost before a worker took
    it, or a job that ran without a lease (in the web process) when that process died. The caller skips those
    a live worker holds. (A worker that dies mid-job is found sooner by its lease: services.interview_recover.)
    """
    cutoff = timezone.now() - timedelta(seconds=settings.INTERVIEW_STALLED_AFTER_SECONDS)
    pending = Q(status=UserInterview.Status.PENDING, updated_at__lt=cutoff)
    processing = Q(status=UserInterview.Status.PROCESSING, processing_started_at__lt=cutoff)
    return UserInterview.objects.filter(pending | processing)


@jobs.resumer
def resume_stalled_interviews() -> int:
    from interviews_api.services import interview_requeue_if_stalled

    ids = list(stalled_interviews().values_list("pk", flat=True)[:500])
    return sum(interview_requeue_if_stalled(interview_id=str(pk)) for pk in ids)
