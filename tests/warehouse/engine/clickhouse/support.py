"""The embedded ClickHouse directory of this test process, and settings that give a test its own databases there.

chdb runs one embedded ClickHouse per process, on one directory, and a directory serves one process: every test
in a process (transport tests, the HTTP stand-in, engine tests, the API suite on WAREHOUSE_ENGINE=clickhouse)
shares this one, each in its own databases (a fresh CLICKHOUSE_DATABASE_PREFIX per test).
"""

import atexit
import shutil
import tempfile
import uuid
from functools import cache


@cache
def embedded_path() -> str:
    path = tempfile.mkdtemp(prefix="phc-chdb-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


_used_prefixes: list[str] = []


def embedded_settings(*, tag: str = "t") -> dict[str, str]:
    """Settings for this process's embedded ClickHouse with a fresh database prefix (starting with `tag`).

    The databases of the prefix handed out before are dropped first: that test has finished, its monkeypatches
    (a test may hide clickhouse_connect) are undone, and the process's databases stay few."""
    while _used_prefixes:
        drop_databases(_used_prefixes.pop())
    prefix = f"{tag}{uuid.uuid4().hex[:10]}_"
    _used_prefixes.append(prefix)
    return {"CLICKHOUSE_URL": "", "CLICKHOUSE_PATH": embedded_path(), "CLICKHOUSE_DATABASE_PREFIX": prefix}


def use_embedded(settings, *, tag: str = "t") -> None:
    """Point pytest-django's `settings` at this process's embedded ClickHouse, in databases of its own."""
    for name, value in embedded_settings(tag=tag).items():
        setattr(settings, name, value)


def drop_databases(prefix: str) -> None:
    """Drop the databases made under `prefix`, if this process has opened its embedded ClickHouse."""
    from warehouse.engine.clickhouse import connection

    transport = connection._transports.get(("", embedded_path()))
    if transport is not None:
        rows = transport.execute(f"SELECT name FROM system.databases WHERE startsWith(name, '{prefix}')").rows
        for (name,) in rows:
            transport.command(f"DROP DATABASE IF EXISTS `{name}` SYNC")
