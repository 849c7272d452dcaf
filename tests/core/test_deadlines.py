"""The process's deadline watcher (core/deadlines.py) on its own: an action runs once at its time (or repeatedly
with `repeat_every`), never after it was withdrawn, a failing action does not stop the others, and no thread is
started per deadline. Its users are tested where they are: DuckDB time limits in
tests/warehouse/engine/duckdb/test_deadlines.py, request bodies under gunicorn in tests/config/."""

import threading
import time

from core.deadlines import watcher


def wait_for(condition, timeout: float = 5.0) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_an_action_runs_once_at_its_time():
    calls: list[float] = []
    started = time.monotonic()
    deadline = watcher().watch(0.1, lambda: calls.append(time.monotonic()))
    assert wait_for(lambda: calls)
    time.sleep(0.2)
    assert len(calls) == 1 and calls[0] - started >= 0.1
    assert watcher().withdraw(deadline) is True  # it had run
    assert watcher().pending() == 0


def test_a_repeating_action_runs_until_withdrawn():
    calls: list[float] = []
    deadline = watcher().watch(0.05, lambda: calls.append(time.monotonic()), repeat_every=0.02)
    assert wait_for(lambda: len(calls) >= 3)
    assert watcher().withdraw(deadline) is True
    seen = len(calls)
    time.sleep(0.1)
    assert len(calls) == seen  # nothing after withdraw returned


def test_a_withdrawn_action_never_runs():
    calls: list[int] = []
    deadline = watcher().watch(0.05, lambda: calls.append(1))
    assert watcher().withdraw(deadline) is False
    time.sleep(0.15)
    assert calls == []


def test_a_failing_action_does_not_stop_the_others(caplog):
    calls: list[str] = []

    def fail() -> None:
        raise RuntimeError("boom")

    watcher().watch(0.02, fail)
    watcher().watch(0.06, lambda: calls.append("later"))
    assert wait_for(lambda: calls == ["later"])
    assert "A deadline's action failed" in caplog.text


def test_deadlines_share_one_thread():
    watcher().withdraw(watcher().watch(30, lambda: None))  # the watcher is running from here on
    before = threading.active_count()
    deadlines = [watcher().watch(30, lambda: None) for _ in range(50)]
    assert threading.active_count() == before
    for deadline in deadlines:
        watcher().withdraw(deadline)
