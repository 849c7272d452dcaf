"""INTERVIEW_SPEAKER_NAMING=openai: the chat model names diarized speakers; unusable answers fall back."""

import json

import pytest

from interviews_api.processing import ProviderError, transcribe
from tests.interviews_api.standin import Reply

from .conftest import HELLO_WAV
from .test_remote_providers import DIARIZED, KEY

EMAILS = ["Ada Lovelace <ada@example.com>", "jane@example.com"]


@pytest.fixture
def llm_naming(settings, standin):
    """ElevenLabs and the chat model both answered by the stand-in, in that order."""
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "elevenlabs"
    settings.INTERVIEW_ELEVENLABS_BASE_URL = standin.url
    settings.INTERVIEW_ELEVENLABS_API_KEY = KEY
    settings.INTERVIEW_SPEAKER_NAMING = "openai"
    settings.INTERVIEW_OPENAI_BASE_URL = f"{standin.url}/v1"
    settings.INTERVIEW_OPENAI_API_KEY = KEY
    settings.INTERVIEW_OPENAI_TIMEOUT = 0.5
    settings.INTERVIEW_OPENAI_SUMMARY_MODEL = "qwen2.5"
    return standin


def chat(content: str) -> Reply:
    return Reply(json={"choices": [{"message": {"role": "assistant", "content": content}}]})


def test_the_model_names_speakers(llm_naming) -> None:
    mapping = {"speaker_0": "Ada Lovelace", "speaker_1": "jane@example.com", "speaker_9": "ignored"}
    llm_naming.respond(Reply(json=DIARIZED), chat(f"```json\n{json.dumps(mapping)}\n```"))

    transcript = transcribe(HELLO_WAV, interviewee_emails=EMAILS)

    # speaker_2 was left out by the model: it keeps its number.
    assert transcript == (
        "#### Ada Lovelace\nHi Ada.\n\n#### jane@example.com\nHello! We use it daily.\n\n#### Speaker 2\nGreat."
    )
    chat_request = llm_naming.requests[1]
    assert chat_request.path == "/v1/chat/completions"
    body = chat_request.json()
    assert body["model"] == "qwen2.5"
    user = body["messages"][1]["content"]
    assert "- Ada Lovelace <ada@example.com>\n- jane@example.com" in user
    assert "[speaker_0]\nHi Ada.\n\n[speaker_1]\nHello! We use it daily." in user


@pytest.mark.parametrize("content", ["null", "not json at all", '["a list"]', '{"speaker_7": "Nobody"}'])
def test_unusable_answers_fall_back_to_the_deterministic_mapping(llm_naming, content: str) -> None:
    llm_naming.respond(Reply(json=DIARIZED), chat(content))
    transcript = transcribe(HELLO_WAV, interviewee_emails=EMAILS)
    assert transcript.startswith("#### jane\nHi Ada.\n\n#### Ada Lovelace\n")  # most words -> first email


def test_without_emails_the_model_is_not_asked(llm_naming) -> None:
    llm_naming.respond(Reply(json=DIARIZED))
    assert transcribe(HELLO_WAV, interviewee_emails=[]).startswith("#### Speaker 0\n")
    assert len(llm_naming.requests) == 1


def test_a_failing_model_call_is_a_provider_error(llm_naming) -> None:
    llm_naming.respond(Reply(json=DIARIZED), Reply(status=502, body=b"bad gateway"))
    with pytest.raises(ProviderError, match="openai speaker naming: HTTP 502") as caught:
        transcribe(HELLO_WAV, interviewee_emails=EMAILS)
    assert caught.value.retryable is True
