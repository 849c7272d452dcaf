"""Fault tests run the real server code in other processes (manage.py), against this test's database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.child_processes import database_url
from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def process_env(warehouse_settings, tmp_path) -> dict[str, str]:  # noqa: F811
    """Environment for a manage.py child sharing this test's database, warehouse folder and upload folder."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path / "child-data"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "fault-tests"),
        "WAREHOUSE_DIR": str(warehouse_settings.WAREHOUSE_DIR),
        "FILE_UPLOAD_TEMP_DIR": str(warehouse_settings.FILE_UPLOAD_TEMP_DIR),
        "TASKS_IMMEDIATE": "true",
    }


def start_manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_python(env: dict[str, str], code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
