"""No API key reaches a log line, whichever way it was sent."""

import logging

import pytest

from api.log_redaction import redact


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '"GET /api/projects/?personal_api_key=phx_abc&limit=1 HTTP/1.1" 200',
            "personal_api_key=[redacted]&limit=1",
        ),
        ("GET /x?personal_api_key%3Dphx_abc", "personal_api_key%3D[redacted]"),
        ('{"personal_api_key": "phx_abc", "name": "x"}', '"personal_api_key": "[redacted]"'),
        ("Authorization: Bearer phx_abc", "Bearer [redacted]"),
        ("key phx_abc-def_1 used", "key phx_[redacted] used"),
    ],
)
def test_redact_masks_every_form(line, expected):
    assert expected in redact(line)
    assert "abc" not in redact(line)


def test_the_configured_handlers_redact(caplog, make_key, project):
    key = make_key("*")
    handler = logging.getLogger().handlers[0]
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"GET /?personal_api_key=%s"', (key,), None
    )
    assert all(f.filter(record) for f in handler.filters)
    assert key not in record.getMessage()


def test_redaction_is_linear_on_adversarial_input():
    # 1 MB of near-matches: each pattern is a literal prefix plus one repeated class, so this is one quick pass.
    assert redact("personal_api_key" * 60_000 + "Bearer " * 60_000).count("[redacted]") >= 1
