"""Word error rate of a transcription provider on the spoken fixtures in benchmarks/speech/ (offline by default).

Run: .venv/bin/python benchmarks/transcription_wer.py [provider]   (default: local, the offline pocketsphinx one;
`openai` uses the INTERVIEW_OPENAI_* settings, e.g. a self-hosted Whisper-compatible server)

The fixtures are short sentences an interviewee might say, synthesized with espeak-ng (en-us, 120 words a
minute; see benchmarks/speech/README.md). WER = (substitutions + deletions + insertions) / reference words, over
all fixtures together, on lower-cased words without punctuation. Synthetic speech is cleaner than a real call,
so real recordings score worse.
"""

import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="phc-bench-"))

import django  # noqa: E402

django.setup()

from interviews_api.processing import inspect_recording  # noqa: E402
from interviews_api.processing.transcription import Recording, get_transcriber  # noqa: E402

SPEECH = ROOT / "benchmarks" / "speech"


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance (substitutions, deletions and insertions each cost 1)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, 1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def fixtures() -> list[tuple[Path, str]]:
    lines = (SPEECH / "references.txt").read_text().splitlines()
    return [(SPEECH / name, text) for name, text in (line.split("\t") for line in lines if line.strip())]


def main(provider: str = "local") -> None:
    transcriber = get_transcriber(provider)
    errors = reference_words = 0
    audio_seconds = wall = 0.0
    for path, reference in fixtures():
        info = inspect_recording(path)
        started = time.perf_counter()
        turns = transcriber.transcribe(Recording(path, info))
        wall += time.perf_counter() - started
        audio_seconds += info.duration_seconds
        hypothesis = " ".join(turn.text for turn in turns)
        ref, hyp = words(reference), words(hypothesis)
        distance = edit_distance(ref, hyp)
        errors, reference_words = errors + distance, reference_words + len(ref)
        print(f"{path.name:16} WER {distance / len(ref):6.1%}  heard: {' '.join(hyp)!r}")
    print(
        f"{provider}: WER {errors / reference_words:.1%} over {reference_words} words in {len(fixtures())} clips;"
    )
    print(
        f"  {audio_seconds:.1f} s of audio in {wall:.1f} s (RTF {wall / audio_seconds:.2f}, model load included)"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "local")
