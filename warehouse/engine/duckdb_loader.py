"""Loading files into a project's DuckDB file: a dedicated connection that never runs user SQL.

User queries run on connections with external access off. Loading needs to read a file, so it gets its own
connection with external access on, whose only SQL is built here: the file paths are our own temporary files
(string literals, quoted), the table name is quoted, and the reader function is chosen from a fixed list.
"""

import uuid
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
from warehouse.hogql.resolver import engine_database

# PostHog's table formats -> DuckDB's reader for them. CSV sniffs a header; CSVWithNames always has one.
READERS = {
    "CSV": "read_csv({files}, auto_detect = true)",
    "CSVWithNames": "read_csv({files}, auto_detect = true, header = true)",
    "Parquet": "read_parquet({files})",
    "JSONEachRow": "read_json({files}, format = 'newline_delimited', auto_detect = true)",
}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _loader_config() -> dict[str, str]:
    return {**_config(), "enable_external_access": "true"}


def _open_for_loading(path: Path) -> duckdb.DuckDBPyConnection:
    return retry_while_locked(lambda: duckdb.connect(str(path), read_only=False, config=_loader_config()))


def load_files(
    engine: DuckDBEngine, project_id: int, name: str, files: Sequence[Path], file_format: str
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
    prefix = f"{quote(engine_database(project_id))}.main."
    scratch_name = f"__load_{uuid.uuid4().hex}"
    scratch, target = prefix + quote(scratch_name), prefix + quote(name)
    reader = READERS[file_format].format(files="[" + ", ".join(_literal(str(f)) for f in files) + "]")
    conn = _open_for_loading(path)
    try:
        conn.execute(f"CREATE TABLE {scratch} AS SELECT * FROM {reader}")
        rows = conn.execute(f"SELECT count(*) FROM {scratch}").fetchone()[0]
        columns = [(str(r[0]), str(r[1])) for r in conn.execute(f"DESCRIBE {scratch}").fetchall()]
        conn.execute("BEGIN TRANSACTION")
        conn.execute(f"DROP TABLE IF EXISTS {target}")
        conn.execute(f"ALTER TABLE {scratch} RENAME TO {quote(name)}")
        conn.execute("COMMIT")
    except duckdb.Error as err:
        _quietly(conn, "ROLLBACK")
        _quietly(conn, f"DROP TABLE IF EXISTS {scratch}")
        raise EngineError(_message(err)) from err
    finally:
        conn.close()
    return columns, int(rows)
