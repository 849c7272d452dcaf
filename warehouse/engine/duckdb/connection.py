"""DuckDB connections: one file per project, external access off, locked configuration, time and cancel limits.

Everything the other DuckDB modules share lives here, under public names: the project's file and names, quoting
(sqlglot's), the connection config, opening a file (waiting while another process holds it), creating a project's
file with its core tables, and turning DuckDB's errors into the engine's.
"""

import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
from django.conf import settings
from sqlglot import exp
from sqlglot.errors import SqlglotError

from core.deadlines import watcher
from warehouse.catalog import Column, core_table_matching, core_tables
from warehouse.engine.base import EngineBusyError, EngineError, QueryCancelledError, QueryTimeoutError
from warehouse.engine.duckdb.locks import BUSY, lock_wait_seconds, writing
from warehouse.engine.duckdb.types import storage_type
from warehouse.engine.scratch import process_spill_dir

DIALECT = "duckdb"
# DuckDB's words for "another process (or instance) has this file": wait and retry, do not fail.
_LOCK_MESSAGES = ("Could not set lock", "Conflicting lock", "different configuration", "Unique file handle")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# DuckDB's qualification of a project's tables, never shown to a client (`"project_3"."main"."events"`: `"events"`).
_QUALIFIER = re.compile(r'"?project_\d+"?\."?main"?\.')

T = TypeVar("T")
Config = dict[str, str | bool | int | float | list[str]]  # a DuckDB connection's settings


def setting(name: str, default):
    return getattr(settings, name, default)


# --- names ------------------------------------------------------------------------------------------------------
def database_name(project_id: int) -> str:
    """The DuckDB database (catalog) that holds one project's tables: its file is attached under this name."""
    return f"project_{int(project_id)}"


def name_key(name: str) -> str:
    """DuckDB's rule: identifiers (quoted or not) match case-insensitively in ASCII letters only (`Ä` != `ä`)."""
    return name.translate(_ASCII_LOWER)


def quote(identifier: str) -> str:
    """A DuckDB quoted identifier."""
    return exp.to_identifier(identifier, quoted=True).sql(dialect=DIALECT)


def literal(text: str) -> str:
    """A DuckDB string literal."""
    return exp.Literal.string(text).sql(dialect=DIALECT)


def qualified(project_id: int, name: str) -> str:
    """`"project_<id>"."main"."<name>"`: one of the project's tables, fully qualified."""
    return f"{quote(database_name(project_id))}.main.{quote(name)}"


def column_type(engine_type: str) -> str:
    """A DuckDB column type, parsed and printed by sqlglot (types come from the catalog, never from a client)."""
    try:
        return exp.DataType.build(engine_type, dialect=DIALECT).sql(dialect=DIALECT)
    except (SqlglotError, ValueError) as err:
        raise EngineError(f"Unsupported column type {engine_type!r}") from err


def create_table_sql(
    project_id: int, name: str, columns: list[Column], *, if_not_exists: bool = False
) -> str:
    """CREATE TABLE for a catalog table."""
    body = ", ".join(f"{quote(c.name)} {column_type(storage_type(c))}" for c in columns) or '"_" VARCHAR'
    exists = "IF NOT EXISTS " if if_not_exists else ""
    return f"CREATE TABLE {exists}{qualified(project_id, name)} ({body})"


def refuse_core_table(name: str, action: str) -> None:
    """The engine's own guard, right before it replaces or drops a table: never a core table, in any case."""
    core = core_table_matching(name, key=name_key)
    if core is not None:
        shown = name if name == core else f"{name} ({core})"
        raise EngineError(f"{shown} is a PostHog table and cannot be {action}")


# --- files and connections --------------------------------------------------------------------------------------
def project_path(project_id: int) -> Path:
    """The project's database file."""
    directory = Path(setting("WAREHOUSE_DIR", Path(settings.DATA_DIR) / "warehouse"))
    return directory / f"{database_name(project_id)}.duckdb"


def config() -> Config:
    """Connection config: no files, network or extension loading; limits; then locked so SQL cannot undo it."""
    return {
        "enable_external_access": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "allow_community_extensions": "false",
        "memory_limit": str(setting("WAREHOUSE_MEMORY_LIMIT", "1GB")),
        "threads": str(setting("WAREHOUSE_THREADS", 2)),
        "temp_directory": str(process_spill_dir()),
        "lock_configuration": "true",
    }


def message(err: Exception) -> str:
    """DuckDB's error without the echoed SQL (first line only) or the qualification of table names."""
    return _QUALIFIER.sub("", str(err).strip().split("\n")[0])


