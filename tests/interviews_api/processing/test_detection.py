"""inspect_recording identifies uploads by content and names what it cannot accept."""

import random
import shutil
import zlib
from pathlib import Path

import pytest

from interviews_api.processing import RecordingInfo, UnsupportedRecording, inspect_recording
from interviews_api.processing.decoding import iter_pcm
from interviews_api.processing.detection import ACCEPTED

from .conftest import FIXTURES, HELLO_WAV, encode_as

# (file name, PyAV container, codec, our format, content type)
ENCODED = [
    ("a.mp3", "mp3", "libmp3lame", "mp3", "audio/mpeg"),
    ("a.m4a", "ipod", "aac", "m4a", "audio/mp4"),
    ("a.aac", "adts", "aac", "aac", "audio/aac"),
    ("a.webm", "webm", "libopus", "webm", "audio/webm"),
    ("a.flac", "flac", "flac", "flac", "audio/flac"),
    ("a.mka", "matroska", "flac", "matroska", "audio/x-matroska"),
]


def _png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\0"))
        + chunk(b"IEND", b"")
    )


def test_committed_fixtures_are_identified() -> None:
    assert inspect_recording(HELLO_WAV) == RecordingInfo(
        "audio", "wav", pytest.approx(4.29, abs=0.05), "audio/wav", codec="pcm_s16le"
    )
    ogg = inspect_recording(FIXTURES / "hello_world.ogg")
    assert (ogg.kind, ogg.format, ogg.content_type, ogg.codec) == ("audio", "ogg", "audio/ogg", "opus")
    vtt = inspect_recording(FIXTURES / "interview.vtt")
    assert (vtt.kind, vtt.format, vtt.duration_seconds) == ("transcript", "webvtt", 16.0)
    assert vtt.content_type.startswith("text/vtt")
    srt = inspect_recording(FIXTURES / "interview.srt")
    assert (srt.kind, srt.format, srt.duration_seconds) == ("transcript", "srt", 16.0)


@pytest.mark.parametrize(("name", "container", "codec", "fmt", "content_type"), ENCODED)
def test_every_accepted_audio_format_is_identified_and_decodes(
    tmp_path: Path, name: str, container: str, codec: str, fmt: str, content_type: str
) -> None:
    path = encode_as(HELLO_WAV, tmp_path / name, container=container, codec=codec)
    info = inspect_recording(path)
    assert (info.kind, info.format, info.content_type) == ("audio", fmt, content_type)
    assert info.duration_seconds == pytest.approx(4.29, abs=0.2)
    pcm_seconds = sum(len(chunk) for chunk in iter_pcm(path)) / (16_000 * 2)
    assert pcm_seconds == pytest.approx(4.29, abs=0.2)


def test_detection_ignores_the_file_name(tmp_path: Path) -> None:
    disguised = shutil.copy(HELLO_WAV, tmp_path / "photo.png")
    assert inspect_recording(Path(disguised)).format == "wav"
    fake = tmp_path / "interview.wav"
    fake.write_bytes(_png())
    with pytest.raises(UnsupportedRecording, match="detected PNG image"):
        inspect_recording(fake)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (_png(), "Unsupported recording format: detected PNG image"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "detected PDF document"),
        (b"PK\x03\x04" + bytes(range(256)), "detected ZIP archive"),
        (random.Random(7).randbytes(50_000), "could not identify the content"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "WAV"),  # a truncated WAV header: identified, but no sound
    ],
    ids=["empty", "png", "pdf", "zip", "random", "truncated-wav"],
)
def test_unsupported_content_names_what_was_detected(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    with pytest.raises(UnsupportedRecording, match=message) as caught:
        inspect_recording(path)
    assert str(caught.value).endswith(ACCEPTED)  # every refusal tells the client what would work


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "webvtt"),
        ("\ufeffWEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nhi\r\n", "webvtt"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n", "srt"),
        ("Alice: hi\nBob: hello\n", "text"),
        ("Grüße aus Köln — ünïcödé text.\n", "text"),
    ],
)
def test_transcripts_are_detected_by_content(tmp_path: Path, text: str, fmt: str) -> None:
    path = tmp_path / "upload.mp3"  # the extension is deliberately wrong
    path.write_bytes(text.encode())
    info = inspect_recording(path)
    assert (info.kind, info.format) == ("transcript", fmt)
