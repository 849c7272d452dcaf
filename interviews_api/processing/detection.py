"""Recognise an upload by its content: an audio recording PyAV can decode, or a transcript file."""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import av

from .bounds import check_declared_audio
from .errors import UnsupportedRecording
from .transcripts import MARKUP, check_transcript_encoding, last_cue_end, read_transcript, sniff_transcript

ACCEPTED = "Upload WAV, MP3, M4A/AAC, OGG/Opus, WebM, FLAC, or a WebVTT/SRT/plain-text transcript."
HEAD_BYTES = 64 * 1024
MAX_TRANSCRIPT_BYTES = 20_000_000  # a 3-hour meeting is well under 1 MB of text
MAX_PROBE_PACKETS = 200  # damaged packets tolerated at the start before we call a recording undecodable

# Our format name -> (FFmpeg demuxer names that may report it, content type for downloads).
AUDIO_FORMATS: dict[str, tuple[frozenset[str], str]] = {
    "wav": (frozenset({"wav"}), "audio/wav"),
    "mp3": (frozenset({"mp3"}), "audio/mpeg"),
    "m4a": (frozenset({"mov,mp4,m4a,3gp,3g2,mj2"}), "audio/mp4"),
    "mp4": (frozenset({"mov,mp4,m4a,3gp,3g2,mj2"}), "video/mp4"),
    "aac": (frozenset({"aac"}), "audio/aac"),
    "ogg": (frozenset({"ogg"}), "audio/ogg"),
    "webm": (frozenset({"matroska,webm"}), "audio/webm"),
    "matroska": (frozenset({"matroska,webm"}), "audio/x-matroska"),
    "flac": (frozenset({"flac"}), "audio/flac"),
}
TRANSCRIPT_CONTENT_TYPES = {
    "webvtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
# Well-known non-audio signatures, so the client hears what we think they sent.
NOT_AUDIO_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"BM", "BMP image"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
]
# Signatures of the containers we accept, to explain a file that has one but still fails to open.
AUDIO_MAGIC: list[tuple[int, bytes, str]] = [
    (0, b"RIFF", "WAV"),
    (0, b"ID3", "MP3"),
    (4, b"ftyp", "MP4/M4A"),
    (0, b"OggS", "Ogg"),
    (0, b"\x1a\x45\xdf\xa3", "WebM/Matroska"),
    (0, b"fLaC", "FLAC"),
]


@dataclass(frozen=True)
class RecordingInfo:
    """What an upload is: kind ("audio"|"transcript"), our format name, duration if known, download type."""

    kind: Literal["audio", "transcript"]
    format: str
    duration_seconds: float | None
    content_type: str
    codec: str | None = None


def inspect_recording(path: Path) -> RecordingInfo:
    """Identify `path` by content; raise UnsupportedRecording naming what was found when we cannot use it."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise UnsupportedRecording(f"Unsupported recording: the file is empty. {ACCEPTED}")
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    transcript_format = sniff_transcript(head, complete=size <= HEAD_BYTES)
    if transcript_format is None:
        return _inspect_audio(path, head)
    if transcript_format in MARKUP:
        raise UnsupportedRecording(f"Unsupported recording format: detected {transcript_format}. {ACCEPTED}")
    if size > MAX_TRANSCRIPT_BYTES:
        raise UnsupportedRecording(
            f"Unsupported transcript: {size / 1e6:.0f} MB of text is far beyond any interview; "
            f"transcripts may be at most {MAX_TRANSCRIPT_BYTES // 1_000_000} MB."
        )
    check_transcript_encoding(path.read_bytes(), transcript_format)
    duration = last_cue_end(read_transcript(path)) if transcript_format != "text" else None
    return RecordingInfo(
        "transcript", transcript_format, duration, TRANSCRIPT_CONTENT_TYPES[transcript_format]
    )


def describe_magic(head: bytes) -> str | None:
    """Our name for a known non-audio signature at the start of `head`."""
    for magic, name in NOT_AUDIO_MAGIC:
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"avif", b"mif1"):
        return "HEIF/AVIF image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP image"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "AVI video"
    return None


def _inspect_audio(path: Path, head: bytes) -> RecordingInfo:
    """Open with PyAV and decode one audio frame, so 'accepted' means 'we can really decode it'."""
    known = describe_magic(head)
    if known:
        raise UnsupportedRecording(f"Unsupported recording format: detected {known}. {ACCEPTED}")
    try:
        container = av.open(str(path), mode="r")
    except (av.FFmpegError, ValueError, OSError):
        looks_like = next((name for at, magic, name in AUDIO_MAGIC if head[at:].startswith(magic)), None)
        if looks_like:
            raise UnsupportedRecording(
                f"Unsupported recording: the file looks like {looks_like}, but it could not be read "
                f"(truncated or damaged?). {ACCEPTED}"
            ) from None
        raise UnsupportedRecording(
            f"Unsupported recording format: could not identify the content (binary data starting "
            f"{head[:8].hex(' ')}). {ACCEPTED}"
        ) from None
    with container:
        demuxer = container.format.name
        fmt = _our_format(demuxer, head, has_video=bool(container.streams.video))
        if fmt is None:
            raise UnsupportedRecording(
                f"Unsupported recording format: detected {container.format.long_name} ({demuxer}). {ACCEPTED}"
            )
        if not container.streams.audio:
            raise UnsupportedRecording(
                f"Unsupported recording: detected {container.format.long_name} without an audio track. {ACCEPTED}"
            )
        stream = container.streams.audio[0]
        duration = _duration(container, stream)
        check_declared_audio(sample_rate=stream.codec_context.sample_rate, duration_seconds=duration)
        _decode_one_frame(container, stream, fmt)
        return RecordingInfo(
            "audio", fmt, duration, AUDIO_FORMATS[fmt][1], codec=stream.codec_context.codec.canonical_name
        )


def _our_format(demuxer: str, head: bytes, *, has_video: bool) -> str | None:
    """Map FFmpeg's demuxer name to one of ours; None for containers we do not accept."""
    if demuxer == "mov,mp4,m4a,3gp,3g2,mj2":
        return "mp4" if has_video else "m4a"
    if demuxer == "matroska,webm":
        # The EBML header names its DocType; browsers' MediaRecorder writes "webm".
        return "webm" if b"webm" in head[:64] else "matroska"
    for name, (demuxers, _) in AUDIO_FORMATS.items():
        if demuxer in demuxers:
            return name
    return None


def _decode_one_frame(container: av.container.InputContainer, stream: av.AudioStream, fmt: str) -> None:
    """Raise UnsupportedRecording unless one of the first packets decodes to audio (damaged ones are skipped)."""
    error = None
    for attempt, packet in enumerate(container.demux(stream)):
        try:
            if packet.decode():
                return
        except av.InvalidDataError as exc:
            error = exc
        if attempt >= MAX_PROBE_PACKETS:
            break
    detail = f"it could not be decoded ({error})" if error else "it contains no sound"
    raise UnsupportedRecording(
        f"Unsupported recording: detected {fmt.upper()} audio, but {detail}. {ACCEPTED}"
    )


def _duration(container: av.container.InputContainer, stream: av.AudioStream) -> float | None:
    """Duration from the stream or container header; None when the file does not say (e.g. live WebM)."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    return None
