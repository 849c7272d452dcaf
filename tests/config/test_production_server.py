"""The README's production command, run as documented: limits answer in JSON, keys never reach the access log."""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from api.request_budget import check_request_budget

ROOT = Path(__file__).resolve().parents[2]


def documented_command() -> list[str]:
    """The gunicorn line of the README's Production section, with this environment's interpreter."""
    line = next(line for line in (ROOT / "README.md").read_text().splitlines() if "bin/gunicorn " in line)
    words = shlex.split(line.split("#")[0])
    assert words[0] == ".venv/bin/gunicorn"
    return [sys.executable, "-m", "gunicorn", *words[1:]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("production")
    port = _free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "SECRET_KEY": "production-test",
        "DEBUG": "false",
        "BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": "2",
        "WAREHOUSE_QUERY_TIMEOUT_SECONDS": "1",
        "REQUEST_BODY_TIMEOUT_SECONDS": "2",
        "THROTTLE_STORAGE_URL": "memory://",
    }
    _manage(env, "migrate", "--noinput")
    found = json.loads(_manage(env, "bootstrap", "--json"))
    _manage(env, "seed_warehouse", "--events", "3000")
    log = (data / "server.log").open("w")
    process = subprocess.Popen(documented_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{base}/_health", timeout=1)
            break
        except httpx.TransportError:
            assert process.poll() is None, (data / "server.log").read_text()[-3000:]
            time.sleep(0.1)
    client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {found['api_key']}"}, timeout=60)
    yield {"client": client, "project": found["project_id"], "key": found["api_key"], "port": port}
    client.close()
    process.terminate()
    process.wait(20)
    log.close()
    server_log = (data / "server.log").read_text()
    assert found["api_key"] not in server_log, "a key reached the server's log"
    assert "[redacted]" in server_log


def test_a_query_over_the_query_timeout_gets_the_json_timeout_error(server):
    sql = "select count() from events a, events b, events c"
    response = server["client"].post(
        f"/api/environments/{server['project']}/query/", json={"query": {"kind": "HogQLQuery", "query": sql}}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["type"] == "invalid_request" and body["code"] == "timeout"
    assert "1 seconds" in body["detail"]


def test_a_key_in_the_query_string_is_not_echoed_or_logged(server):
    response = httpx.get(
        f"http://127.0.0.1:{server['port']}/api/projects/",
        params={"personal_api_key": server["key"], "limit": 1},
    )
    assert response.status_code == 200
    assert server["key"] not in response.text
    # The fixture's teardown checks the access log.


def test_a_chunked_body_gets_411_in_json(server):
    response = server["client"].post(
        f"/api/environments/{server['project']}/warehouse_saved_queries/",
        content=iter([b'{"name": "x"}']),  # a generator body is sent chunked
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 411
    assert response.json()["code"] == "length_required"


def _raw(port: int, request: bytes, *, wait_for_answer: float = 30) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=wait_for_answer) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_body_that_stops_arriving_gets_408_in_json(server):
    head = (
        f"POST /api/environments/{server['project']}/warehouse_saved_queries/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {server['key']}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    answer = _raw(server["port"], head.encode() + b'{"name": ')  # then nothing more
    status_line, _, body = answer.partition(b"\r\n\r\n")
    assert status_line.startswith(b"HTTP/1.1 408")
    assert json.loads(body)["code"] == "request_timeout"


def test_a_body_trickled_a_byte_at_a_time_is_cut_off_at_the_deadline(server):
    head = (
        f"POST /api/environments/{server['project']}/warehouse_saved_queries/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1\r\nAuthorization: Bearer {server['key']}\r\n"
        "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server["port"]), timeout=30) as sock:
        sock.sendall(head.encode())
        sock.settimeout(0.5)
        answer = b""
        for _ in range(60):  # one byte every half second: 30 s of trickle if nobody stops it
            try:
                sock.sendall(b" ")
                answer += sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if answer:
                break
        sock.settimeout(10)
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, body = answer.partition(b"\r\n\r\n")
    assert status_line.startswith(b"HTTP/1.1 408"), answer[:200]
    assert json.loads(body)["code"] == "request_timeout"


def test_gunicorns_own_errors_are_json(server):
    answer = _raw(server["port"], b"GET /api/" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    status_line, _, body = answer.partition(b"\r\n\r\n")
    assert re.match(rb"HTTP/1.1 414", status_line)
    assert json.loads(body)["type"] == "invalid_request"


def test_limits_that_do_not_fit_inside_the_worker_timeout_stop_the_server(settings):
    settings.WEB_WORKER_TIMEOUT_SECONDS = 60
    settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS = 50
    with pytest.raises(ImproperlyConfigured, match="WAREHOUSE_QUERY_TIMEOUT_SECONDS = 65 s does not fit"):
        check_request_budget()
    settings.WEB_WORKER_TIMEOUT_SECONDS = 300
    check_request_budget()  # the defaults fit
