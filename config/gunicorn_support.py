"""What gunicorn.conf.py plugs into gunicorn: logs without credentials, and JSON instead of gunicorn's HTML errors."""

import json

from gunicorn import util
from gunicorn.glogging import Logger

from api.log_redaction import RedactSecretsFilter

GENERIC_SERVER_ERROR = "A server error occurred."  # api.exceptions' text (that module needs Django loaded)
CODES = {400: "bad_request", 403: "permission_denied", 414: "uri_too_long", 431: "headers_too_large"}


class RedactingLogger(Logger):
    """gunicorn's logger; every access and error line passes the API's redaction filter (no key in the logs)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(existing, RedactSecretsFilter) for existing in handler.filters):
                    handler.addFilter(RedactSecretsFilter())


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """Replaces gunicorn's HTML error page (malformed requests, a crashed or timed-out worker) with the API's shape."""
    kind = "server_error" if status_int >= 500 else "invalid_request"
    detail = mesg if status_int < 500 and mesg else (GENERIC_SERVER_ERROR if status_int >= 500 else reason)
    code = CODES.get(status_int, "error")
    body = json.dumps({"type": kind, "code": code, "detail": detail, "attr": None}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("latin1")
    util.write_nonblock(sock, head + body)


def install_json_errors() -> None:
    # gunicorn has no setting for its error body; its workers call util.write_error, so that is the one hook.
    util.write_error = write_json_error
