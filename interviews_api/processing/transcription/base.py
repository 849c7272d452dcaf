"""The interface every speech-to-text provider implements."""

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..detection import RecordingInfo
from ..transcripts import Turn


@dataclass(frozen=True)
class Recording:
    """An audio file on local disk, already identified by detection.inspect_recording."""

    path: Path
    info: RecordingInfo


class Transcriber(Protocol):
    """Turns a recording into speaker turns; diarizing providers label speakers ("speaker_0"), others use None.

    Constructed with no arguments (read settings in __init__); raise ProviderError on failure.
    """

    def transcribe(self, recording: Recording) -> list[Turn]: ...
