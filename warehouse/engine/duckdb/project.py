"""A connection to one project's file: created with its core tables on first use, repaired if damaged, locked."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from warehouse.engine.duckdb.connection import initialise, open_file, project_path, translate_errors
from warehouse.engine.duckdb.locks import writing
from warehouse.engine.duckdb.pool import read_connection
from warehouse.engine.duckdb.repair import ensure_core_tables

logger = logging.getLogger(__name__)


@contextmanager
def project_connection(project_id: int, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A locked-down connection to the project's file: readers share the file and reuse a parked connection
    (pool.py); a writer has it alone, on a new connection closed on exit."""
    path = project_path(project_id)
    if not path.exists():
        initialise(project_id)
    with translate_errors():  # before taking the file's lock: it may repair
        repaired = ensure_core_tables(project_id, path)
    for line in repaired:
        logger.warning("Repaired the warehouse of project %s: %s", project_id, line)
    if read_only:
        with read_connection(path) as conn:
            yield conn
        return
    with writing(path):
        conn = open_file(path, read_only=False)
        try:
            yield conn
        finally:
            conn.close()
