"""Speech-to-text providers, one module each, chosen by settings.INTERVIEW_TRANSCRIPTION_PROVIDER."""

from django.utils.module_loading import import_string

from ..config import setting
from ..errors import ProviderError
from .base import Recording, Transcriber

# Adding a provider: write a module with a Transcriber class, then add one line here.
# The setting may also hold a dotted path to a class outside this package.
TRANSCRIBERS = {
    "local": "interviews_api.processing.transcription.local.LocalTranscriber",
    "openai": "interviews_api.processing.transcription.openai.OpenAITranscriber",
    "elevenlabs": "interviews_api.processing.transcription.elevenlabs.ElevenLabsTranscriber",
}


def get_transcriber(name: str | None = None) -> Transcriber:
    """The configured transcriber (or the one called `name`)."""
    name = name or str(setting("INTERVIEW_TRANSCRIPTION_PROVIDER", "local"))
    path = TRANSCRIBERS.get(name, name if "." in name else None)
    if path is None:
        choices = ", ".join(TRANSCRIBERS)
        raise ProviderError(
            f"Unknown transcription provider {name!r}; choose one of {choices}.", retryable=False
        )
    return import_string(path)()


__all__ = ["TRANSCRIBERS", "Recording", "Transcriber", "get_transcriber"]
