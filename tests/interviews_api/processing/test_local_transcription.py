"""End to end: spoken fixtures through decoding and the offline pocketsphinx engine."""

import random
import threading
import wave
from pathlib import Path

import pytest

from interviews_api.processing import summarize, transcribe

from .conftest import HELLO_OGG, HELLO_WAV, HELLO_WORDS, encode_as


@pytest.mark.parametrize("recording", [HELLO_WAV, HELLO_OGG], ids=["wav", "ogg-opus"])
def test_local_engine_recognises_the_spoken_words(recording: Path) -> None:
    transcript = transcribe(recording, interviewee_emails=["Ada <ada@example.com>"])
    assert HELLO_WORDS <= set(transcript.split()), transcript
    assert "####" not in transcript  # no diarization, so no speaker headings


def test_pauses_split_utterances_into_lines(tmp_path: Path) -> None:
    with wave.open(str(HELLO_WAV)) as source:
        speech = source.readframes(source.getnframes())
    # A second of faint room noise (not digital silence, which no microphone records) between sentences.
    noise = random.Random(1).choices(range(-30, 31), k=16_000)
    pause = b"".join(sample.to_bytes(2, "little", signed=True) for sample in noise)
    path = tmp_path / "two.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((speech + pause) * 2)
    mp3 = encode_as(path, tmp_path / "two.mp3", container="mp3", codec="libmp3lame")

    transcript = transcribe(mp3, interviewee_emails=[])

    lines = transcript.splitlines()
    assert len(lines) == 2, transcript
    assert all("hello" in line.split() for line in lines), transcript
    assert HELLO_WORDS <= set(transcript.split()), transcript
    summary = summarize(transcript)
    assert summary and all(line.removeprefix("- ") in lines for line in summary.splitlines())


def test_worker_threads_share_one_loaded_model_and_each_gets_the_right_transcript(settings) -> None:
    from interviews_api.processing.transcription import local

    settings.INTERVIEW_LOCAL_DECODERS = 1
    pool = local._pool = local.DecoderPool()  # a fresh process-wide pool
    results: dict[int, str] = {}

    def work(number: int) -> None:
        results[number] = transcribe(HELLO_WAV, interviewee_emails=[])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert pool._created == 1  # the model was loaded once, not once per thread
    assert len(set(results.values())) == 1 and HELLO_WORDS <= set(results[0].split())
