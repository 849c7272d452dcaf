"""The warehouse engine behind a small interface (warehouse/engine/base.py), chosen by settings.WAREHOUSE_ENGINE.

Each engine is a package `warehouse/engine/<name>/` implementing `Engine`; adding one is that package plus one line
in ENGINES (and passing tests/warehouse/engine/contract/).
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from warehouse.engine.base import (
    MAX_MESSAGE_CHARS,
    Engine,
    EngineBusyError,
    EngineError,
    LoadTooLargeError,
    ProjectInspection,
    QueryCancelledError,
    QueryResult,
    QueryTimeoutError,
    ResultTooLargeError,
    SeedCounts,
    scrub_engine_message,
)

# settings.WAREHOUSE_ENGINE -> implementation.
ENGINES = {
    "duckdb": "warehouse.engine.duckdb.DuckDBEngine",
    "clickhouse": "warehouse.engine.clickhouse.ClickHouseEngine",
}

__all__ = [
    "ENGINES",
    "MAX_MESSAGE_CHARS",
    "Engine",
    "EngineBusyError",
    "EngineError",
    "LoadTooLargeError",
    "ProjectInspection",
    "QueryCancelledError",
    "QueryResult",
    "QueryTimeoutError",
    "ResultTooLargeError",
    "SeedCounts",
    "get_engine",
    "scrub_engine_message",
]


@cache
def _engine(path: str) -> Engine:
    return import_string(path)()


def get_engine() -> Engine:
    """The engine configured by settings.WAREHOUSE_ENGINE."""
    name = getattr(settings, "WAREHOUSE_ENGINE", "duckdb")
    if name not in ENGINES:
        raise EngineError(f"Unknown warehouse engine {name!r}; choose one of {sorted(ENGINES)}")
    return _engine(ENGINES[name])
