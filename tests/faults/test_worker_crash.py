"""kill -9 of the real worker mid-transcription and mid-materialization; a new worker recovers within 2 minutes.

Each test prints how long recovery took after the new worker started (run with -s to see it).
"""

import time
from pathlib import Path

import pytest

from interviews_api.models import UserInterview
from jobs.models import JobLease
from tests.faults.conftest import wait_for
from tests.interviews_api.api.conftest import HELLO_WAV, upload, url
from tests.interviews_api.standin import Reply, standin  # noqa: F401 (fixture)
from tests.warehouse.conftest import hogql, views_url
from warehouse.engine import get_engine
from warehouse.models import MaterializationRun, SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)

RECOVERY_LIMIT = 120  # seconds after the new worker starts


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_a_worker_killed_mid_transcription_is_replaced_and_the_interview_completes(
    api,
    project,
    settings,
    folders,
    workers,
    standin,  # noqa: F811
):
    settings.INTERVIEW_SYNC_WAIT_SECONDS = 0
    provider = {
        "INTERVIEW_TRANSCRIPTION_PROVIDER": "openai",
        "INTERVIEW_OPENAI_BASE_URL": standin.url,
        "INTERVIEW_OPENAI_API_KEY": "sk-test",
        # Re-encode before sending, so the dying worker leaves a temporary file behind.
        "INTERVIEW_OPENAI_TRANSCRIPTION_MAX_UPLOAD_BYTES": "1000",
        "INTERVIEW_SUMMARY_PROVIDER": "extractive",
    }
    # The first call hangs (the worker is killed while waiting for it); the next one answers.
    standin.respond(Reply(json={"text": "never sent"}, delay=600), Reply(json={"text": "We export to CSV."}))
    created = upload(api, project, HELLO_WAV).json()
    assert created["status"] == "pending"

    first = workers.start(**provider)
    wait_for(lambda: len(standin.requests) == 1, timeout=60, what="the first worker calling the provider")
    assert UserInterview.objects.get(pk=created["id"]).status == "processing"
    assert files_under(folders["FILE_UPLOAD_TEMP_DIR"])  # the transcode in progress
    workers.kill(first)

    started = time.monotonic()
    workers.start(**provider)
    done = wait_for(
        lambda: (
            (body := api.get(url(project, created["id"])).json())["status"] in ("completed", "failed")
            and body
        ),
        timeout=RECOVERY_LIMIT,
        what="the interview finishing",
    )
    recovered_in = time.monotonic() - started
    print(f"\ninterview recovered {recovered_in:.1f}s after the new worker started")

    assert done["status"] == "completed", done["processing_error"]
    assert done["transcript"] == "We export to CSV."
    assert UserInterview.objects.get(pk=created["id"]).interruptions == 1
    assert not JobLease.objects.exists()
    wait_for(
        lambda: not files_under(folders["FILE_UPLOAD_TEMP_DIR"]), timeout=10, what="temporary files removed"
    )
    recordings = files_under(folders["MEDIA_ROOT"])
    assert recordings == [UserInterview.objects.get(pk=created["id"]).recording.name]


SLOW = "select count() as n from events a, events b, events c"


@pytest.mark.engines(
    "duckdb",
    reason="a worker in another process building in the warehouse's scratch folder (embedded ClickHouse serves "
    "one process; several need a ClickHouse server)",
)
def test_a_worker_killed_mid_materialization_is_replaced_and_the_run_ends(
    api, project, settings, folders, workers
):
    get_engine().seed_core_tables(project.pk, events=3000)
    response = api.post(views_url(project), {"name": "slow", "query": hogql(SLOW)})
    assert response.status_code == 201, response.json()
    view = response.json()
    [run] = api.post(views_url(project, view["id"], "run")).json()["runs"]
    assert run["status"] == "Running"

    first = workers.start(WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS="600")
    wait_for(
        lambda: JobLease.objects.filter(job_id=run["job_id"]).exists(), timeout=60, what="the run starting"
    )
    scratch = folders["WAREHOUSE_DIR"] / "scratch"
    wait_for(
        lambda: scratch.is_dir() and any(scratch.iterdir()), timeout=30, what="the build's scratch folder"
    )
    time.sleep(1)  # the engine is now working through 27 billion rows
    workers.kill(first)

    started = time.monotonic()
    workers.start(WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS="600")
    ended = wait_for(
        lambda: MaterializationRun.objects.filter(pk=run["id"]).exclude(status="Running").first(),
        timeout=RECOVERY_LIMIT,
        what="the run ending",
    )
    recovered_in = time.monotonic() - started
    print(f"\nmaterialization run ended {recovered_in:.1f}s after the new worker started")

    assert ended.status == "Failed"
    assert ended.error.startswith("The run stopped: the worker running it stopped (killed or crashed)")
    assert SavedQuery.objects.get(pk=view["id"]).status == "Failed"
    assert not JobLease.objects.exists()
    wait_for(
        lambda: not files_under(folders["FILE_UPLOAD_TEMP_DIR"]), timeout=10, what="temporary files removed"
    )
    wait_for(lambda: not any(scratch.iterdir()), timeout=10, what="the dead build's scratch folder removed")

    # Nothing is stuck: the view runs again, on the new worker.
    settings.WAREHOUSE_MATERIALIZE_TIMEOUT_SECONDS = 600
    response = api.patch(
        views_url(project, view["id"]),
        {"query": hogql("select count() as n from events"), "edited_history_id": view["latest_history_id"]},
    )
    assert response.status_code == 200, response.json()
    [again] = api.post(views_url(project, view["id"], "run")).json()["runs"]
    finished = wait_for(
        lambda: MaterializationRun.objects.filter(pk=again["id"]).exclude(status="Running").first(),
        timeout=60,
        what="the second run",
    )
    assert finished.status == "Completed", finished.error
