"""Processing settings, read from django.conf.settings at call time so overrides apply without a restart."""

from dataclasses import dataclass

from django.conf import settings

DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_ELEVENLABS_BASE_URL = "https://api.elevenlabs.io"


def setting(name: str, default):
    """One INTERVIEW_* setting, or `default` when the settings block does not define it."""
    value = getattr(settings, name, None)
    return default if value in (None, "") else value


@dataclass(frozen=True)
class EndpointConfig:
    """Where and how to call one remote provider."""

    base_url: str
    api_key: str
    model: str
    timeout: float


def openai_config(purpose: str, *, default_model: str, default_timeout: float) -> EndpointConfig:
    """OpenAI-compatible endpoint for `purpose` ("TRANSCRIPTION" or "SUMMARY"), falling back to the shared pair."""
    prefix = f"INTERVIEW_OPENAI_{purpose}_"
    return EndpointConfig(
        base_url=str(
            setting(prefix + "BASE_URL", setting("INTERVIEW_OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL))
        ),
        api_key=str(setting(prefix + "API_KEY", setting("INTERVIEW_OPENAI_API_KEY", ""))),
        model=str(setting(prefix + "MODEL", default_model)),
        timeout=float(setting(prefix + "TIMEOUT", setting("INTERVIEW_OPENAI_TIMEOUT", default_timeout))),
    )


def elevenlabs_config() -> EndpointConfig:
    """The ElevenLabs speech-to-text endpoint."""
    return EndpointConfig(
        base_url=str(setting("INTERVIEW_ELEVENLABS_BASE_URL", DEFAULT_ELEVENLABS_BASE_URL)),
        api_key=str(setting("INTERVIEW_ELEVENLABS_API_KEY", "")),
        model=str(setting("INTERVIEW_ELEVENLABS_MODEL", "scribe_v1")),
        timeout=float(setting("INTERVIEW_ELEVENLABS_TIMEOUT", 600)),
    )
