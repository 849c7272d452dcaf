"""How request bodies arrive: with a Content-Length (a chunked body is refused with 411), within a time limit."""

import socket
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from api.exceptions import RequestBodyTimeout, error_body
from api.middleware import is_api_path
from core.deadlines import Deadline, watcher

LENGTH_REQUIRED = (
    "Send the request body with a Content-Length header: chunked transfer encoding is not supported."
)


class DeadlineStream:
    """A request body stream that fails with RequestBodyTimeout once the client has taken too long to send it.

    The deadline is checked around every read; under gunicorn the process's deadline watcher (core/deadlines.py,
    one thread for all requests rather than a timer thread per body) also shuts the socket's read side at the
    deadline, so a client that stops sending, or trickles a byte at a time, is cut off on time as well."""

    def __init__(self, stream, *, deadline: float, sock: socket.socket | None):
        self.stream, self.deadline, self.sock = stream, deadline, sock
        self.expired = False
        self._cut_off_at: Deadline | None = None

    def __getattr__(self, name: str):
        return getattr(self.stream, name)  # close() and the rest, as the wrapped stream has them

    def read(self, *args):
        return self._timed(self.stream.read, *args)

    def readline(self, *args):
        return self._timed(self.stream.readline, *args)

    def withdraw_deadline(self) -> None:
        if self._cut_off_at is not None:
            watcher().withdraw(self._cut_off_at)

    def _timed(self, read, *args):
        remaining = self.deadline - time.monotonic()
        if self.expired or remaining <= 0:
            raise RequestBodyTimeout()
        if self.sock is not None and self._cut_off_at is None:
            self._cut_off_at = watcher().watch(remaining, self._cut_off)
        try:
            data = read(*args)
        except Exception as error:
            if self.expired:
                raise RequestBodyTimeout() from error
            raise
        if self.expired:
            raise RequestBodyTimeout()
        return data

    def _cut_off(self) -> None:
        self.expired = True
        try:
            self.sock.shutdown(socket.SHUT_RD)  # type: ignore[union-attr]  # a blocked recv returns at once
        except OSError:
            pass


class RequestBodyMiddleware:
    """411 for chunked bodies (Django would read them as empty); a time limit on reading every other body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower() and not meta.get("CONTENT_LENGTH"):
            return length_required(request)
        if getattr(request, "_stream", None) is None:
            return self.get_response(request)
        stream = request._stream = DeadlineStream(
            request._stream,
            deadline=time.monotonic() + settings.REQUEST_BODY_TIMEOUT_SECONDS,
            sock=_real_socket(meta.get("gunicorn.socket")),
        )
        try:
            return self.get_response(request)
        finally:
            stream.withdraw_deadline()


def _real_socket(candidate) -> socket.socket | None:
    return candidate if isinstance(candidate, socket.socket) else None


def length_required(request) -> HttpResponse:
    if is_api_path(request.path):
        body = error_body(type="invalid_request", code="length_required", detail=LENGTH_REQUIRED)
        return JsonResponse(body, status=411)
    return HttpResponse(LENGTH_REQUIRED, status=411, content_type="text/plain")
