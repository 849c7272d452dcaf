"""Load benchmark: a production-style server (gunicorn, PostgreSQL, Redis cache) driven by wrk.

    benchmarks/load/run.sh                      # fresh phc_load database, 3 concurrency levels, 5 s each
    benchmarks/load/run.sh --drf-baseline --rounds 5 --concurrency 1 8 --duration 3   # ours / minimal DRF app
    benchmarks/load/run.sh --duration 2 --concurrency 1 8 --only fixed_json interviews.list
    benchmarks/load/run.sh --profile interviews.list     # cProfile of that request in-process, no load

For list (100 objects), retrieve, create and update of both resources, and a fixed JSON endpoint (a plain Django
view: no DRF, authentication or database, so a floor of the server's own cost, not a target for API requests), it
reports requests/s, p50/p95/p99 latency and the SQL queries one request runs (counted in-process against the same
database). With --drf-baseline, the reads also run against a minimal Django + DRF app over the same tables
(benchmarks/load/baseline/), the two servers alternating for --rounds rounds; it reports the median of the per-round
ratios ours/baseline. Loopback only; every run is bounded by --duration.
"""

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
VTT = ROOT / "tests" / "interviews_api" / "fixtures" / "interview.vtt"
BOUNDARY = "----phcloadboundary"
SEED_OBJECTS = 100  # a list request returns all of them
JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Scenario:
    """One request shape; `path` and `body` are Lua expressions over n (request number), tid (thread), run, ids."""

    name: str
    method: str
    path: str
    body: str = "nil"
    content_type: str | None = None
    ids: str = ""  # which seeded ids `ids` holds: "interviews" or "views"


def multipart_interview() -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="audio"; filename="interview.vtt"\r\n'
        "Content-Type: text/vtt\r\n\r\n"
    ).encode()
    return head + VTT.read_bytes() + f"\r\n--{BOUNDARY}--\r\n".encode()


def lua_string(data: bytes) -> str:
    return '"' + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}" for b in data) + '"'


def scenarios(project_id: int) -> list[Scenario]:
    interviews = f'"/api/environments/{project_id}/user_interviews/"'
    views = f'"/api/environments/{project_id}/warehouse_saved_queries/"'
    pick = "ids[(n % #ids) + 1]"
    view_sql = '"select event, timestamp from events limit " .. n'
    return [
        Scenario("fixed_json", "GET", '"/_bench/fixed"'),
        Scenario("interviews.list", "GET", interviews + ' .. "?limit=100"'),
        Scenario("interviews.retrieve", "GET", f'{interviews} .. {pick} .. "/"', ids="interviews"),
        Scenario("views.list", "GET", views + ' .. "?limit=100"'),
        Scenario("views.retrieve", "GET", f'{views} .. {pick} .. "/"', ids="views"),
        Scenario(
            "interviews.create",
            "POST",
            interviews,
            lua_string(multipart_interview()),
            f"multipart/form-data; boundary={BOUNDARY}",
        ),
        Scenario(
            "interviews.update",
            "PATCH",
            f'{interviews} .. {pick} .. "/"',
            "'{\"summary\": \"edited ' .. n .. '\"}'",
            "application/json",
            ids="interviews",
        ),
        Scenario(
            "views.create",
            "POST",
            views,
            '\'{"name": "load_\' .. run .. \'_\' .. tid .. \'_\' .. n .. \'", "query": {"kind": "HogQLQuery", '
            '"query": "select event from events"}}\'',
            "application/json",
        ),
        Scenario(
            "views.update",
            "PATCH",
            f'{views} .. {pick} .. "/"',
            f'\'{{"soft_update": true, "query": {{"kind": "HogQLQuery", "query": "\' .. {view_sql} .. \'"}}}}\'',
            "application/json",
            ids="views",
        ),
    ]


