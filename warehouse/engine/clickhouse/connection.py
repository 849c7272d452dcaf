"""The configured transport, the project's database and table names, error translation, cancellable statements.

Settings: CLICKHOUSE_URL (a server; empty: embedded), CLICKHOUSE_PATH (the embedded data directory; default
WAREHOUSE_DIR/clickhouse), CLICKHOUSE_DATABASE_PREFIX (before every project database's name; the URL's
`database_prefix` option wins), CLICKHOUSE_CLUSTER (a server's cluster for ON CLUSTER DDL and replicated tables;
the URL's `cluster` option wins).
"""

import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.conf import settings

from warehouse.catalog import core_table_matching
from warehouse.engine.base import EngineError, QueryCancelledError, QueryTimeoutError
from warehouse.engine.clickhouse.embedded import EmbeddedTransport  # importable without the extra
from warehouse.engine.clickhouse.server import ServerTransport
from warehouse.engine.clickhouse.transport import ClickHouseError, ClickHouseNotInstalled, Transport

T = TypeVar("T")
TIMEOUT_EXCEEDED, QUERY_WAS_CANCELLED, TOO_MANY_ROWS_OR_BYTES = 159, 394, 396
CANCEL_POLL_SECONDS = 0.05

_transports: dict[tuple[str, str], Transport] = {}
_transports_lock = threading.Lock()


def setting(name: str, default):
    return getattr(settings, name, default)


def transport() -> Transport:
    """The process's transport for the configured ClickHouse (one per URL or directory, shared by threads)."""
    url = setting("CLICKHOUSE_URL", "") or ""
    path = str(
        setting("CLICKHOUSE_PATH", "") or Path(setting("WAREHOUSE_DIR", "data/warehouse")) / "clickhouse"
    )
    cluster = str(setting("CLICKHOUSE_CLUSTER", "") or "")
    key = (url, cluster if url else path)
    with _transports_lock:
        if key not in _transports:
            try:
                if url:
                    _transports[key] = ServerTransport.from_url(url, cluster=cluster or None)
                else:
                    _transports[key] = EmbeddedTransport(path)
            except (ClickHouseError, ClickHouseNotInstalled, ValueError) as err:
                raise EngineError(str(err)) from err
        return _transports[key]


def database_name(project_id: int) -> str:
    """The project's ClickHouse database: `<prefix>project_<id>`."""
    current = transport()
    prefix = getattr(getattr(current, "address", None), "database_prefix", "") or setting(
        "CLICKHOUSE_DATABASE_PREFIX", ""
    )
    return f"{prefix}project_{int(project_id)}"


