"""Real-time factor of the local (pocketsphinx) transcriber on a generated 60 s spoken recording, and the peak
memory of decoding a 60-minute one (decoding streams, so it should not grow with the recording's length).

Run: .venv/bin/python benchmarks/local_transcriber_rtf.py [seconds]   (prints RTF = processing time / audio time)
The recordings loop the committed espeak-ng fixture with a second of faint noise between sentences, so every
utterance is real speech; nothing large is committed.
"""

import os
import random
import resource
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="phc-bench-"))

import django  # noqa: E402

django.setup()

from interviews_api.processing import inspect_recording  # noqa: E402
from interviews_api.processing.decoding import iter_pcm  # noqa: E402
from interviews_api.processing.transcription import Recording, get_transcriber  # noqa: E402

FIXTURE = ROOT / "tests" / "interviews_api" / "fixtures" / "hello_world.wav"


def make_recording(path: Path, seconds: float) -> Path:
    """Loop the fixture sentence, each followed by 1 s of low noise, up to `seconds` of 16 kHz mono audio."""
    with wave.open(str(FIXTURE)) as source:
        speech = source.readframes(source.getnframes())
    rng = random.Random(1)
    pause = b"".join(rng.randint(-30, 30).to_bytes(2, "little", signed=True) for _ in range(16_000))
    needed = int(seconds * 16_000) * 2
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        while needed > 0:  # written piece by piece: the benchmark must not hold the hour either
            piece = (speech + pause)[:needed]
            out.writeframes(piece)
            needed -= len(piece)
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def decode_memory(tmp: Path, minutes: int = 60) -> None:
    """Decode an hour of audio and report how much the process's peak memory grew meanwhile."""
    path = make_recording(tmp / "hour.wav", minutes * 60)
    before, started = peak_rss_mb(), time.perf_counter()
    decoded = sum(len(chunk) for chunk in iter_pcm(path)) / 32_000
    print(
        f"decode {decoded / 60:.0f} min ({path.stat().st_size / 1e6:.0f} MB WAV) in {time.perf_counter() - started:.1f}"
        f" s: peak RSS {before:.0f} -> {peak_rss_mb():.0f} MB"
    )
    path.unlink()


def main(seconds: float = 60.0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        decode_memory(Path(tmp))  # first, before the speech model adds its own ~100 MB
        path = make_recording(Path(tmp) / "long.wav", seconds)
        info = inspect_recording(path)
        transcriber = get_transcriber("local")
        transcriber.transcribe(Recording(FIXTURE, inspect_recording(FIXTURE)))  # load the model first
        wall, cpu = time.perf_counter(), time.process_time()
        turns = transcriber.transcribe(Recording(path, info))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    lines = turns[0].text.splitlines() if turns else []
    peak_mb = peak_rss_mb()
    print(
        f"audio: {info.duration_seconds:.1f} s, {len(lines)} utterances; first: {lines[0] if lines else ''!r}"
    )
    print(f"wall: {wall:.1f} s -> RTF {wall / info.duration_seconds:.2f}")
    print(
        f"cpu:  {cpu:.1f} s -> RTF {cpu / info.duration_seconds:.2f} (one core; wall time grows when cores are busy)"
    )
    print(f"peak RSS: {peak_mb:.0f} MB (model included)")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0)
