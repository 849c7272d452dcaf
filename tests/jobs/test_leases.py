"""Leases: fairness when taking one, renewal, and the sweep handing dead ones to their job exactly once."""

import pytest
from django.utils import timezone

from jobs import leases, processes
from jobs.models import JobLease
from jobs.queue import wait_for
from jobs.sweep import reap_dead_leases
from jobs.testing import dead_process_tag, hold_lease
from tests.jobs import sample_jobs

pytestmark = pytest.mark.django_db


def request(job_id: str, *, kind: str = "interview", project_id: int | None = 1, time_limit=None):
    return leases.LeaseRequest(
        job_id=job_id, job_name="tests.job", kind=kind, project_id=project_id, time_limit=time_limit
    )


def test_one_kind_cannot_take_every_worker(settings):
    settings.JOBS_MAX_RUNNING_PER_KIND = 2
    settings.JOBS_MAX_RUNNING_PER_PROJECT = 10
    assert leases.acquire(request("a", project_id=1))
    assert leases.acquire(request("b", project_id=2))
    assert not leases.acquire(request("c", project_id=3))  # the interview kind has its two
    assert leases.acquire(request("d", kind="materialization", project_id=3))  # the other kind still runs


def test_one_project_cannot_take_every_worker(settings):
    settings.JOBS_MAX_RUNNING_PER_KIND = 10
    settings.JOBS_MAX_RUNNING_PER_PROJECT = 1
    assert leases.acquire(request("a", project_id=1))
    assert not leases.acquire(request("b", kind="materialization", project_id=1))
    assert leases.acquire(request("c", project_id=2))


def test_expired_and_dead_leases_do_not_count_against_the_limits(settings):
    settings.JOBS_MAX_RUNNING_PER_KIND = 1
    hold_lease("old", owner=processes.current_tag(), expires_in=-1, kind="interview")
    assert leases.acquire(request("new"))


def test_renewal_extends_this_process_leases_but_not_those_past_their_deadline(settings):
    settings.JOBS_LEASE_SECONDS = 600
    now = timezone.now()
    hold_lease("mine", owner=processes.current_tag(), expires_in=5)
    hold_lease("stuck", owner=processes.current_tag(), expires_in=5, deadline=now)
    hold_lease("theirs", owner="00000000.1.1", expires_in=5)
    assert leases.renew_mine() == 1
    expiries = dict(JobLease.objects.values_list("job_id", "expires_at"))
    assert (expiries["mine"] - now).total_seconds() > 500
    assert (expiries["stuck"] - now).total_seconds() < 10
    assert (expiries["theirs"] - now).total_seconds() < 10


def test_the_sweep_hands_each_dead_lease_to_its_job_once_and_leaves_live_ones():
    handled: list[tuple[str, bool, tuple]] = []
    job = sample_jobs.fail_then_succeed
    job.on_lease_lost = lambda lost, *args: handled.append((lost.job_id, lost.timed_out, args))
    try:
        name = job.name
        args = {"args": ["k", 1], "kwargs": {}}
        hold_lease("dead", owner=dead_process_tag(), job_name=name, args=args)
        hold_lease("expired", owner="00000000.1.1", expires_in=-1, job_name=name, args=args)
        hold_lease("overran", owner="00000000.1.1", expires_in=-1, job_name=name, args=args,
                   deadline=timezone.now())  # fmt: skip
        hold_lease("live", owner=processes.current_tag(), job_name=name, args=args)

        reaped = reap_dead_leases()
        again = reap_dead_leases()
    finally:
        job.on_lease_lost = None
    assert len(reaped) == 3 and again == []
    assert sorted(handled) == [
        ("dead", False, ("k", 1)),
        ("expired", False, ("k", 1)),
        ("overran", True, ("k", 1)),
    ]
    assert list(JobLease.objects.values_list("job_id", flat=True)) == ["live"]


def test_a_job_past_its_time_limit_fails_with_a_clear_error():
    job_id = sample_jobs.slow.enqueue(5.0)
    assert wait_for(job_id, timeout=10)
    assert sample_jobs.failures == [("slow", "it ran longer than its time limit of 0.2 seconds")]
