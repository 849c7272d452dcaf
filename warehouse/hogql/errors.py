"""Errors raised while analysing HogQL; str(error) is the message shown to the client."""


class HogQLError(Exception):
    """A query the client must fix; the message is safe to show."""


class HogQLSyntaxError(HogQLError):
    """The text does not parse; the message names the line and column."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class PlaceholderError(HogQLError):
    """Views cannot contain {placeholders} (PostHog's two messages)."""


class CycleError(HogQLError):
    """A view reads itself, directly or through other views."""

    def __init__(self, message: str = "Model contains a cycle"):
        super().__init__(message)
