"""Read connections kept open per project file in this process, so a query neither reopens the file (~14 ms) nor
starts with a cold buffer cache.

After a successful read the connection is parked on the file's lock (locks.FileLock, one per file) and the next
reader of the same file takes it. Why a parked connection never serves a stale read:
- another process cannot write the file while it is open: DuckDB's own file lock refuses a writer while any
  process has the file open read-only, so the writer waits (retry_while_locked) until we let go;
- in this process, every other user of the file (`reading`/`writing`: swap, load, drop, repair, a build's ATTACH)
  closes the parked connection first, and none is parked while such a user holds the file;
- a reader takes a parked connection only if the file's version (inode, mtime, size) is the one it was opened on.
Why it never holds up a writer for long: a writer touches `<file>.write-intent` before each attempt to open the
file (connection.announce_write); while that is recent no connection is parked or taken, and a reaper thread closes
parked connections within WAREHOUSE_READ_POOL_CHECK_SECONDS of the touch, and any idle past
WAREHOUSE_READ_POOL_IDLE_SECONDS (0 turns the pool off). A connection whose query failed, timed out or was
cancelled is closed, never parked.
The reaper runs only while something is parked: the first park starts it and it ends once it has closed the last
parked connection, so a process that never queries (or no longer holds a connection) has no reaper thread.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.engine.duckdb.connection import open_file, setting, write_pending
from warehouse.engine.duckdb.locks import all_file_locks, file_lock, lock_wait_seconds

REAPER_THREAD_NAME = "duckdb-read-pool-reaper"

_reaper_lock = threading.Lock()  # guards _reaper: who is running, and the decision to stop
_reaper: list[threading.Thread] = []  # the running reaper, if any


def idle_seconds() -> float:
    return float(setting("WAREHOUSE_READ_POOL_IDLE_SECONDS", 5.0))


def file_version(path: Path) -> tuple[int, int, int] | None:
    """What identifies one state of the file: a write or a replacement changes it."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@contextmanager
def read_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the file (shared with this process's other readers), parked after a clean use."""
    lock = file_lock(path)
    with lock.shared(lock_wait_seconds()):
        pooling = idle_seconds() > 0 and not write_pending(path)
        version = file_version(path)
        if not pooling:
            lock.close_parked()  # a writer wants the file (or the pool is off): let go of it
        parked = lock.take_parked(version) if pooling else None
        if isinstance(parked, duckdb.DuckDBPyConnection):  # only the connections opened below are ever parked
            conn = parked
        else:
            conn = open_file(path, read_only=True)
            version = file_version(path)  # the file cannot change while it is open (DuckDB's lock)
        clean = False
        try:
            yield conn
            clean = True
        finally:
            if not (
                clean
                and pooling
                and version is not None
                and not write_pending(path)
                and lock.park(conn, version)
            ):
                conn.close()
            else:
                _start_reaper()


def _start_reaper() -> None:
    """Called after each park: starts the reaper unless one is running (and has not decided to stop)."""
    with _reaper_lock:
        if (
            _reaper and _reaper[0].is_alive()
        ):  # not alive: it died, or this is a fork of the process that ran it
            return
        thread = threading.Thread(target=_reap, name=REAPER_THREAD_NAME, daemon=True)
        _reaper[:] = [thread]
        thread.start()


def _reap() -> None:
    """Close parked connections that are idle too long or whose file a writer wants; end when none is parked.

    The decision to end and the removal from `_reaper` are one step under the lock, and a reader parks before it
    calls _start_reaper: a connection parked after the last look starts a new reaper, so none is left unreaped.
    """
    while True:
        time.sleep(float(setting("WAREHOUSE_READ_POOL_CHECK_SECONDS", 0.05)))
        idle = idle_seconds()
        for path, lock in all_file_locks():
            lock.close_parked(idle_longer_than=0.0 if write_pending(path) else idle)
        with _reaper_lock:
            if not parked_files():
                _reaper.clear()
                return


def reaper_running() -> bool:
    """Whether this process has a reaper thread (an observable for tests and tools)."""
    return any(thread.name == REAPER_THREAD_NAME for thread in threading.enumerate())


def parked_files() -> list[Path]:
    """The files this process keeps a parked read connection to (an observable for tests and tools)."""
    return [path for path, lock in all_file_locks() if lock.has_parked()]


def close_all() -> None:
    """Close every parked connection of this process (tests, shutdown)."""
    for _, lock in all_file_locks():
        lock.close_parked()
