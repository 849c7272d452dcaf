"""The engines the contract runs against: every registered engine, each set up by one function here.

Adding an engine: register it in warehouse/engine/__init__.py's ENGINES, and add its setup below (configure
settings for a private, empty warehouse; skip when the engine's server is not available). Nothing else changes.
"""

from collections.abc import Callable

import pytest


def duckdb_setup(settings, tmp_path) -> None:
    """DuckDB needs only a private folder."""
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"


def clickhouse_setup(settings, tmp_path) -> None:
    """Embedded ClickHouse: one data directory per test process (chdb allows no other), fresh databases per test."""
    pytest.importorskip("chdb", reason="the optional 'clickhouse' extra is not installed")
    from tests.warehouse.engine.clickhouse.support import use_embedded

    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    use_embedded(settings, tag="t")


# engine name (as in ENGINES) -> setup(settings, tmp_path); may pytest.skip() when the engine is unavailable.
SETUPS: dict[str, Callable] = {
    "duckdb": duckdb_setup,
    "clickhouse": clickhouse_setup,
}


def set_up(name: str, settings, tmp_path) -> None:
    setup = SETUPS.get(name)
    if setup is None:
        pytest.fail(
            f"Engine {name!r} is registered but has no setup in tests/warehouse/engine/contract/engines.py"
        )
    setup(settings, tmp_path)


# Hand-written engine SQL that only a broken compiler could let through: each engine must refuse it itself
# (reading files, the network or the server's own state). Parsed with sqlglot in the engine's dialect.
ATTACKS: dict[str, list[str]] = {
    "clickhouse": [
        "SELECT * FROM file('/etc/passwd', 'LineAsString')",
        "SELECT * FROM url('http://127.0.0.1:1/data.csv', 'CSV')",
        "SELECT * FROM s3('https://example.com/bucket/data.csv')",
        "SELECT * FROM remote('127.0.0.1:9000', system.one)",
        "SELECT * FROM system.processes",
        "SELECT * FROM system.tables",
        "SELECT count() FROM numbers(10)",
    ],
    "duckdb": [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_json('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_parquet('https://example.com/data.parquet')",
        "SELECT * FROM read_csv('s3://bucket/data.csv')",
    ],
}
