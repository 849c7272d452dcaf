"""PostHog's interviewee address rule: `address` or `Name <address>`, the address checked by Django."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DISPLAY_NAME_PATTERN = re.compile(r"([^(]+) <(.+)>$")
INVALID_EMAIL = "Enter a valid email address."


def address_of(value: str) -> str:
    """The bare address in `value` (`Name <addr>` -> `addr`)."""
    match = DISPLAY_NAME_PATTERN.match(value)
    return match.group(2) if match else value


def validate_email_with_display_name(value: str) -> None:
    try:
        validate_email(address_of(value))
    except ValidationError as exc:
        raise ValidationError(INVALID_EMAIL, code="invalid") from exc
