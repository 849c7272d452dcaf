"""Time limits through the process's one deadline watcher (core/deadlines.py): each statement stops at its
own limit, concurrent ones do not disturb each other, a finished block is never interrupted later, no thread is
started per statement, and a forked worker enforces limits too."""

import multiprocessing
import threading
import time

import duckdb
import pytest

from core.deadlines import watcher
from warehouse.engine import QueryCancelledError, QueryTimeoutError
from warehouse.engine.duckdb.connection import guard

ENDLESS = (
    "SELECT sum(a * b) FROM range(1000000) x(a), range(1000000) y(b)"  # 10^12 rows: never ends by itself
)
QUICK = "SELECT count(*) FROM range(1000)"


def run(sql: str, timeout: float, should_cancel=None):
    conn = duckdb.connect(":memory:")
    try:
        with guard(conn, timeout, should_cancel):
            return conn.execute(sql).fetchall()
    finally:
        conn.close()


def timed(sql: str, timeout: float) -> tuple[str, float]:
    started = time.monotonic()
    try:
        run(sql, timeout)
        outcome = "done"
    except QueryTimeoutError:
        outcome = "timeout"
    return outcome, time.monotonic() - started


def test_a_statement_is_interrupted_at_its_time_limit():
    outcome, took = timed(ENDLESS, 0.3)
    assert outcome == "timeout"
    assert took >= 0.3
    assert watcher().pending() == 0


def test_concurrent_statements_each_stop_at_their_own_limit():
    results: dict[str, tuple[str, float]] = {}
    threads = {
        "short": threading.Thread(target=lambda: results.__setitem__("short", timed(ENDLESS, 0.3))),
        "long": threading.Thread(target=lambda: results.__setitem__("long", timed(ENDLESS, 1.5))),
        "quick": threading.Thread(target=lambda: results.__setitem__("quick", timed(QUICK, 30))),
    }
    for thread in threads.values():
        thread.start()
    for thread in threads.values():
        thread.join(20)
    assert results["short"][0] == "timeout"
    assert results["long"][0] == "timeout"
    assert results["long"][1] >= 1.5  # not stopped by the earlier deadline of another statement
    assert results["short"][1] < results["long"][1]
    assert results["quick"][0] == "done"
    assert watcher().pending() == 0


def test_a_finished_block_is_never_interrupted_later():
    conn = duckdb.connect(":memory:")
    try:
        with guard(conn, 0.2, None):
            assert conn.execute(QUICK).fetchall() == [(1000,)]
        time.sleep(0.4)  # past the deadline it had
        assert conn.execute("SELECT count(*) FROM range(100000000)").fetchall() == [(100000000,)]
    finally:
        conn.close()


def test_no_thread_is_started_per_statement():
    run(QUICK, 30)  # the watcher is running from here on
    before = threading.active_count()
    conn = duckdb.connect(":memory:")
    try:
        with guard(conn, 30, None):
            during = threading.active_count()
            conn.execute(QUICK).fetchall()
    finally:
        conn.close()
    assert during == before


def test_cancel_still_interrupts():
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(QueryCancelledError):
        run(ENDLESS, 30, cancel.is_set)


def _child_times_out(outcome) -> None:
    try:
        run(ENDLESS, 0.3)
        outcome.put("done")
    except QueryTimeoutError:
        outcome.put("timeout")


def test_a_forked_worker_enforces_time_limits():
    run(QUICK, 30)  # the parent's watcher thread exists; a fork does not copy it
    context = multiprocessing.get_context("fork")
    outcome = context.Queue()
    child = context.Process(target=_child_times_out, args=(outcome,))
    child.start()
    child.join(20)
    assert outcome.get(timeout=1) == "timeout"


LONG = "SELECT count(*) FROM range(3000000000)"  # ends by itself after a few seconds


def test_a_limit_that_passes_between_statements_still_interrupts_the_next_one():
    conn = duckdb.connect(":memory:")
    try:
        with pytest.raises(QueryTimeoutError) as stopped:
            with guard(conn, 0.2, None):
                time.sleep(0.4)  # the deadline passes while no statement runs (DuckDB drops that interrupt)
                conn.execute(LONG).fetchall()
    finally:
        conn.close()
    assert isinstance(stopped.value.__cause__, duckdb.InterruptException)  # the statement itself was stopped


def test_a_cancel_seen_between_statements_still_interrupts_the_next_one():
    conn = duckdb.connect(":memory:")
    cancel = threading.Event()
    cancel.set()
    try:
        with pytest.raises(QueryCancelledError) as stopped:
            with guard(conn, 30, cancel.is_set):
                time.sleep(0.3)
                conn.execute(LONG).fetchall()
    finally:
        conn.close()
    assert isinstance(stopped.value.__cause__, duckdb.InterruptException)
