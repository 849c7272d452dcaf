"""Rate-limit cost and exactness on Redis: DRF's SimpleRateThrottle (a list of every request's timestamp in the
cache, the old implementation) against api/throttling.py (limits' moving window, one atomic script per check).

Run: .venv/bin/python benchmarks/bench_throttle.py      (needs Redis on 127.0.0.1:6379; uses database 13)

1. Time per check with N entries already stored for the key (both implementations, alternating, same run).
2. Exactness: P processes check one key at once, against a limit of L; how many were admitted (should be L).
"""

import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
REDIS_URL = "redis://127.0.0.1:6379/13"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="phc-bench-"))
os.environ["CACHE_URL"] = REDIS_URL
os.environ["THROTTLE_STORAGE_URL"] = REDIS_URL

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.core.cache import cache  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402

from api.throttling import _limiter, parse_rate  # noqa: E402

PREFIX = f"bench-throttle-{uuid.uuid4().hex[:8]}"
CHECKS = 300


class OldThrottle(SimpleRateThrottle):
    """The previous implementation's mechanism: DRF's timestamp list in the Django cache, one key."""

    def __init__(self, key: str, rate: str):
        self.key, self.rate = key, rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def get_cache_key(self, request, view):
        return self.key


def old_check(throttle: OldThrottle) -> bool:
    return throttle.allow_request(None, None)


def new_limiter():
    return _limiter(REDIS_URL, PREFIX)


def per_check_ms(check, runs: int = CHECKS) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        check()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def cost_with_stored_entries() -> None:
    rate = "100000000/hour"  # never refuses: every check stores one more entry, as under load
    print(f"1. Median time per check (ms), {CHECKS} checks, N entries stored for the key beforehand")
    print(f"   {'N':>8} {'DRF list (old)':>15} {'limits window (new)':>20}")
    for stored in (0, 4_800, 48_000, 288_000):
        old = OldThrottle(f"{PREFIX}-old-{stored}", rate)
        now = time.time()
        cache.set(old.key, [now] * stored, None)
        item = parse_rate(rate)
        new_key = f"new-{stored}"
        raw = redis.Redis.from_url(REDIS_URL)
        full_key = item.key_for("burst", new_key)
        for start in range(0, stored, 10_000):
            raw.lpush(f"{PREFIX}:{full_key}", *([now] * min(10_000, stored - start)))
        times_old, times_new = [], []
        for _ in range(3):  # alternate, so load on the machine affects both alike
            times_old.append(per_check_ms(lambda old=old: old_check(old), CHECKS // 3))
            times_new.append(
                per_check_ms(
                    lambda item=item, new_key=new_key: new_limiter().hit(item, "burst", new_key), CHECKS // 3
                )
            )
        print(f"   {stored:>8} {statistics.median(times_old):>15.3f} {statistics.median(times_new):>20.3f}")


def hammer(kind: str, key: str, rate: str, count: int) -> int:
    admitted = 0
    if kind == "old":
        throttle = OldThrottle(key, rate)
        for _ in range(count):
            admitted += old_check(throttle)
    else:
        item = parse_rate(rate)
        for _ in range(count):
            admitted += new_limiter().hit(item, "burst", key)
    return admitted


def exactness(processes: int = 4, per_process: int = 250, limit: int = 500) -> None:
    rate = f"{limit}/hour"
    print(f"\n2. {processes} processes x {per_process} checks at once on one key, limit {limit}: admitted")
    with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
        for kind in ("old", "new"):
            key = f"{PREFIX}-exact-{kind}"
            futures = [pool.submit(hammer, kind, key, rate, per_process) for _ in range(processes)]
            admitted = sum(future.result() for future in futures)
            print(f"   {kind}: {admitted} admitted ({admitted - limit:+d} against the limit)")


def cleanup() -> None:
    raw = redis.Redis.from_url(REDIS_URL)
    for key in raw.scan_iter(f"*{PREFIX}*"):
        raw.delete(key)


if __name__ == "__main__":
    try:
        cost_with_stored_entries()
        exactness()
    finally:
        cleanup()
