"""How the ClickHouse engine reaches ClickHouse: one small interface, two implementations.

- `embedded.EmbeddedTransport(path)`: ClickHouse inside this process (chdb), its data in a local directory;
- `server.ServerTransport.from_url(url)`: a ClickHouse server (or cluster) over HTTP(S).

Both run the same SQL through clickhouse-connect's client API, so rows come back as the same Python values
(int, str, datetime, Decimal, UUID, list, dict) whichever transport ran them. The client libraries are the
optional `clickhouse` extra: importing these modules never needs them; constructing a transport without them
raises `ClickHouseNotInstalled`, naming the extra.
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

INSTALL_HINT = "pip install '.[clickhouse]'"
# A query id travels inside SQL text (KILL QUERY, the embedded marker): only these characters, so nothing to quote.
_QUERY_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
_SETTING_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ERROR_CODE = re.compile(r"Code: (\d+)\. ")
_DRIVER_SUFFIX = re.compile(r"\s*\(for url [^)]*\)\s*$")
_OS_ERROR = re.compile(r"\[Errno -?\d+\] [^'\")]*")
AUTHENTICATION_FAILED = 516


class ClickHouseNotInstalled(RuntimeError):
    """The ClickHouse client libraries (the optional `clickhouse` extra) are not installed."""

    def __init__(self, missing: str):
        super().__init__(
            f"The ClickHouse warehouse engine needs the optional 'clickhouse' extra ({missing} is missing): "
            f"run {INSTALL_HINT}"
        )


class ClickHouseError(Exception):
    """ClickHouse refused or failed a statement. `code` is ClickHouse's error code when it gave one."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class ClickHouseAuthError(ClickHouseError):
    """The server refused the configured user or password."""


class ClickHouseUnreachable(ClickHouseError):
    """The server could not be reached (connection refused, timeout, TLS failure)."""


@dataclass(frozen=True)
class Rows:
    """A result: column names, their ClickHouse types, and the rows as tuples of Python values."""

    columns: list[str]
    types: list[str]
    rows: list[tuple] = field(default_factory=list)


class Transport(Protocol):
    """What the ClickHouse engine needs from a connection; `settings` are ClickHouse settings for one statement."""

    kind: str  # "embedded" or "server"
    cluster: str | None  # the cluster named for ON CLUSTER DDL, if any

    def execute(
        self, sql: str, *, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> Rows:
        """Run a statement that returns rows (SELECT, DESCRIBE, SHOW, EXISTS)."""
        ...

    def execute_raw(
        self, sql: str, *, fmt: str, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> bytes:
        """Run a SELECT and return its result serialized in a ClickHouse output format (CSV, JSONEachRow, ...)."""
        ...

    def command(
        self, sql: str, *, settings: Mapping[str, Any] | None = None, query_id: str | None = None
    ) -> None:
        """Run a statement for its effect (DDL, INSERT ... SELECT, EXCHANGE TABLES)."""
        ...

    def insert_data(
        self,
        table: str,
        data: bytes | Iterable[bytes],
        *,
        fmt: str,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """Insert `data` (serialized in input format `fmt`: CSVWithNames, Parquet, JSONEachRow) into `table`; an
        iterable of chunks is sent as it is read (a server gets a chunked HTTP body), never joined in memory."""
        ...

    def kill(self, query_id: str) -> bool:
        """Stop the running statement started with `query_id`; False when none was running."""
        ...

    def close(self) -> None: ...


def check_query_id(query_id: str) -> str:
    if not _QUERY_ID.match(query_id):
        raise ValueError(f"Invalid ClickHouse query id: {query_id!r}")
    return query_id


def check_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    for name in settings or {}:
        if not _SETTING_NAME.match(name):
            raise ValueError(f"Invalid ClickHouse setting name: {name!r}")
    return dict(settings or {})


def import_client_library():
    try:
        import clickhouse_connect  # noqa: F401
        from clickhouse_connect.driver import exceptions
    except ImportError as err:
        raise ClickHouseNotInstalled("clickhouse-connect") from err
    return exceptions


def client_error(err: Exception, *, where: str) -> ClickHouseError:
    """Our error for a clickhouse-connect exception: ClickHouse's own message and code, without driver preamble."""
    text = str(err)
    found = _ERROR_CODE.search(text)
    code = int(found[1]) if found else None
    message = text[found.start() :] if found else text
    message = (
        _DRIVER_SUFFIX.sub("", message.strip().splitlines()[0]) if message.strip() else type(err).__name__
    )
    if code == AUTHENTICATION_FAILED or " 401" in text.split("\n", 1)[0]:
        return ClickHouseAuthError(f"ClickHouse at {where} refused the credentials: {message}", code)
    exceptions = import_client_library()
    if code is None and isinstance(err, exceptions.OperationalError):
        os_error = _OS_ERROR.search(text)
        reason = os_error[0] if os_error else message
        return ClickHouseUnreachable(f"ClickHouse at {where} could not be reached: {reason}")
    return ClickHouseError(message, code)


@contextmanager
def translated_errors(where: str) -> Iterator[None]:
    exceptions = import_client_library()
    try:
        yield
    except exceptions.Error as err:
        raise client_error(err, where=where) from err


def rows_of(result: Any) -> Rows:
    return Rows(
        columns=list(result.column_names),
        types=[column_type.name for column_type in result.column_types],
        rows=[tuple(row) for row in result.result_rows],
    )