def retry_while_locked(attempt: Callable[[], T]) -> T:
    """Run `attempt`, retrying with backoff while another process holds the file's lock (up to the lock timeout).

    DuckDB lets one process write a file (or several read it), so a second process waits here briefly instead of
    failing at once; past the lock wait (WAREHOUSE_LOCK_TIMEOUT_SECONDS, longer in jobs) it gets EngineBusyError
    (a 503 with Retry-After for API callers).
    """
    deadline = time.monotonic() + lock_wait_seconds()
    pause = 0.01
    while True:
        try:
            return attempt()
        except duckdb.Error as err:
            if not any(text in str(err) for text in _LOCK_MESSAGES):
                raise EngineError(message(err)) from err
            if time.monotonic() >= deadline:
                raise EngineBusyError(BUSY) from err
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def open_file(path: Path, *, read_only: bool, external_access: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to a database file, waiting while another process holds its lock. External access is for the
    loader's own SQL only (it reads our staged files), never for a connection that runs a client's query.

    A writer announces itself before every attempt (`announce_write`), so other processes' read pools let go of
    the file (pool.py) instead of holding it while idle."""
    options: Config = {**config(), "enable_external_access": "true"} if external_access else config()

    def attempt() -> duckdb.DuckDBPyConnection:
        if not read_only:
            announce_write(path)
        return duckdb.connect(str(path), read_only=read_only, config=options)

    return retry_while_locked(attempt)


# A writer touches `<file>.write-intent` before each attempt to open the file; for this long after the last touch
# no process keeps an idle read connection to the file (a waiting writer retries at least every 0.25 s).
WRITE_INTENT_SECONDS = 1.0


def write_intent_path(path: Path) -> Path:
    return path.with_name(path.name + ".write-intent")


def announce_write(path: Path) -> None:
    """Tell other processes' read pools that a writer wants this file now."""
    try:
        write_intent_path(path).touch()
    except OSError:
        pass  # the directory is gone or read-only: then nobody reads the file through a pool either


def write_pending(path: Path) -> bool:
    """Whether a writer (in any process) announced itself for this file within WRITE_INTENT_SECONDS."""
    try:
        touched = write_intent_path(path).stat().st_mtime
    except OSError:
        return False
    return time.time() - touched < WRITE_INTENT_SECONDS


ABANDONED_CREATION_SECONDS = 600  # creating a file with empty tables takes well under a second


def initialise(project_id: int) -> None:
    """Create the project's file with PostHog's core tables (empty), all or nothing.

    The file is built under the same name in a private folder, checkpointed, then linked into place (a link never
    replaces a file another process made meanwhile). A process killed halfway leaves only its folder, never a
    half-written database file; folders older than ABANDONED_CREATION_SECONDS are removed by the next creation.
    """
    path = project_path(project_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with writing(path):
        if path.exists():
            return
        for stale in path.parent.glob(f".creating-{path.stem}-*"):
            if time.time() - stale.stat().st_mtime > ABANDONED_CREATION_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)
        folder = Path(tempfile.mkdtemp(prefix=f".creating-{path.stem}-", dir=path.parent))
        try:
            building = folder / path.name  # the same file name, so the same catalog name inside
            conn = duckdb.connect(str(building), config=config())
            try:
                for name, columns in core_tables().items():
                    conn.execute(create_table_sql(project_id, name, columns, if_not_exists=True))
                conn.execute("CHECKPOINT")
            finally:
                conn.close()
            announce_write(path)  # as any writer of the file does (other processes' read pools let go)
            try:
                os.link(building, path)
            except FileExistsError:
                pass  # another process made it first: theirs stands
        finally:
            shutil.rmtree(folder, ignore_errors=True)


# --- errors and limits ------------------------------------------------------------------------------------------
# How often a passed time limit interrupts its connection again until the block ends: DuckDB forgets an interrupt
# that finds no statement running (between two statements of the block, or between binding and running one).
INTERRUPT_REPEAT_SECONDS = 0.05


@contextmanager
def guard(conn: duckdb.DuckDBPyConnection, timeout_seconds: float | None, should_cancel) -> Iterator[None]:
    """Interrupt the connection at the time limit (the process's deadline watcher, core/deadlines.py) or when
    should_cancel() turns true (polled by a thread of the block's own: background jobs only); map engine errors.

    A block the watcher interrupted fails even if its last statement had just finished: the connection is then
    closed, never parked, and the time limit is exact rather than "unless the query just made it"."""
    timeout = float(timeout_seconds or setting("WAREHOUSE_QUERY_TIMEOUT_SECONDS", 30))
    deadline = watcher().watch(timeout, conn.interrupt, repeat_every=INTERRUPT_REPEAT_SECONDS)
    poller = _CancelPoller(conn, should_cancel) if should_cancel is not None else None
    try:
        try:
            yield
        finally:  # from here on nothing interrupts the connection
            timed_out = watcher().withdraw(deadline)
            cancelled = poller is not None and poller.stop()
    except duckdb.InterruptException as err:
        if cancelled:
            raise QueryCancelledError("The query was cancelled") from err
        raise _timed_out(timeout) from err
    except duckdb.Error as err:
        raise EngineError(message(err)) from err
    if cancelled:
        raise QueryCancelledError("The query was cancelled")
    if timed_out:
        raise _timed_out(timeout)


def _timed_out(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(f"The query took longer than {timeout:g} seconds and was stopped")


class _CancelPoller:
    """Calls should_cancel() every 0.05 s on its own thread; once it turned true, interrupts the connection every
    0.05 s until stopped (DuckDB forgets an interrupt that arrives between statements)."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, should_cancel: Callable[[], bool]) -> None:
        self._done = threading.Event()
        self._fired = False
        self._lock = threading.Lock()
        self._conn, self._should_cancel = conn, should_cancel
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.05):
            if self._fired or self._should_cancel():
                with self._lock:
                    if not self._done.is_set():
                        self._fired = True
                        self._conn.interrupt()

    def stop(self) -> bool:
        """Stop polling (the connection is not touched after this); whether it interrupted the connection."""
        with self._lock:
            self._done.set()
        self._thread.join()
        return self._fired


@contextmanager
def translate_errors() -> Iterator[None]:
    """DuckDB's errors as EngineError."""
    try:
        yield
    except duckdb.Error as err:
        raise EngineError(message(err)) from err


def count_rows(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    """`SELECT count(*)` of a table named by our own code (never a client)."""
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def quietly(conn: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run `sql`, ignoring a failure (cleanup that may find nothing to clean)."""
    try:
        conn.execute(sql)
    except duckdb.Error:
        pass
