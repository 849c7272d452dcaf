"""Who may open a project's DuckDB file in this process, and for how long callers wait for it.

DuckDB keeps one database instance per file and process: while the file is open for writing, no other
connection in the process may open it read-only or ATTACH it ("Unique file handle conflict"), and vice versa.
So, per file, this process holds a readers-writer lock: readers (queries, a materialization's build, which
attaches the file read-only) share it, a writer (swap, load, drop, seeding) has it alone. Waiting writers go
first, so a stream of readers cannot starve them. Waits are bounded: past the caller's lock wait the operation
gets EngineBusyError (503 with Retry-After for an API caller); background jobs wait longer (`job_lock_wait`).

Between processes DuckDB's own file lock applies the same rule; `retry_while_locked` waits for it.

A FileLock also parks at most one idle read connection (pool.py): any other user of the file in this process
(`reading` or `writing` below: a build's ATTACH, a repair, a swap) closes it first and none is parked while such a
user holds the file, so parked connections never stand in the way of this process's own work.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings

from warehouse.engine.base import EngineBusyError

_lock_wait: ContextVar[float | None] = ContextVar("warehouse_lock_wait", default=None)
BUSY = "The warehouse is busy (another operation is writing to this project); try again shortly"


def lock_wait_seconds() -> float:
    """How long the current operation may wait for a project's file: the request bound unless in a job."""
    wait = _lock_wait.get()
    return float(settings.WAREHOUSE_LOCK_TIMEOUT_SECONDS) if wait is None else wait


@contextmanager
def job_lock_wait() -> Iterator[None]:
    """Within this block (a background job), wait up to WAREHOUSE_JOB_LOCK_TIMEOUT_SECONDS for the file."""
    token = _lock_wait.set(float(settings.WAREHOUSE_JOB_LOCK_TIMEOUT_SECONDS))
    try:
        yield
    finally:
        _lock_wait.reset(token)


class FileLock:
    """A writer-preferring readers-writer lock with a timeout (one per project file)."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._others = 0  # holders through reading()/writing(), not through the read pool
        self._parked: tuple[object, object, float] | None = None  # (connection, file version, parked at)

    @contextmanager
    def shared(self, timeout: float) -> Iterator[None]:
        with self._changed:
            if not self._changed.wait_for(
                lambda: not self._writing and not self._writers_waiting, timeout=timeout
            ):
                raise EngineBusyError(BUSY)
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                self._changed.notify_all()

    @contextmanager
    def exclusive(self, timeout: float) -> Iterator[None]:
        with self._changed:
            self._writers_waiting += 1
            try:
                ready = self._changed.wait_for(
                    lambda: not self._writing and not self._readers, timeout=timeout
                )
            finally:
                self._writers_waiting -= 1
                if not ready:
                    self._changed.notify_all()  # readers held back for this writer may go
            if not ready:
                raise EngineBusyError(BUSY)
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()

    # --- one parked read connection (pool.py) ------------------------------------------------------------------
    def take_parked(self, version: object) -> object | None:
        """The parked connection if it was opened on this version of the file (else it is closed); else None."""
        with self._changed:
            parked, self._parked = self._parked, None
        if parked is None:
            return None
        if parked[1] == version:
            return parked[0]
        _close(parked[0])
        return None

    def park(self, conn: object, version: object) -> bool:
        """Keep `conn` for the next reader unless another user holds the file or one is parked already."""
        with self._changed:
            if self._others or self._writing or self._writers_waiting or self._parked is not None:
                return False
            self._parked = (conn, version, time.monotonic())
            return True

    def has_parked(self) -> bool:
        with self._changed:
            return self._parked is not None

    def close_parked(self, idle_longer_than: float = 0.0) -> bool:
        """Close the parked connection (if idle longer than the given seconds); whether one is still parked."""
        with self._changed:
            parked = self._parked
            if parked is None:
                return False
            if time.monotonic() - parked[2] < idle_longer_than:
                return True
            self._parked = None
        _close(parked[0])
        return False

    @contextmanager
    def foreign(self) -> Iterator[None]:
        """Mark a non-pool user of the file for the block: the parked connection is closed and none is parked."""
        with self._changed:
            self._others += 1
        self.close_parked()
        try:
            yield
        finally:
            with self._changed:
                self._others -= 1


def _close(conn) -> None:
    conn.close()


_registry_lock = threading.Lock()
_locks: dict[str, FileLock] = {}


def all_file_locks() -> list[tuple[Path, FileLock]]:
    """Every file lock of this process with its file (the read pool's reaper walks them)."""
    with _registry_lock:
        return [(Path(key), lock) for key, lock in _locks.items()]


def file_lock(path: Path) -> FileLock:
    """The process-wide lock of one database file."""
    key = str(Path(path).resolve())
    with _registry_lock:
        return _locks.setdefault(key, FileLock())


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Share the file with other readers of this process (bounded wait)."""
    lock = file_lock(path)
    with lock.shared(lock_wait_seconds()), lock.foreign():
        yield


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Have the file alone in this process (bounded wait)."""
    lock = file_lock(path)
    with lock.exclusive(lock_wait_seconds()), lock.foreign():
        yield
