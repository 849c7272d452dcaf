"""PostHog's interviewee address rule: `address` or `Name <address>`, the address checked by Django.

Linear in the length of the value, whatever it contains: the length is checked before anything else, and the
`Name <address>` split is a string search, not a backtracking pattern (PostHog's `([^(]+) <(.+)>$` took 19 s of
CPU on a crafted 100 KB value).
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_LENGTH = 254
INVALID_EMAIL = "Enter a valid email address."


def address_of(value: str) -> str:
    """The bare address in `value` (`Name <addr>` -> `addr`); the value itself when it has no such shape."""
    if not value.endswith(">"):
        return value
    name, separator, address = value[:-1].rpartition(" <")
    if separator and name and "(" not in name and address and "\n" not in address:
        return address
    return value


def validate_email_with_display_name(value: str) -> None:
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            f"Ensure this field has no more than {MAX_LENGTH} characters.", code="max_length"
        )
    try:
        validate_email(address_of(value))
    except ValidationError as exc:
        raise ValidationError(INVALID_EMAIL, code="invalid") from exc
