"""DuckDB engine: one database file per project, external access off, limits on time, memory and rows.

Modules, each depending only on those above it:
    locks.py               who may open a project's file in this process (scratch folders: ../scratch.py)
    types.py               DuckDB's types beside PostHog's
    connection.py          names, quoting, config, opening files, errors, time limits (through the process's
                           deadline watcher, core/deadlines.py) and cancel
    repair.py              core tables inspected and repaired
    pool.py                read connections kept per file in the process, let go for any writer
    project.py             a connection to a project's file (created, repaired, locked)
    results.py             a page of results within WAREHOUSE_MAX_RESULT_BYTES
    swap.py                scratch databases swapped into a project's file atomically
    functions.py, dialect.py  ClickHouse functions in DuckDB; the canonical HogQL tree printed as DuckDB SQL
    loader.py              loading files; materialize.py: create_or_replace_table
    synthetic.py           synthetic core data
    __init__.py            DuckDBEngine, the Engine protocol over all of them
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from sqlglot import exp

from warehouse.catalog import Catalog
from warehouse.engine.base import EngineError, ProjectInspection, QueryResult, SeedCounts
from warehouse.engine.duckdb import dialect, functions, loader, materialize, synthetic, types
from warehouse.engine.duckdb.connection import (
    config,
    create_table_sql,
    database_name,
    guard,
    initialise,
    message,
    name_key,
    open_file,
    project_path,
    qualified,
    quietly,
    quote,
    refuse_core_table,
    setting,
    translate_errors,
)
from warehouse.engine.duckdb.locks import reading, writing
from warehouse.engine.duckdb.project import project_connection
from warehouse.engine.duckdb.repair import inspect_core_tables, repair_core_tables
from warehouse.engine.duckdb.results import fetch_capped, is_too_large, page_statement, too_large

# Planning binds queries in one long-lived in-memory instance (starting an instance costs ~100 ms); each plan
# attaches an empty in-memory database named like the project's, then detaches it. Serialized: it takes ms.
_PLANNER_LOCK = threading.Lock()
_PLANNER: list[duckdb.DuckDBPyConnection] = []


def _planner() -> duckdb.DuckDBPyConnection:
    if not _PLANNER:
        _PLANNER.append(duckdb.connect(":memory:", config=config()))
    return _PLANNER[0]


class DuckDBEngine:
    """The embedded engine: `WAREHOUSE_DIR/project_<id>.duckdb`, opened per write, kept open for reads (pool.py).

    DuckDB lets one process write a file, or several processes read it, never both: reads open read-only,
    writes open read-write, and both wait (up to WAREHOUSE_LOCK_TIMEOUT_SECONDS) for the other side's lock.
    """

    name = "duckdb"
    label = "DuckDB"
    unsupported_functions = functions.UNSUPPORTED_FUNCTIONS
    native_functions: frozenset[str] = frozenset()  # every function goes through its translation table

    def name_key(self, name: str) -> str:
        """Two names with the same key are the same DuckDB table (see connection.name_key)."""
        return name_key(name)

    def table(self, project_id: int, name: str) -> exp.Table:
        """`"project_<id>"."main"."<name>"`: the project's file is attached as a database named like the project."""
        return exp.Table(
            this=exp.to_identifier(name, quoted=True),
            db=exp.to_identifier("main", quoted=True),
            catalog=exp.to_identifier(database_name(project_id), quoted=True),
        )

    def to_sql(self, tree: exp.Expr) -> str:
        """The canonical HogQL tree as DuckDB SQL (dialect.py)."""
        return dialect.to_sql(tree)

    def clickhouse_type(self, engine_type: str) -> str:
        """The ClickHouse type PostHog would report for a DuckDB type."""
        return types.clickhouse_type(engine_type)

    def stored_column(self, engine_type: str) -> dict:
        """PostHog's stored form ({hogql, clickhouse, valid}) of a column DuckDB typed."""
        return types.stored_column(engine_type)

    def path(self, project_id: int) -> Path:
        """The project's database file."""
        return project_path(project_id)

    # --- the Engine interface -----------------------------------------------------------------------------------
    def plan_columns(self, catalog: Catalog, tree: exp.Expr) -> list[tuple[str, str]]:
        """Bind the query against empty copies of the catalog's tables in memory; nothing is read or run."""
        engine_sql = self.to_sql(tree)
        database = quote(database_name(catalog.project_id))
        with _PLANNER_LOCK:
            conn = _planner().cursor()
            try:
                conn.execute(f"ATTACH ':memory:' AS {database}")
                for name, columns in catalog.tables.items():
                    conn.execute(create_table_sql(catalog.project_id, name, columns))
                rows = conn.execute(f"DESCRIBE SELECT * FROM ({engine_sql}) AS __q").fetchall()
            except duckdb.Error as err:
                raise EngineError(message(err)) from err
            finally:
                quietly(conn, f"DETACH DATABASE IF EXISTS {database}")
                conn.close()
        return [(str(row[0]), str(row[1])) for row in rows]

    def run_query(
        self,
        catalog: Catalog,
        tree: exp.Expr,
        *,
        limit: int,
        offset: int = 0,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
        engine_sql: str | None = None,
    ) -> QueryResult:
        """One page of rows; interrupted at its time limit, stopped past WAREHOUSE_MAX_RESULT_BYTES.

        `engine_sql` (the tree as printed by analysis) saves printing it again; the connection reaches only the
        project's file whatever the SQL names, so isolation does not rest on it."""
        limit = max(0, min(int(limit), int(setting("WAREHOUSE_MAX_ROWS", 50_000))))
        offset = max(0, int(offset))
        max_bytes = int(setting("WAREHOUSE_MAX_RESULT_BYTES", 64 * 1024 * 1024))
        sql = f"SELECT * FROM ({engine_sql or self.to_sql(tree)}) AS __q LIMIT {limit + 1} OFFSET {offset}"
        with project_connection(catalog.project_id, read_only=True) as conn:
            with guard(conn, timeout_seconds, should_cancel):
                try:
                    cursor = conn.execute(page_statement(conn, sql, max_bytes))
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
        tree: exp.Expr,
        *,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> int:
        """Build the rows in a scratch file (the project's file only read), then swap them in within one
        transaction (readers see old or new; see materialize.py)."""
        refuse_core_table(name, "replaced")
        return materialize.build_and_swap(
            catalog.project_id,
            name,
            self.to_sql(tree),
            timeout_seconds=timeout_seconds,
            should_cancel=should_cancel,
        )

    def drop_table(self, catalog: Catalog, name: str) -> None:
        """Drop one of the project's tables (never a core table)."""
        refuse_core_table(name, "dropped")
        target = qualified(catalog.project_id, name)
        with project_connection(catalog.project_id, read_only=False) as conn, translate_errors():
            conn.execute(f"DROP TABLE IF EXISTS {target}")

    def describe_table(self, catalog: Catalog, name: str) -> list[tuple[str, str]]:
        """The columns of one of the project's tables, as the engine stores them."""
        target = qualified(catalog.project_id, name)
        with project_connection(catalog.project_id, read_only=True) as conn, translate_errors():
            rows = conn.execute(f"DESCRIBE {target}").fetchall()
        return [(str(row[0]), str(row[1])) for row in rows]

    def load_files(
        self, catalog: Catalog, name: str, files, file_format: str, *, max_rows: int | None = None
    ) -> tuple[list[tuple[str, str]], int]:
        """Load local files into a table through the dedicated loader connection (loader.py)."""
        refuse_core_table(name, "replaced")
        limit = int(max_rows if max_rows is not None else setting("WAREHOUSE_LOAD_MAX_ROWS", 50_000_000))
        return loader.load_files(catalog.project_id, name, files, file_format, max_rows=limit)

    def inspect_project(self, project_id: int) -> ProjectInspection:
        """Read-only look at the project's file (see repair.py); never creates it."""
        path = project_path(project_id)
        if not path.exists():
            return ProjectInspection(exists=False, tables=[], core_table_problems=[])
        with reading(path):
            conn = open_file(path, read_only=True)
            try:
                with translate_errors():
                    tables = conn.execute(
                        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
                        [database_name(project_id)],
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
        path = project_path(project_id)
        if not path.exists():
            initialise(project_id)
            return ["warehouse file created with empty core tables"]
        with writing(path):
            conn = open_file(path, read_only=False)
            try:
                with translate_errors():
                    return repair_core_tables(conn, project_id)
            finally:
                conn.close()

    def seed_core_tables(
        self, project_id: int, *, events: int, seed: int = 42, days: int = 30, replace: bool = True
    ) -> SeedCounts:
        """Fill the project's core tables with synthetic data (synthetic.py)."""
        return synthetic.seed_core_tables(project_id, events=events, seed=seed, days=days, replace=replace)

    # --- DuckDB only (tests and tools) --------------------------------------------------------------------------
    @contextmanager
    def connection(self, catalog: Catalog, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        """A locked-down connection to the project's file (for DuckDB-specific tests); closed on exit."""
        with project_connection(catalog.project_id, read_only=read_only) as conn:
            yield conn
