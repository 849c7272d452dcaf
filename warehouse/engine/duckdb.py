"""DuckDB engine: one database file per project, external access off, limits on time, memory and rows."""

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
from django.conf import settings

from warehouse.catalog import Catalog, Column, core_tables
from warehouse.engine import (
    EngineBusyError,
    EngineError,
    ProjectInspection,
    QueryCancelledError,
    QueryResult,
    QueryTimeoutError,
)
from warehouse.engine.duckdb_locks import BUSY, lock_wait_seconds, reading, writing
from warehouse.engine.duckdb_scratch import process_spill_dir
from warehouse.hogql.resolver import engine_database
from warehouse.names import core_table_named

logger = logging.getLogger(__name__)
# DuckDB's words for "another process (or instance) has this file": wait and retry, do not fail.
_LOCK_MESSAGES = ("Could not set lock", "Conflicting lock", "different configuration", "Unique file handle")


T = TypeVar("T")


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
                raise EngineError(_message(err)) from err
            if time.monotonic() >= deadline:
                raise EngineBusyError(BUSY) from err
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


# Planning binds queries in one long-lived in-memory instance (starting an instance costs ~100 ms); each plan
# attaches an empty in-memory database named like the project's, then detaches it. Serialized: it takes ms.
_PLANNER_LOCK = threading.Lock()
_PLANNER: list[duckdb.DuckDBPyConnection] = []


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def name_key(name: str) -> str:
    """DuckDB's rule: identifiers (quoted or not) match case-insensitively in ASCII letters only (`Ä` != `ä`)."""
    return name.translate(_ASCII_LOWER)


def refuse_core_table(name: str, action: str) -> None:
    """The engine's own guard, right before it replaces or drops a table: never a core table, in any case."""
    core = core_table_named(name, key=name_key)
    if core is not None:
        shown = name if name == core else f"{name} ({core})"
        raise EngineError(f"{shown} is a PostHog table and cannot be {action}")


def quote(identifier: str) -> str:
    """A DuckDB quoted identifier."""
    return '"' + identifier.replace('"', '""') + '"'


def _setting(name: str, default):
    return getattr(settings, name, default)


def _config() -> dict[str, str]:
    """Connection config: no files, network or extension loading; limits; then locked so SQL cannot undo it."""
    return {
        "enable_external_access": "false",
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "allow_community_extensions": "false",
        "memory_limit": str(_setting("WAREHOUSE_MEMORY_LIMIT", "1GB")),
        "threads": str(_setting("WAREHOUSE_THREADS", 2)),
        "temp_directory": str(process_spill_dir()),
        "lock_configuration": "true",
    }


def _message(err: Exception) -> str:
    """The engine's error without the echoed SQL (first line only)."""
    return str(err).strip().split("\n")[0]


