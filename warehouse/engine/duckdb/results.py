"""Fetching a query's page without holding more than WAREHOUSE_MAX_RESULT_BYTES of it in the web process.

The engine's memory limit bounds the engine's work, not the rows we turn into Python values and then JSON. So:
1. Every text or binary column is wrapped in a check that fails inside the engine when one value is larger than
   the cap, before that value is ever copied into Python (`select repeat('a', 1000000000)`).
2. The result is streamed in chunks, and fetching stops as soon as the values fetched so far pass the cap.
Either way the caller gets ResultTooLargeError, which names the limit.
"""

import itertools
import threading
import weakref
from typing import Any

import duckdb

from warehouse.engine.base import ResultTooLargeError
from warehouse.engine.duckdb.connection import quote

CHUNK_ROWS = 1000
_MARKER = "result value over the size limit"
_TEXT_TYPES = ("VARCHAR", "JSON")
_BINARY_TYPES = ("BLOB", "BIT")
# Prepared page statements per connection (dropped with the connection) and per (SQL, cap); the oldest out past
# this many.
MEMO_PER_CONNECTION = 64
_NAMES = itertools.count()  # statement names, unique in the process
_MEMO: "weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[tuple[str, int], str]]" = (
    weakref.WeakKeyDictionary()
)
_MEMO_LOCK = threading.Lock()


def too_large(max_bytes: int) -> ResultTooLargeError:
    return ResultTooLargeError(
        f"The result is larger than {max_bytes} bytes (WAREHOUSE_MAX_RESULT_BYTES); select fewer rows or "
        "columns, or shorter values"
    )


def is_too_large(err: duckdb.Error) -> bool:
    """Did the in-engine value check (below) stop the query?"""
    return _MARKER in str(err)


def page_statement(conn: duckdb.DuckDBPyConnection, sql: str, max_bytes: int) -> str:
    """What to run on `conn` for `sql`: `sql` with each text/binary column checked against the cap (columns named
    and ordered as before), prepared on the connection once and run as `EXECUTE <name>` after that.

    The column types come from binding `sql` (nothing runs). The statement is kept per connection: a connection sees
    one state of its file for its whole life (no process writes the file while it is open, pool.py), so a repeated
    query on a reused connection is neither bound for its column types nor planned again (the guard's extra SELECT
    cost about 0.3 ms of planning per query). DuckDB evaluates now(), rand() and the like at each EXECUTE, as for a
    fresh statement. At most MEMO_PER_CONNECTION statements are kept, the oldest deallocated first."""
    with _MEMO_LOCK:
        memo = _MEMO.setdefault(conn, {})
        statement = memo.get((sql, max_bytes))
    if statement is not None:
        return statement
    guarded = _guard_columns(conn, sql, max_bytes)  # a bad query fails here, in the engine's usual words
    name = f"__page_{next(_NAMES)}"
    try:
        conn.execute(f"PREPARE {name} AS {guarded}")
    except duckdb.InterruptException:
        raise  # the time limit or a cancel: not a reason to run it unprepared
    except duckdb.Error:
        return guarded  # not preparable (none is known): run as is, and fail or answer as it always did
    with _MEMO_LOCK:
        evicted = memo.pop(next(iter(memo))) if len(memo) >= MEMO_PER_CONNECTION else None
        memo[(sql, max_bytes)] = statement = f"EXECUTE {name}"
    if evicted is not None:
        try:
            conn.execute(f"DEALLOCATE {evicted.removeprefix('EXECUTE ')}")
        except duckdb.InterruptException:
            raise
        except duckdb.Error:
            pass  # it stays allocated until the connection closes: not this query's failure
    return statement


def _guard_columns(conn: duckdb.DuckDBPyConnection, sql: str, max_bytes: int) -> str:
    bound = conn.sql(sql)
    items, checked = [], False
    for position, (name, engine_type) in enumerate(zip(bound.columns, bound.types, strict=True), start=1):
        ref, kind = f"#{position}", str(engine_type).upper()
        size = (
            f"strlen({ref}::VARCHAR)"
            if kind in _TEXT_TYPES
            else f"octet_length({ref}::BLOB)"
            if kind in _BINARY_TYPES
            else None
        )
        value = (
            ref
            if size is None
            else f"CASE WHEN {size} > {int(max_bytes)} THEN error('{_MARKER}') ELSE {ref} END"
        )
        items.append(f"{value} AS {quote(str(name))}")
        checked = checked or size is not None
    return f"SELECT {', '.join(items)} FROM ({sql}) AS __page" if checked else sql


def fetch_capped(cursor: duckdb.DuckDBPyConnection, *, rows: int, max_bytes: int) -> list[tuple[Any, ...]]:
    """Up to `rows` rows, streamed in chunks; ResultTooLargeError once their values pass `max_bytes`."""
    fetched: list[tuple[Any, ...]] = []
    total = 0
    while len(fetched) < rows:
        chunk = cursor.fetchmany(min(CHUNK_ROWS, rows - len(fetched)))
        if not chunk:
            break
        total += sum(value_bytes(row) for row in chunk)
        if total > max_bytes:
            raise too_large(max_bytes)
        fetched.extend(chunk)
    return fetched


def value_bytes(value: Any) -> int:
    """Bytes a value stands for: text and binary by length, containers by their items, 8 for anything else."""
    if isinstance(value, str | bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, list | tuple | set):
        return 8 + sum(value_bytes(item) for item in value)
    if isinstance(value, dict):
        return 8 + sum(value_bytes(key) + value_bytes(item) for key, item in value.items())
    return 8
