"""A stand-in for a ClickHouse server's HTTP interface, executing with embedded ClickHouse (chdb).

No ClickHouse server can be installed on the CI machines, so the server transport is tested over real HTTP against
this: a ThreadingHTTPServer on 127.0.0.1 that speaks the part of ClickHouse's HTTP interface clickhouse-connect uses,
and runs every statement with chdb (real ClickHouse, so SQL, types, settings, errors and output formats are real).

What it handles, as ClickHouse does:
- `GET /ping`; `GET`/`POST /` with the statement in the body or the `query` parameter; for an INSERT, the statement
  in `query` (or the body's first line) and the data (any input format, plain or gzip/deflate/zstd/lz4-compressed)
  in the body, sized or `Transfer-Encoding: chunked` (a streamed insert: `requests` records its chunk count);
- the login as Basic auth or X-ClickHouse-User/X-ClickHouse-Key headers, checked against one user and password;
  a wrong one is HTTP 401 with error code 516 (AUTHENTICATION_FAILED);
- `database`, `query_id`, `default_format` and any other parameter as a setting for that one statement (`SET` on a
  fresh chdb connection), so readonly, max_execution_time, max_result_rows, ... are enforced by ClickHouse itself;
- `KILL QUERY WHERE query_id = '...'`: chdb has no client-given query ids, so a statement runs with its id in a
  leading comment, and the KILL is rewritten to match that comment in system.processes;
- errors as HTTP 500 (404 for an unknown table or database) with X-ClickHouse-Exception-Code and ClickHouse's text;
  X-ClickHouse-Query-Id, X-ClickHouse-Format, X-ClickHouse-Timezone and X-ClickHouse-Summary on answers.

What it does not cover (a real server does): responses are never compressed and never streamed (the whole result is
built, then sent); HTTP sessions (`session_id`), progress headers and external data are ignored; there is one user
and no grants, row policies, quotas or users created with SQL (chdb refuses CREATE USER and GRANT with ACCESS_DENIED,
which is what a server answers a user without access management): with `access_management=True` it records
CREATE USER / ALTER USER / GRANT instead of running them and accepts the logins of the users so created (their
statements run as the one chdb user: the grants are recorded, never enforced); no TLS; no clusters:
with `cluster=` it plays a one-host cluster of that name, running each statement without its `ON CLUSTER <name>`
and with each ReplicatedMergeTree(...) as MergeTree (the statements as sent stay in `requests`), so the engine's
cluster DDL is recorded and its effect checked, but nothing is replicated; it shares the test process's chdb,
whose data directory is the embedded engine's, so the server's data is not on another machine.
"""

import base64
import gzip
import json
import re
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# Parameters that steer the HTTP exchange rather than being ClickHouse settings.
_TRANSPORT_PARAMETERS = {
    "query",
    "database",
    "query_id",
    "session_id",
    "session_timeout",
    "session_check",
    "user",
    "password",
    "default_format",
    "wait_end_of_query",
    "send_progress_in_http_headers",
    "http_headers_progress_interval_ms",
    "enable_http_compression",
    "client_protocol_version",
    "compress",
    "decompress",
}
_KILL_BY_ID = re.compile(r"\bquery_id\s*=\s*'([A-Za-z0-9_.:-]+)'", re.IGNORECASE)
_INSERT_WITH_FORMAT = re.compile(r"^\s*(INSERT\s+INTO\s+.+?)\s+FORMAT\s+(\w+)\s*$", re.IGNORECASE | re.DOTALL)
_REPLICATED_ENGINE = re.compile(r"\bReplicatedMergeTree\('[^']*', '[^']*'\)")
_ACCESS = re.compile(r"^\s*(CREATE USER|ALTER USER|GRANT)\b")
_USER_PASSWORD = re.compile(
    r"^(CREATE USER IF NOT EXISTS|ALTER USER) `([^`]+)`(?: ON CLUSTER `[^`]+`)? "
    r"IDENTIFIED WITH sha256_password BY '((?:[^'\\]|\\.)*)'"
)
_ERROR_CODE = re.compile(r"Code: (\d+)\. ")
_NOT_FOUND_CODES = {60, 81}  # UNKNOWN_TABLE, UNKNOWN_DATABASE


