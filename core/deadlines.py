"""Deadlines for the whole process, enforced by one watcher thread: an action runs when its time is up.

Users: a DuckDB statement's time limit (the action interrupts the connection, warehouse/engine/duckdb/connection.py)
and a request body's read limit under gunicorn (the action shuts the socket's read side, api/request_body.py).
A thread (or threading.Timer) per deadline cost a thread start and join on every query or request with a body
(milliseconds on a loaded host, more than a small query itself). The watcher keeps the deadlines in a heap and
sleeps until the nearest one.

A deadline is withdrawn under the lock the watcher holds while running actions, so an action never runs after its
block ended (a DuckDB read connection is parked and serves the next reader): once `withdraw` returns, the watcher
will not run it, and `withdraw` says whether it already did. A deadline with `repeat_every` runs its action again
at that interval until withdrawn (DuckDB forgets an interrupt that arrives between statements). Actions run under
the lock, so they must be quick and must not block (setting a flag, shutting a socket).
"""

import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)
# Withdrawn deadlines stay in the heap until due or until they outnumber the live ones by this many (then the heap
# is rebuilt), so withdrawing is O(1) and the heap stays small however long the limits are.
_COMPACT_ABOVE = 256


class Deadline:
    """One time limit; `fired` once the watcher ran its action."""

    __slots__ = ("action", "at", "repeat_every", "live", "fired")

    def __init__(self, action: Callable[[], object], at: float, repeat_every: float | None) -> None:
        self.action = action
        self.at = at
        self.repeat_every = repeat_every
        self.live = True
        self.fired = False


class DeadlineWatcher:
    """The process's deadlines and the one thread that enforces them (started on first use, again after a fork)."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._withdrawn = 0
        self._thread: threading.Thread | None = None

    def watch(
        self, seconds: float, action: Callable[[], object], *, repeat_every: float | None = None
    ) -> Deadline:
        """Run `action` `seconds` from now (then every `repeat_every` seconds, if given) unless withdrawn first."""
        deadline = Deadline(action, time.monotonic() + seconds, repeat_every)
        with self._changed:
            heapq.heappush(self._heap, (deadline.at, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="deadlines", daemon=True)
                self._thread.start()
            if self._heap[0][2] is deadline:
                self._changed.notify()  # the watcher sleeps until an earlier deadline: wake it
        return deadline

    def withdraw(self, deadline: Deadline) -> bool:
        """Stop watching; whether the watcher had run the action. After this it never will."""
        with self._changed:
            if deadline.live:
                deadline.live = False
                self._withdrawn += 1
                if self._withdrawn > _COMPACT_ABOVE and self._withdrawn * 2 > len(self._heap):
                    self._heap = [item for item in self._heap if item[2].live]
                    heapq.heapify(self._heap)
                    self._withdrawn = 0
            return deadline.fired

    def pending(self) -> int:
        """Deadlines being watched (an observable for tests)."""
        with self._changed:
            return sum(1 for item in self._heap if item[2].live)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][0] <= now or not self._heap[0][2].live):
                    _, _, deadline = heapq.heappop(self._heap)
                    if not deadline.live:
                        self._withdrawn = max(0, self._withdrawn - 1)
                        continue
                    deadline.fired = True
                    try:
                        deadline.action()
                    except Exception:  # one failing action must not stop every other deadline of the process
                        logger.exception("A deadline's action failed")
                    if deadline.repeat_every is None:
                        deadline.live = False
                        continue
                    deadline.at = now + deadline.repeat_every
                    heapq.heappush(self._heap, (deadline.at, next(self._order), deadline))
                self._changed.wait(self._heap[0][0] - now if self._heap else None)


_watcher = DeadlineWatcher()


def watcher() -> DeadlineWatcher:
    return _watcher


def _after_fork_in_child() -> None:
    """A forked worker has none of the parent's threads and maybe a lock held mid-update: start afresh."""
    global _watcher
    _watcher = DeadlineWatcher()


os.register_at_fork(after_in_child=_after_fork_in_child)
