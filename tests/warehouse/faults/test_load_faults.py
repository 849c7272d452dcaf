"""Loads killed halfway and reads during a load, with the load in another real process (manage.py)."""

import signal
import time
from pathlib import Path

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.sweep import run_sweep
from tests.warehouse.engine_support import run_query, tables_url, wait_until
from tests.warehouse.faults.conftest import start_manage, start_python
from warehouse.catalog import build_catalog
from warehouse.engine import EngineError, get_engine
from warehouse.models import WarehouseTable

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engines(
        "duckdb",
        reason="a load in another process on the same warehouse (a DuckDB file; embedded ClickHouse serves one process, several need a ClickHouse server)",
    ),
]
ROWS = 4_000_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "big.csv"
    duckdb.sql(
        f"COPY (SELECT range AS id, 'label ' || range AS label, range * 0.5 AS amount FROM range({ROWS})) "
        f"TO '{path}' (HEADER)"
    )
    return path


def _engine_has(project, name: str) -> bool:
    try:
        get_engine().describe_table(build_catalog(project.pk), name)
    except EngineError:
        return False
    return True


def _scratch_folders(settings) -> list[str]:
    root = settings.WAREHOUSE_DIR / "scratch"
    return sorted(entry.name for entry in root.iterdir()) if root.is_dir() else []


def test_a_load_killed_halfway_leaves_no_table_and_frees_the_name(
    api, project, process_env, big_csv, settings
):
    settings.WAREHOUSE_LOAD_LEASE_SECONDS = 1
    get_engine().describe_table(build_catalog(project.pk), "events")  # the project's file exists
    child = start_manage(
        {**process_env, "WAREHOUSE_LOAD_LEASE_SECONDS": "1"},
        "load_warehouse_table", str(big_csv), "--project", str(project.pk), "--name", "big",
    )  # fmt: skip
    wait_until(lambda: any(name.startswith("load_") for name in _scratch_folders(settings)), timeout=60)
    time.sleep(0.3)  # the engine is reading the file into its scratch database
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert WarehouseTable.objects.filter(name="big", status="Running").exists()  # the dead load's row
    assert not _engine_has(project, "big")  # nothing reached the project's file

    time.sleep(1.1)  # past the dead load's lease
    killed_at = time.monotonic()
    report = run_sweep()  # what every worker runs at start and periodically (and manage.py sweep_jobs)
    recovered = time.monotonic() - killed_at
    removed = report["warehouse.tasks.sweep_warehouse"]
    assert "dead load of table big" in removed and any(
        item.startswith("scratch folder load_") for item in removed
    )
    assert not WarehouseTable.objects.filter(name="big", deleted=False).exists()
    assert _scratch_folders(settings) == []  # its scratch database and spill files are gone
    assert not _engine_has(project, "big")
    file = SimpleUploadedFile("big.csv", b"id\n1\n")
    response = api.post(
        tables_url(project), {"name": "big", "format": "CSV", "file": file}, format="multipart"
    )
    assert response.status_code == 201, response.json()  # the name is free
    print(f"\nload killed halfway: swept {recovered:.2f}s after its lease ran out; removed {removed}")


def test_a_new_load_of_the_name_reclaims_a_dead_one_without_waiting_for_the_sweep(
    api, project, process_env, big_csv, settings
):
    settings.WAREHOUSE_LOAD_LEASE_SECONDS = 1
    child = start_manage(
        {**process_env, "WAREHOUSE_LOAD_LEASE_SECONDS": "1"},
        "load_warehouse_table", str(big_csv), "--project", str(project.pk), "--name", "big",
    )  # fmt: skip
    wait_until(lambda: WarehouseTable.objects.filter(name="big").exists(), timeout=60)
    child.send_signal(signal.SIGKILL)
    child.wait()
    time.sleep(1.1)
    file = SimpleUploadedFile("big.csv", b"id\n1\n2\n")
    response = api.post(
        tables_url(project), {"name": "BIG", "format": "CSV", "file": file}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert run_query(api, project, "select count() from BIG").json()["results"] == [[2]]


def test_reads_while_another_process_loads_wait_or_get_503_never_500(
    api, project, process_env, big_csv, seed, settings
):
    settings.THROTTLE_ENABLED = False
    seed(project, events=100)
    child = start_manage(
        process_env, "load_warehouse_table", str(big_csv), "--project", str(project.pk), "--name", "big"
    )
    statuses = []
    while child.poll() is None:
        response = run_query(api, project, "select count() from events")
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert response["Retry-After"]
        time.sleep(0.05)
    out, err = child.communicate()
    assert child.returncode == 0, err[-2000:]
    assert f"Loaded {ROWS} rows into big" in out
    assert set(statuses) <= {200, 503} and 200 in statuses, statuses
    assert run_query(api, project, "select count() from big").json()["results"] == [[ROWS]]


def test_a_replace_killed_halfway_leaves_the_old_table_and_row(
    api, project, process_env, big_csv, settings, tmp_path
):
    from django.core.management import call_command

    settings.WAREHOUSE_LOAD_LEASE_SECONDS = 1
    small = tmp_path / "plans.csv"
    small.write_text("plan,price\nfree,0\npro,20\n")
    call_command("load_warehouse_table", str(small), "--project", str(project.pk), "--name", "plans")
    fields = ("id", "name", "format", "columns", "row_count", "deleted", "status")
    before = WarehouseTable.objects.filter(name="plans").values(*fields).get()
    child = start_manage(
        {**process_env, "WAREHOUSE_LOAD_LEASE_SECONDS": "1"},
        "load_warehouse_table", str(big_csv), "--project", str(project.pk), "--name", "plans", "--replace",
    )  # fmt: skip
    wait_until(lambda: any(name.startswith("load_") for name in _scratch_folders(settings)), timeout=60)
    time.sleep(0.3)  # the engine is reading the file into its scratch database
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert WarehouseTable.objects.filter(name="plans").values(*fields).get() == before
    assert run_query(api, project, "select sum(price) from plans").json()["results"] == [[20]]
    time.sleep(1.1)  # past the dead replace's lease: the next replace takes the table over
    small.write_text("plan,price\nteam,99\n")
    call_command(
        "load_warehouse_table", str(small), "--project", str(project.pk), "--name", "plans", "--replace"
    )
    assert run_query(api, project, "select sum(price) from plans").json()["results"] == [[99]]
    assert WarehouseTable.objects.get(name="plans").pk == before["id"]


def test_a_process_killed_while_creating_a_projects_warehouse_leaves_no_broken_file(process_env, settings):
    """Whenever the creating process dies, the project's file is either absent or whole (all core tables)."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()\n"
        "from warehouse.engine.duckdb.connection import initialise\n"
        "print('ready', flush=True); input(); initialise(4242)\n"
    )
    path = Path(settings.WAREHOUSE_DIR) / "project_4242.duckdb"
    for delay in (0.0, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16):
        child = start_python(process_env, code)
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write("\n")
        child.stdin.flush()
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        if path.exists():
            break
    inspection = get_engine().inspect_project(4242)  # opens the file when there is one
    assert not inspection.core_table_problems, inspection
    assert inspection.exists == path.exists()
    assert not list(path.parent.glob("*.wal")), "a half-written file left its log behind"