class DuckDBEngine:
    """The embedded engine: `WAREHOUSE_DIR/project_<id>.duckdb`, opened per operation.

    DuckDB lets one process write a file, or several processes read it, never both: reads open read-only,
    writes open read-write, and both wait (up to WAREHOUSE_LOCK_TIMEOUT_SECONDS) for the other side's lock.
    """

    def name_key(self, name: str) -> str:
        """Two names with the same key are the same DuckDB table (see `name_key`)."""
        return name_key(name)

    def path(self, project_id: int) -> Path:
        """The project's database file."""
        directory = Path(_setting("WAREHOUSE_DIR", Path(settings.DATA_DIR) / "warehouse"))
        return directory / f"{engine_database(project_id)}.duckdb"

    # --- the Engine interface -----------------------------------------------------------------------------------
    def plan_columns(self, catalog: Catalog, engine_sql: str) -> list[tuple[str, str]]:
        """Bind the query against empty copies of the catalog's tables in memory; nothing is read or run."""
        database = quote(engine_database(catalog.project_id))
        with _PLANNER_LOCK:
            conn = _planner().cursor()
            try:
                conn.execute(f"ATTACH ':memory:' AS {database}")
                for name, columns in catalog.tables.items():
                    conn.execute(_create_table_sql(catalog.project_id, name, columns))
                rows = conn.execute(f"DESCRIBE SELECT * FROM ({engine_sql}) AS __q").fetchall()
            except duckdb.Error as err:
                raise EngineError(_message(err)) from err
            finally:
                _quietly(conn, f"DETACH DATABASE IF EXISTS {database}")
                conn.close()
        return [(str(row[0]), str(row[1])) for row in rows]

    def run_query(
        self,
        catalog: Catalog,
        engine_sql: str,
        *,
        limit: int,
        offset: int = 0,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> QueryResult:
        """One page of rows; interrupted at its time limit, stopped past WAREHOUSE_MAX_RESULT_BYTES."""
        from warehouse.engine.duckdb_results import fetch_capped, guarded_select, is_too_large, too_large

        limit = max(0, min(int(limit), int(_setting("WAREHOUSE_MAX_ROWS", 50_000))))
        offset = max(0, int(offset))
        max_bytes = int(_setting("WAREHOUSE_MAX_RESULT_BYTES", 64 * 1024 * 1024))
        sql = f"SELECT * FROM ({engine_sql}) AS __q LIMIT {limit + 1} OFFSET {offset}"
        with self._connect(catalog, read_only=True) as conn:
            with _guard(conn, timeout_seconds, should_cancel):
                try:
                    cursor = conn.execute(guarded_select(conn, sql, max_bytes))
                    description = cursor.description or []
                    rows = fetch_capped(cursor, rows=limit + 1, max_bytes=max_bytes)
                except duckdb.Error as err:
                    if is_too_large(err):
                        raise too_large(max_bytes) from err
                    raise
        return QueryResult(
            columns=[str(item[0]) for item in description],
            types=[str(item[1]) for item in description],
            rows=rows[:limit],
            has_more=len(rows) > limit,
        )

    def create_or_replace_table(
        self,
        catalog: Catalog,
        name: str,
        engine_sql: str,
        *,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> int:
        """Build the rows in a scratch file (the project's file only read), then swap them in within one
        transaction (readers see old or new; see warehouse/engine/duckdb_materialize.py)."""
        refuse_core_table(name, "replaced")
        from warehouse.engine.duckdb_materialize import build_and_swap

        return build_and_swap(
            self,
            catalog.project_id,
            name,
            engine_sql,
            timeout_seconds=timeout_seconds,
            should_cancel=should_cancel,
        )

    def drop_table(self, catalog: Catalog, name: str) -> None:
        """Drop one of the project's tables (never a core table)."""
        refuse_core_table(name, "dropped")
        target = f"{quote(engine_database(catalog.project_id))}.main.{quote(name)}"
        with self._connect(catalog, read_only=False) as conn, _translate_errors():
            conn.execute(f"DROP TABLE IF EXISTS {target}")

    def describe_table(self, catalog: Catalog, name: str) -> list[tuple[str, str]]:
        """The columns of one of the project's tables, as the engine stores them."""
        target = f"{quote(engine_database(catalog.project_id))}.main.{quote(name)}"
        with self._connect(catalog, read_only=True) as conn, _translate_errors():
            rows = conn.execute(f"DESCRIBE {target}").fetchall()
        return [(str(row[0]), str(row[1])) for row in rows]

    def load_files(
        self, catalog: Catalog, name: str, files, file_format: str, *, max_rows: int | None = None
    ) -> tuple[list[tuple[str, str]], int]:
        """Load local files into a table through the dedicated loader connection (warehouse/engine/duckdb_loader)."""
        refuse_core_table(name, "replaced")
        from warehouse.engine.duckdb_loader import load_files

        limit = int(max_rows if max_rows is not None else _setting("WAREHOUSE_LOAD_MAX_ROWS", 50_000_000))
        return load_files(self, catalog.project_id, name, files, file_format, max_rows=limit)

    def inspect_project(self, project_id: int) -> ProjectInspection:
        """Read-only look at the project's file (see warehouse/engine/duckdb_repair.py); never creates it."""

        path = self.path(project_id)
        if not path.exists():
            return ProjectInspection(exists=False, tables=[], core_table_problems=[])
        with reading(path):
            return self._inspect(project_id, path)

    def _inspect(self, project_id: int, path: Path) -> ProjectInspection:
        from warehouse.engine.duckdb_repair import inspect_core_tables

        conn = self._open(path, read_only=True)
        try:
            with _translate_errors():
                tables = conn.execute(
                    "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
                    [engine_database(project_id)],
                ).fetchall()
                problems = inspect_core_tables(conn, project_id)
        finally:
            conn.close()
        return ProjectInspection(
            exists=True,
            tables=sorted(str(row[0]) for row in tables),
            core_table_problems=[str(p) for p in problems],
        )

    def repair_project(self, project_id: int) -> list[str]:
        """Create the file if missing; re-create missing or damaged core tables (damaged ones kept aside)."""
        from warehouse.engine.duckdb_repair import repair_core_tables

        path = self.path(project_id)
        if not path.exists():
            self._initialise(project_id)
            return ["warehouse file created with empty core tables"]
        with writing(path):
            conn = self._open(path, read_only=False)
            try:
                with _translate_errors():
                    return repair_core_tables(conn, project_id)
            finally:
                conn.close()

    # --- connections --------------------------------------------------------------------------------------------
    @contextmanager
    def connection(self, catalog: Catalog, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """A locked-down connection to the project's file (for loaders and tests); closed on exit."""
        with self._connect(catalog, read_only=read_only) as conn:
            yield conn

    @contextmanager
    def _connect(self, catalog: Catalog, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        path = self.path(catalog.project_id)
        if not path.exists():
            self._initialise(catalog.project_id)
        self._ensure_core_tables(catalog.project_id, path)  # before taking the file's lock: it may repair
        with reading(path) if read_only else writing(path):
            conn = self._open(path, read_only=read_only)
            try:
                yield conn
            finally:
                conn.close()

    def _open(self, path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
        return retry_while_locked(lambda: duckdb.connect(str(path), read_only=read_only, config=_config()))

    def _ensure_core_tables(self, project_id: int, path: Path) -> None:
        """A file whose core tables are missing or damaged is repaired before use (checked once per version)."""
        from warehouse.engine.duckdb_repair import ensure_core_tables

        with _translate_errors():
            repaired = ensure_core_tables(self, project_id, path)
        for line in repaired:
            logger.warning("Repaired the warehouse of project %s: %s", project_id, line)

    def _initialise(self, project_id: int) -> None:
        """Create the project's file with PostHog's core tables (empty)."""
        path = self.path(project_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with writing(path):
            conn = self._open(path, read_only=False)
            try:
                for name, columns in core_tables().items():
                    conn.execute(_create_table_sql(project_id, name, columns, if_not_exists=True))
            finally:
                conn.close()


def _planner() -> duckdb.DuckDBPyConnection:
    if not _PLANNER:
        _PLANNER.append(duckdb.connect(":memory:", config=_config()))
    return _PLANNER[0]


def _create_table_sql(
    project_id: int, name: str, columns: list[Column], *, if_not_exists: bool = False
) -> str:
    """CREATE TABLE for a catalog table (types are ours: from the catalog, never from a client)."""
    body = (
        ", ".join(f"{quote(c.name)} {_safe_type(c.resolved_engine_type)}" for c in columns) or '"_" VARCHAR'
    )
    exists = "IF NOT EXISTS " if if_not_exists else ""
    return f"CREATE TABLE {exists}{quote(engine_database(project_id))}.main.{quote(name)} ({body})"


def _safe_type(engine_type: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_ ,()\[\]]+", engine_type):
        raise EngineError(f"Unsupported column type {engine_type!r}")
    return engine_type


@contextmanager
def _guard(conn: duckdb.DuckDBPyConnection, timeout_seconds: float | None, should_cancel):
    """Interrupt the connection at the time limit or when should_cancel() turns true; map engine errors."""
    timeout = float(timeout_seconds or _setting("WAREHOUSE_QUERY_TIMEOUT_SECONDS", 30))
    done = threading.Event()
    why: list[str] = []

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while not done.wait(0.05):
            if should_cancel is not None and should_cancel():
                why.append("cancelled")
            elif time.monotonic() >= deadline:
                why.append("timeout")
            if why:
                conn.interrupt()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    except duckdb.InterruptException as err:
        if why and why[0] == "cancelled":
            raise QueryCancelledError("The query was cancelled") from err
        raise QueryTimeoutError(f"The query took longer than {timeout:g} seconds and was stopped") from err
    except duckdb.Error as err:
        raise EngineError(_message(err)) from err
    finally:
        done.set()
        watcher.join()


@contextmanager
def _translate_errors():
    try:
        yield
    except duckdb.Error as err:
        raise EngineError(_message(err)) from err


def _quietly(conn: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        conn.execute(sql)
    except duckdb.Error:
        pass
