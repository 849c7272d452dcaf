"""Loading files into a project's DuckDB file: a dedicated connection that never runs user SQL.

User queries run on connections with external access off. Loading needs to read a file, so it gets its own
connection with external access on, whose only SQL is built here: the file paths are our own staged files
(string literals, quoted), the table name is quoted, and the reader function is chosen from a fixed list.

A load is atomic, like a materialization (warehouse/engine/duckdb_materialize.py): the rows are read into a
scratch database in a private scratch folder (at most `max_rows` + 1 of them, so a file that expands past the
bound stops early), and only a finished table is copied into the project's file, in one engine transaction.
A load that dies leaves nothing in the project's file, and its scratch folder goes with the next sweep.
"""

from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.engine import EngineError
from warehouse.engine.duckdb import (
    DuckDBEngine,
    _config,
    _message,
    _quietly,
    quote,
    refuse_core_table,
    retry_while_locked,
)
from warehouse.engine.duckdb_locks import writing
from warehouse.engine.duckdb_scratch import scratch_space
from warehouse.hogql.resolver import engine_database

RESULT = "__result"
# PostHog's table formats -> DuckDB's reader for them. CSV sniffs a header; CSVWithNames always has one.
# Compression is never guessed by the engine: compressed input is expanded (and bounded) before it gets here.
READERS = {
    "CSV": "read_csv({files}, auto_detect = true, compression = 'none')",
    "CSVWithNames": "read_csv({files}, auto_detect = true, header = true, compression = 'none')",
    "Parquet": "read_parquet({files})",
    "JSONEachRow": "read_json({files}, format = 'newline_delimited', auto_detect = true, compression = 'none')",
}


class LoadTooLargeError(EngineError):
    """The data has more rows than one load may bring in (WAREHOUSE_LOAD_MAX_ROWS)."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _loader_config() -> dict[str, str]:
    return {**_config(), "enable_external_access": "true"}


def _open_for_loading(path: Path) -> duckdb.DuckDBPyConnection:
    return retry_while_locked(lambda: duckdb.connect(str(path), read_only=False, config=_loader_config()))


def scratch_config(scratch: Path) -> dict[str, str]:
    """A scratch database's connection: file access on (until a build locks it down); spills in its folder."""
    return {
        **_config(),
        "enable_external_access": "true",
        "lock_configuration": "false",
        "temp_directory": str(scratch.parent / "spill"),
    }


def load_files(
    engine: DuckDBEngine,
    project_id: int,
    name: str,
    files: Sequence[Path],
    file_format: str,
    *,
    max_rows: int,
) -> tuple[list[tuple[str, str]], int]:
    """Replace table `name` with the rows of `files` (swapped in atomically); (columns, rows written)."""
    if file_format not in READERS:
        raise EngineError(f"Unsupported format {file_format!r}; choose one of {sorted(READERS)}")
    if not files:
        raise EngineError("No files to load")
    refuse_core_table(name, "replaced")
    path = engine.path(project_id)
    if not path.exists():
        engine._initialise(project_id)
    reader = READERS[file_format].format(files="[" + ", ".join(_literal(str(f)) for f in files) + "]")
    with scratch_space("load") as folder:
        scratch = folder / "scratch.duckdb"
        conn = duckdb.connect(str(scratch), config=scratch_config(scratch))
        try:
            conn.execute(f"CREATE TABLE main.{RESULT} AS SELECT * FROM {reader} LIMIT {int(max_rows) + 1}")
            rows = int(conn.execute(f"SELECT count(*) FROM main.{RESULT}").fetchone()[0])
            columns = [(str(r[0]), str(r[1])) for r in conn.execute(f"DESCRIBE main.{RESULT}").fetchall()]
        except duckdb.Error as err:
            raise EngineError(_message(err)) from err
        finally:
            conn.close()
        if rows > max_rows:
            raise LoadTooLargeError(f"The data has more than {max_rows} rows (WAREHOUSE_LOAD_MAX_ROWS)")
        with writing(path):
            swap_in(project_id, path, scratch, name)
    return columns, rows


def swap_in(project_id: int, project_path: Path, scratch: Path, name: str) -> None:
    """DROP the old table and CREATE the new one from the scratch database's result, in one transaction."""
    refuse_core_table(name, "replaced")
    target = f"{quote(engine_database(project_id))}.main.{quote(name)}"
    conn = _open_for_loading(project_path)
    try:
        conn.execute(f"ATTACH {_literal(str(scratch))} AS __scratch (READ_ONLY)")
        conn.execute("BEGIN TRANSACTION")
        conn.execute(f"DROP TABLE IF EXISTS {target}")
        conn.execute(f"CREATE TABLE {target} AS SELECT * FROM __scratch.main.{RESULT}")
        conn.execute("COMMIT")
    except duckdb.Error as err:
        _quietly(conn, "ROLLBACK")
        raise EngineError(_message(err)) from err
    finally:
        conn.close()
