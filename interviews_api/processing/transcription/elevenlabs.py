"""ElevenLabs speech-to-text (scribe_v1 with diarization), what PostHog itself uses."""

from ..config import elevenlabs_config
from ..errors import ProviderError
from ..remote import missing_field, post_json
from ..transcripts import Turn, merge_turns
from .base import Recording
from .upload import upload_part

# ElevenLabs takes all our audio formats; Matroska is the one it does not list.
ACCEPTED_FORMATS = frozenset({"wav", "mp3", "m4a", "mp4", "aac", "ogg", "webm", "flac"})


class ElevenLabsTranscriber:
    """Diarized transcription: turns labelled "speaker_0", "speaker_1", ... for speakers.name_speakers."""

    provider = "elevenlabs transcription"

    def __init__(self) -> None:
        self.config = elevenlabs_config()

    def transcribe(self, recording: Recording) -> list[Turn]:
        """Upload with PostHog's parameters and rebuild speaker turns from the diarized words."""
        config = self.config
        if not config.api_key:
            raise ProviderError(f"{self.provider}: set INTERVIEW_ELEVENLABS_API_KEY.", retryable=False)
        with upload_part(recording, accepted=ACCEPTED_FORMATS, max_bytes=None) as part:
            body = post_json(
                f"{config.base_url.rstrip('/')}/v1/speech-to-text",
                provider=self.provider,
                api_key=config.api_key,
                timeout=config.timeout,
                headers={"xi-api-key": config.api_key},
                files={"file": part},
                data={
                    "model_id": config.model,
                    "diarize": "true",
                    "num_speakers": "10",  # a maximum, as PostHog sends
                    "tag_audio_events": "false",
                },
            )
        return self.turns(body)

    def turns(self, body: dict) -> list[Turn]:
        """Group consecutive words by speaker_id; fall back to the plain text when there are no words."""
        words = body.get("words")
        if not isinstance(words, list):
            if isinstance(body.get("text"), str):
                return merge_turns([Turn(None, body["text"])])
            raise missing_field(self.provider, '"words" or "text"')
        turns: list[Turn] = []
        for word in words:
            if not isinstance(word, dict) or not isinstance(word.get("text"), str):
                raise missing_field(self.provider, "text on every word")
            if word.get("type") == "audio_event":
                continue
            speaker = word.get("speaker_id") or None
            if word.get("type") == "spacing" or not turns or speaker in (None, turns[-1].speaker):
                if not turns:
                    turns.append(Turn(speaker, ""))
                turns[-1].text += word["text"]
            else:
                turns.append(Turn(speaker, word["text"]))
        return merge_turns(turns)
