"""ClickHouse inside this process (chdb), on a local directory.

chdb runs one embedded ClickHouse per process, on one directory, and a directory serves one process (see
docs/warehouse-clickhouse.md). Each call takes one chdb connection from a small pool, so calls from several threads
run side by side.
"""

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from warehouse.engine.clickhouse.transport import (
    ClickHouseError,
    ClickHouseNotInstalled,
    Rows,
    check_query_id,
    check_settings,
    import_client_library,
    rows_of,
    translated_errors,
)

_LEADING_COMMENTS = re.compile(r"^(?:\s+|/\*.*?\*/|--[^\n]*)*", re.DOTALL)
_QUERY_STATEMENT = re.compile(r"(?:SELECT|WITH|DESCRIBE|DESC|SHOW|EXISTS|EXPLAIN)\b|\(", re.IGNORECASE)
IDLE_CONNECTIONS = 8


class EmbeddedTransport:
    """ClickHouse in this process (chdb) on a local directory; safe to share between threads."""

    kind = "embedded"
    cluster: str | None = None  # one process, no cluster
    # chdb starts one embedded server per process, on the first path it is given; every transport shares it.
    _process_path: str | None = None
    _process_lock = threading.Lock()

    def __init__(self, path: str | Path):
        import_client_library()
        try:
            import chdb  # noqa: F401
            from clickhouse_connect.driver._chdbclient import ChdbClient
        except ImportError as err:
            raise ClickHouseNotInstalled("chdb-core") from err
        self._client_class = ChdbClient
        self.path = str(Path(path).resolve())
        with EmbeddedTransport._process_lock:
            opened = EmbeddedTransport._process_path
            if opened is not None and opened != self.path:
                raise ClickHouseError(
                    f"Embedded ClickHouse (chdb) is already open on {opened} in this process; "
                    f"it runs one data directory per process, so it cannot also open {self.path}"
                )
            Path(self.path).mkdir(parents=True, exist_ok=True)
            EmbeddedTransport._process_path = self.path
        self._idle: list[Any] = []
        self._idle_lock = threading.Lock()
        self._closed = False
        try:
            # Open the engine now: a bad or busy directory fails here, not in the first query.
            with self._connection():
                pass
        except ClickHouseError as err:
            if "EmbeddedServer" not in str(err):
                raise
            raise ClickHouseError(
                f"Embedded ClickHouse (chdb) could not open {self.path}: another process may be using it (one "
                "process per directory; several processes need a ClickHouse server, CLICKHOUSE_URL)"
            ) from err

    @contextmanager
    def _connection(self, *, reusable: bool = True) -> Iterator[Any]:
        """One chdb connection for one call. A connection runs one statement at a time, so each call takes its own.

        A connection that may have had readonly SET on it is closed after the call instead of reused.
        """
        with self._idle_lock:
            client = self._idle.pop() if self._idle else None
        if client is None:
            with translated_errors("embedded"):
                client = self._client_class(path=self.path)
        try:
            yield client
        finally:
            with self._idle_lock:
                keep = reusable and not self._closed and len(self._idle) < IDLE_CONNECTIONS
                if keep:
                    self._idle.append(client)
            if not keep:
                client.close()

    @staticmethod
    def _marked(sql: str, query_id: str | None) -> str:
        # chdb has no per-statement query_id: the id rides in a comment, where system.processes shows it to kill().
        return f"/* query_id:{check_query_id(query_id)} */ {sql}" if query_id else sql

    @staticmethod
    def _reusable_after(sql: str, settings: Mapping[str, Any] | None) -> bool:
        """False when the call will SET readonly on its connection: clickhouse-connect applies settings to
        statements other than queries with SET (and restores them afterwards), but readonly cannot be unset."""
        if not settings or "readonly" not in settings:
            return True
        return bool(_QUERY_STATEMENT.match(_LEADING_COMMENTS.sub("", sql)))

    def execute(
        self, sql: str, *, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> Rows:
        with (
            self._connection(reusable=self._reusable_after(sql, settings)) as client,
            translated_errors("embedded"),
        ):
            return rows_of(client.query(self._marked(sql, query_id), settings=check_settings(settings)))

    def execute_raw(
        self, sql: str, *, fmt: str, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> bytes:
        with self._connection() as client, translated_errors("embedded"):
            return client.raw_query(self._marked(sql, query_id), settings=check_settings(settings), fmt=fmt)

    def command(
        self, sql: str, *, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> None:
        with (
            self._connection(reusable=not settings or "readonly" not in settings) as client,
            translated_errors("embedded"),
        ):
            client.command(self._marked(sql, query_id), settings=check_settings(settings))

    def insert_data(
        self,
        table: str,
        data: bytes | Iterable[bytes],
        *,
        fmt: str,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        with self._connection() as client, translated_errors("embedded"):
            client.raw_insert(table, insert_block=data, fmt=fmt, settings=check_settings(settings))

    def kill(self, query_id: str) -> bool:
        marker = f"/* query_id:{check_query_id(query_id)} */"
        # The pattern is built by concat() so the KILL statement's own text does not match it.
        head, tail = marker[:10], marker[10:]
        sql = f"KILL QUERY WHERE query LIKE concat('{head}', '{tail}', '%') SYNC"
        return bool(self.execute_raw(sql, fmt="TabSeparated").strip())  # one line per stopped statement

    def close(self) -> None:
        with self._idle_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for client in idle:
            client.close()
