"""Keeps credentials out of every log line: keys in query strings, `phx_` tokens and bearer values are masked."""

import logging
import re

# Settings load this module before the apps are ready, so it imports nothing of ours (the name is users' KEY_FIELD).
KEY_FIELD = "personal_api_key"
# Each pattern is linear: a literal prefix, then one character class repeated (no nested quantifiers).
SECRET_PATTERNS = [
    (re.compile(rf"({KEY_FIELD}(?:=|%3D|\"?:\s*\"?))[^&\s\"',;]+", re.IGNORECASE), r"\1[redacted]"),
    (re.compile(r"\b(phx_)[A-Za-z0-9_\-]+"), r"\1[redacted]"),
    (re.compile(r"(Bearer\s+)[^\s\"',;]+", re.IGNORECASE), r"\1[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """A logging filter (attached to the handlers): the record's final message, with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
