"""Decode any accepted recording to 16 kHz mono 16-bit PCM, streaming, through PyAV (FFmpeg)."""

from collections.abc import Iterator
from pathlib import Path

import av
from av.audio.resampler import AudioResampler

from .bounds import DecodeBudget
from .errors import UnsupportedRecording

SAMPLE_RATE = 16_000
BYTES_PER_SAMPLE = 2


def iter_pcm(path: Path, *, sample_rate: int = SAMPLE_RATE) -> Iterator[bytes]:
    """Yield the first audio track as mono s16le chunks, a frame at a time, so memory stays flat.

    The audio really decoded is counted against the recording's budget (bounds.DecodeBudget), whatever its
    header claims, and the job's time limit is checked at every frame.
    """
    resampler = AudioResampler(format="s16", layout="mono", rate=sample_rate)
    budget = DecodeBudget.for_file(path)
    decoded = 0
    try:
        with av.open(str(path), mode="r") as container:
            for frame in _decode_skipping_damage(container):
                decoded += 1
                budget.spend(frame)
                yield from _frame_bytes(resampler.resample(frame))
            yield from _frame_bytes(resampler.resample(None))  # flush what the resampler buffered
    except (av.FFmpegError, IndexError) as exc:
        raise UnsupportedRecording(
            f"Unsupported recording: the audio could not be decoded ({exc})."
        ) from None
    if not decoded:
        raise UnsupportedRecording("Unsupported recording: no audio in the file could be decoded.")


def _decode_skipping_damage(container: av.container.InputContainer) -> Iterator[av.AudioFrame]:
    """Decode packet by packet, dropping the ones that fail: a damaged second should not lose an hour."""
    stream = container.streams.audio[0]
    for packet in container.demux(stream):
        try:
            yield from packet.decode()
        except av.InvalidDataError:
            continue


def _frame_bytes(frames: list[av.AudioFrame]) -> Iterator[bytes]:
    """The PCM payload of resampled frames, without FFmpeg's buffer padding."""
    for frame in frames:
        yield bytes(frame.planes[0])[: frame.samples * BYTES_PER_SAMPLE]


def transcode_to_opus(path: Path, dest: Path, *, bit_rate: int = 32_000) -> Path:
    """Re-encode the first audio track to 16 kHz mono Ogg/Opus (about 14 MB an hour) for size-limited APIs."""
    try:
        return _transcode(path, dest, bit_rate=bit_rate)
    except av.FFmpegError as exc:
        raise UnsupportedRecording(
            f"Unsupported recording: the audio could not be re-encoded ({exc})."
        ) from None


def _transcode(path: Path, dest: Path, *, bit_rate: int) -> Path:
    """The encoding loop of transcode_to_opus."""
    rate = SAMPLE_RATE  # Opus supports 16 kHz natively, and speech models want no more.
    with av.open(str(dest), mode="w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=rate, layout="mono")
        stream.bit_rate = bit_rate
        resampler = AudioResampler(
            format=stream.format.name, layout="mono", rate=rate, frame_size=stream.frame_size
        )
        pts = 0
        budget = DecodeBudget.for_file(path)
        with av.open(str(path), mode="r") as source:
            for frame in _decode_skipping_damage(source):
                budget.spend(frame)
                for resampled in resampler.resample(frame):
                    pts = _encode(out, stream, resampled, pts)
            for resampled in resampler.resample(None):
                pts = _encode(out, stream, resampled, pts)
        for packet in stream.encode(None):
            out.mux(packet)
    return dest


def _encode(out: av.container.OutputContainer, stream: av.AudioStream, frame: av.AudioFrame, pts: int) -> int:
    """Encode one frame with monotonically increasing timestamps; return the next timestamp."""
    frame.pts = pts
    for packet in stream.encode(frame):
        out.mux(packet)
    return pts + frame.samples
