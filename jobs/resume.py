"""Resumers: each app registers how to find work a dead worker left behind and queue it again."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Resumer = Callable[[], int]
_resumers: dict[str, Resumer] = {}


def resumer(fn: Resumer) -> Resumer:
    """Register `fn`, which re-enqueues stalled work and returns how many items it queued again.

    It must be idempotent and safe to run from several workers at once: Huey's storage already keeps queued
    tasks across restarts, so a resumer only picks up what was lost (a task taken by a worker that died, or an
    enqueue that never happened) — typically rows left pending/processing for longer than a threshold.
    """
    _resumers[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def resume_stalled() -> dict[str, int]:
    """Run every registered resumer; one that fails is logged and does not stop the others."""
    counts: dict[str, int] = {}
    for name, fn in _resumers.items():
        try:
            counts[name] = fn()
        except Exception:
            logger.exception("Resumer %s failed", name)
            counts[name] = -1
        if counts[name]:
            logger.info("Resumer %s re-enqueued %s item(s)", name, counts[name])
    return counts
