"""The engine seam: the Engine protocol every warehouse engine implements, its results and its errors."""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from sqlglot import exp

from core.errors import TemporarilyUnavailable
from warehouse.catalog import Catalog

# What an engine message may carry that a client must never see: file paths (quoted or not), names of our scratch
# objects, and (past the first line) the echoed SQL. Each engine removes its own qualification of table names
# (`"project_1"."main".`) where it turns its driver's errors into text.
_QUOTED_PATH = re.compile(r"""(["'])(?:[A-Za-z]:)?[/\\][^"']*\1""")
_BARE_PATH = re.compile(r"(?<![\w.:])/(?:[\w.@+-]+/)*[\w.@+-]+")
_SCRATCH_NAME = re.compile(r"\b(?:__load_|scratch_)[0-9a-f]{8,}\b|\b__scratch\b|\b__result\b")
MAX_MESSAGE_CHARS = 500


def scrub_engine_message(text: str) -> str:
    """An engine message safe to show a client: its first line, without paths, engine SQL or scratch names."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    line = _QUOTED_PATH.sub(lambda match: f"{match[1]}<file>{match[1]}", line)
    line = _BARE_PATH.sub("<file>", line)
    line = _SCRATCH_NAME.sub("<scratch>", line)
    if len(line) > MAX_MESSAGE_CHARS:
        line = line[: MAX_MESSAGE_CHARS - 3] + "..."
    return line or "The warehouse engine failed"


class EngineError(Exception):
    """The engine refused or failed a query. Every message is scrubbed here, in one place, so it is safe to show
    (no server paths, no engine SQL), whichever module raised it."""

    def __init__(self, message: object = "") -> None:
        super().__init__(scrub_engine_message(str(message)))


class QueryTimeoutError(EngineError):
    """The query ran longer than its time limit and was interrupted."""


class QueryCancelledError(EngineError):
    """The query was cancelled (should_cancel returned True) and was interrupted."""


class ResultTooLargeError(EngineError):
    """The query's result is larger than WAREHOUSE_MAX_RESULT_BYTES; fetching stopped (a 400 naming the limit)."""


class LoadTooLargeError(EngineError):
    """The data has more rows than one load may bring in (WAREHOUSE_LOAD_MAX_ROWS)."""


class EngineBusyError(EngineError, TemporarilyUnavailable):
    """The project's database stayed locked by another writer for longer than the lock wait (503 + Retry-After)."""

    @property
    def retry_after(self) -> float:  # type: ignore[override]
        return float(getattr(settings, "WAREHOUSE_BUSY_RETRY_AFTER_SECONDS", 5))


@dataclass
class QueryResult:
    """Rows of one query page: names, engine types, values, and whether more rows exist past the limit."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    has_more: bool


@dataclass(frozen=True)
class SeedCounts:
    """What seeding a project's core tables with synthetic data wrote."""

    events: int
    persons: int
    sessions: int
    groups: int


@dataclass
class ProjectInspection:
    """What a project's warehouse holds: whether it exists yet, its tables, what is wrong with its core tables."""

    exists: bool
    tables: list[str]
    core_table_problems: list[str]


class Engine(Protocol):
    """What the warehouse needs from an engine; every call is confined to one project's tables.

    Queries arrive as the compiler's canonical tree (warehouse/hogql/: analyze_view(sql, catalog, engine)); the
    engine names the tables in it (`table`), prints it (`to_sql`) and types its results.
    """

    name: str  # as in ENGINES and settings.WAREHOUSE_ENGINE
    label: str  # in messages: "... is not supported by the DuckDB engine"
    unsupported_functions: frozenset[str]  # lower-case HogQL functions refused with that message
    native_functions: frozenset[str]  # lower-case PostHog functions it runs as written, beyond the allowlist

    def name_key(self, name: str) -> str:
        """How the engine resolves a table name: two names with the same key are the same table."""
        ...

    def table(self, project_id: int, name: str) -> exp.Table:
        """The fully qualified table node of one of the project's tables, so nothing else can be reached."""
        ...

    def to_sql(self, tree: exp.Expr) -> str:
        """A canonical tree in this engine's SQL (a HogQLError for what it cannot express)."""
        ...

    def clickhouse_type(self, engine_type: str) -> str:
        """The ClickHouse type PostHog would report for one of this engine's types."""
        ...

    def stored_column(self, engine_type: str) -> dict:
        """PostHog's stored form ({hogql, clickhouse, valid}) of a column this engine typed."""
        ...

    def plan_columns(self, catalog: Catalog, tree: exp.Expr) -> list[tuple[str, str]]:
        """(name, engine type) of each output column, from planning the query against empty tables."""
        ...

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
        """One page of results (limit capped by settings.WAREHOUSE_MAX_ROWS).

        `engine_sql` is `to_sql(tree)` when the caller has printed it already (analysis does), so it is not printed
        twice; an engine whose isolation check reads the tree may print the tree it checked instead."""
        ...

    def create_or_replace_table(
        self,
        catalog: Catalog,
        name: str,
        tree: exp.Expr,
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

    def inspect_project(self, project_id: int) -> ProjectInspection:
        """Read-only: the project's tables and any missing or damaged core table (nothing is changed)."""
        ...

    def repair_project(self, project_id: int) -> list[str]:
        """Re-create missing or damaged core tables; one line per thing done."""
        ...

    def load_files(
        self,
        catalog: Catalog,
        name: str,
        files: "Sequence[Path]",
        file_format: str,
        *,
        max_rows: int | None = None,
    ) -> tuple[list[tuple[str, str]], int]:
        """Replace table `name` with the rows of local `files` (CSV, CSVWithNames, Parquet, JSONEachRow), atomically;
        more than `max_rows` (default WAREHOUSE_LOAD_MAX_ROWS) rows is an EngineError naming the limit."""
        ...

    def seed_core_tables(
        self, project_id: int, *, events: int, seed: int = 42, days: int = 30, replace: bool = True
    ) -> SeedCounts:
        """Fill the project's core tables with synthetic data: `events` events from ~events/20 persons over the last
        `days` days; the same seed gives the same rows."""
        ...
