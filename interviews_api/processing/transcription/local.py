"""Offline speech-to-text with pocketsphinx and the English model its wheel ships: no network, no account."""

import threading
from collections.abc import Iterator

from pocketsphinx import Decoder, Endpointer

from ..config import setting
from ..decoding import SAMPLE_RATE, iter_pcm
from ..transcripts import Turn
from .base import Recording

MAX_UTTERANCE_BYTES = 30 * SAMPLE_RATE * 2  # 30 s of 16-bit mono bounds memory if nobody ever pauses

# Loading the model takes a moment and a Decoder is not thread-safe: keep one per worker thread.
_per_thread = threading.local()


class LocalTranscriber:
    """pocketsphinx over the decoded stream, cut into utterances at pauses; one transcript line each."""

    def transcribe(self, recording: Recording) -> list[Turn]:
        """Decode utterance by utterance, so memory stays flat however long the recording is."""
        decoder = _decoder()
        # The cepstral mean adapts across utterances; start every recording from the model's prior so a
        # transcript does not depend on what this thread transcribed before.
        decoder.set_cmn(_per_thread.initial_cmn)
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


def _decoder() -> Decoder:
    """This thread's decoder, created on first use (INTERVIEW_LOCAL_POCKETSPHINX_OPTIONS tunes speed/accuracy)."""
    if not hasattr(_per_thread, "decoder"):
        options = dict(setting("INTERVIEW_LOCAL_POCKETSPHINX_OPTIONS", {}))
        _per_thread.decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", **options)
        _per_thread.initial_cmn = _per_thread.decoder.get_cmn()
    return _per_thread.decoder


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
