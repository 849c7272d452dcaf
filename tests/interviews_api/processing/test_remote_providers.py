"""openai and elevenlabs providers over real HTTP against a stand-in server: requests, replies, failures."""

import socket

import pytest

from interviews_api.processing import ProviderError, summarize, transcribe
from interviews_api.processing.summary.openai import SECTIONS
from tests.interviews_api.standin import Reply

from .conftest import FIXTURES, HELLO_OGG, HELLO_WAV

KEY = "sk-test-secret-key-0123456789"
SUMMARY = "## User background\n\nAda runs growth.\n\n## Current product usage\n\nDaily."
# What ElevenLabs returns for "Hi Ada." / "Hello! We use it daily." / "Great.": words, spacing, speaker ids.
DIARIZED = {
    "language_code": "en",
    "text": "Hi Ada. Hello! We use it daily. Great.",
    "words": [
        {"text": "Hi", "type": "word", "speaker_id": "speaker_0"},
        {"text": " ", "type": "spacing", "speaker_id": "speaker_0"},
        {"text": "Ada.", "type": "word", "speaker_id": "speaker_0"},
        {"text": " ", "type": "spacing", "speaker_id": "speaker_0"},
        {"text": "(laughs)", "type": "audio_event", "speaker_id": "speaker_1"},
        {"text": "Hello!", "type": "word", "speaker_id": "speaker_1"},
        {"text": " ", "type": "spacing", "speaker_id": "speaker_1"},
        {"text": "We", "type": "word", "speaker_id": "speaker_1"},
        {"text": " ", "type": "spacing", "speaker_id": "speaker_1"},
        {"text": "use it daily.", "type": "word", "speaker_id": "speaker_1"},
        {"text": " ", "type": "spacing", "speaker_id": "speaker_1"},
        {"text": "Great.", "type": "word", "speaker_id": "speaker_2"},
    ],
}


@pytest.fixture
def remote(settings, standin):
    """Every remote provider pointed at the stand-in, with short timeouts."""
    settings.INTERVIEW_OPENAI_BASE_URL = f"{standin.url}/v1"
    settings.INTERVIEW_OPENAI_API_KEY = KEY
    settings.INTERVIEW_OPENAI_TIMEOUT = 0.5
    settings.INTERVIEW_ELEVENLABS_BASE_URL = standin.url
    settings.INTERVIEW_ELEVENLABS_API_KEY = KEY
    settings.INTERVIEW_ELEVENLABS_TIMEOUT = 0.5
    return standin


def use_openai_transcription(settings) -> None:
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "openai"
    settings.INTERVIEW_OPENAI_TRANSCRIPTION_MODEL = "whisper-large-v3"


def test_openai_transcription_uploads_the_recording(settings, remote) -> None:
    use_openai_transcription(settings)
    remote.respond(Reply(json={"text": " hello world this is a test "}))

    assert transcribe(HELLO_OGG, interviewee_emails=["Ada <ada@example.com>"]) == "hello world this is a test"

    [request] = remote.requests
    assert request.path == "/v1/audio/transcriptions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.form == {"model": "whisper-large-v3", "response_format": "json"}
    upload = request.files["file"]
    assert (upload.filename, upload.content_type) == ("recording.ogg", "audio/ogg")
    assert upload.content == HELLO_OGG.read_bytes()


def test_openai_transcription_shrinks_recordings_over_the_upload_limit(settings, remote) -> None:
    use_openai_transcription(settings)
    settings.INTERVIEW_OPENAI_TRANSCRIPTION_MAX_UPLOAD_BYTES = 50_000  # the WAV fixture is 137 kB
    remote.respond(Reply(json={"text": "hello"}))
    transcribe(HELLO_WAV, interviewee_emails=[])
    upload = remote.requests[0].files["file"]
    assert (upload.filename, upload.content_type) == ("recording.ogg", "audio/ogg")
    assert upload.content.startswith(b"OggS") and len(upload.content) < 50_000


def test_elevenlabs_sends_posthogs_parameters_and_names_speakers(settings, remote) -> None:
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "elevenlabs"
    remote.respond(Reply(json=DIARIZED))

    transcript = transcribe(
        HELLO_WAV, interviewee_emails=["Ada Lovelace <ada@example.com>", "jane@example.com"]
    )

    # speaker_1 talked most, so it is the first email's person; speaker_2 is left over.
    assert (
        transcript
        == "#### jane\nHi Ada.\n\n#### Ada Lovelace\nHello! We use it daily.\n\n#### Speaker 2\nGreat."
    )
    [request] = remote.requests
    assert request.path == "/v1/speech-to-text"
    assert request.headers["xi-api-key"] == KEY
    assert "authorization" not in request.headers
    assert request.form == {
        "model_id": "scribe_v1",
        "diarize": "true",
        "num_speakers": "10",
        "tag_audio_events": "false",
    }
    assert request.files["file"].content == HELLO_WAV.read_bytes()
    assert request.files["file"].content_type == "audio/wav"


