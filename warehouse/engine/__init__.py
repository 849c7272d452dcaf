"""The warehouse engine behind a small interface: plan, run, materialize. DuckDB today; chosen by a setting."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from warehouse.catalog import Catalog

# settings.WAREHOUSE_ENGINE -> implementation. A ClickHouse backend is one module and one line here.
ENGINES = {
    "duckdb": "warehouse.engine.duckdb.DuckDBEngine",
}


class EngineError(Exception):
    """The engine refused or failed a query; the message is safe to show (no paths, no engine SQL)."""


class QueryTimeoutError(EngineError):
    """The query ran longer than its time limit and was interrupted."""


class QueryCancelledError(EngineError):
    """The query was cancelled (should_cancel returned True) and was interrupted."""


class EngineBusyError(EngineError):
    """The project's database stayed locked by another process (a writer) for longer than the lock timeout."""


@dataclass
class QueryResult:
    """Rows of one query page: names, engine types, values, and whether more rows exist past the limit."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    has_more: bool


class Engine(Protocol):
    """What the warehouse needs from an engine; every call is confined to one project's tables."""

    def name_key(self, name: str) -> str:
        """How the engine resolves a table name: two names with the same key are the same table."""
        ...

    def plan_columns(self, catalog: Catalog, engine_sql: str) -> list[tuple[str, str]]:
        """(name, engine type) of each output column, from planning the query against empty tables."""
        ...

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
        """One page of results (limit capped by settings.WAREHOUSE_MAX_ROWS)."""
        ...

    def create_or_replace_table(
        self,
        catalog: Catalog,
        name: str,
        engine_sql: str,
        *,
        timeout_seconds: float | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> int:
        """Write the query's rows into table `name`, swapped in atomically; returns the rows written."""
        ...

    def drop_table(self, catalog: Catalog, name: str) -> None:
        """Remove table `name` if it exists."""
        ...

    def describe_table(self, catalog: Catalog, name: str) -> list[tuple[str, str]]:
        """(name, engine type) of each column of the project's table `name`."""
        ...

    def load_files(
        self, catalog: Catalog, name: str, files: "Sequence[Path]", file_format: str
    ) -> tuple[list[tuple[str, str]], int]:
        """Replace table `name` with the rows of local `files` (CSV, CSVWithNames, Parquet, JSONEachRow)."""
        ...


@cache
def _engine(path: str) -> Engine:
    return import_string(path)()


def get_engine() -> Engine:
    """The engine configured by settings.WAREHOUSE_ENGINE."""
    name = getattr(settings, "WAREHOUSE_ENGINE", "duckdb")
    if name not in ENGINES:
        raise EngineError(f"Unknown warehouse engine {name!r}; choose one of {sorted(ENGINES)}")
    return _engine(ENGINES[name])
