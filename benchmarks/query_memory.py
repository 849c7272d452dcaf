"""Peak memory of one gunicorn worker answering `select repeat('a', 1000000000)` through POST /query/.

Each mode starts a fresh server (one sync worker) on a throwaway SQLite database and DATA_DIR, sends the query
once, and reads the worker's peak RSS (VmHWM) and its RSS afterwards (VmRSS) from /proc. The baseline turns the
result cap and the value-size cap off (the old handling: the whole value is built, fetched into Python and rendered
as JSON); the second mode has only the result cap; the third the defaults, where the engine refuses to build the
value at all (WAREHOUSE_HOGQL_MAX_VALUE_SIZE). All modes run in the same invocation.

    .venv/bin/python benchmarks/query_memory.py [--sql "select repeat('a', 1000000000)"]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interviews_upload_memory import free_port, worker_pid  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0])
    return fields


def measure(sql: str, extra_env: dict[str, str]) -> str:
    work = Path(tempfile.mkdtemp(prefix="phc-bench-query-"))
    env = {
        **os.environ,
        "DATA_DIR": str(work),
        "SECRET_KEY": "bench",
        "DEBUG": "false",
        "THROTTLE_ENABLED": "false",
        "DATABASE_URL": f"sqlite:///{work}/db.sqlite3",
        "WAREHOUSE_QUERY_TIMEOUT_SECONDS": "300",
        "WEB_WORKER_TIMEOUT_SECONDS": "900",  # the request budget check: the worker timeout below
        **extra_env,
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = json.loads(
        subprocess.run(
            [*manage, "bootstrap", "--json"], env=env, check=True, cwd=ROOT, capture_output=True, text=True
        ).stdout
    )
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "900"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        worker = worker_pid(server.pid)
        url = f"http://127.0.0.1:{port}/api/environments/{setup['project_id']}/query/"
        headers = {"Authorization": f"Bearer {setup['api_key']}"}
        body = {"query": {"kind": "HogQLQuery", "query": "select 1"}}
        for _ in range(100):
            try:
                httpx.post(url, headers=headers, json=body, timeout=30).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        warm = memory_kb(worker)
        started = time.monotonic()
        response = httpx.post(
            url, headers=headers, json={"query": {"kind": "HogQLQuery", "query": sql}}, timeout=900
        )
        elapsed = time.monotonic() - started
        time.sleep(1)
        after = memory_kb(worker)
        detail = (
            response.json().get("detail", "")
            if response.status_code != 200
            else f"{len(response.content)} bytes"
        )
        return (
            f"HTTP {response.status_code} in {elapsed:.1f}s ({detail[:90]}); worker peak RSS "
            f"{after['VmHWM'] / 1024:.0f} MB (warm {warm['VmHWM'] / 1024:.0f} MB), RSS after {after['VmRSS'] / 1024:.0f} MB"
        )
    finally:
        server.terminate()
        server.wait(30)
        subprocess.run(["rm", "-rf", str(work)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sql", default="select repeat('a', 1000000000)")
    args = parser.parse_args()
    print(f"query: {args.sql}")
    no_caps = {"WAREHOUSE_MAX_RESULT_BYTES": str(10**12), "WAREHOUSE_HOGQL_MAX_VALUE_SIZE": str(10**12)}
    print("baseline (both caps off):", measure(args.sql, no_caps))
    only_result_cap = {"WAREHOUSE_HOGQL_MAX_VALUE_SIZE": str(10**12)}
    print("result cap only (64 MiB):", measure(args.sql, only_result_cap))
    print("result cap + value-size cap (defaults):", measure(args.sql, {}))


if __name__ == "__main__":
    main()
