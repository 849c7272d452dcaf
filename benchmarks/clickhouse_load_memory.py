"""Peak memory of sending a large CSV file to a ClickHouse server: the whole file read first, or streamed in chunks.

The server is the HTTP stand-in (tests/warehouse/engine/clickhouse/standin.py) in its own process, so its buffering
is not counted. Each measurement is a fresh Python process that creates a table and sends the file with
ServerTransport.insert_data: `whole` is the old loader (`path.read_bytes()`, which clickhouse-connect then copies
again behind the INSERT statement), `chunks` the loader's `_chunks` (LOAD_CHUNK_BYTES per chunk of a chunked HTTP
body). It reports the process's peak RSS (VmHWM) less its RSS before the send, and tracemalloc's peak of Python
allocations during the send. The modes alternate, `rounds` times each, in one run; the load average is printed
before and after.

    .venv/bin/python benchmarks/clickhouse_load_memory.py [--megabytes 100] [--rounds 3]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SERVER = """
import sys, time
from tests.warehouse.engine.clickhouse.standin import ClickHouseStandIn
server = ClickHouseStandIn(sys.argv[1]).start()
print(server.url_for(), flush=True)
while True:
    time.sleep(60)
"""

SENDER = """
import json, sys, time, tracemalloc, uuid
from pathlib import Path
from warehouse.engine.clickhouse.loader import _chunks
from warehouse.engine.clickhouse.server import ServerTransport

def rss_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])

mode, url, path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
server = ServerTransport.from_url(url)
table = f"bench_{uuid.uuid4().hex[:8]}"
server.command(f"CREATE TABLE {table} (n UInt64, label String) ENGINE = MergeTree ORDER BY tuple()")
before = rss_kb("VmRSS")
tracemalloc.start()
started = time.monotonic()
if mode == "whole":
    server.insert_data(table, path.read_bytes(), fmt="CSVWithNames")
else:
    with path.open("rb") as handle:
        server.insert_data(table, _chunks(handle), fmt="CSVWithNames")
seconds = time.monotonic() - started
python_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
rows = server.execute(f"SELECT count() FROM {table}").rows[0][0]
server.command(f"DROP TABLE {table}")
print(json.dumps({"rss_mb": (rss_kb("VmHWM") - before) / 1024, "python_mb": python_peak / 2**20,
                  "rows": rows, "seconds": seconds}))
"""


def write_csv(path: Path, megabytes: int) -> int:
    rows = 0
    with path.open("w") as out:
        out.write("n,label\n")
        while out.tell() < megabytes * 2**20:
            out.writelines(f"{n},row-number-{n:09d}\n" for n in range(rows, rows + 100_000))
            rows += 100_000
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="phc-bench-chload-"))
    path = work / "big.csv"
    rows = write_csv(path, args.megabytes)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [PYTHON, "-c", SERVER, str(work / "chdb")], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        url = server.stdout.readline().strip()
        print(
            f"file {path.stat().st_size / 2**20:.0f} MiB, {rows} rows; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        results: dict[str, list[dict]] = {"whole": [], "chunks": []}
        for round_ in range(args.rounds):
            for mode in ("whole", "chunks"):  # alternating: the baseline first in every round
                done = subprocess.run(
                    [PYTHON, "-c", SENDER, mode, url, str(path)],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                result = json.loads(done.stdout.strip().splitlines()[-1])
                assert result["rows"] == rows, result
                results[mode].append(result)
                print(
                    f"round {round_ + 1} {mode:6}: peak RSS +{result['rss_mb']:.1f} MiB, Python peak "
                    f"{result['python_mb']:.1f} MiB, {result['seconds']:.1f} s; load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
        for mode, runs in results.items():
            rss = sorted(run["rss_mb"] for run in runs)[len(runs) // 2]
            python = sorted(run["python_mb"] for run in runs)[len(runs) // 2]
            print(f"median {mode:6}: peak RSS +{rss:.1f} MiB, Python peak {python:.1f} MiB")
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.kill()
        server.wait()
        time.sleep(0.1)


if __name__ == "__main__":
    main()