def test_openai_summary_asks_for_posthogs_five_sections(settings, remote) -> None:
    settings.INTERVIEW_SUMMARY_PROVIDER = "openai"
    settings.INTERVIEW_OPENAI_SUMMARY_MODEL = "llama3.1"
    remote.respond(Reply(json={"choices": [{"message": {"role": "assistant", "content": f"  {SUMMARY}\n"}}]}))

    assert summarize("#### Ada\nWe use it daily.") == SUMMARY

    [request] = remote.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.json()
    assert body["model"] == "llama3.1"
    system, user = body["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert all(f"## {title}" in user["content"] for title in SECTIONS)
    assert len(SECTIONS) == 5
    assert "<transcript>\n#### Ada\nWe use it daily.\n</transcript>" in user["content"]


def test_uploaded_transcripts_never_reach_a_provider(settings, remote) -> None:
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "elevenlabs"
    assert transcribe(FIXTURES / "interview.vtt", interviewee_emails=[]).startswith("#### Jane Interviewer\n")
    assert remote.requests == []


def run(settings, provider: str) -> None:
    """Call one remote provider through the public entry points."""
    if provider == "openai-summary":
        settings.INTERVIEW_SUMMARY_PROVIDER = "openai"
        summarize("Some transcript.")
    else:
        settings.INTERVIEW_TRANSCRIPTION_PROVIDER = provider
        transcribe(HELLO_OGG, interviewee_emails=[])


PROVIDERS = ["openai", "elevenlabs", "openai-summary"]
FAILURE_IDS = ["timeout", "503", "429", "401", "400", "not-json", "missing-field", "not-an-object"]
FAILURES = [
    # (reply, retryable, words the message must contain)
    (Reply(delay=1.5, json={}), True, "within 0.5 s"),
    (Reply(status=503, body=b"upstream overloaded"), True, "HTTP 503"),
    (Reply(status=429, json={"error": "slow down"}, headers={"Retry-After": "7"}), True, "HTTP 429"),
    (
        Reply(status=401, json={"error": f"Incorrect API key provided: {KEY[:12]}..."}),
        False,
        "Check the API key",
    ),
    (Reply(status=400, json={"error": "unsupported file"}), False, "unsupported file"),
    (Reply(body=b"<html>not json</html>"), False, "not JSON"),
    (Reply(json={"unexpected": True}), False, "has no"),
    (Reply(json=["a", "list"]), False, "not a JSON object"),
]


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(("reply", "retryable", "words"), FAILURES, ids=FAILURE_IDS)
def test_failures_are_sorted_into_retryable_and_not(
    settings, remote, provider, reply, retryable, words
) -> None:
    remote.respond(reply)
    with pytest.raises(ProviderError) as caught:
        run(settings, provider)
    assert caught.value.retryable is retryable
    assert words in str(caught.value)
    assert KEY[:8] not in str(caught.value)  # never leak the key, even when the provider echoes it
    if "Retry-After" in reply.headers:
        assert caught.value.retry_after == 7.0


@pytest.mark.parametrize("provider", PROVIDERS)
def test_connection_refused_is_retryable(settings, remote, provider) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]  # nothing listens once the socket closes
    settings.INTERVIEW_OPENAI_BASE_URL = f"http://127.0.0.1:{closed_port}/v1"
    settings.INTERVIEW_ELEVENLABS_BASE_URL = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(ProviderError, match="could not reach") as caught:
        run(settings, provider)
    assert caught.value.retryable is True


def test_unknown_provider_names_the_choices(settings) -> None:
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "whisperx"
    with pytest.raises(ProviderError, match="choose one of local, openai, elevenlabs") as caught:
        transcribe(HELLO_WAV, interviewee_emails=[])
    assert caught.value.retryable is False


def test_elevenlabs_without_a_key_fails_clearly(settings, remote) -> None:
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "elevenlabs"
    settings.INTERVIEW_ELEVENLABS_API_KEY = ""
    with pytest.raises(ProviderError, match="INTERVIEW_ELEVENLABS_API_KEY") as caught:
        transcribe(HELLO_WAV, interviewee_emails=[])
    assert caught.value.retryable is False and remote.requests == []