def _marker(query_id: str) -> str:
    return f"/* query_id:{query_id} */"


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _decompressed(body: bytes, encoding: str | None) -> bytes:
    if not encoding or not body:
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "zstd":
        from backports import zstd  # clickhouse-connect's dependency on Python < 3.14

        return zstd.decompress(body)
    if encoding == "lz4":
        import lz4.frame

        return lz4.frame.decompress(body)
    raise ValueError(f"Unsupported Content-Encoding {encoding}")


_INSERT_HEAD = re.compile(rb"^\s*INSERT\s+INTO\s+[^\n]+?\s+FORMAT\s+\w+[ \t]*\r?\n", re.IGNORECASE)


def _statement_and_data(body: bytes) -> tuple[str, bytes]:
    """The statement and the INSERT data sent together in a body (`INSERT INTO t FORMAT Parquet\n<bytes>`)."""
    head = _INSERT_HEAD.match(body)
    if head:
        return body[: head.end()].decode().strip(), body[head.end() :]
    return body.decode(), b""


class ClickHouseStandIn:
    """The server: `url`, the one user it accepts, and `requests` (the statements it received, in order)."""

    def __init__(
        self,
        path: str,
        *,
        user: str = "default",
        password: str = "",
        cluster: str | None = None,
        access_management: bool = False,
    ) -> None:
        self.path = path
        self.cluster = cluster
        self.access_management = access_management
        self.users: dict[str, str] = {}  # created with SQL (access_management): name -> password
        self.grants: list[str] = []
        self.user, self.password = user, password
        self.requests: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "ClickHouseStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url_for(self, user: str | None = None, password: str | None = None) -> str:
        """A CLICKHOUSE_URL for this server, logging in as the given user (the accepted one by default)."""
        user = self.user if user is None else user
        password = self.password if password is None else password
        url = f"http://{user}:{password}@127.0.0.1:{self._server.server_address[1]}"
        return f"{url}/?cluster={self.cluster}" if self.cluster else url

    def _login(self, headers) -> tuple[str, str]:
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            return user, password
        return headers.get("X-ClickHouse-User", "default"), headers.get("X-ClickHouse-Key", "")

    def run(self, sql: str, data: bytes, params: dict[str, str]) -> tuple[bytes, str]:
        """Execute one statement with chdb on a fresh connection; returns the output and its format."""
        from chdb.session import Session

        query_id = params.get("query_id", "")
        output_format = params.get("default_format", "TabSeparated")
        found = re.search(r"\bFORMAT\s+(\w+)\s*$", sql, re.IGNORECASE)
        if found and not data:
            output_format = found[1]
        insert = _INSERT_WITH_FORMAT.match(sql) if data else None  # before the query id comment goes in front
        if sql.lstrip().upper().startswith("KILL"):
            # Match the marker comment; split in two so the KILL statement's own text does not match it.
            sql = _KILL_BY_ID.sub(
                lambda m: f"query LIKE concat('{_marker(m[1])[:10]}', '{_marker(m[1])[10:]}%')", sql
            )
        elif query_id and re.fullmatch(r"[A-Za-z0-9_.:-]{1,128}", query_id):
            sql = f"{_marker(query_id)} {sql}"
        if self.cluster:
            sql = sql.replace(f" ON CLUSTER `{self.cluster}`", "")
            sql = _REPLICATED_ENGINE.sub("MergeTree", sql)
        session = Session(self.path)
        try:
            if params.get("database"):
                session.query(f"USE `{params['database']}`")
            for name, value in params.items():
                if name not in _TRANSPORT_PARAMETERS and not name.startswith("param_"):
                    session.query(f"SET {name} = {_quoted(value)}")
            if insert:
                with session.send_insert(insert[1], insert[2]) as inserter:
                    inserter.append(data)
                    inserter.finish()
                return b"", output_format
            if data:
                sql = f"{sql}\n{data.decode()}"
            result = session.query(sql, output_format)
            return (result.bytes() if result is not None else b""), output_format
        finally:
            session.close()

    def manage_access(self, sql: str) -> None:
        """Record a CREATE USER / ALTER USER (its password) or GRANT, as a server with access management would."""
        found = _USER_PASSWORD.match(sql)
        with self._lock:
            if found and (found[1].startswith("ALTER") or found[2] not in self.users):
                self.users[found[2]] = found[3].replace("\\'", "'").replace("\\\\", "\\")
            elif sql.startswith("GRANT"):
                self.grants.append(sql)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _error(self, status: int, code: int, message: str, query_id: str) -> None:
                body = f"Code: {code}. DB::Exception: {message}\n".encode()
                headers = {"X-ClickHouse-Exception-Code": str(code), "X-ClickHouse-Query-Id": query_id}
                self._answer(status, body, headers | {"Content-Type": "text/plain; charset=UTF-8"})

            def _sized_body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _chunked_body(self) -> tuple[bytes, int]:
                """A `Transfer-Encoding: chunked` body (a streamed INSERT) and how many chunks it came in."""
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
                            pass
                        return b"".join(parts), len(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()  # the CRLF after each chunk

            def _serve(self) -> None:
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query, keep_blank_values=True))
                chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
                raw, chunks = self._chunked_body() if chunked else (self._sized_body(), 0)
                body = _decompressed(raw, self.headers.get("Content-Encoding"))
                if url.path == "/ping":
                    self._answer(200, b"Ok.\n", {"Content-Type": "text/plain; charset=UTF-8"})
                    return
                query_id = params.get("query_id", "")
                user, password = standin._login(self.headers)
                known = (user, password) == (standin.user, standin.password)
                if not known and (user not in standin.users or standin.users[user] != password):
                    message = f"{user}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)"
                    self._error(401, 516, message, query_id)
                    return
                sql, data = params.get("query", ""), b""
                if sql:
                    data = body
                else:
                    sql, data = _statement_and_data(body)
                with standin._lock:
                    standin.requests.append(
                        {"query": sql, "user": user, **{k: v for k, v in params.items() if k != "query"}}
                        | ({"body_chunks": str(chunks), "body_bytes": str(len(raw))} if chunked else {})
                    )
                if standin.access_management and known and _ACCESS.match(sql):
                    standin.manage_access(sql)
                    self._answer(200, b"", {"X-ClickHouse-Query-Id": query_id})
                    return
                started = time.monotonic()
                try:
                    output, output_format = standin.run(sql, data, params)
                except Exception as err:  # chdb's error text is ClickHouse's
                    text = str(err)
                    found = _ERROR_CODE.search(text)
                    code = int(found[1]) if found else 1001
                    message = text[found.end() :] if found else text
                    message = message.replace("DB::Exception: ", "", 1).split(" (version ")[0]
                    self._error(404 if code in _NOT_FOUND_CODES else 500, code, message.strip(), query_id)
                    return
                summary = {"read_rows": "0", "elapsed_ns": str(int((time.monotonic() - started) * 1e9))}
                self._answer(
                    200,
                    output,
                    {
                        "Content-Type": "application/octet-stream",
                        "X-ClickHouse-Query-Id": query_id,
                        "X-ClickHouse-Format": output_format,
                        "X-ClickHouse-Timezone": "UTC",
                        "X-ClickHouse-Summary": json.dumps(summary),
                    },
                )

            do_GET = _serve
            do_POST = _serve

        return Handler
