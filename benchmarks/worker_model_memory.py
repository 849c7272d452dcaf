"""Resident memory of a worker process whose threads transcribe with the local (pocketsphinx) model.

Each configuration runs in a fresh process: N threads each transcribe the committed fixture at once, as N worker
threads would, then the process reports its peak (VmHWM) and current (VmRSS) resident memory. "per thread" is
INTERVIEW_LOCAL_DECODERS=N (what the code did before: one model per thread); "shared" is the default of 1.
Configurations alternate, in the same run.

Run: .venv/bin/python benchmarks/worker_model_memory.py [rounds]
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, sys, tempfile, threading
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="phc-bench-"))
import django
django.setup()
from pathlib import Path
from interviews_api.processing import transcribe

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
before = status("VmRSS")
threads = [threading.Thread(target=transcribe, args=(Path("tests/interviews_api/fixtures/hello_world.wav"),),
                            kwargs={"interviewee_emails": []}) for _ in range(int(sys.argv[1]))]
for t in threads: t.start()
for t in threads: t.join()
print(__import__("json").dumps({"before": before, "peak": status("VmHWM"), "after": status("VmRSS")}))
"""


def measure(threads: int, decoders: int) -> dict:
    env = {
        **os.environ,
        "INTERVIEW_LOCAL_DECODERS": str(decoders),
        "INTERVIEW_TRANSCRIPTION_PROVIDER": "local",
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(threads)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results: dict[tuple[int, str], list[dict]] = {}
    for _ in range(rounds):
        for threads in (1, 4):
            for label, decoders in (("per thread", threads), ("shared", 1)):
                results.setdefault((threads, label), []).append(measure(threads, decoders))
    print(f"load average: {os.getloadavg()[0]:.2f}; medians of {rounds} rounds (MB)")
    print("threads | models           | RSS at start | peak RSS | RSS after")
    for (threads, label), runs in sorted(results.items()):
        med = {key: statistics.median(run[key] for run in runs) for key in ("before", "peak", "after")}
        print(f"{threads:7} | {label:16} | {med['before']:12.0f} | {med['peak']:8.0f} | {med['after']:9.0f}")


if __name__ == "__main__":
    main()
