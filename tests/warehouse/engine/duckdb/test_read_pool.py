"""The read pool (engine/duckdb/pool.py): a reader reuses the project's open file; a write in this process or in
another one is seen by the next read; time limits and cancel still stop a query on a reused connection."""

import json
import threading
import time

import pytest

from tests.warehouse.engine.contract.conftest import SLOW
from tests.warehouse.faults.conftest import start_manage
from tests.warehouse.hogql_support import analyze
from warehouse.catalog import build_catalog
from warehouse.engine import QueryCancelledError, QueryTimeoutError, get_engine
from warehouse.engine.duckdb.connection import write_pending
from warehouse.engine.duckdb.pool import close_all, parked_files

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engines("duckdb", reason="DuckDB's pool of read connections"),
]


def wait_until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def pooled(project, warehouse_settings, seed):
    """The project's file with 1,000 events, past the seeding's write intent, with a long idle timeout."""
    warehouse_settings.WAREHOUSE_READ_POOL_IDLE_SECONDS = 60
    seed(project, events=1000)
    path = get_engine().path(project.pk)
    assert wait_until(lambda: not write_pending(path))
    yield path
    close_all()


def count(project, sql: str = "select count() from events") -> int:
    catalog = build_catalog(project.pk)
    return get_engine().run_query(catalog, analyze(sql, catalog).tree, limit=10).rows[0][0]


def test_a_reader_reuses_its_connection(project, pooled):
    catalog = build_catalog(project.pk)
    with get_engine().connection(catalog, read_only=True) as first:
        pass
    assert pooled.resolve() in parked_files()
    with get_engine().connection(catalog, read_only=True) as second:
        assert second is first
    assert count(project) == 1000


def test_writes_in_this_process_are_seen_by_the_next_read(project, pooled, seed):
    assert count(project) == 1000
    seed(project, events=300)  # a writer here: the parked connection is closed first
    assert count(project) == 300
    catalog = build_catalog(project.pk)
    get_engine().create_or_replace_table(catalog, "daily", analyze("select 7 as n", catalog).tree)
    assert count(project) == 300  # parks again
    catalog = build_catalog(project.pk)
    assert get_engine().describe_table(catalog, "daily") == [("n", "INTEGER")]


def test_a_write_in_another_process_is_seen_by_the_next_read(project, pooled, process_env):
    assert count(project) == 1000
    assert pooled.resolve() in parked_files()
    started = time.monotonic()
    child = start_manage(
        process_env,
        "shell",
        "-c",
        f"from warehouse.engine import get_engine; get_engine().seed_core_tables({project.pk}, events=250)",
    )
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr
    assert time.monotonic() - started < 30
    assert pooled.resolve() not in parked_files()  # let go when the writer announced itself
    assert count(project) == 250


def test_an_idle_connection_is_closed_after_the_idle_timeout(project, pooled, settings):
    settings.WAREHOUSE_READ_POOL_IDLE_SECONDS = 0.2
    count(project)
    assert wait_until(lambda: pooled.resolve() not in parked_files())


def test_time_limit_and_cancel_on_a_reused_connection(project, pooled):
    count(project)
    assert pooled.resolve() in parked_files()
    catalog = build_catalog(project.pk)
    slow = analyze(SLOW, catalog).tree
    with pytest.raises(QueryTimeoutError):
        get_engine().run_query(catalog, slow, limit=1, timeout_seconds=0.3)
    assert pooled.resolve() not in parked_files()  # an interrupted connection is closed, never parked
    count(project)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(QueryCancelledError):
        get_engine().run_query(catalog, slow, limit=1, should_cancel=cancel.is_set)
    assert count(project) == 1000


def test_the_pool_can_be_turned_off(project, pooled, settings):
    settings.WAREHOUSE_READ_POOL_IDLE_SECONDS = 0
    count(project)
    assert pooled.resolve() not in parked_files()


# A child process (its own threads): counts its reaper threads before any query, after one, once the idle
# connection is closed, and after another query.
REAPER_LIFE = """
import json
import time
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.engine.duckdb.pool import parked_files, reaper_running
from tests.warehouse.hogql_support import analyze

def wait_until(condition):
    deadline = time.monotonic() + 20
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()

catalog = build_catalog({project})
tree = analyze("select count() from events", catalog).tree
states = [reaper_running()]
rows = get_engine().run_query(catalog, tree, limit=1).rows
states += [reaper_running(), bool(parked_files())]
states += [wait_until(lambda: not parked_files()), wait_until(lambda: not reaper_running())]
get_engine().run_query(catalog, tree, limit=1)
states += [reaper_running(), rows[0][0]]
print(json.dumps(states))
"""


def test_the_reaper_runs_only_while_a_connection_is_parked(project, pooled, process_env):
    env = {**process_env, "WAREHOUSE_READ_POOL_IDLE_SECONDS": "0.3"}
    child = start_manage(env, "shell", "-c", REAPER_LIFE.format(project=project.pk))
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 0, stderr
    before, after_query, parked, closed, reaper_gone, after_another, events = json.loads(
        stdout.strip().splitlines()[-1]
    )
    assert before is False  # a process that has not queried has no reaper thread
    assert after_query is True and parked is True
    assert closed is True  # the reaper closed the idle connection, as before
    assert reaper_gone is True  # and then ended: nothing is parked
    assert after_another is True and events == 1000
