"""Time limits on DuckDB connections: one watcher thread per process interrupts each connection at its deadline.

A thread per statement cost a thread start and join on every query (milliseconds on a loaded host, more than the
query itself for a small one). The watcher keeps the deadlines in a heap and sleeps until the nearest one. A
deadline is withdrawn under the lock the watcher holds while interrupting, so a connection is never interrupted
after its block ended (a read connection is parked and serves the next reader): once `withdraw` returns, the
watcher will not touch the connection, and `withdraw` says whether it already did. A passed deadline interrupts
again every REPEAT_SECONDS until withdrawn, because DuckDB forgets an interrupt that arrives between statements.
"""

import heapq
import itertools
import os
import threading
import time

import duckdb

REPEAT_SECONDS = 0.05  # how often a passed deadline interrupts its connection again until withdrawn
# Withdrawn deadlines stay in the heap until due or until they outnumber the live ones by this many (then the heap
# is rebuilt), so withdrawing is O(1) and the heap stays small however long the limits are.
_COMPACT_ABOVE = 256


class Deadline:
    """One connection's time limit; `fired` once the watcher interrupted it."""

    __slots__ = ("conn", "at", "live", "fired")

    def __init__(self, conn: duckdb.DuckDBPyConnection, at: float) -> None:
        self.conn = conn
        self.at = at
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

    def watch(self, conn: duckdb.DuckDBPyConnection, seconds: float) -> Deadline:
        """Interrupt `conn` `seconds` from now unless withdrawn first."""
        deadline = Deadline(conn, time.monotonic() + seconds)
        with self._changed:
            heapq.heappush(self._heap, (deadline.at, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="duckdb-deadlines", daemon=True)
                self._thread.start()
            if self._heap[0][2] is deadline:
                self._changed.notify()  # the watcher sleeps until an earlier deadline: wake it
        return deadline

    def withdraw(self, deadline: Deadline) -> bool:
        """Stop watching; whether the watcher had interrupted the connection. After this it never will."""
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
                    deadline.conn.interrupt()  # only sets a flag: cheap under the lock
                    # DuckDB drops an interrupt that finds no statement running (between two statements of the
                    # block, or between binding and running one): repeat it until the block withdraws.
                    deadline.at = now + REPEAT_SECONDS
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
