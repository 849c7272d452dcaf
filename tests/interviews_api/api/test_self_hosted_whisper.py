"""The documented self-hosted Whisper set-up (docs/interviews-processing.md): only the transcription settings
point at a local OpenAI-compatible server (here a stand-in over real HTTP), no API key; summaries stay offline."""

import pytest

from tests.interviews_api.standin import Reply

from .conftest import HELLO_OGG, upload

pytestmark = pytest.mark.django_db(transaction=True)  # the job is queued on commit


def test_interview_transcribed_by_a_self_hosted_whisper_server(api, project, settings, standin):
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "openai"
    settings.INTERVIEW_OPENAI_TRANSCRIPTION_BASE_URL = f"{standin.url}/v1"
    settings.INTERVIEW_OPENAI_TRANSCRIPTION_API_KEY = ""
    settings.INTERVIEW_OPENAI_API_KEY = ""
    settings.INTERVIEW_OPENAI_TRANSCRIPTION_MODEL = "Systran/faster-whisper-small"
    standin.respond(Reply(json={"text": "We would pay more if the export worked every day."}))

    response = upload(api, project, HELLO_OGG, interviewee_emails="ada@example.com")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "completed" and "export worked every day" in body["transcript"]
    assert body["summary"]  # the offline extractive summary, no second server involved
    [request] = standin.requests
    assert request.path == "/v1/audio/transcriptions"
    assert "authorization" not in request.headers
    assert request.form == {"model": "Systran/faster-whisper-small", "response_format": "json"}
    assert request.files["file"].content == HELLO_OGG.read_bytes()
