"""The sweep: reap dead leases, re-queue stalled work, and run every registered cleanup; logs what it removed.

It runs when a worker process starts, every JOBS_SWEEP_INTERVAL_SECONDS in every worker (jobs.maintenance), and on
`manage.py sweep_jobs`. Several workers may sweep at once, and work goes on meanwhile, so every step must be
idempotent and must only touch what no live job uses.

Registering a cleanup (for example warehouse scratch files or half-built tables):

    @sweeper  # from jobs.sweep import sweeper
    def remove_scratch_files() -> list[str]:
        ...  # remove what is safe to remove; return a short description of each removed item

A cleanup may tell a dead process's leftovers from a live one's by the process tag in a file's name
(`jobs.processes.current_tag()` when creating it, `jobs.processes.is_dead(name)` when sweeping); for anything
else, wait out a grace period (file age) longer than any job's time limit.
"""

import logging
from collections.abc import Callable

from jobs import leases
from jobs.queue import registry
from jobs.resume import resume_stalled

logger = logging.getLogger(__name__)

Sweeper = Callable[[], list[str]]
_sweepers: dict[str, Sweeper] = {}


def sweeper(fn: Sweeper) -> Sweeper:
    """Register a cleanup for the sweep; it returns a description of each thing it removed."""
    _sweepers[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def reap_dead_leases(job_ids: list[str] | None = None) -> list[str]:
    """Hand dead leases (all, or of `job_ids`) to their jobs' on_lease_lost handlers."""
    handlers = {name: job.on_lease_lost for name, job in registry.items() if job.on_lease_lost}
    reaped = leases.reap(job_ids=job_ids, handlers=handlers)
    for item in reaped:
        logger.warning("Reaped the lease of %s", item)
    return reaped


def run_sweep() -> dict[str, list[str] | int]:
    """One full sweep; returns what each step did (a failing step is logged and does not stop the others)."""
    report: dict[str, list[str] | int] = {}
    try:
        report["jobs.leases"] = reap_dead_leases()
    except Exception:
        logger.exception("Reaping dead leases failed")
    report.update(resume_stalled())
    for name, fn in _sweepers.items():
        try:
            removed = fn()
        except Exception:
            logger.exception("Sweeper %s failed", name)
            continue
        for item in removed:
            logger.info("Sweeper %s removed %s", name, item)
        report[name] = removed
    return report
