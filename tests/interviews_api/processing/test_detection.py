"""inspect_recording identifies uploads by content and names what it cannot accept."""

import random
import shutil
import zlib
from pathlib import Path

import pytest

from interviews_api.processing import RecordingInfo, UnsupportedRecording, inspect_recording, transcribe
from interviews_api.processing.decoding import iter_pcm
from interviews_api.processing.detection import ACCEPTED

from .conftest import FIXTURES, HELLO_WAV, encode_as

# (file name, PyAV container, encoder, our format, content type, codec we report)
ENCODED = [
    ("a.mp3", "mp3", "libmp3lame", "mp3", "audio/mpeg", "mp3"),
    ("a.m4a", "ipod", "aac", "m4a", "audio/mp4", "aac"),
    ("a.aac", "adts", "aac", "aac", "audio/aac", "aac"),
    ("a.webm", "webm", "libopus", "webm", "audio/webm", "opus"),
    ("a.flac", "flac", "flac", "flac", "audio/flac", "flac"),
    ("a.mka", "matroska", "flac", "matroska", "audio/x-matroska", "flac"),
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


@pytest.mark.parametrize(("name", "container", "encoder", "fmt", "content_type", "codec"), ENCODED)
def test_every_accepted_audio_format_is_identified_and_decodes(
    tmp_path: Path, name: str, container: str, encoder: str, fmt: str, content_type: str, codec: str
) -> None:
    path = encode_as(HELLO_WAV, tmp_path / name, container=container, codec=encoder)
    info = inspect_recording(path)
    assert (info.kind, info.format, info.content_type, info.codec) == ("audio", fmt, content_type, codec)
    assert info.duration_seconds == pytest.approx(4.29, abs=0.2)
    chunks = [len(chunk) for chunk in iter_pcm(path)]
    assert sum(chunks) / (16_000 * 2) == pytest.approx(4.29, abs=0.2)
    assert max(chunks) <= 16_000 * 2  # streamed a frame at a time, never the whole file


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


def test_damage_in_the_middle_loses_only_the_damaged_part(tmp_path: Path) -> None:
    data = bytearray(
        encode_as(HELLO_WAV, tmp_path / "a.mp3", container="mp3", codec="libmp3lame").read_bytes()
    )
    rng = random.Random(3)
    for i in range(len(data) // 3, len(data) // 3 + 2000):
        data[i] = rng.randrange(256)
    damaged = tmp_path / "damaged.mp3"
    damaged.write_bytes(bytes(data))
    assert inspect_recording(damaged).format == "mp3"
    assert sum(len(chunk) for chunk in iter_pcm(damaged)) / 32_000 > 3.0  # of 4.3 s


def test_truncated_container_is_named(tmp_path: Path) -> None:
    m4a = encode_as(HELLO_WAV, tmp_path / "a.m4a", container="ipod", codec="aac").read_bytes()
    truncated = tmp_path / "cut.m4a"
    truncated.write_bytes(m4a[: len(m4a) // 2])  # the index (moov) is at the end, so nothing can be read
    with pytest.raises(UnsupportedRecording, match="looks like MP4/M4A, but it could not be read"):
        inspect_recording(truncated)


@pytest.mark.parametrize(
    ("text", "detected"),
    [
        ('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG image"),
        ("<!DOCTYPE html>\n<html><body>hi</body></html>", "HTML document"),
        ('<?xml version="1.0"?>\n<feed></feed>', "XML document"),
    ],
)
def test_markup_is_not_a_transcript(tmp_path: Path, text: str, detected: str) -> None:
    path = tmp_path / "upload.vtt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnsupportedRecording, match=f"detected {detected}"):
        inspect_recording(path)


def test_utf16_transcripts_are_read(tmp_path: Path) -> None:
    path = tmp_path / "teams-export.vtt"
    path.write_bytes("WEBVTT\n\n00:00.000 --> 00:02.500\n<v Zoë>Grüß dich</v>\n".encode("utf-16"))
    info = inspect_recording(path)
    assert (info.format, info.duration_seconds) == ("webvtt", 2.5)
    assert transcribe(path, interviewee_emails=[]) == "#### Zoë\nGrüß dich"


def test_huge_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(b"word " * 4_100_000)  # 20.5 MB
    with pytest.raises(UnsupportedRecording, match="transcripts may be at most 20 MB"):
        inspect_recording(path)
