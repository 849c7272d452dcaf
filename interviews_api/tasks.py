"""The interview processing job: queueing it, recovering it when its worker is lost, resuming stalled ones.

Discovered by the consumer and jobs.apps. Everything that (re)queues the job lives here beside it, so the services
import this module and nothing here imports the services.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interviews_api import cleanup, pipeline  # noqa: F401 (cleanup registers its sweeper)
from interviews_api.models import UserInterview
from interviews_api.selectors import stalled_interviews
from jobs.leases import LostLease, is_live
from jobs.queue import RetryPolicy, current_job_id, job
from jobs.resume import resumer

Status = UserInterview.Status
WORKER_STOPPED_ADVICE = "Processing stopped: {reason}{attempts}. Run transcribe/ to try again."


def retry_policy() -> RetryPolicy:
    return RetryPolicy(
        retries=settings.INTERVIEW_PROCESSING_RETRIES,
        delay=settings.INTERVIEW_RETRY_DELAY_SECONDS,
        backoff=settings.INTERVIEW_RETRY_BACKOFF,
        max_delay=settings.INTERVIEW_RETRY_MAX_DELAY_SECONDS,
    )


def time_limit() -> float:
    return float(settings.INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS)


def record_failure(exc: BaseException, interview_id: str) -> None:
    pipeline.interview_record_failure(exc, interview_id, job_id=current_job_id())


def project_of(interview_id: str) -> int | None:
    return UserInterview.objects.filter(pk=interview_id).values_list("project_id", flat=True).first()


def lease_lost(lost: LostLease, interview_id: str) -> None:
    interview_recover(interview_id=interview_id, lost=lost)


@job(
    retry=retry_policy,
    on_failure=record_failure,
    kind="interview",
    time_limit=time_limit,
    project_of=project_of,
    on_lease_lost=lease_lost,
)
def process_interview(interview_id: str) -> str:
    return pipeline.interview_process(interview_id=interview_id, job_id=current_job_id() or "")


def queue_processing(interview: UserInterview, *, interruptions: int = 0) -> None:
    """A new job for the interview, queued on commit (the old one, if still running somewhere, finds another id
    and stops); the row is saved pending."""
    interview.job_id = process_interview.enqueue_on_commit(str(interview.pk))
    interview.status = Status.PENDING
    interview.processing_error = ""
    interview.processing_started_at = None
    interview.interruptions = interruptions
    interview.save(
        update_fields=[
            "job_id",
            "status",
            "processing_error",
            "processing_started_at",
            "interruptions",
            "updated_at",
        ]
    )


@transaction.atomic
def interview_recover(*, interview_id: str, lost: LostLease) -> str:
    """The lease of this interview's job was lost: queue it again, or record why it failed; returns the status."""
    locked = (
        UserInterview.objects.select_for_update()
        .filter(pk=interview_id, job_id=lost.job_id, status__in=[Status.PENDING, Status.PROCESSING])
        .first()
    )
    if locked is None:
        return pipeline.SUPERSEDED
    interruptions = locked.interruptions + 1
    if not lost.timed_out and interruptions < settings.INTERVIEW_MAX_ATTEMPTS:
        queue_processing(locked, interruptions=interruptions)
        return Status.PENDING
    attempts = "" if lost.timed_out else f" ({interruptions} attempts)"
    reason = f"{lost.reason} (INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS)" if lost.timed_out else lost.reason
    locked.status = Status.FAILED
    locked.interruptions = interruptions
    locked.processing_error = WORKER_STOPPED_ADVICE.format(reason=reason, attempts=attempts)
    locked.processed_at = timezone.now()
    locked.save(update_fields=["status", "interruptions", "processing_error", "processed_at", "updated_at"])
    return Status.FAILED


@transaction.atomic
def interview_requeue_if_stalled(*, interview_id: str) -> bool:
    """Queue a stalled interview again (the sweep after a task was lost); False when it is no longer stalled."""
    locked = stalled_interviews().select_for_update().filter(pk=interview_id).first()
    if locked is None or is_live(locked.job_id):
        return False
    queue_processing(locked, interruptions=locked.interruptions)
    return True


@resumer
def resume_stalled_interviews() -> int:
    ids = list(stalled_interviews().values_list("pk", flat=True)[:500])
    return sum(interview_requeue_if_stalled(interview_id=str(pk)) for pk in ids)
