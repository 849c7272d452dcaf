"""`limits`' in-process storage (THROTTLE_STORAGE_URL=memory://, the default without Redis) without a thread per
request: its expired entries are swept inline, at most once a second.

`limits.storage.MemoryStorage` starts a 10 ms timer thread on every hit when the last one has ended, which at the
request rate of one client is nearly every request; starting a thread waits for it to be scheduled, a millisecond
or more on a busy host. The sweep only frees memory: a moving window's count reads the entries' own times.
"""

import threading
import time

from limits.storage import MemoryStorage

SWEEP_EVERY_SECONDS = 1.0


class InlineSweptMemoryStorage(MemoryStorage):
    """MemoryStorage whose expiry sweep runs in the requesting thread, at most every SWEEP_EVERY_SECONDS."""

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._sweep_lock = threading.Lock()
        self._next_sweep = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802  # replaces the base class's private hook
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_EVERY_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweep_lock.release()
