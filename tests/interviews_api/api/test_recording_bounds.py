"""The work one recording can cause is bounded: sample rate, duration (declared and decoded), job time limit."""

import struct

import av
import pytest

from interviews_api.models import UserInterview
from tests.interviews_api.api.conftest import HELLO_WAV, upload, url

pytestmark = pytest.mark.django_db(transaction=True)


def wav_header(*, sample_rate: int, data_bytes: int) -> bytes:
    """A 16-bit mono PCM WAV of silence whose header declares `sample_rate`."""
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
    return (
        b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE" + b"fmt " + fmt
        + b"data" + struct.pack("<I", data_bytes) + bytes(data_bytes)
    )  # fmt: skip


class _Sink:
    """A write-only file: the WebM muxer cannot seek back, so the file declares no duration (as a live stream)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        return len(chunk)


def webm_without_duration(source, repeat: int) -> bytes:
    sink = _Sink()
    with av.open(sink, "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=48000, layout="mono")
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=48000, frame_size=960)
        pts = 0
        for _ in range(repeat):
            with av.open(str(source)) as src:
                for frame in src.decode(audio=0):
                    for resampled in resampler.resample(frame):
                        resampled.pts, pts = pts, pts + resampled.samples
                        for packet in stream.encode(resampled):
                            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return bytes(sink.data)


def test_a_64_kb_wav_declaring_1_hz_is_refused_at_once(api, project, tmp_path):
    hostile = tmp_path / "hostile.wav"
    hostile.write_bytes(wav_header(sample_rate=1, data_bytes=65_536))  # 9.1 hours at 1 Hz

    response = upload(api, project, hostile)

    assert response.status_code == 400, response.json()
    body = response.json()
    assert (body["code"], body["attr"]) == ("unsupported", "audio")
    assert "sample rate of 1 Hz is outside the supported 4000-384000 Hz" in body["detail"]
    assert not UserInterview.objects.exists()


def test_a_recording_declaring_more_than_the_maximum_duration_is_refused(api, project, settings):
    settings.INTERVIEW_MAX_DURATION_SECONDS = 2
    response = upload(api, project, HELLO_WAV)  # 4.3 s
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Unsupported recording: its audio lasts 0:00:04, longer than the limit of 0:00:02 "
        "(INTERVIEW_MAX_DURATION_SECONDS)."
    )


def test_duration_is_measured_while_decoding_when_the_header_does_not_say(api, project, settings, tmp_path):
    live = tmp_path / "live.webm"
    live.write_bytes(webm_without_duration(HELLO_WAV, repeat=3))  # about 13 s, no duration in the header
    settings.INTERVIEW_MAX_DURATION_SECONDS = 8

    body = upload(api, project, live).json()

    assert body["status"] == "failed"
    assert body["processing_error"] == (
        "The recording could not be processed: Unsupported recording: its audio lasts more than 0:00:08, "
        "longer than the limit of 0:00:08 (INTERVIEW_MAX_DURATION_SECONDS)."
    )
    settings.INTERVIEW_MAX_DURATION_SECONDS = 60
    again = api.post(url(project, body["id"], "transcribe")).json()
    assert again["status"] == "completed"


def test_decoded_audio_is_bounded_relative_to_the_file_size(api, project, settings, tmp_path):
    from interviews_api.processing import bounds

    live = tmp_path / "live.webm"
    live.write_bytes(webm_without_duration(HELLO_WAV, repeat=3))  # ~13 s of audio in ~40 KB
    settings.INTERVIEW_MAX_DECODE_RATIO = 1  # 40 KB may decode to ~1.3 s of PCM ...
    bounds_floor = bounds.MIN_BUDGET_SECONDS
    bounds.MIN_BUDGET_SECONDS = 5.0  # ... with a 5 s floor instead of a minute
    try:
        body = upload(api, project, live).json()
    finally:
        bounds.MIN_BUDGET_SECONDS = bounds_floor
    assert body["status"] == "failed"
    assert (
        "decode to more than 0:00:05 of audio, more than a file of that size can hold"
        in body["processing_error"]
    )


def test_processing_past_its_time_limit_ends_failed_with_a_clear_message(api, project, settings):
    settings.INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS = 0.000001
    body = upload(api, project, HELLO_WAV).json()
    assert body["status"] == "failed"
    assert body["processing_error"] == (
        "Processing stopped: it ran longer than its time limit of 1e-06 seconds "
        "(INTERVIEW_PROCESSING_TIME_LIMIT_SECONDS)."
    )
