"""PostHog's core tables, present and intact in a project's DuckDB file: inspected read-only, repaired in place.

A core table is *missing* when no table resolves to its name, *damaged* when a column it must have is missing or
has another type (extra columns are harmless: queries name the catalog's columns). Repair re-creates each one
empty, in one transaction; a damaged table is first renamed aside to `__damaged_<name>_<UTC time>`, so rows that
nobody asked to delete stay in the file for an administrator (no catalog names them, so no query reaches them).

`ensure_core_tables` runs when the engine opens a project's file, once per version of the file (its size and
modification time), so a repaired or unchanged file costs nothing after the first check.
"""

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.catalog import core_tables
from warehouse.engine.duckdb.connection import (
    create_table_sql,
    database_name,
    name_key,
    open_file,
    quietly,
    quote,
)
from warehouse.engine.duckdb.locks import reading, writing
from warehouse.engine.duckdb.types import storage_type

_CHECKED: dict[Path, tuple[int, int]] = {}
_CHECKED_LOCK = threading.Lock()


@dataclass(frozen=True)
class CoreTableProblem:
    """One core table that is missing, or damaged (`found_as`: the engine's name of the table that is there)."""

    table: str
    detail: str
    found_as: str | None = None

    def __str__(self) -> str:
        return f"{self.table}: {self.detail}"


def inspect_core_tables(conn: duckdb.DuckDBPyConnection, project_id: int) -> list[CoreTableProblem]:
    """What is wrong with the project's core tables (empty when nothing is); reads the engine's catalog only."""
    found: dict[str, tuple[str, dict[str, str]]] = {}  # name key -> (engine name, {column: type})
    rows = conn.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main'",
        [database_name(project_id)],
    ).fetchall()
    for table, column, data_type in rows:
        found.setdefault(name_key(table), (table, {}))[1][name_key(column)] = _normal(data_type)
    problems = []
    for name, columns in core_tables().items():
        if name_key(name) not in found:
            problems.append(CoreTableProblem(name, "missing"))
            continue
        engine_name, present = found[name_key(name)]
        missing = [c.name for c in columns if name_key(c.name) not in present]
        retyped = [
            f"{c.name} is {present[name_key(c.name)]}, expected {storage_type(c)}"
            for c in columns
            if name_key(c.name) in present and present[name_key(c.name)] != _normal(storage_type(c))
        ]
        if missing or retyped:
            parts = ([f"missing columns {', '.join(missing)}"] if missing else []) + retyped
            problems.append(CoreTableProblem(name, "damaged (" + "; ".join(parts) + ")", engine_name))
    return problems


def repair_core_tables(conn: duckdb.DuckDBPyConnection, project_id: int) -> list[str]:
    """Re-create missing or damaged core tables (damaged ones renamed aside first); what was done, one line each."""
    database = quote(database_name(project_id))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    columns = core_tables()
    done = []
    conn.execute("BEGIN TRANSACTION")
    try:
        for problem in inspect_core_tables(conn, project_id):
            if problem.found_as is not None:
                aside = f"__damaged_{problem.table}_{stamp}"
                conn.execute(
                    f"ALTER TABLE {database}.main.{quote(problem.found_as)} RENAME TO {quote(aside)}"
                )
                done.append(f"{problem.table}: damaged table kept as {aside}, re-created empty")
            else:
                done.append(f"{problem.table}: re-created empty")
            conn.execute(create_table_sql(project_id, problem.table, columns[problem.table]))
        conn.execute("COMMIT")
    except BaseException:
        quietly(conn, "ROLLBACK")
        raise
    return done


def ensure_core_tables(project_id: int, path: Path) -> list[str]:
    """Repair the file's core tables if needed, checking each version of the file once; what was repaired."""
    version = _version(path)
    with _CHECKED_LOCK:
        if version is None or _CHECKED.get(path) == version:
            return []
    with reading(path):
        conn = open_file(path, read_only=True)
        try:
            healthy = not inspect_core_tables(conn, project_id)
        finally:
            conn.close()
    done: list[str] = []
    if not healthy:
        with writing(path):
            conn = open_file(path, read_only=False)
            try:
                done = repair_core_tables(conn, project_id)  # inspects again under the write lock
            finally:
                conn.close()
    with _CHECKED_LOCK:
        _CHECKED[path] = _version(path) or (0, 0)
    return done


def _version(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _normal(data_type: str) -> str:
    return data_type.replace(" ", "").upper()
