"""Scratch databases and the swap: how a finished table moves into a project's file in one transaction.

Loads (loader.py) and materializations (materialize.py) both build their rows in a private scratch database
first; only a finished table is copied into the project's file, so readers see the old table or the new one.
"""

from pathlib import Path

import duckdb

from warehouse.engine.base import EngineError
from warehouse.engine.duckdb.connection import (
    Config,
    config,
    literal,
    message,
    open_file,
    qualified,
    quietly,
    refuse_core_table,
)

RESULT = "__result"


def scratch_config(scratch: Path) -> Config:
    """A scratch database's connection: file access on (until a build locks it down); spills in its folder."""
    return {
        **config(),
        "enable_external_access": "true",
        "lock_configuration": "false",
        "temp_directory": str(scratch.parent / "spill"),
    }


def swap_in(project_id: int, project_path: Path, scratch: Path, name: str) -> None:
    """DROP the old table and CREATE the new one from the scratch database's result, in one transaction."""
    refuse_core_table(name, "replaced")
    target = qualified(project_id, name)
    conn = open_file(project_path, read_only=False, external_access=True)
    try:
        conn.execute(f"ATTACH {literal(str(scratch))} AS __scratch (READ_ONLY)")
        conn.execute("BEGIN TRANSACTION")
        conn.execute(f"DROP TABLE IF EXISTS {target}")
        conn.execute(f"CREATE TABLE {target} AS SELECT * FROM __scratch.main.{RESULT}")
        conn.execute("COMMIT")
    except duckdb.Error as err:
        quietly(conn, "ROLLBACK")
        raise EngineError(message(err)) from err
    finally:
        conn.close()
