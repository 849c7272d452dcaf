"""Runs on a real Huey consumer: cancel mid-run interrupts the engine; readers never see a half-written table."""

import threading
import time

import pytest
from sqlglot import exp

from jobs.testing import queue_on_disk, running_consumer
from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import wait_until
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.models import MaterializationRun, SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(project, name: str) -> list[tuple]:
    engine = get_engine()
    query = exp.select("*").from_(engine.table(project.pk, name))
    return engine.run_query(build_catalog(project.pk), query, limit=10).rows


def _change_query(api, project, view_id, sql: str) -> None:
    version = api.get(views_url(project, view_id)).json()["latest_history_id"]
    response = api.patch(views_url(project, view_id), {"query": hogql(sql), "edited_history_id": version})
    assert response.status_code == 200, response.json()


def _finished(run_id):
    run = MaterializationRun.objects.get(pk=run_id)
    return run if run.finished_at is not None else None


def test_cancel_mid_run_interrupts_the_engine_and_keeps_the_previous_table(
    api, project, seed, create_view, tmp_path
):
    seed(project, events=100)
    view = create_view("slow", "select count() as n from events")
    assert api.post(views_url(project, view["id"], "run")).json()["runs"][0]["status"] == "Completed"
    seed(project, events=4000)
    _change_query(api, project, view["id"], "select count() as n from events a, events b, events c")
    with queue_on_disk(tmp_path / "queue.sqlite3"), running_consumer():
        [run] = api.post(views_url(project, view["id"], "run")).json()["runs"]
        assert run["status"] == "Running"
        assert api.get(views_url(project, view["id"])).json()["status"] == "Running"
        time.sleep(0.6)  # the engine is now working through 64 billion rows
        asked = time.monotonic()
        assert api.post(views_url(project, view["id"], "cancel")).status_code == 200
        finished = wait_until(lambda: _finished(run["id"]), timeout=15)
        assert time.monotonic() - asked < 5
    assert finished.status == "Cancelled" and finished.rows_written is None
    assert SavedQuery.objects.get(pk=view["id"]).status == "Cancelled"
    assert _rows(project, "slow") == [(100,)]  # the previous table is untouched
    history = api.get(views_url(project, view["id"], "run_history")).json()["results"]
    assert [r["status"] for r in history] == ["Cancelled", "Completed"]


def test_readers_see_the_old_table_or_the_new_one_never_a_partial_one(
    api, project, seed, create_view, tmp_path
):
    seed(project, events=1000)
    view = create_view(
        "swap", "select a.uuid as id, count() as pairs from events a, events b group by a.uuid"
    )
    assert api.post(views_url(project, view["id"], "run")).json()["runs"][0]["status"] == "Completed"
    seed(project, events=15000)
    seen: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()
    catalog = build_catalog(project.pk)
    count_sql = exp.select("count(*)", "min(pairs) = max(pairs)").from_(
        get_engine().table(project.pk, "swap")
    )

    def read() -> None:
        while not stop.is_set():
            try:
                count, uniform = get_engine().run_query(catalog, count_sql, limit=1).rows[0]
                assert uniform  # every row of one table was built from the same data
                seen.append(count)
            except Exception as err:  # noqa: BLE001 - collected and asserted on below
                errors.append(err)
            time.sleep(0.01)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        wait_until(lambda: seen)
        with queue_on_disk(tmp_path / "queue.sqlite3"), running_consumer():
            [run] = api.post(views_url(project, view["id"], "run")).json()["runs"]
            done = wait_until(lambda: _finished(run["id"]), timeout=60)
        wait_until(lambda: seen[-1] == 15000)
    finally:
        stop.set()
        reader.join()
    assert done.status == "Completed" and done.rows_written == 15000
    assert errors == []
    assert set(seen) == {1000, 15000}
    assert seen.index(15000) > 0 and all(count == 15000 for count in seen[seen.index(15000) :])
