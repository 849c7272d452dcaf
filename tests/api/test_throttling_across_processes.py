"""The per-key limit is exact across worker processes when it lives in Redis, as in production."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
CLIENT_PROCESSES = 4
REQUESTS_PER_PROCESS = 40
LIMIT = 100  # per minute; 160 requests arrive at once


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
        return True
    except OSError:
        return False


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture
def server_env(tmp_path) -> dict:
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "throttle-test",
        "DEBUG": "false",
        "TASKS_IMMEDIATE": "true",
        # A database and a key prefix of this test's own, so nothing else's counters mix in.
        "THROTTLE_STORAGE_URL": "redis://127.0.0.1:6379/14",
        "THROTTLE_KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
        "THROTTLE_BURST_RATE": f"{LIMIT}/minute",
    }
    _manage(env, "migrate", "--noinput")
    return env


def _serve(env: dict):
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        "3",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    process = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{base}/_health", timeout=1)
            return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def _hammer(base: str, key: str, count: int) -> tuple[list[int], dict]:
    statuses, last_error = [], {}
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        for _ in range(count):
            response = client.get("/api/users/@me/")
            statuses.append(response.status_code)
            if response.status_code != 200:
                last_error = {"body": response.json(), "retry_after": response.headers.get("Retry-After")}
    return statuses, last_error


@pytest.mark.skipif(not _redis_up(), reason="needs the Redis server on 127.0.0.1:6379")
def test_concurrent_clients_in_several_processes_get_exactly_the_limit(server_env):
    key = json.loads(_manage(server_env, "bootstrap", "--json"))["api_key"]
    process, base = _serve(server_env)
    try:
        with ProcessPoolExecutor(CLIENT_PROCESSES, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_hammer, base, key, REQUESTS_PER_PROCESS) for _ in range(CLIENT_PROCESSES)]
            runs = [future.result() for future in futures]
    finally:
        process.terminate()
        process.wait(10)
    statuses = [status for run_statuses, _ in runs for status in run_statuses]
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == CLIENT_PROCESSES * REQUESTS_PER_PROCESS - LIMIT
    error = next(error for _, error in runs if error)
    assert error["body"]["type"] == "throttled_error" and error["body"]["code"] == "throttled"
    assert error["body"]["detail"].startswith("Request was throttled. Expected available in")
    assert 1 <= int(error["retry_after"]) <= 60
