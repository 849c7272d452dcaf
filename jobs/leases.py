"""Leases: a running job's claim, renewed by its process, reaped when that process dies; fairness limits.

A job declared with a `kind` takes a lease (a JobLease row) when a worker picks it up and drops it when it ends.
The worker process renews its leases every JOBS_LEASE_RENEW_SECONDS (jobs.maintenance); a lease not renewed
for JOBS_LEASE_SECONDS, or whose owner is a process on this machine that has exited, is dead, and the sweep
hands it to the job's `on_lease_lost` handler (re-queue or mark failed). A job past its time limit stops being
renewed, so even a job stuck where it cannot check its deadline is reaped, with the time-limit message.

Taking a lease is where fairness is enforced: at most JOBS_MAX_RUNNING_PER_KIND jobs of one kind and
JOBS_MAX_RUNNING_PER_PROJECT jobs of one project run at once, across all workers. A job that finds no room goes
back to the queue for JOBS_BUSY_RETRY_SECONDS instead of holding a worker.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jobs import processes
from jobs.models import JobLease

logger = logging.getLogger(__name__)

WORKER_STOPPED = "the worker running it stopped (killed or crashed) before it finished"


@dataclass(frozen=True)
class LeaseRequest:
    job_id: str
    job_name: str
    kind: str
    project_id: int | None
    time_limit: float | None
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LostLease:
    """What the sweep tells a job's `on_lease_lost` handler: which job, and why it is no longer running."""

    job_id: str
    timed_out: bool
    time_limit: float | None

    @property
    def reason(self) -> str:
        if self.timed_out:
            return f"it ran longer than its time limit of {self.time_limit:g} seconds"
        return WORKER_STOPPED


def lease_duration() -> timedelta:
    return timedelta(seconds=float(settings.JOBS_LEASE_SECONDS))


def acquire(request: LeaseRequest, *, now: datetime | None = None) -> bool:
    """Take the lease for this process; False when the kind or the project already has its share running."""
    now = now or timezone.now()
    with transaction.atomic():
        _serialize_acquisitions()
        live = JobLease.objects.filter(expires_at__gt=now).exclude(job_id=request.job_id)
        if live.filter(kind=request.kind).count() >= int(settings.JOBS_MAX_RUNNING_PER_KIND):
            return False
        per_project = int(settings.JOBS_MAX_RUNNING_PER_PROJECT)
        if (
            request.project_id is not None
            and live.filter(project_id=request.project_id).count() >= per_project
        ):
            return False
        deadline = now + timedelta(seconds=request.time_limit) if request.time_limit else None
        JobLease.objects.update_or_create(
            job_id=request.job_id,
            defaults={
                "job_name": request.job_name,
                "kind": request.kind,
                "project_id": request.project_id,
                "args": {"args": list(request.args), "kwargs": dict(request.kwargs)},
                "owner": processes.current_tag(),
                "acquired_at": now,
                "expires_at": now + lease_duration(),
                "deadline": deadline,
            },
        )
    return True


def _serialize_acquisitions() -> None:
    """Count-then-insert must not interleave. SQLite's IMMEDIATE transactions already serialize writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('jobs.leases'))")


def release(job_id: str) -> None:
    JobLease.objects.filter(job_id=job_id, owner=processes.current_tag()).delete()


def renew_mine(*, now: datetime | None = None) -> int:
    """Extend this process's leases (not those past their deadline: a stuck job must be reaped)."""
    now = now or timezone.now()
    mine = JobLease.objects.filter(owner=processes.current_tag()).exclude(deadline__lte=now)
    return mine.update(expires_at=now + lease_duration())


def is_live(job_id: str, *, now: datetime | None = None) -> bool:
    """Whether a worker is really running this job now (a lease held by a live, renewing process)."""
    lease = JobLease.objects.filter(job_id=job_id).first()
    return lease is not None and not _is_dead(lease, now or timezone.now())


def has_dead_lease(job_id: str) -> bool:
    lease = JobLease.objects.filter(job_id=job_id).first()
    return lease is not None and _is_dead(lease, timezone.now())


def _is_dead(lease: "JobLease", now: datetime) -> bool:
    return lease.expires_at <= now or processes.is_dead(lease.owner)


def take_dead(job_ids: list[str] | None = None) -> list[tuple["JobLease", LostLease]]:
    """Remove the dead leases (of `job_ids`, or all) and return them with why they died.

    Whoever deletes a row owns its recovery, so two sweepers (or a sweeper and a `cancel/`) never both act on it.
    """
    now = timezone.now()
    leases = JobLease.objects.all() if job_ids is None else JobLease.objects.filter(job_id__in=job_ids)
    taken = []
    for lease in leases:
        if not _is_dead(lease, now):
            continue
        same = JobLease.objects.filter(job_id=lease.job_id, owner=lease.owner, expires_at=lease.expires_at)
        if not same.delete()[0]:
            continue
        timed_out = lease.deadline is not None and lease.deadline <= now
        time_limit = (lease.deadline - lease.acquired_at).total_seconds() if lease.deadline else None
        taken.append((lease, LostLease(job_id=lease.job_id, timed_out=timed_out, time_limit=time_limit)))
    return taken


def reap(*, job_ids: list[str] | None = None, handlers: dict[str, Any]) -> list[str]:
    """Hand every dead lease (of `job_ids`, or all) to its job's handler once; returns what was reaped."""
    reaped = []
    for lease, lost in take_dead(job_ids):
        reaped.append(f"{lease.job_name} {lease.job_id} ({lost.reason})")
        _hand_over(lease, lost, handlers.get(lease.job_name))
    return reaped


def _hand_over(lease: "JobLease", lost: LostLease, handler) -> None:
    if handler is None:
        logger.warning("No handler for the lost lease of %s %s", lease.job_name, lease.job_id)
        return
    stored = lease.args if isinstance(lease.args, dict) else {}
    try:
        handler(lost, *stored.get("args", []), **stored.get("kwargs", {}))
    except Exception:
        logger.exception("on_lease_lost of %s failed for %s", lease.job_name, lease.job_id)
