"""Fault tests: the real job worker (`manage.py run_huey`) in child processes, sharing this test's database,
queue file and folders, killed with SIGKILL the way an operator's bad day would."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.testing import queue_on_disk
from tests.child_processes import database_url

ROOT = Path(__file__).resolve().parents[2]
# Small on purpose: a dead worker's claim is noticed within seconds (production defaults are in the README).
RECOVERY_SETTINGS = {
    "JOBS_LEASE_SECONDS": "3",
    "JOBS_LEASE_RENEW_SECONDS": "0.5",
    "JOBS_SWEEP_INTERVAL_SECONDS": "2",
    "JOBS_BUSY_RETRY_SECONDS": "0.5",
}


@pytest.fixture
def folders(settings, tmp_path) -> dict[str, Path]:
    """Recordings, temporary files and the warehouse in private folders, the same for this process and workers."""
    paths = {
        "MEDIA_ROOT": tmp_path / "media",
        "FILE_UPLOAD_TEMP_DIR": tmp_path / "tmp",
        "WAREHOUSE_DIR": tmp_path / "warehouse",
    }
    for name, path in paths.items():
        path.mkdir()
        setattr(settings, name, path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.WAREHOUSE_CANCEL_POLL_SECONDS = 0.05
    for name, value in RECOVERY_SETTINGS.items():
        setattr(settings, name, float(value))
    return paths


@pytest.fixture
def queue_file(tmp_path) -> Iterator[Path]:
    """This process enqueues into a queue file the workers read (not the tests' immediate mode)."""
    path = tmp_path / "queue.sqlite3"
    with queue_on_disk(path):
        yield path


class Workers:
    """Starts `manage.py run_huey` children with the shared environment; kills what is left at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self, **extra_env: str) -> subprocess.Popen:
        log = (self.logs / f"worker-{len(self.started)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread",
             "--delay", "0.1", "--max-delay", "0.5"],
            cwd=ROOT, env={**self.env, **extra_env}, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.started.append(process)
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL: no shutdown hook, no cleanup, no lease released; reaped so its PID is really gone."""
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.kill(process)

    def log(self, index: int) -> str:
        return (self.logs / f"worker-{index}.log").read_text()


@pytest.fixture
def workers(folders, queue_file, tmp_path) -> Iterator[Workers]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path / "worker-data"),
        "TASK_QUEUE_URL": f"sqlite:///{queue_file}",
        "TASKS_IMMEDIATE": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "fault-tests"),
        **{name: str(path) for name, path in folders.items()},
        **RECOVERY_SETTINGS,
    }
    pool = Workers(env, tmp_path)
    yield pool
    pool.stop_all()


def wait_for(condition, *, timeout: float, every: float = 0.1, what: str = "condition"):
    """Poll `condition()` until truthy (returned); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"{what} not met within {timeout}s")
