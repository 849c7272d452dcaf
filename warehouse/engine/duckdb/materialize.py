"""create_or_replace_table without holding the project's write lock while the query runs.

DuckDB lets one process write a file or several read it, never both. Building a large table inside the project's
file would shut every reader in other processes (the web server) out for the whole build. Instead:

1. Build: a private scratch file attaches the project's file READ_ONLY (readers elsewhere carry on), then turns
   external access off and locks its configuration before the (validated) query runs into the scratch file,
   under the time limit and the cancel check.
2. Swap: the project's file is opened for writing only to copy the finished rows in: DROP the old table and
   CREATE the new one in one transaction, so readers see the old table or the new one, never a partial one.

A failed or cancelled build never touches the project's file; its scratch folder is always removed (and one left
by a process that died is removed by the sweep, scratch.py).

Within one process, builds share the project's file and a swap has it alone (locks.py);
materialization runs in the background, so a swap waits for builds up to WAREHOUSE_JOB_LOCK_TIMEOUT_SECONDS.
"""

from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse.engine.duckdb.connection import (
    count_rows,
    database_name,
    guard,
    initialise,
    literal,
    project_path,
    quote,
    retry_while_locked,
)
from warehouse.engine.duckdb.locks import job_lock_wait, reading, writing
from warehouse.engine.duckdb.swap import RESULT, scratch_config, swap_in
from warehouse.engine.scratch import scratch_space


def build_and_swap(
    project_id: int,
    name: str,
    engine_sql: str,
    *,
    timeout_seconds: float | None,
    should_cancel: Callable[[], bool] | None,
) -> int:
    """Rows of `engine_sql` into the project's table `name`, swapped in atomically; returns the rows written."""
    path = project_path(project_id)
    if not path.exists():
        initialise(project_id)
    with scratch_space("build") as folder, job_lock_wait():
        scratch = folder / "scratch.duckdb"
        with reading(path):
            rows = _build(project_id, path, scratch, engine_sql, timeout_seconds, should_cancel)
        with writing(path):
            swap_in(project_id, path, scratch, name)
    return rows


def _build(project_id, source: Path, scratch: Path, engine_sql: str, timeout_seconds, should_cancel) -> int:
    conn = duckdb.connect(str(scratch), config=scratch_config(scratch))
    try:
        _attach_read_only(conn, source, database_name(project_id))
        conn.execute("SET enable_external_access = false")  # from here on, no file or network access
        conn.execute("SET lock_configuration = true")  # and no SQL can turn it back on
        with guard(conn, timeout_seconds, should_cancel):
            conn.execute(f"CREATE TABLE main.{RESULT} AS SELECT * FROM ({engine_sql}) AS __q")
        return count_rows(conn, f"main.{RESULT}")
    finally:
        conn.close()


def _attach_read_only(conn: duckdb.DuckDBPyConnection, path: Path, alias: str) -> None:
    retry_while_locked(lambda: conn.execute(f"ATTACH {literal(str(path))} AS {quote(alias)} (READ_ONLY)"))
