"""A connection to one project's file: created with its core tables on first use, repaired if damaged, locked."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from warehouse.engine.duckdb.connection import initialise, open_file, project_path, translate_errors
from warehouse.engine.duckdb.locks import reading, writing
from warehouse.engine.duckdb.repair import ensure_core_tables

logger = logging.getLogger(__name__)


@contextmanager
def project_connection(project_id: int, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A locked-down connection to the project's file (shared by readers, alone for a writer); closed on exit."""
    path = project_path(project_id)
    if not path.exists():
        initialise(project_id)
    with translate_errors():  # before taking the file's lock: it may repair
        repaired = ensure_core_tables(project_id, path)
    for line in repaired:
        logger.warning("Repaired the warehouse of project %s: %s", project_id, line)
    with reading(path) if read_only else writing(path):
        conn = open_file(path, read_only=read_only)
        try:
            yield conn
        finally:
            conn.close()
