"""Loading files into a project's DuckDB file: a dedicated connection that never runs user SQL.

User queries run on connections with external access off. Loading needs to read a file, so it gets its own
connection with external access on, whose only SQL is built here: the file paths are our own staged files
(string literals, quoted), the table name is quoted, and the reader function is chosen from a fixed list.

A load is atomic, like a materialization (materialize.py): the rows are read into a
scratch database in a private scratch folder (at most `max_rows` + 1 of them, so a file that expands past the
bound stops early), and only a finished table is copied into the project's file, in one engine transaction.
A load that dies leaves nothing in the project's file, and its scratch folder goes with the next sweep.
"""

from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.engine.base import EngineError, LoadTooLargeError
from warehouse.engine.duckdb.connection import (
    count_rows,
    initialise,
    literal,
    message,
    project_path,
    refuse_core_table,
)
from warehouse.engine.duckdb.locks import writing
from warehouse.engine.duckdb.swap import RESULT, scratch_config, swap_in
from warehouse.engine.scratch import scratch_space

# PostHog's table formats -> DuckDB's reader for them. CSV sniffs a header; CSVWithNames always has one.
# Compression is never guessed by the engine: compressed input is expanded (and bounded) before it gets here.
READERS = {
    "CSV": "read_csv({files}, auto_detect = true, compression = 'none')",
    "CSVWithNames": "read_csv({files}, auto_detect = true, header = true, compression = 'none')",
    "Parquet": "read_parquet({files})",
    "JSONEachRow": "read_json({files}, format = 'newline_delimited', auto_detect = true, compression = 'none')",
}


def load_files(
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
    path = project_path(project_id)
    if not path.exists():
        initialise(project_id)
    reader = READERS[file_format].format(files="[" + ", ".join(literal(str(f)) for f in files) + "]")
    with scratch_space("load") as folder:
        scratch = folder / "scratch.duckdb"
        conn = duckdb.connect(str(scratch), config=scratch_config(scratch))
        try:
            conn.execute(f"CREATE TABLE main.{RESULT} AS SELECT * FROM {reader} LIMIT {int(max_rows) + 1}")
            rows = count_rows(conn, f"main.{RESULT}")
            columns = [(str(r[0]), str(r[1])) for r in conn.execute(f"DESCRIBE main.{RESULT}").fetchall()]
        except duckdb.Error as err:
            raise EngineError(message(err)) from err
        finally:
            conn.close()
        if rows > max_rows:
            raise LoadTooLargeError(f"The data has more than {max_rows} rows (WAREHOUSE_LOAD_MAX_ROWS)")
        with writing(path):
            swap_in(project_id, path, scratch, name)
    return columns, rows
