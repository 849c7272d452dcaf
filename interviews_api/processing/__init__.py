"""Interview processing: identify an upload, transcribe it, name the speakers, summarise; no Django models.

Entry points for the API and job layers: inspect_recording, transcribe, summarize (all synchronous).
Providers are chosen by settings; see docs/interviews-processing.md.
"""

from pathlib import Path

from .detection import RecordingInfo, inspect_recording
from .errors import ProviderError, UnsupportedRecording
from .speakers import name_speakers
from .summary import get_summarizer
from .transcription import Recording, get_transcriber
from .transcripts import parse_transcript, read_transcript, render_turns


def transcribe(path: Path, *, interviewee_emails: list[str]) -> str:
    """The transcript of a recording or transcript file, speaker turns as "#### Name" headings."""
    path = Path(path)
    info = inspect_recording(path)
    if info.kind == "transcript":
        # Names in an uploaded transcript are the real ones: keep them rather than guess from emails.
        return render_turns(parse_transcript(read_transcript(path), info.format))
    turns = get_transcriber().transcribe(Recording(path, info))
    return render_turns(name_speakers(turns, interviewee_emails))


def summarize(transcript: str) -> str:
    """A summary of a transcript from the configured summary provider."""
    return get_summarizer().summarize(transcript)


__all__ = [
    "ProviderError",
    "RecordingInfo",
    "UnsupportedRecording",
    "inspect_recording",
    "summarize",
    "transcribe",
]
