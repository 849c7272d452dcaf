"""ClickHouse engine: one database per project, embedded (chdb) or on a server, the same SQL either way.

Modules, each depending only on those above it:
    transport.py, embedded.py, server.py   how statements reach ClickHouse (in this process, or over HTTP)
    connection.py          settings, the project's database, errors, per-statement limits, cancel by KILL QUERY
    types.py, dialect.py   ClickHouse's types as PostHog reports them; the canonical HogQL tree as ClickHouse SQL
    tables.py              the project's database and core tables: created, inspected, repaired
    materialize.py         build into a scratch table, EXCHANGE TABLES; loader.py: loading files; synthetic.py
    project_users.py       on a server, each project's queries as a user granted only its database
    __init__.py            ClickHouseEngine, the Engine protocol over all of them
"""

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlglot import exp

from warehouse.catalog import Catalog
from warehouse.engine.base import EngineError, ProjectInspection, QueryResult, ResultTooLargeError, SeedCounts
from warehouse.engine.clickhouse import (
    connection,
    dialect,
    loader,
    materialize,
    project_users,
    synthetic,
    tables,
    types,
)
from warehouse.engine.clickhouse.connection import (
    TOO_MANY_ROWS_OR_BYTES,
    cancellable,
    database_name,
    name_key,
    qualified,
    query_settings,
    refuse_core_table,
    setting,
    translate_errors,
)
from warehouse.engine.clickhouse.guard import check_tables, planning_tree
from warehouse.engine.clickhouse.output_names import unique_output_names
from warehouse.engine.clickhouse.transport import ClickHouseError

# PostHog's HogQL functions that ClickHouse has (native_functions.txt says how the list was made).
NATIVE_FUNCTIONS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).parent / "native_functions.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


