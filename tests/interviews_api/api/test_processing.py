"""Processing as a job: retries of provider failures, the failed state, re-running, resuming, a real worker."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from interviews_api.models import UserInterview
from jobs import processes
from jobs.testing import dead_process_tag, hold_lease, queue_on_disk, running_consumer
from tests.interviews_api.api.conftest import HELLO_WAV, INTERVIEW_VTT, upload, url
from tests.interviews_api.standin import Reply

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def openai_standin(standin, settings):
    """Transcription through the OpenAI-compatible provider, served by the local stand-in."""
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "openai"
    settings.INTERVIEW_OPENAI_BASE_URL = standin.url
    settings.INTERVIEW_OPENAI_API_KEY = "sk-test"
    return standin


UNAVAILABLE = Reply(status=503, json={"error": {"message": "overloaded"}})
TRANSCRIBED = Reply(json={"text": "We export every report to CSV. The export is slow on big projects."})


def test_a_provider_that_fails_twice_with_503_is_retried_then_succeeds(api, project, openai_standin):
    openai_standin.respond(UNAVAILABLE, UNAVAILABLE, TRANSCRIBED)

    body = upload(api, project, HELLO_WAV).json()

    assert body["status"] == "completed", body
    assert "export is slow" in body["transcript"]
    assert body["summary"]
    assert len(openai_standin.requests) == 3
    assert {request.path for request in openai_standin.requests} == {"/audio/transcriptions"}


def test_retries_run_out_into_the_failed_state_and_transcribe_runs_again(
    api, project, openai_standin, settings
):
    settings.INTERVIEW_PROCESSING_RETRIES = 2
    openai_standin.respond(UNAVAILABLE)

    body = upload(api, project, HELLO_WAV, summary="Client notes.").json()

    assert len(openai_standin.requests) == 3  # the first attempt and two retries
    assert body["status"] == "failed"
    assert body["processing_error"].startswith(
        "The transcription provider failed: openai transcription: HTTP 503"
    )
    assert (body["transcript"], body["summary"]) == ("", "Client notes.")
    assert b"".join(api.get(body["audio"]).streaming_content) == HELLO_WAV.read_bytes()  # the recording stays

    openai_standin.respond(TRANSCRIBED)
    again = api.post(url(project, body["id"], "transcribe"))

    assert again.status_code == 200
    assert again.json()["status"] == "completed"
    assert again.json()["processing_error"] == ""
    assert "export is slow" in again.json()["transcript"]
    assert again.json()["summary"] == "Client notes."  # the client's summary is never regenerated


def test_a_permanent_provider_error_is_not_retried(api, project, openai_standin):
    openai_standin.respond(Reply(status=401, json={"error": "bad key"}))
    body = upload(api, project, HELLO_WAV).json()
    assert body["status"] == "failed"
    assert "HTTP 401" in body["processing_error"]
    assert len(openai_standin.requests) == 1


def test_transcribe_regenerates_a_generated_summary_but_keeps_an_edited_one(api, project):
    created = upload(api, project, INTERVIEW_VTT).json()
    interview = UserInterview.objects.get(pk=created["id"])
    assert interview.summary_source == "generated"
    UserInterview.objects.filter(pk=interview.pk).update(summary="stale", transcript="stale")

    regenerated = api.post(url(project, interview.pk, "transcribe")).json()
    assert regenerated["summary"] not in ("", "stale")
    assert "Ada Lovelace" in regenerated["transcript"]

    api.patch(url(project, interview.pk), {"summary": "Edited by a person."}, format="json")
    kept = api.post(url(project, interview.pk, "transcribe")).json()
    assert kept["summary"] == "Edited by a person."


def test_transcribe_refuses_while_an_interview_is_being_processed(api, project, make_interview):
    interview = make_interview(status="processing", processing_started_at=timezone.now(), job_id="running")
    hold_lease("running", owner=processes.current_tag())  # a live worker (this process) holds the job
    response = api.post(url(project, interview.pk, "transcribe"))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


@pytest.mark.parametrize("lease", ["none", "expired", "dead owner"])
def test_transcribe_runs_again_when_the_processing_claim_is_dead(api, project, make_interview, lease):
    interview = make_interview(
        data=INTERVIEW_VTT.read_bytes(),
        status="processing",
        processing_started_at=timezone.now(),
        job_id="j1",
    )
    if lease == "expired":
        hold_lease("j1", owner=processes.current_tag(), expires_in=-1)
    elif lease == "dead owner":
        hold_lease("j1", owner=dead_process_tag())

    response = api.post(url(project, interview.pk, "transcribe"))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "completed"
    assert "Ada Lovelace" in response.json()["transcript"]


def test_the_resume_sweep_requeues_interviews_a_dead_worker_left_behind(
    api, project, make_interview, settings
):
    settings.INTERVIEW_STALLED_AFTER_SECONDS = 60
    recording = INTERVIEW_VTT.read_bytes()
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    stalled = make_interview(
        data=recording, status="processing", processing_started_at=long_ago, job_id="dead"
    )
    recent = make_interview(
        data=recording, status="processing", processing_started_at=timezone.now(), job_id="live"
    )

    call_command("resume_jobs")

    stalled.refresh_from_db()
    recent.refresh_from_db()
    assert stalled.status == "completed" and "Ada Lovelace" in stalled.transcript
    assert stalled.job_id != "dead"
    assert (recent.status, recent.job_id) == ("processing", "live")


def poll(api, path: str, *, until: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = api.get(path).json()
        if body["status"] == until or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def test_a_real_worker_processes_what_was_queued_while_it_was_down(api, project, settings, tmp_path):
    settings.INTERVIEW_SYNC_WAIT_SECONDS = 0.5
    with queue_on_disk(tmp_path / "queue.sqlite3"):
        # No worker yet: the request waits briefly, then answers 201 with the interview still pending.
        created = upload(api, project, INTERVIEW_VTT)
        assert created.status_code == 201
        assert (created.json()["status"], created.json()["transcript"]) == ("pending", "")

        with running_consumer():
            done = poll(api, url(project, created.json()["id"]), until="completed")
            assert done["status"] == "completed"
            assert "Ada Lovelace" in done["transcript"] and done["summary"]

            # With a worker up, a create that waits long enough answers with the finished interview.
            settings.INTERVIEW_SYNC_WAIT_SECONDS = 30
            quick = upload(api, project, INTERVIEW_VTT).json()
            assert quick["status"] == "completed"