LUA = """
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
ids = {IDS}
run = "RUN"
n = 0
function request()
  n = n + 1
  local headers = {HEADERS}
  return wrk.format("METHOD", PATH, headers, BODY)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def lua_script(scenario: Scenario, *, key: str, ids: dict[str, list[str]], run: str) -> str:
    headers = {"Authorization": f"Bearer {key}"}
    if scenario.content_type:
        headers["Content-Type"] = scenario.content_type
    lua_headers = ", ".join(f'["{name}"] = "{value}"' for name, value in headers.items())
    lua_ids = ", ".join(f'"{value}"' for value in ids.get(scenario.ids, []))
    replacements = {
        "IDS": lua_ids,
        "RUN": run,
        "HEADERS": lua_headers,
        "METHOD": scenario.method,
        "PATH": scenario.path,
        "BODY": scenario.body,
    }
    return re.sub("|".join(replacements), lambda match: replacements[match.group(0)], LUA)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


def start_server(
    env: dict, workers: int, app: str = "config.wsgi", root: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    """gunicorn from a repository root (ours, or another checkout's: each app reads its gunicorn.conf.py), on a
    free port."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "--backlog", "2048", "--pythonpath", str(Path(__file__).parent),
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=root, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/_health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: {app}")


def seed(base: str, key: str, project_id: int) -> dict[str, list[str]]:
    """SEED_OBJECTS interviews (the small WebVTT transcript) and saved queries, over HTTP."""
    auth = {"Authorization": f"Bearer {key}"}
    ids: dict[str, list[str]] = {"interviews": [], "views": []}
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        for index in range(SEED_OBJECTS):
            files = {"audio": ("interview.vtt", VTT.read_bytes(), "text/vtt")}
            response = client.post(f"/api/environments/{project_id}/user_interviews/", files=files)
            assert response.status_code == 201, response.text
            ids["interviews"].append(response.json()["id"])
            body = {
                "name": f"seed_{index}",
                "query": {"kind": "HogQLQuery", "query": "select event from events"},
            }
            response = client.post(f"/api/environments/{project_id}/warehouse_saved_queries/", json=body)
            assert response.status_code == 201, response.text
            ids["views"].append(response.json()["id"])
    return ids


def run_wrk(script: str, base: str, path: str, concurrency: int, duration: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    threads = min(concurrency, 2)
    command = [
        "wrk", f"-t{threads}", f"-c{concurrency}", f"-d{duration:g}s", "--timeout", "30s", "-s", handle.name,
        base + path,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0 or "RESULT " not in done.stdout:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}\n{script}")
    output = done.stdout
    os.unlink(handle.name)
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def django_client(env: dict, key: str):
    """An in-process client on the same database and settings, for counting queries and profiling."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")


def in_process_request(client, scenario: Scenario, project_id: int, ids: dict[str, list[str]], n: int):
    """The scenario's request n, built in Python the way the Lua script builds it for wrk."""
    base = f"/api/environments/{project_id}/"
    pick = ids.get(scenario.ids, [""])
    object_id = pick[(n % len(pick))] if scenario.ids else ""
    resource = "user_interviews/" if scenario.name.startswith("interviews") else "warehouse_saved_queries/"
    path = {
        "fixed_json": "/_bench/fixed",
        "interviews.list": base + resource + "?limit=100",
        "views.list": base + resource + "?limit=100",
    }.get(scenario.name, base + resource + (f"{object_id}/" if object_id else ""))
    if scenario.name == "interviews.create":
        return client.generic("POST", path, multipart_interview(), scenario.content_type)
    bodies = {
        "interviews.update": {"summary": f"edited {n}"},
        "views.create": {
            "name": f"inproc_{n}",
            "query": {"kind": "HogQLQuery", "query": "select event from events"},
        },
        "views.update": {
            "soft_update": True,
            "query": {"kind": "HogQLQuery", "query": f"select event, timestamp from events limit {n}"},
        },
    }
    body = bodies.get(scenario.name)
    if body is None:
        return client.generic(scenario.method, path)
    return client.generic(scenario.method, path, json.dumps(body), "application/json")


def count_queries(client, scenario: Scenario, project_id: int, ids: dict[str, list[str]]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    in_process_request(
        client, scenario, project_id, ids, 100_001
    )  # warm (and the key's last_used_at written)
    with CaptureQueriesContext(connection) as queries:
        response = in_process_request(client, scenario, project_id, ids, 100_002)
    assert response.status_code < 300, (scenario.name, response.status_code, response.content[:300])
    return len(queries)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return f"{os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/phc_load")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario and level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--only", nargs="+", help="scenario names (default: all)")
    parser.add_argument(
        "--profile", help="profile this scenario in-process (200 requests) instead of loading"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--baseline-env",
        nargs="+",
        metavar="NAME=VALUE",
        help="also start a second server with these settings and alternate runs between the two (before/after "
        "on the same database and machine load), e.g. --baseline-env DATABASE_CONN_MAX_AGE=0",
    )
    parser.add_argument(
        "--drf-baseline",
        action="store_true",
        help="also start the minimal Django + DRF app (benchmarks/load/baseline/) on the same tables and report "
        "ours/baseline for the read scenarios",
    )
    parser.add_argument(
        "--baseline-code",
        type=Path,
        metavar="DIR",
        help="also start our server from another checkout of this repository (e.g. `git worktree add DIR <commit>` "
        "before a change; it must share the database schema) and alternate with it: before/after in one run",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat every run, alternating the servers' order each round"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.profile:
        sys.exit("wrk is needed: apt-get install -y wrk")

    data_dir = Path(tempfile.mkdtemp(prefix="phc-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": "load-benchmark-only",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "BENCHMARK_ENDPOINTS": "true",
        # Throttling stays on (its cache round trips are part of the cost) with limits the load never reaches.
        "THROTTLE_BURST_RATE": "100000000/minute",
        "THROTTLE_SUSTAINED_RATE": "100000000/hour",
        # Interview processing (a WebVTT transcript: parse, summarize) runs inside the create request.
        "TASKS_IMMEDIATE": "true",
    }
    fresh_database(args.database_url)
    subprocess.run(
        ["redis-cli", "-n", args.cache_url.rsplit("/", 1)[1], "flushdb"], check=False, capture_output=True
    )
    manage(env, "migrate", "--noinput")
    boot = json.loads(manage(env, "bootstrap", "--json"))
    key, project_id = boot["api_key"], boot["project_id"]
    started: list[subprocess.Popen] = []
    servers: dict[str, str] = {}
    results = []
    try:
        plan = [("", env, "config.wsgi")]
        if args.baseline_env:
            plan.append(
                ("baseline", {**env, **dict(item.split("=", 1) for item in args.baseline_env)}, "config.wsgi")
            )
        if args.drf_baseline:
            plan.append(("drf", env, "baseline.wsgi"))
        for label, server_env, app in plan:
            process, servers[label] = start_server(server_env, args.workers, app=app)
            started.append(process)
        if args.baseline_code:
            process, servers["code"] = start_server(env, args.workers, root=args.baseline_code.resolve())
            started.append(process)
        base = servers[""]
        ids = seed(base, key, project_id)
        chosen = [s for s in scenarios(project_id) if not args.only or s.name in args.only]
        client = django_client(env, key)
        if args.profile:
            profile(client, next(s for s in chosen if s.name == args.profile), project_id, ids)
            return
        queries = {scenario.name: count_queries(client, scenario, project_id, ids) for scenario in chosen}
        for label, server in servers.items():  # every worker of every server warm before the first round
            for scenario in chosen:
                if serves(label, scenario):
                    script = lua_script(scenario, key=key, ids=ids, run=f"{label}warm")
                    run_wrk(script, server, "/", max(args.concurrency), min(args.duration, 1.0))
        for round_number in range(1, args.rounds + 1):
            order = sorted(servers.items(), reverse=round_number % 2 == 1)  # the baselines first, then last
            for scenario in chosen:
                for concurrency in args.concurrency:
                    for label, server in order:
                        if not serves(label, scenario):
                            continue
                        script = lua_script(
                            scenario, key=key, ids=ids, run=f"{label}r{round_number}c{concurrency}"
                        )
                        result = run_wrk(script, server, "/", concurrency, args.duration)
                        row = {
                            "scenario": scenario.name,
                            "server": label or "ours",
                            "round": round_number,
                            "load": os.getloadavg()[0],
                            "concurrency": concurrency,
                            "queries": queries[scenario.name],
                            **result,
                        }
                        results.append(row)
                        print_row(row)
    finally:
        for server_process in started:
            server_process.terminate()
            server_process.wait(30)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\nMachine: {machine()}; gunicorn {args.workers} sync workers, PostgreSQL, Redis cache\n")
    print_table(results)
    if len(servers) > 1:
        print_ratios(results)
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "workers": args.workers, "results": results}, indent=1)
        )


def serves(label: str, scenario: Scenario) -> bool:
    """Whether that server runs the scenario: the DRF app serves the reads only."""
    return label != "drf" or (scenario.method == "GET" and scenario.name != "fixed_json")


def profile(client, scenario: Scenario, project_id: int, ids: dict[str, list[str]]) -> None:
    for n in range(20):
        in_process_request(client, scenario, project_id, ids, n)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for n in range(200):
        in_process_request(client, scenario, project_id, ids, 1000 + n)
    profiler.disable()
    print(f"{scenario.name}: {(time.perf_counter() - start) / 200 * 1000:.2f} ms a request in-process")
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(35)


def print_row(row: dict) -> None:
    print(
        f"r{row['round']} load {row['load']:.1f} {row['scenario'] + ' (' + row['server'] + ')':<28} "
        f"c={row['concurrency']:<3} {row['rps']:>8.1f} req/s  p50 {row['p50'] / 1000:>7.1f} ms"
        f"  p95 {row['p95'] / 1000:>7.1f} ms  p99 {row['p99'] / 1000:>7.1f} ms  non-2xx {row['non2xx']}"
        f"  errors {row['socket_errors']}  queries {row['queries']}",
        flush=True,
    )


def runs_by_key(results: list[dict]) -> dict[tuple, list[dict]]:
    """Rows grouped by (scenario, concurrency, server), in round order."""
    grouped: dict[tuple, list[dict]] = {}
    for row in results:
        grouped.setdefault((row["scenario"], row["concurrency"], row["server"]), []).append(row)
    return grouped


def print_table(results: list[dict]) -> None:
    """Medians over the rounds."""
    print(
        "| Endpoint | Server | Concurrency | Requests/s | p50 ms | p95 ms | p99 ms | SQL queries/request | non-2xx |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (scenario, concurrency, server), rows in runs_by_key(results).items():
        rps = statistics.median(row["rps"] for row in rows)
        p50, p95, p99 = (statistics.median(row[p] for row in rows) / 1000 for p in ("p50", "p95", "p99"))
        print(
            f"| {scenario} | {server} | {concurrency} | {rps:.0f} | {p50:.1f} | {p95:.1f} | {p99:.1f} "
            f"| {rows[0]['queries']} | {sum(row['non2xx'] for row in rows)} |"
        )


def print_ratios(results: list[dict]) -> None:
    """ours / each other server, and the other checkout (`code`) / the DRF app: medians of per-round ratios (each
    round's runs of one cell ran back to back)."""
    grouped = runs_by_key(results)
    loads = [row["load"] for row in results]
    print(
        f"\nserver / baseline, medians of per-round ratios (1-minute load average {min(loads):.1f}-{max(loads):.1f})"
    )
    print("| Endpoint | Server | Baseline | Concurrency | Rounds | Throughput ratio | p50 ratio |")
    print("|---|---|---|---:|---:|---:|---:|")
    for (scenario, concurrency, server), rows in grouped.items():
        for numerator in ("ours", "code"):
            if server == numerator or (numerator == "code" and server != "drf"):
                continue
            mine = grouped.get((scenario, concurrency, numerator))
            if mine is None:
                continue
            pairs = list(zip(mine, rows, strict=False))
            throughput = statistics.median(a["rps"] / b["rps"] for a, b in pairs)
            p50 = statistics.median(a["p50"] / max(b["p50"], 1) for a, b in pairs)
            print(
                f"| {scenario} | {numerator} | {server} | {concurrency} | {len(pairs)} | {throughput:.2f} "
                f"| {p50:.2f}x |"
            )


if __name__ == "__main__":
    main()