class ClickHouseEngine:
    """The ClickHouse engine: `<prefix>project_<id>` databases on the embedded ClickHouse or CLICKHOUSE_URL."""

    name = "clickhouse"
    label = "ClickHouse"
    unsupported_functions: frozenset[str] = frozenset()
    native_functions = NATIVE_FUNCTIONS

    def name_key(self, name: str) -> str:
        """Names that differ only in ASCII case are one name, as on DuckDB (see connection.name_key)."""
        return name_key(name)

    def table(self, project_id: int, name: str) -> exp.Table:
        """`project_<id>`.`<name>`: every table in the printed SQL is in the project's database."""
        return exp.Table(
            this=exp.to_identifier(name, quoted=True),
            db=exp.to_identifier(database_name(project_id), quoted=True),
        )

    def to_sql(self, tree: exp.Expression) -> str:
        return dialect.to_sql(tree)

    def clickhouse_type(self, engine_type: str) -> str:
        return types.clickhouse_type(engine_type)

    def stored_column(self, engine_type: str) -> dict:
        return types.stored_column(engine_type)

    # --- the Engine interface -----------------------------------------------------------------------------------
    def plan_columns(self, catalog: Catalog, tree: exp.Expression) -> list[tuple[str, str]]:
        """DESCRIBE the query with each table replaced by an empty row source of its catalog types: nothing is
        read, and the types are ClickHouse's own."""
        check_tables(tree, database_name(catalog.project_id))
        tree = unique_output_names(tree)
        joined = dialect.lazy_person_joins(
            tree.copy()
        )  # before the tables are replaced: it looks for persons
        planned = self.to_sql(planning_tree(joined, catalog, database_name(catalog.project_id)))
        with translate_errors(catalog.project_id):
            runner, own_user = project_users.query_transport(catalog.project_id)
            settings = query_settings(10, readonly=not own_user)
            rows = runner.execute(f"DESCRIBE TABLE ({planned}){settings}").rows
        return [(str(row[0]), str(row[1])) for row in rows]

    def run_query(
        self,
        catalog: Catalog,
        tree: exp.Expression,
        *,
        limit: int,
        offset: int = 0,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
        engine_sql: str | None = None,
    ) -> QueryResult:
        """One page of rows, read-only, within the time, memory and result-size limits; cancel kills it.

        `engine_sql` is not used: the SQL sent is printed from the tree `check_tables` checked (the project's
        database is all it may name)."""
        check_tables(tree, database_name(catalog.project_id))
        tables.ensure_project(catalog.project_id)
        limit = max(0, min(int(limit), int(setting("WAREHOUSE_MAX_ROWS", 50_000))))
        offset = max(0, int(offset))
        max_bytes = int(setting("WAREHOUSE_MAX_RESULT_BYTES", 64 * 1024 * 1024))
        tree = unique_output_names(tree)
        with translate_errors(catalog.project_id):
            runner, own_user = project_users.query_transport(catalog.project_id)
        sql = (
            f"SELECT * FROM ({self.to_sql(tree)}) LIMIT {limit + 1} OFFSET {offset}"
            f"{query_settings(timeout_seconds, readonly=not own_user)}, max_result_bytes = {max_bytes}, "
            "result_overflow_mode = 'throw'"
        )
        try:
            result = cancellable(
                lambda query_id: runner.execute(sql, query_id=query_id),
                should_cancel=should_cancel,
                project_id=catalog.project_id,
                timeout_seconds=timeout_seconds,
            )
        except EngineError as err:
            cause = err.__cause__
            if isinstance(cause, ClickHouseError) and cause.code == TOO_MANY_ROWS_OR_BYTES:
                raise too_large(max_bytes) from cause
            raise
        return QueryResult(
            columns=result.columns,
            types=result.types,
            rows=result.rows[:limit],
            has_more=len(result.rows) > limit,
        )

    def create_or_replace_table(
        self,
        catalog: Catalog,
        name: str,
        tree: exp.Expression,
        *,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> int:
        """Build the rows into a scratch table, then EXCHANGE TABLES (readers see old or new) and drop the old."""
        refuse_core_table(name, "replaced")
        check_tables(tree, database_name(catalog.project_id))
        return materialize.build_and_swap(
            catalog.project_id,
            name,
            self.to_sql(tree),
            timeout_seconds=timeout_seconds,
            should_cancel=should_cancel,
        )

    def drop_table(self, catalog: Catalog, name: str) -> None:
        refuse_core_table(name, "dropped")
        with translate_errors(catalog.project_id):
            connection.transport().command(
                f"DROP TABLE IF EXISTS {qualified(catalog.project_id, name)}{connection.on_cluster()} SYNC"
            )

    def describe_table(self, catalog: Catalog, name: str) -> list[tuple[str, str]]:
        with translate_errors(catalog.project_id):
            rows = (
                connection.transport().execute(f"DESCRIBE TABLE {qualified(catalog.project_id, name)}").rows
            )
        return [(str(row[0]), str(row[1])) for row in rows]

    def load_files(
        self,
        catalog: Catalog,
        name: str,
        files: Sequence[Path],
        file_format: str,
        *,
        max_rows: int | None = None,
    ) -> tuple[list[tuple[str, str]], int]:
        refuse_core_table(name, "replaced")
        limit = int(max_rows if max_rows is not None else setting("WAREHOUSE_LOAD_MAX_ROWS", 50_000_000))
        return loader.load_files(catalog.project_id, name, files, file_format, max_rows=limit)

    def inspect_project(self, project_id: int) -> ProjectInspection:
        return tables.inspect_project(project_id)

    def repair_project(self, project_id: int) -> list[str]:
        return tables.repair_project(project_id)

    def seed_core_tables(
        self, project_id: int, *, events: int, seed: int = 42, days: int = 30, replace: bool = True
    ) -> SeedCounts:
        return synthetic.seed_core_tables(project_id, events=events, seed=seed, days=days, replace=replace)


def too_large(max_bytes: int) -> EngineError:
    return ResultTooLargeError(
        f"The result is larger than {max_bytes} bytes (WAREHOUSE_MAX_RESULT_BYTES); select fewer rows or "
        "columns, or shorter values"
    )
