"""The per-key limit holds across worker processes when the cache is shared (Redis), as in production."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


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
    }
    _manage(env, "migrate", "--noinput")
    return env


def _serve(env: dict, cache_url: str):
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "CACHE_URL": cache_url},
    )
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
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
        for _ in range(count):
            response = client.get("/api/users/@me/")
            statuses.append(response.status_code)
            if response.status_code != 200:
                last_error = response.json()
    return statuses, last_error


@pytest.mark.skipif(not _redis_up(), reason="needs the Redis server on 127.0.0.1:6379")
def test_481st_request_in_a_minute_is_throttled_across_two_workers(server_env):
    key = json.loads(_manage(server_env, "bootstrap", "--json"))["api_key"]
    process, base = _serve(server_env, "redis://127.0.0.1:6379/15")
    try:
        statuses, error = _hammer(base, key, 481)
    finally:
        process.terminate()
        process.wait(10)
    assert statuses[:480] == [200] * 480
    assert statuses[480] == 429
    assert error["type"] == "throttled_error" and error["code"] == "throttled"
    assert error["detail"].startswith("Request was throttled. Expected available in")
