"""Summary providers, one module each, chosen by settings.INTERVIEW_SUMMARY_PROVIDER."""

from django.utils.module_loading import import_string

from ..config import setting
from ..errors import ProviderError
from .base import Summarizer

# Adding a provider: write a module with a Summarizer class, then add one line here.
# The setting may also hold a dotted path to a class outside this package.
SUMMARIZERS = {
    "extractive": "interviews_api.processing.summary.extractive.ExtractiveSummarizer",
    "openai": "interviews_api.processing.summary.openai.OpenAISummarizer",
}


def get_summarizer(name: str | None = None) -> Summarizer:
    """The configured summarizer (or the one called `name`)."""
    name = name or str(setting("INTERVIEW_SUMMARY_PROVIDER", "extractive"))
    path = SUMMARIZERS.get(name, name if "." in name else None)
    if path is None:
        choices = ", ".join(SUMMARIZERS)
        raise ProviderError(f"Unknown summary provider {name!r}; choose one of {choices}.", retryable=False)
    return import_string(path)()


__all__ = ["SUMMARIZERS", "Summarizer", "get_summarizer"]
