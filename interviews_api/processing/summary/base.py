"""The interface every summary provider implements."""

from typing import Protocol


class Summarizer(Protocol):
    """Summarises a rendered transcript; constructed with no arguments, raises ProviderError on failure."""

    def summarize(self, transcript: str) -> str: ...
