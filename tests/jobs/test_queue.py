"""The jobs layer: retry policy, retries of retryable errors only, waiting, and a real consumer."""

import time

import pytest
from huey.contrib.djhuey import HUEY
from huey.exceptions import TaskException

from jobs.queue import RetryPolicy, wait_for
from jobs.testing import queue_on_disk, running_consumer
from tests.jobs import sample_jobs


@pytest.fixture(autouse=True)
def _reset():
    sample_jobs.calls.clear()
    sample_jobs.failures.clear()


@pytest.mark.parametrize(
    ("retry_number", "retry_after", "expected"),
    [(1, None, 5.0), (2, None, 10.0), (3, None, 20.0), (9, None, 60.0), (1, 30.0, 30.0), (1, 999.0, 60.0)],
)
def test_backoff_doubles_honours_retry_after_and_is_capped(retry_number, retry_after, expected):
    policy = RetryPolicy(retries=9, delay=5, backoff=2, max_delay=60)
    exc = sample_jobs.Flaky(True, retry_after=retry_after)
    assert policy.delay_before(retry_number, exc) == expected


def test_retryable_errors_are_retried_until_success():
    job_id = sample_jobs.fail_then_succeed.enqueue("a", 2)
    assert wait_for(job_id, timeout=1)
    assert sample_jobs.calls == ["a", "a", "a"]
    assert HUEY.result(job_id) is None  # consumed by wait_for
    assert sample_jobs.failures == []


def test_retries_run_out_then_on_failure_runs_once():
    job_id = sample_jobs.fail_then_succeed.enqueue("b", 10)
    assert wait_for(job_id, timeout=1)  # finished, unsuccessfully
    assert sample_jobs.calls == ["b"] * 4  # the first attempt and 3 retries
    assert sample_jobs.failures == [("b", "Flaky")]


def test_errors_that_are_not_retryable_fail_at_once():
    job_id = sample_jobs.fail_then_succeed.enqueue("c", 1, retryable=False)
    with pytest.raises(TaskException, match="Flaky"):
        HUEY.result(job_id)
    assert sample_jobs.calls == ["c"]
    assert sample_jobs.failures == [("c", "Flaky")]


def test_the_job_knows_its_own_id_and_waiting_returns_at_once_in_immediate_mode():
    job_id = sample_jobs.fail_then_succeed.enqueue("d", 0)
    assert HUEY.result(job_id, preserve=True) == f"d:{job_id}"
    assert wait_for("never-enqueued", timeout=5) is False


@pytest.mark.django_db(transaction=True)  # workers manage database connections and run the resumers
def test_a_real_consumer_runs_queued_jobs_with_delayed_retries(tmp_path):
    with queue_on_disk(tmp_path / "queue.sqlite3"):
        job_id = sample_jobs.fail_then_succeed.enqueue("e", 2)
        # Nothing runs without a consumer: the task waits in the queue file (this is what survives a restart).
        assert wait_for(job_id, timeout=0.3) is False
        assert sample_jobs.calls == []
        started = time.monotonic()
        with running_consumer():
            assert wait_for(job_id, timeout=20)
        assert time.monotonic() - started < 20
        assert HUEY.result(job_id) is None  # wait_for consumed the successful result
    assert sample_jobs.calls == ["e", "e", "e"]
    assert sample_jobs.failures == []
