"""Production web server settings: `gunicorn -c gunicorn.conf.py config.wsgi` (README, "Production").

The worker timeout is the outer bound of every request; the server refuses to start when an in-request limit
(query timeout plus lock wait, interview sync wait, upload read time) does not fit well inside it
(api/apps.py, docs/limits.md). Each value can be set from the environment, or overridden on the command line.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from config.gunicorn_support import RedactingLogger, install_json_errors  # noqa: E402

bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_WORKERS", "4"))
worker_class = "sync"
# Seconds a worker may spend on one request before gunicorn kills it: keep it well above every in-request limit.
timeout = int(os.environ.get("WEB_WORKER_TIMEOUT_SECONDS", "300"))
graceful_timeout = 30
keepalive = 5
# Request line, header count and header size caps (gunicorn's defaults, stated): beyond them, a JSON 414/431/400.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Restart workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = 500

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The request line as sent; RedactingLogger replaces any key in it (and in every other line) with [redacted].
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
logger_class = RedactingLogger


def on_starting(server) -> None:
    # The final timeout (after command-line overrides) is what Django checks its own limits against.
    os.environ["WEB_WORKER_TIMEOUT_SECONDS"] = str(server.cfg.timeout)
    install_json_errors()