def quote(identifier: str) -> str:
    """A ClickHouse identifier in backquotes."""
    return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`"


def literal(value: str) -> str:
    """A ClickHouse string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def qualified(project_id: int, name: str) -> str:
    return f"{quote(database_name(project_id))}.{quote(name)}"


def on_cluster() -> str:
    """` ON CLUSTER <name>` when a cluster is named: the DDL runs on every host of the cluster."""
    cluster = transport().cluster
    return f" ON CLUSTER {quote(cluster)}" if cluster else ""


# On a cluster every host is a replica of one shard and holds every project's whole warehouse (no Distributed
# table; see docs/warehouse-clickhouse.md, "On a cluster"). The replication path follows the table's UUID, which
# ON CLUSTER DDL gives every host alike and EXCHANGE/RENAME keep; the replica name is unique across the cluster.
REPLICATED_ENGINE = "ReplicatedMergeTree('/clickhouse/tables/phc_warehouse/{uuid}', '{shard}-{replica}')"


def table_engine() -> str:
    """The engine of every stored table: ReplicatedMergeTree on a cluster, else MergeTree."""
    return REPLICATED_ENGINE if transport().cluster else "MergeTree"


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def name_key(name: str) -> str:
    """The same rule as DuckDB's (ASCII case ignored), although ClickHouse itself tells `Events` from `events`.

    One rule on every engine: a view named `Events` is refused on both (it is PostHog's table), the database's
    lower(name) constraints agree with it, and a project's names mean the same tables if it moves engines.
    """
    return name.translate(_ASCII_LOWER)


def refuse_core_table(name: str, action: str) -> None:
    """Never replace or drop a PostHog table, in any case (so the name keeps meaning the same table in PostHog)."""
    core = core_table_matching(name, key=name_key)
    if core is not None:
        shown = name if name == core else f"{name} ({core})"
        raise EngineError(f"{shown} is a PostHog table and cannot be {action}")


_VERSION = re.compile(r"\s*\(version [^)]*\)")
_CODE_PREFIX = re.compile(r"^Code: \d+\. (?:DB::Exception: )?")
_IN_SCOPE = re.compile(r"\.? In scope .*$")
_WHILE_EXECUTING = re.compile(r":? while (?:executing|processing) .*?(?= \([A-Z_]+\)$|$)")


def message(err: ClickHouseError, project_id: int | None = None) -> str:
    """ClickHouse's message without its code prefix, version, echoed SQL or the project's database name."""
    text = _VERSION.sub("", str(err))
    text = _IN_SCOPE.sub("", _CODE_PREFIX.sub("", text.splitlines()[0] if text else ""))
    text = _WHILE_EXECUTING.sub("", text)
    if project_id is not None:
        database = database_name(project_id)
        text = text.replace(f"`{database}`.", "").replace(f"{database}.", "")
    return text.strip() or "The warehouse engine failed"


@contextmanager
def translate_errors(project_id: int | None = None, timeout_seconds: float | None = None) -> Iterator[None]:
    try:
        yield
    except ClickHouseError as err:
        if err.code == TIMEOUT_EXCEEDED:
            limit = f"{timeout_seconds:g} seconds" if timeout_seconds else "its time limit"
            raise QueryTimeoutError(f"The query took longer than {limit} and was stopped") from err
        if err.code == QUERY_WAS_CANCELLED:
            raise QueryCancelledError("The query was cancelled") from err
        raise EngineError(message(err, project_id)) from err


def cancellable(
    statement: Callable[[str], T],
    *,
    should_cancel: Callable[[], bool] | None,
    project_id: int | None = None,
    timeout_seconds: float | None = None,
) -> T:
    """Run `statement(query_id)`; while it runs, poll `should_cancel` and KILL the statement when it says so.

    The time limit is ClickHouse's (max_execution_time in the statement's settings).
    """
    query_id = f"phc-{uuid.uuid4().hex}"
    if should_cancel is None:
        with translate_errors(project_id, timeout_seconds):
            return statement(query_id)
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = statement(query_id)
        except BaseException as err:  # handed to the caller's thread below
            outcome["error"] = err

    worker = threading.Thread(target=run, name=f"clickhouse-{query_id}", daemon=True)
    worker.start()
    cancelled = False
    while worker.is_alive():
        worker.join(CANCEL_POLL_SECONDS)
        if worker.is_alive() and (cancelled or should_cancel()):
            cancelled = True
            try:
                transport().kill(query_id)  # again until it stops: the statement may not have started yet
            except ClickHouseError:
                pass
    if cancelled:
        raise QueryCancelledError("The query was cancelled")
    if "error" in outcome:
        with translate_errors(project_id, timeout_seconds):
            raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def query_settings(timeout_seconds: float | None, *, readonly: bool) -> str:
    """A SETTINGS clause: the warehouse's limits for one statement (in the SQL, so both transports send it alike).

    readonly=1 also refuses table functions (file, url, s3, remote): defence in depth behind the compiler. (A
    project's own user is readonly = 2 already, which ClickHouse does not let a statement change: project_users.)"""
    parts = [
        f"max_memory_usage = {memory_limit_bytes()}",
        f"max_threads = {int(setting('WAREHOUSE_THREADS', 2))}",
        "join_use_nulls = 1",
    ]
    if timeout_seconds:
        parts.append(f"max_execution_time = {float(timeout_seconds)}, timeout_overflow_mode = 'throw'")
    if readonly:
        parts.insert(0, "readonly = 1")
    return " SETTINGS " + ", ".join(parts)


_UNITS = {"": 1, "B": 1, "KB": 1000, "MB": 1000**2, "GB": 1000**3, "TB": 1000**4}
_UNITS |= {"KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "TIB": 1024**4}


def memory_limit_bytes() -> int:
    """WAREHOUSE_MEMORY_LIMIT ("1GB", "512MiB", a number of bytes) in bytes."""
    text = str(setting("WAREHOUSE_MEMORY_LIMIT", "1GB")).strip().upper().replace(" ", "")
    found = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]I?B|B)?", text)
    if not found:
        return 1000**3
    return int(float(found[1]) * _UNITS[found[2] or ""])
