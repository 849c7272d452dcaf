"""Build a table's new rows into a scratch table, then swap it in with EXCHANGE TABLES (atomic) and drop the old."""

import uuid
from collections.abc import Callable

from warehouse.engine.clickhouse.connection import (
    cancellable,
    on_cluster,
    qualified,
    query_settings,
    quote,
    table_engine,
    translate_errors,
    transport,
)
from warehouse.engine.clickhouse.tables import ensure_project

SCRATCH_PREFIX = "__build_"


def scratch_name() -> str:
    return f"{SCRATCH_PREFIX}{uuid.uuid4().hex}"


def swap_in(project_id: int, scratch: str, name: str) -> None:
    """Make `scratch` the table `name`: EXCHANGE when `name` exists (readers see old or new), else RENAME."""
    target, built = qualified(project_id, name), qualified(project_id, scratch)
    exists = transport().execute(f"EXISTS TABLE {target}").rows[0][0]
    if exists:
        transport().command(f"EXCHANGE TABLES {built} AND {target}{on_cluster()}")
        transport().command(f"DROP TABLE IF EXISTS {built}{on_cluster()} SYNC")
    else:
        transport().command(f"RENAME TABLE {built} TO {target}{on_cluster()}")


def drop_quietly(project_id: int, scratch: str) -> None:
    try:
        transport().command(f"DROP TABLE IF EXISTS {qualified(project_id, scratch)}{on_cluster()} SYNC")
    except Exception:  # noqa: S110 - the scratch table is ours and unused; a leftover is harmless
        pass


def build_and_swap(
    project_id: int,
    name: str,
    engine_sql: str,
    *,
    timeout_seconds: float | None,
    should_cancel: Callable[[], bool] | None,
) -> int:
    """Write the query's rows into a new MergeTree table and swap it in; returns the rows written."""
    ensure_project(project_id)
    scratch = scratch_name()
    built = qualified(project_id, scratch)
    settings = query_settings(timeout_seconds, readonly=False)
    sql = (
        f"CREATE TABLE {built} ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM ({engine_sql}){settings}"
    )
    try:
        if transport().cluster:
            sql = _create_empty_on_cluster(project_id, built, engine_sql, settings)
        cancellable(
            lambda query_id: transport().command(sql, query_id=query_id),
            should_cancel=should_cancel,
            project_id=project_id,
            timeout_seconds=timeout_seconds,
        )
        with translate_errors(project_id):
            rows = int(transport().execute(f"SELECT count() FROM {built}").rows[0][0])
            swap_in(project_id, scratch, name)
    except BaseException:
        drop_quietly(project_id, scratch)
        raise
    return rows


def _create_empty_on_cluster(project_id: int, built: str, engine_sql: str, settings: str) -> str:
    """On a cluster: the empty scratch table on every host (its columns from DESCRIBE, nothing read), and the
    INSERT that fills it on one host, from which replication copies the rows. (CREATE ... ON CLUSTER ... AS SELECT
    would run the SELECT and insert its rows on every host.)"""
    with translate_errors(project_id):
        described = transport().execute(f"DESCRIBE TABLE ({engine_sql}){settings}").rows
        columns = ", ".join(f"{quote(str(row[0]))} {row[1]}" for row in described)
        transport().command(
            f"CREATE TABLE {built}{on_cluster()} ({columns}) ENGINE = {table_engine()} ORDER BY tuple()"
        )
    return f"INSERT INTO {built} SELECT * FROM ({engine_sql}){settings}"
