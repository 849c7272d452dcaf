"""Recovery: a dead worker's interview is re-queued or failed by the sweep; a recording has exactly one owner."""

import os
import threading
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone

from interviews_api.models import UserInterview
from interviews_api.tasks import process_interview
from jobs.models import JobLease
from jobs.testing import dead_process_tag, hold_lease
from tests.interviews_api.api.conftest import INTERVIEW_VTT, url

pytestmark = pytest.mark.django_db(transaction=True)


def processing_on_dead_worker(make_interview, *, interruptions: int = 0) -> UserInterview:
    interview = make_interview(
        data=INTERVIEW_VTT.read_bytes(),
        status="processing",
        processing_started_at=timezone.now(),
        job_id="dead-job",
        interruptions=interruptions,
    )
    args = {"args": [str(interview.pk)], "kwargs": {}}
    hold_lease("dead-job", owner=dead_process_tag(), job_name=process_interview.name, args=args)
    return interview


def test_the_sweep_requeues_an_interview_whose_worker_died(make_interview):
    interview = processing_on_dead_worker(make_interview)

    call_command("sweep_jobs")

    interview.refresh_from_db()
    assert interview.status == "completed" and "Ada Lovelace" in interview.transcript
    assert interview.job_id != "dead-job" and interview.interruptions == 1
    assert not JobLease.objects.exists()


def test_after_the_last_attempt_the_interview_fails_saying_the_worker_stopped(make_interview, settings):
    settings.INTERVIEW_MAX_ATTEMPTS = 3
    interview = processing_on_dead_worker(make_interview, interruptions=2)

    call_command("sweep_jobs")

    interview.refresh_from_db()
    assert interview.status == "failed"
    assert interview.processing_error == (
        "Processing stopped: the worker running it stopped (killed or crashed) before it finished (3 attempts). "
        "Run transcribe/ to try again."
    )


def vtt(number: int) -> bytes:
    return f"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Ada>Replacement number {number}.</v>\n".encode()


def test_six_parallel_replacements_leave_exactly_one_recording_the_row_points_at(
    live_server, project, make_key, make_interview, settings
):
    interview = make_interview(data=INTERVIEW_VTT.read_bytes())
    headers = {"Authorization": f"Bearer {make_key('*')}"}
    endpoint = live_server.url + url(project, interview.pk)
    bodies = {number: vtt(number) for number in range(6)}
    start = threading.Barrier(6)
    statuses: list[int] = []

    def replace(number: int) -> None:
        start.wait()
        files = {"audio": (f"take{number}.vtt", bodies[number], "text/vtt")}
        statuses.append(requests.patch(endpoint, files=files, headers=headers, timeout=60).status_code)

    threads = [threading.Thread(target=replace, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * 6
    interview.refresh_from_db()
    folder = Path(settings.MEDIA_ROOT) / "interviews" / str(project.pk)
    stored = sorted(path.name for path in folder.iterdir())
    assert stored == [Path(interview.recording.name).name]
    downloaded = requests.get(endpoint + "audio/", headers=headers, timeout=10).content
    assert downloaded in bodies.values()
    assert downloaded == (folder / stored[0]).read_bytes()


def test_the_sweep_removes_recordings_no_interview_points_at_after_the_grace_period(make_interview, settings):
    settings.INTERVIEW_ORPHAN_GRACE_SECONDS = 3600
    interview = make_interview()
    folder = Path(settings.MEDIA_ROOT) / "interviews" / str(interview.project_id)
    orphan, young = folder / "left-by-a-crash.wav", folder / "being-created.wav"
    orphan.write_bytes(b"RIFF")
    young.write_bytes(b"RIFF")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    os.utime(folder / Path(interview.recording.name).name, (two_hours_ago, two_hours_ago))

    call_command("sweep_jobs")

    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [Path(interview.recording.name).name, young.name]
    )
