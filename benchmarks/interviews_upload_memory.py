"""User interviews: SQL queries to list 100 interviews, and the server's peak memory while a 200 MB file uploads.

Runs the real app under gunicorn (one sync worker) on a throwaway SQLite database and DATA_DIR, streams a
generated 200 MB WAV (silence) with httpx, and reads the worker's peak RSS (VmHWM) from /proc before and after.
The queue runs in non-immediate mode with no consumer, so the number measures the upload path only.

    .venv/bin/python benchmarks/interviews_upload_memory.py [--megabytes 200]
"""

import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

LIST_QUERIES = """
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from django.core.files.base import ContentFile
from interviews_api.models import UserInterview
from users.models import Project, User
project = Project.objects.get(pk={project_id})
user = User.objects.first()
for i in range(100 - UserInterview.objects.filter(project=project).count()):
    row = UserInterview(project=project, created_by=user, transcript="t" * 2000, summary="s" * 500,
                        interviewee_emails=["ada@example.com"], status="completed", recording_size=4)
    row.recording.save("recording.wav", ContentFile(b"RIFF"), save=False)
    row.save()
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Bearer {key}")
client.get("/api/environments/{project_id}/user_interviews/", SERVER_NAME="localhost")  # warm: last_used_at
with CaptureQueriesContext(connection) as queries:
    response = client.get("/api/environments/{project_id}/user_interviews/?limit=100", SERVER_NAME="localhost")
print(len(response.json()["results"]), len(queries))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def silent_wav(path: Path, megabytes: int) -> Path:
    data_size = megabytes * 1024 * 1024
    header = (
        b"RIFF"
        + struct.pack("<I", 36 + data_size)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    )
    with open(path, "wb") as out:
        out.write(header + b"data" + struct.pack("<I", data_size))
        chunk = bytes(1024 * 1024)
        for _ in range(megabytes):
            out.write(chunk)
    return path


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="phc-bench-interviews-"))
    env = {
        **os.environ,
        "DATA_DIR": str(work),
        "SECRET_KEY": "bench",
        "DEBUG": "false",
        "TASKS_IMMEDIATE": "false",
        "INTERVIEW_SYNC_WAIT_SECONDS": "0",
        "THROTTLE_ENABLED": "false",
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = json.loads(
        subprocess.run(
            [*manage, "bootstrap", "--json"], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout
    )
    project_id, key = setup["project_id"], setup["api_key"]

    code = LIST_QUERIES.format(project_id=project_id, key=key)
    output = subprocess.run(
        [*manage, "shell", "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    rows, queries = output.strip().splitlines()[-1].split()
    print(f"list {rows} interviews: {queries} SQL queries")

    wav = silent_wav(work / "silence.wav", args.megabytes)
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "600"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        worker = worker_pid(server.pid)
        base = f"http://127.0.0.1:{port}/api/environments/{project_id}/user_interviews/"
        headers = {"Authorization": f"Bearer {key}"}
        for _ in range(100):
            try:
                httpx.get(base, headers=headers, timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        before = peak_rss_kb(worker)
        started = time.monotonic()
        with open(wav, "rb") as audio:
            response = httpx.post(
                base, headers=headers, files={"audio": ("silence.wav", audio, "audio/wav")}, timeout=600
            )
        elapsed = time.monotonic() - started
        after = peak_rss_kb(worker)
        print(
            f"upload {args.megabytes} MB: HTTP {response.status_code} status={response.json().get('status')} "
            f"in {elapsed:.1f}s"
        )
        print(
            f"server worker peak RSS (VmHWM): {before / 1024:.1f} MB before, {after / 1024:.1f} MB after "
            f"(+{(after - before) / 1024:.1f} MB)"
        )
    finally:
        server.terminate()
        server.wait(10)
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
