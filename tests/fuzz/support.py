"""What the fuzz tests share: our schema loaded from /api/schema/, the checks, and in-process WSGI calls."""

from contextlib import contextmanager

import schemathesis
from django.core import signals
from django.db import close_old_connections
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

ERROR_KEYS = {"type", "code", "detail", "attr"}

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schemathesis.check
def error_shape(ctx, response, case) -> bool | None:
    """Every 4xx answers `{"type", "code", "detail", "attr"}` (cancel/'s documented 400 is PostHog's own body)."""
    if not 400 <= response.status_code < 500:
        return None
    if case.path.endswith("/cancel/") and response.status_code == 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and set(body) == ERROR_KEYS, f"not the error shape: {body!r}"
    assert all(isinstance(body[key], str) for key in ("type", "code", "detail")), body
    return None


# Every status answered is one the schema documents for that operation (so the documented statuses are the real
# ones), every body is valid against the documented schema (errors against the Error component), and every 4xx is
# in the error shape.
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    error_shape,
]


@contextmanager
def connection_kept_open():
    """Django closes the connection when a request ends; the WSGI app runs in-process here, inside the test's
    transaction, so keep it open (as Django's test client does around its own requests)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call_and_validate(case, key: str):
    with connection_kept_open():
        return case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
