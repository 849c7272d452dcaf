"""A project's database and its core tables (MergeTree, keyed as PostHog keys them): created, inspected, repaired."""

import threading
from datetime import UTC, datetime

from warehouse.catalog import Column, core_tables
from warehouse.engine.base import ProjectInspection
from warehouse.engine.clickhouse.connection import (
    database_name,
    literal,
    on_cluster,
    qualified,
    quote,
    table_engine,
    translate_errors,
    transport,
)
from warehouse.engine.clickhouse.types import storage_type

# Sorting keys (and partitions) of the core tables: what their queries filter and group by first.
KEYS = {
    "events": "PARTITION BY toYYYYMM(timestamp) ORDER BY (toDate(timestamp), event, cityHash64(distinct_id), uuid)",
    "persons": "ORDER BY id",
    "person_distinct_ids": "ORDER BY distinct_id",
    "sessions": "ORDER BY (session_id, `$start_timestamp`)",
    "groups": "ORDER BY (index, key)",
}
_ready: set[tuple[int, str]] = (
    set()
)  # (transport id, database) whose core tables exist, checked once per process
_ready_lock = threading.Lock()


def create_table_sql(project_id: int, name: str, columns: list[Column], *, if_not_exists: bool = True) -> str:
    listed = ", ".join(f"{quote(column.name)} {storage_type(column)}" for column in columns)
    exists = " IF NOT EXISTS" if if_not_exists else ""
    key = KEYS.get(name, "ORDER BY tuple()")
    return f"CREATE TABLE{exists} {qualified(project_id, name)}{on_cluster()} ({listed}) ENGINE = {table_engine()} {key}"


def create_database(project_id: int) -> None:
    transport().command(f"CREATE DATABASE IF NOT EXISTS {quote(database_name(project_id))}{on_cluster()}")


def ensure_project(project_id: int) -> None:
    """The project's database and core tables exist (created on first use, as the DuckDB file is)."""
    key = (id(transport()), database_name(project_id))
    with _ready_lock:
        if key in _ready:
            return
    with translate_errors(project_id):
        create_database(project_id)
        for name, columns in core_tables().items():
            transport().command(create_table_sql(project_id, name, columns))
    with _ready_lock:
        _ready.add(key)


def database_exists(project_id: int) -> bool:
    with translate_errors(project_id):
        rows = transport().execute(
            f"SELECT count() FROM system.databases WHERE name = {literal(database_name(project_id))}"
        )
    return bool(rows.rows[0][0])


def _columns(project_id: int) -> dict[str, dict[str, str]]:
    """{table: {column: type}} of the project's database, from system.columns (no data read)."""
    sql = (
        f"SELECT table, name, type FROM system.columns WHERE database = {literal(database_name(project_id))}"
    )
    found: dict[str, dict[str, str]] = {}
    with translate_errors(project_id):
        for table, column, kind in transport().execute(sql).rows:
            found.setdefault(table, {})[column] = kind
    return found


def _tables(project_id: int) -> list[str]:
    sql = f"SELECT name FROM system.tables WHERE database = {literal(database_name(project_id))}"
    with translate_errors(project_id):
        return sorted(str(row[0]) for row in transport().execute(sql).rows)


def core_table_problems(project_id: int) -> list[tuple[str, str, bool]]:
    """(table, what is wrong, whether a damaged table is there) for each core table not as it should be."""
    found = _columns(project_id)
    problems = []
    for name, columns in core_tables().items():
        if name not in found:
            problems.append((name, "missing", False))
            continue
        present = found[name]
        missing = [c.name for c in columns if c.name not in present]
        retyped = [
            f"{c.name} is {present[c.name]}, expected {storage_type(c)}"
            for c in columns
            if c.name in present and present[c.name] != storage_type(c)
        ]
        if missing or retyped:
            parts = ([f"missing columns {', '.join(missing)}"] if missing else []) + retyped
            problems.append((name, "damaged (" + "; ".join(parts) + ")", True))
    return problems


def inspect_project(project_id: int) -> ProjectInspection:
    """Read-only: the project's tables and what is wrong with its core tables; never creates anything."""
    if not database_exists(project_id):
        return ProjectInspection(exists=False, tables=[], core_table_problems=[])
    problems = [f"{table}: {detail}" for table, detail, _ in core_table_problems(project_id)]
    return ProjectInspection(exists=True, tables=_tables(project_id), core_table_problems=problems)


def repair_project(project_id: int) -> list[str]:
    """Create the database if missing; re-create missing or damaged core tables (damaged ones renamed aside)."""
    columns = core_tables()
    if not database_exists(project_id):
        ensure_project(project_id)
        return ["warehouse database created with empty core tables"]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    done = []
    with translate_errors(project_id):
        for table, _, damaged in core_table_problems(project_id):
            if damaged:
                aside = f"__damaged_{table}_{stamp}"
                transport().command(
                    f"RENAME TABLE {qualified(project_id, table)} TO {qualified(project_id, aside)}{on_cluster()}"
                )
                done.append(f"{table}: damaged table kept as {aside}, re-created empty")
            else:
                done.append(f"{table}: re-created empty")
            transport().command(create_table_sql(project_id, table, columns[table]))
    return done
