"""Fixtures for the processing tests: the committed recordings and a stand-in HTTP API."""

from pathlib import Path

import av
import pytest

from tests.interviews_api.standin import standin  # noqa: F401 (a fixture, used by name)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HELLO_WAV = FIXTURES / "hello_world.wav"
HELLO_OGG = FIXTURES / "hello_world.ogg"
# Words pocketsphinx reliably hears in the espeak-ng fixtures (it hears "test" only some of the time).
HELLO_WORDS = {"hello", "world", "this", "interview"}


def encode_as(source: Path, dest: Path, *, container: str, codec: str, rate: int = 16_000) -> Path:
    """Re-encode `source` with PyAV, so every accepted format is tested without committing each one."""
    with av.open(str(source)) as src, av.open(str(dest), mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        stream.bit_rate = 64_000  # encoders' defaults at 16 kHz are low enough to garble speech recognition
        resampler = av.AudioResampler(
            format=stream.format.name, layout="mono", rate=rate, frame_size=stream.frame_size or None
        )
        pts = 0
        frames = [f for frame in src.decode(audio=0) for f in resampler.resample(frame)] + resampler.resample(
            None
        )
        for frame in frames:
            frame.pts = pts
            pts += frame.samples
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dest


@pytest.fixture
def hello_wav() -> Path:
    return HELLO_WAV


@pytest.fixture
def hello_ogg() -> Path:
    return HELLO_OGG
