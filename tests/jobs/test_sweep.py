"""The sweep's cleanups: temporary files of dead processes at once, others after the grace period; never live ones."""

import os
import time

import pytest

from jobs import processes
from jobs.sweep import run_sweep
from jobs.testing import dead_process_tag

pytestmark = pytest.mark.django_db


def test_temporary_files_of_dead_processes_and_stale_ones_are_removed_the_rest_kept(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    settings.JOBS_TEMP_FILE_GRACE_SECONDS = 3600
    dead = tmp_path / f"upload-{dead_process_tag()}-abc.upload"
    mine = tmp_path / f"upload-{processes.current_tag()}-abc.upload"
    stale = tmp_path / "tmp123.upload"
    fresh = tmp_path / "tmp456.upload"
    transcode_dir = tmp_path / f"transcode-{dead_process_tag()}-x"
    transcode_dir.mkdir()
    (transcode_dir / "recording.ogg").write_bytes(b"x" * 10)
    for path in (dead, mine, stale, fresh):
        path.write_bytes(b"x" * 100)
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    os.utime(mine, (two_hours_ago, two_hours_ago))  # its process lives, but it is older than any job may run

    report = run_sweep()

    removed = report["jobs.cleanup.remove_abandoned_temp_files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [fresh.name]
    assert len(removed) == 4
    assert f"temporary file {dead.name} (100 bytes)" in removed
