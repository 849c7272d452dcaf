"""Test support: run a real Huey consumer (threads) on a private SQLite queue file, inside the test process."""

import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.db import connections
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from jobs import processes
from jobs.models import JobLease

SHARE_HOOK = "jobs.testing.share_test_connections"


@contextmanager
def queue_on_disk(queue_file: Path) -> Iterator[None]:
    """Switch the queue out of immediate mode onto `queue_file` (tasks wait there until a consumer runs)."""
    was_immediate = HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(name=HUEY.name, filename=str(queue_file))
    try:
        yield
    finally:
        HUEY.storage.close()
        HUEY.immediate = was_immediate
        if was_immediate:
            HUEY.storage = HUEY.create_storage()


@contextmanager
def running_consumer(*, workers: int = 1) -> Iterator[None]:
    """Start consumer threads on the current (non-immediate) queue; stop them gracefully on exit.

    An in-memory SQLite test database exists only on the test's connection, so the workers share it, the way
    Django's LiveServerTestCase shares it with its server thread.
    """
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()  # type: ignore[attr-defined]
    }
    for conn in shared.values():
        conn.inc_thread_sharing()

    def share_test_connections() -> None:
        for alias, conn in shared.items():
            connections[alias] = conn

    startup = HUEY._startup
    HUEY._startup = {SHARE_HOOK: share_test_connections, **startup}
    consumer = HUEY.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        max_delay=0.2,
        check_worker_health=False,
    )
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        consumer.start()
    finally:
        for sig, handler in handlers.items():  # the consumer installs its own; give the test runner's back
            signal.signal(sig, handler)
    try:
        yield
    finally:
        consumer.stop(graceful=True)
        HUEY._startup = startup
        for conn in shared.values():
            conn.dec_thread_sharing()


def hold_lease(
    job_id: str, *, owner: str, expires_in: float = 60, kind: str = "test", project_id=None, **fields
):
    """A lease row as a worker would hold it (for tests of what the API does while a job runs or died)."""
    now = timezone.now()
    return JobLease.objects.create(
        job_id=job_id,
        job_name=fields.pop("job_name", "tests.job"),
        kind=kind,
        project_id=project_id,
        owner=owner,
        acquired_at=now,
        expires_at=now + timedelta(seconds=expires_in),
        **fields,
    )


def dead_process_tag() -> str:
    """The tag of a process on this machine that has exited."""
    child = subprocess.Popen(["sleep", "60"])
    tag = processes.tag_of(child.pid)
    child.kill()
    child.wait()
    return tag
