"""A stand-in for remote HTTP APIs: a real server on 127.0.0.1 that records requests and plays back replies.

Use the `standin` fixture (import it into a conftest.py), queue replies with `standin.respond(...)`, point a
provider's base URL at `standin.url`, then assert on `standin.requests` (multipart parsed server-side).
"""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    """What the stand-in answers: a status, a JSON (or raw) body, optional headers, after an optional delay."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class UploadedFile:
    """One file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


@dataclass
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def json(self) -> Any:
        """The request body parsed as JSON."""
        return json.loads(self.body)


class StandIn:
    """The server, its recorded requests and its queue of replies (the last reply repeats)."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self._replies: list[Reply] = [Reply(json={})]
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = (
            True  # a handler still sleeping past a client timeout must not block exit
        )
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def respond(self, *replies: Reply) -> None:
        """Answer the next requests with these replies in order; the last one keeps answering."""
        with self._lock:
            self._replies = list(replies)

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received = Received("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                if self.headers.get_content_type() == "multipart/form-data":
                    _parse_multipart(self.headers["Content-Type"], body, received)
                standin.requests.append(received)
                reply = standin._next_reply()
                time.sleep(reply.delay)
                payload = reply.body if reply.body is not None else json.dumps(reply.json).encode()
                try:
                    self.send_response(reply.status)
                    content_type = "application/json" if reply.body is None else "text/plain"
                    self.send_header("Content-Type", reply.headers.get("Content-Type", content_type))
                    for name, value in reply.headers.items():
                        if name != "Content-Type":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        return Handler

    def start(self) -> "StandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _parse_multipart(content_type: str, body: bytes, received: Received) -> None:
    """Split a multipart/form-data body into fields and files with the standard library's MIME parser."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart(), "the client sent a malformed multipart body"
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        content = part.get_payload(decode=True) or b""
        if filename is not None:
            received.files[name] = UploadedFile(filename, part.get_content_type(), content)
        else:
            received.form[name] = content.decode()


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """A running stand-in server, stopped after the test."""
    server = StandIn().start()
    yield server
    server.stop()
