"""Any OpenAI-compatible POST {base_url}/audio/transcriptions: OpenAI, Groq, or a self-hosted Whisper server."""

from ..config import openai_config, setting
from ..remote import missing_field, post_json
from ..transcripts import Turn
from .base import Recording
from .upload import upload_part

# What OpenAI's endpoint documents; anything else (raw AAC, Matroska) is sent as Ogg/Opus.
ACCEPTED_FORMATS = frozenset({"flac", "mp3", "mp4", "m4a", "ogg", "wav", "webm"})


class OpenAITranscriber:
    """Whisper-style transcription: plain text, no speakers."""

    provider = "openai transcription"

    def __init__(self) -> None:
        self.config = openai_config("TRANSCRIPTION", default_model="whisper-1", default_timeout=600)
        # OpenAI refuses uploads over 25 MB; larger recordings are re-encoded (about 14 MB an hour).
        self.max_upload_bytes = int(
            setting("INTERVIEW_OPENAI_TRANSCRIPTION_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)
        )

    def transcribe(self, recording: Recording) -> list[Turn]:
        """Upload the recording and return its text as one unattributed turn."""
        config = self.config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        with upload_part(
            recording, accepted=ACCEPTED_FORMATS, max_bytes=self.max_upload_bytes or None
        ) as part:
            body = post_json(
                f"{config.base_url.rstrip('/')}/audio/transcriptions",
                provider=self.provider,
                api_key=config.api_key,
                timeout=config.timeout,
                headers=headers,
                files={"file": part},
                data={"model": config.model, "response_format": "json"},
            )
        text = body.get("text")
        if not isinstance(text, str):
            raise missing_field(self.provider, '"text"')
        return [Turn(None, text.strip())] if text.strip() else []
