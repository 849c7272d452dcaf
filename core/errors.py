"""Errors the domain raises. Services never raise HTTP exceptions; `api/exceptions.py` maps these once.

Each error carries the message a client may see, the `code` of PostHog's error body and, when one input field
is at fault, its name in `attr`. The HTTP status follows from the class alone.
"""


class ApplicationError(Exception):
    """A rule of the domain refused the request; the message is safe to show to the client."""

    default_code = "invalid_input"

    def __init__(self, message: str, *, attr: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.attr = attr
        self.code = code or self.default_code


class InvalidInput(ApplicationError):
    """The input breaks a rule (400, a validation error naming the field in `attr`)."""


class NotFound(ApplicationError):
    """The object does not exist, or not for this caller (404)."""

    default_code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs: str | None) -> None:
        super().__init__(message, **kwargs)


class Conflict(ApplicationError):
    """The request conflicts with the object's current state, e.g. work already running (409)."""

    default_code = "conflict"


class TemporarilyUnavailable(Exception):
    """A resource is busy for a moment: any view answers 503 with Retry-After."""

    retry_after: float = 5.0
