"""The sweep removes scratch and spill folders whose process died, and never one whose process lives."""

import logging
from pathlib import Path

import pytest

from tests.warehouse.faults.conftest import start_python
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.engine.scratch import process_spill_dir, scratch_space, spill_root, sweep_scratch

pytestmark = pytest.mark.django_db(transaction=True)

# A real process that takes a scratch folder and its process spill folder, then stops without cleaning up.
DIE_HOLDING_SCRATCH = """
import os, django
django.setup()
from warehouse.engine.scratch import process_spill_dir, scratch_space
process_spill_dir()
space = scratch_space("load")
folder = space.__enter__()
(folder / "scratch.duckdb").write_bytes(b"x" * 1000)
print(folder.name, flush=True)
os._exit(9)
"""


@pytest.mark.engines("duckdb", reason="DuckDB's per-process spill folders")
def test_the_sweep_removes_what_a_dead_process_held_and_keeps_live_work(process_env, project, caplog):
    process_env = {**process_env, "DJANGO_SETTINGS_MODULE": "config.settings"}
    child = start_python(process_env, DIE_HOLDING_SCRATCH)
    out, err = child.communicate(timeout=60)
    dead_scratch = out.strip()
    assert dead_scratch.startswith("load_"), err
    get_engine().describe_table(build_catalog(project.pk), "events")  # this process's spill folder exists
    ours = process_spill_dir()
    with scratch_space("build") as live, caplog.at_level(logging.INFO, logger="warehouse.engine.scratch"):
        removed = sweep_scratch()
        assert live.is_dir() and ours.is_dir()  # work in progress and live processes are untouched
    dead_spill = [name for name in removed if name != dead_scratch]
    assert dead_scratch in removed and len(dead_spill) == 1 and dead_spill[0] != ours.name
    assert sorted(entry.name for entry in spill_root().iterdir()) == [ours.name]
    # Unfinished work is a warning; a stopped process's spill files are routine (any signal leaves them).
    levels = {record.getMessage().split()[2]: record.levelname for record in caplog.records}
    assert levels == {f"scratch/{dead_scratch}": "WARNING", f"spill/{dead_spill[0]}": "INFO"}


# A process that queries and exits normally (a management command, a worker shutting down).
QUERY_THEN_EXIT = """
import django
django.setup()
from warehouse.engine.scratch import process_spill_dir
print(process_spill_dir(), flush=True)
"""


def test_a_process_that_exits_normally_leaves_no_spill_folder(process_env):
    process_env = {**process_env, "DJANGO_SETTINGS_MODULE": "config.settings"}
    child = start_python(process_env, QUERY_THEN_EXIT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    folder = out.strip()
    assert folder.startswith(str(spill_root())), err
    assert not Path(folder).exists()
    assert sweep_scratch() == []  # nothing left for the sweep to warn about
