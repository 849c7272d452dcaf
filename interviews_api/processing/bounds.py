"""Bounds on the work one recording can cause: sane sample rates, a maximum duration, a decode budget.

The header is checked when the upload is inspected (a 400 names the problem), but headers can lie or be silent,
so decoding counts the audio it really produces and stops at the budget: INTERVIEW_MAX_DURATION_SECONDS of
audio, and no more than INTERVIEW_MAX_DECODE_RATIO times the file's size as 16 kHz 16-bit mono PCM (at least
one minute, so tiny files are never refused for their size). Decoding also honours the job's time limit.
"""

from dataclasses import dataclass, field
from pathlib import Path

import av

from jobs.queue import check_deadline

from .config import setting
from .errors import UnsupportedRecording

MIN_SAMPLE_RATE = 4_000  # below any real recorder; a 1 Hz header turns 64 KB into 9 hours
MAX_SAMPLE_RATE = 384_000  # the highest rate audio interfaces offer
PCM_BYTES_PER_SECOND = 16_000 * 2  # what the budget is counted in: 16 kHz, 16-bit mono
MIN_BUDGET_SECONDS = 60.0


def max_duration_seconds() -> float:
    return float(setting("INTERVIEW_MAX_DURATION_SECONDS", 4 * 3600.0))


def describe_seconds(seconds: float) -> str:
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{hours}:{minutes:02d}:{secs:02d}"


def too_long(seconds_or_more: str) -> UnsupportedRecording:
    return UnsupportedRecording(
        f"Unsupported recording: its audio lasts {seconds_or_more}, longer than the limit of "
        f"{describe_seconds(max_duration_seconds())} (INTERVIEW_MAX_DURATION_SECONDS)."
    )


def check_declared_audio(*, sample_rate: int | None, duration_seconds: float | None) -> None:
    """What the header says must be plausible and within the limits."""
    if not sample_rate or not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE:
        raise UnsupportedRecording(
            f"Unsupported recording: its sample rate of {sample_rate or 0} Hz is outside the supported "
            f"{MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE} Hz."
        )
    if duration_seconds is not None and duration_seconds > max_duration_seconds():
        raise too_long(describe_seconds(duration_seconds))


@dataclass
class DecodeBudget:
    """Counts decoded audio (in seconds) and refuses to go past the duration limit or the size budget."""

    max_seconds: float
    size_limit_seconds: float
    file_size: int
    spent: float = field(default=0.0)

    @classmethod
    def for_file(cls, path: Path) -> "DecodeBudget":
        size = Path(path).stat().st_size
        ratio = float(setting("INTERVIEW_MAX_DECODE_RATIO", 100.0))
        by_size = max(MIN_BUDGET_SECONDS, size * ratio / PCM_BYTES_PER_SECOND)
        return cls(max_seconds=max_duration_seconds(), size_limit_seconds=by_size, file_size=size)

    def spend(self, frame: av.AudioFrame) -> None:
        check_deadline()
        rate = frame.sample_rate
        if not rate or not MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE:
            raise UnsupportedRecording(
                f"Unsupported recording: the audio changes to a sample rate of {rate or 0} Hz, outside the "
                f"supported {MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE} Hz."
            )
        self.spent += frame.samples / rate
        if self.spent > self.max_seconds:
            raise too_long(f"more than {describe_seconds(self.max_seconds)}")
        if self.spent > self.size_limit_seconds:
            raise UnsupportedRecording(
                f"Unsupported recording: its {self.file_size} bytes decode to more than "
                f"{describe_seconds(self.size_limit_seconds)} of audio, more than a file of that size can hold "
                f"(INTERVIEW_MAX_DECODE_RATIO); it may be damaged or crafted."
            )
