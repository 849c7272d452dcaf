"""A ClickHouse server (or cluster) over HTTP(S), through clickhouse-connect."""

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from warehouse.engine.clickhouse.transport import (
    Rows,
    check_query_id,
    check_settings,
    import_client_library,
    rows_of,
    translated_errors,
)


@dataclass(frozen=True)
class ServerAddress:
    """Where a ClickHouse server is and how to log in, parsed from CLICKHOUSE_URL."""

    host: str
    port: int
    secure: bool
    username: str
    password: str
    database_prefix: str = ""
    cluster: str | None = None

    @classmethod
    def from_url(cls, url: str) -> "ServerAddress":
        """`http[s]://user:password@host:port/?database_prefix=ph_&cluster=name` (all but the host optional)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("CLICKHOUSE_URL must look like http[s]://user:password@host:port")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = set(options) - {"database_prefix", "cluster"}
        if unknown:
            raise ValueError(f"CLICKHOUSE_URL has unknown options: {', '.join(sorted(unknown))}")
        secure = parts.scheme == "https"
        return cls(
            host=parts.hostname,
            port=parts.port or (8443 if secure else 8123),
            secure=secure,
            username=unquote(parts.username or "default"),
            password=unquote(parts.password or ""),
            database_prefix=options.get("database_prefix", ""),
            cluster=options.get("cluster") or None,
        )

    @property
    def where(self) -> str:
        return f"{'https' if self.secure else 'http'}://{self.host}:{self.port} as {self.username}"


class ServerTransport:
    """A ClickHouse server over HTTP(S). One clickhouse-connect client, shared by threads (no HTTP session id)."""

    kind = "server"

    def __init__(
        self, address: ServerAddress, *, connect_timeout: float = 10, send_receive_timeout: float = 300
    ):
        import_client_library()
        self.address = address
        self.cluster = address.cluster
        self.timeouts = (connect_timeout, send_receive_timeout)
        self._client: Any = None
        self._client_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, *, cluster: str | None = None, **timeouts: float) -> "ServerTransport":
        """The server at `url`; `cluster` when the URL names none (CLICKHOUSE_CLUSTER)."""
        address = ServerAddress.from_url(url)
        if cluster and not address.cluster:
            address = replace(address, cluster=cluster)
        return cls(address, **timeouts)

    def _connected(self) -> Any:
        """The client, connected on first use (connecting asks the server for its version and settings)."""
        with self._client_lock:
            if self._client is None:
                import clickhouse_connect

                address = self.address
                with translated_errors(address.where):
                    self._client = clickhouse_connect.get_client(
                        host=address.host,
                        port=address.port,
                        secure=address.secure,
                        username=address.username,
                        password=address.password,
                        connect_timeout=self.timeouts[0],
                        send_receive_timeout=self.timeouts[1],
                        autogenerate_session_id=False,  # a session would serialize the threads sharing this client
                    )
            return self._client

    @staticmethod
    def _settings(settings: Mapping[str, Any] | None, query_id: str | None) -> dict[str, Any]:
        checked = check_settings(settings)
        if query_id:
            checked["query_id"] = check_query_id(query_id)
        return checked

    def execute(
        self, sql: str, *, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> Rows:
        client = self._connected()
        with translated_errors(self.address.where):
            return rows_of(client.query(sql, settings=self._settings(settings, query_id)))

    def execute_raw(
        self, sql: str, *, fmt: str, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> bytes:
        client = self._connected()
        with translated_errors(self.address.where):
            return client.raw_query(sql, settings=self._settings(settings, query_id), fmt=fmt)

    def command(
        self, sql: str, *, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> None:
        client = self._connected()
        with translated_errors(self.address.where):
            client.command(sql, settings=self._settings(settings, query_id))

    def insert_data(
        self,
        table: str,
        data: bytes | Iterable[bytes],
        *,
        fmt: str,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        client = self._connected()
        with translated_errors(self.address.where):
            client.raw_insert(table, insert_block=data, fmt=fmt, settings=check_settings(settings))

    def kill(self, query_id: str) -> bool:
        on_cluster = f" ON CLUSTER `{self.cluster}`" if self.cluster else ""
        sql = f"KILL QUERY{on_cluster} WHERE query_id = '{check_query_id(query_id)}' SYNC"
        return bool(self.execute_raw(sql, fmt="TabSeparated").strip())  # one line per stopped statement

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None
