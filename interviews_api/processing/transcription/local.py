"""Offline speech-to-text with pocketsphinx and the English model its wheel ships: no network, no account."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pocketsphinx import Decoder, Endpointer

from jobs.queue import check_deadline

from ..config import setting
from ..decoding import SAMPLE_RATE, iter_pcm
from ..transcripts import Turn
from .base import Recording

MAX_UTTERANCE_BYTES = 30 * SAMPLE_RATE * 2  # 30 s of 16-bit mono bounds memory if nobody ever pauses


class DecoderPool:
    """Decoders shared by the worker threads of one process: each holds the ~115 MB model, and one is not
    thread-safe, so a thread checks one out for a whole recording. At most INTERVIEW_LOCAL_DECODERS exist
    (default 1: the model is loaded once per process); a thread that finds none free waits its turn, within its
    job's time limit."""

    def __init__(self) -> None:
        self._idle: list[tuple[Decoder, object]] = []
        self._created = 0
        self._available = threading.Condition()

    @contextmanager
    def checkout(self) -> Iterator[tuple[Decoder, object]]:
        entry = self._take()
        try:
            yield entry
        finally:
            with self._available:
                self._idle.append(entry)
                self._available.notify()

    def _take(self) -> tuple[Decoder, object]:
        with self._available:
            while not self._idle and self._created >= max(1, int(setting("INTERVIEW_LOCAL_DECODERS", 1))):
                self._available.wait(timeout=1.0)
                check_deadline()
            if self._idle:
                return self._idle.pop()
            self._created += 1
        try:
            return _new_decoder()
        except BaseException:
            with self._available:
                self._created -= 1
                self._available.notify()
            raise


def _new_decoder() -> tuple[Decoder, object]:
    """A decoder and its initial cepstral mean (INTERVIEW_LOCAL_POCKETSPHINX_OPTIONS tunes speed/accuracy)."""
    options = dict(setting("INTERVIEW_LOCAL_POCKETSPHINX_OPTIONS", {}))
    decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", **options)
    return decoder, decoder.get_cmn()


_pool = DecoderPool()


class LocalTranscriber:
    """pocketsphinx over the decoded stream, cut into utterances at pauses; one transcript line each."""

    def transcribe(self, recording: Recording) -> list[Turn]:
        """Decode utterance by utterance, so memory stays flat however long the recording is."""
        with _pool.checkout() as (decoder, initial_cmn):
            # The cepstral mean adapts across utterances; start every recording from the model's prior so a
            # transcript does not depend on what this decoder transcribed before.
            decoder.set_cmn(initial_cmn)
            return self._transcribe(decoder, recording)

    def _transcribe(self, decoder: Decoder, recording: Recording) -> list[Turn]:
        endpointer = Endpointer(sample_rate=SAMPLE_RATE)
        lines: list[str] = []
        utterance = bytearray()
        was_speaking = False
        for frame in _frames(recording, endpointer.frame_bytes):
            if len(frame) < endpointer.frame_bytes:
                endpointer.end_stream(frame)
            else:
                endpointer.process(frame)
            # Keep the raw audio, pauses included, and only use the endpointer to choose where to cut:
            # decoding speech-only snippets recognises noticeably fewer words than whole stretches.
            utterance += frame
            pause_began = was_speaking and not endpointer.in_speech
            if pause_began or len(utterance) >= MAX_UTTERANCE_BYTES:
                lines.append(_decode(decoder, bytes(utterance)))
                utterance.clear()
            was_speaking = endpointer.in_speech
        if len(utterance) > SAMPLE_RATE // 5:  # a tail shorter than 0.1 s holds no words
            lines.append(_decode(decoder, bytes(utterance)))
        text = "\n".join(line for line in lines if line)
        return [Turn(None, text)] if text else []


def _frames(recording: Recording, size: int) -> Iterator[bytes]:
    """Re-chunk decoded PCM into the endpointer's fixed frame size; the last frame may be short."""
    buffer = bytearray()
    for chunk in iter_pcm(recording.path):
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def _decode(decoder: Decoder, pcm: bytes) -> str:
    """The best hypothesis for one utterance, normalised over the whole utterance (full_utt)."""
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.strip() if hyp else ""
