"""The worker's housekeeping thread: renews this process's leases and runs the sweep, on a timer.

Started by the first worker thread of a Huey consumer (an on_startup hook, which also sweeps once at once, so
work a dead worker left is recovered as soon as a new one starts) and stopped with the last one.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from jobs import leases
from jobs.sweep import run_sweep

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state: dict = {"users": 0, "thread": None, "stop": None}


def start() -> None:
    """Called from each worker thread as it starts; the first one sweeps and starts the housekeeping thread."""
    with _lock:
        _state["users"] += 1
        if _state["thread"] is not None:
            return
        stop = threading.Event()
        thread = threading.Thread(target=_loop, args=(stop,), name="jobs-maintenance", daemon=True)
        _state.update(thread=thread, stop=stop)
        _sweep_once()
        _close_worker_connection()
        thread.start()


def stop() -> None:
    """Called from each worker thread as it stops; the last one stops the housekeeping thread."""
    with _lock:
        _state["users"] = max(0, _state["users"] - 1)
        if _state["users"] or _state["thread"] is None:
            return
        _state["stop"].set()
        thread = _state["thread"]
        _state.update(thread=None, stop=None)
    thread.join(timeout=10)


def _loop(stop: threading.Event) -> None:
    next_sweep = time.monotonic() + float(settings.JOBS_SWEEP_INTERVAL_SECONDS)
    while not stop.wait(float(settings.JOBS_LEASE_RENEW_SECONDS)):
        try:
            leases.renew_mine()
        except Exception:
            logger.exception("Could not renew this worker's leases")
        if time.monotonic() >= next_sweep:
            _sweep_once()
            next_sweep = time.monotonic() + float(settings.JOBS_SWEEP_INTERVAL_SECONDS)
        connection.close()  # this thread's own connection; a fresh one next time


def _close_worker_connection() -> None:
    """The worker thread's connection, opened by the sweep, is not kept idle (an in-memory test database,
    shared by jobs.testing.running_consumer, would vanish with it: leave that one)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        return
    connection.close()


def _sweep_once() -> None:
    try:
        run_sweep()
    except Exception:
        logger.exception("The sweep failed")
