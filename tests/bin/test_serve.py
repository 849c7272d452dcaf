"""`bin/serve` serves, and SIGTERM or SIGINT to it stops both the web server and the job worker.

It runs the real script (set-up included), so it only runs where `bin/setup` has nothing left to install (CI runs
`bin/setup --dev` first); elsewhere it is skipped rather than installing into the virtual environment.
"""

import hashlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def setup_is_current() -> bool:
    digest = hashlib.sha256(
        (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    )
    stamp = ROOT / ".venv" / f".installed-{digest.hexdigest()[:16]}"
    return stamp.exists() or stamp.with_name(stamp.name + "-dev").exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(
    not setup_is_current(), reason="bin/setup would install into .venv; run it first (CI does)"
)
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_web_server_and_the_worker(tmp_path, stop_signal):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "TASKS_IMMEDIATE")}
    env.update(DATA_DIR=str(tmp_path), PORT=str(port))
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        serve = subprocess.Popen([ROOT / "bin" / "serve"], cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("bin/serve did not answer /_health in time:\n" + log.read_text()[-2000:])
        services = children_of(serve.pid)
        assert len([pid for pid in services if alive(pid)]) >= 2, services  # runserver and run_huey
        serve.send_signal(stop_signal)
        assert serve.wait(30) == 128 + stop_signal
        time.sleep(0.5)
        assert [pid for pid in services if alive(pid)] == []
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/_health", timeout=2)
    finally:
        if serve.poll() is None:
            serve.kill()
