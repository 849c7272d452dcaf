"""Rate limits with PostHog's rates, counted atomically (the `limits` library), all of a request's in one round trip.

Each limit is a moving window (the same meaning as DRF's and PostHog's throttles: at most N requests in any span of
the period), kept in Redis by `limits`' atomic script when `THROTTLE_STORAGE_URL` is a Redis URL, so every worker
process shares exact counts; the window holds at most N timestamps, so a check costs the same however busy the key is.
A request's limits (burst and sustained, plus a view's extra ones) are checked together: the first throttle DRF asks
sends one script call per limit in a single Redis pipeline and the others read its verdicts. Each limit still counts
on its own, as before and as in DRF (a request refused by one limit is counted by the others that admit it).
"""

import logging
import math
import time
from functools import lru_cache
from typing import cast

from django.conf import settings
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import NoScriptError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from api.memory_rate_storage import InlineSweptMemoryStorage
from users.models import PersonalAPIKey

logger = logging.getLogger(__name__)

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=64)
def parse_rate(rate: str) -> RateLimitItem:
    """`"480/minute"` (DRF's notation: the period's first letter counts, so `480/m` works too) -> a limits item."""
    count, period = rate.split("/")
    return RateLimitItemPerSecond(int(count), PERIOD_SECONDS[period.strip()[0].lower()])


@lru_cache(maxsize=4)
def _limiter(url: str, prefix: str) -> MovingWindowRateLimiter:
    options: dict = {"wrap_exceptions": True}
    if url.startswith("memory://"):
        return MovingWindowRateLimiter(InlineSweptMemoryStorage(url, **options))
    if url.startswith(("redis://", "rediss://", "unix://", "redis+unix://")):
        # A slow or unreachable Redis must not hold the request: fail fast, then the request is let through.
        options.update(key_prefix=prefix, socket_connect_timeout=1, socket_timeout=1)
    return MovingWindowRateLimiter(storage_from_string(url, **options))


def limiter() -> MovingWindowRateLimiter:
    """The process's limiter (one storage client, reused by every request)."""
    return _limiter(settings.THROTTLE_STORAGE_URL, settings.THROTTLE_KEY_PREFIX)


def request_identity(request, client_address: str | None) -> str:
    """Whose budget a request spends: its personal API key (header, body or query string alike), else the session's
    user, else the client address."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, PersonalAPIKey):
        return f"key:{auth.secure_value}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address}"


class RateLimitThrottle(BaseThrottle):
    """One named limit; subclasses set `scope` and say where the rate comes from (`get_rate`)."""

    scope: str = ""

    def __init__(self) -> None:
        self.retry_after: float | None = None

    def get_rate(self) -> str | None:
        # Read at request time (DRF binds the rates at import), so settings overrides apply.
        return cast(str | None, api_settings.DEFAULT_THROTTLE_RATES.get(self.scope))

    def applies(self, request, view) -> bool:
        return True

    def allow_request(self, request, view) -> bool:
        verdicts = getattr(request, VERDICTS_ATTRIBUTE, None)
        if verdicts is None:
            throttles = view.get_throttles() if hasattr(view, "get_throttles") else [self]
            verdicts = check_limits(request, view, [t for t in throttles if isinstance(t, RateLimitThrottle)])
            setattr(request, VERDICTS_ATTRIBUTE, verdicts)
        self.retry_after = verdicts.get(self.scope)
        return self.retry_after is None

    def wait(self) -> float | None:
        return self.retry_after


# Where a request keeps its limits' verdicts: {scope: seconds until it may retry} for each limit that refused it.
VERDICTS_ATTRIBUTE = "_rate_limit_verdicts"


def check_limits(request, view, throttles: list[RateLimitThrottle]) -> dict[str, int]:
    """Spend one request from each limit that applies; the refusing limits' scopes with their Retry-After seconds.

    Unavailable storage lets the request through (logged), as a slow Redis must not take the API down.
    """
    if not settings.THROTTLE_ENABLED:
        return {}
    checks = []
    for throttle in throttles:
        rate = throttle.get_rate()
        if rate is not None and throttle.applies(request, view):
            checks.append(
                (throttle.scope, parse_rate(rate), request_identity(request, throttle.get_ident(request)))
            )
    if not checks:
        return {}
    rate_limiter = limiter()
    try:
        admitted = _hit_all(rate_limiter, checks)
        refused = {}
        for (scope, item, identity), ok in zip(checks, admitted, strict=True):
            if not ok:
                reset_at = rate_limiter.get_window_stats(item, scope, identity).reset_time
                refused[scope] = max(1, math.ceil(reset_at - time.time()))
    except (StorageError, *_storage_errors(rate_limiter)):  # type: ignore[misc]  # exception classes
        logger.warning("Rate limit storage unavailable; letting the request through", exc_info=True)
        return {}
    return refused


def _hit_all(
    rate_limiter: MovingWindowRateLimiter, checks: list[tuple[str, RateLimitItem, str]]
) -> list[bool]:
    """`rate_limiter.hit` for each check, in one Redis round trip when the storage is Redis.

    The pipeline sends `limits`' own acquire script once per limit (EVALSHA; each call atomic, so counts stay exact
    across processes); a script Redis has forgotten (restart, SCRIPT FLUSH) was not run, so that check is redone
    through `hit`, which loads the script.
    """
    storage = rate_limiter.storage
    if not isinstance(storage, RedisStorage) or len(checks) == 1:
        return [rate_limiter.hit(item, scope, identity) for scope, item, identity in checks]
    script = storage.lua_acquire_moving_window
    pipeline = storage.get_connection().pipeline(transaction=False)  # type: ignore[attr-defined]  # a redis.Redis
    now = time.time()
    for scope, item, identity in checks:
        key = storage.prefixed_key(item.key_for(scope, identity))
        pipeline.evalsha(script.sha, 1, key, now, item.amount, item.get_expiry(), 1)
    results = pipeline.execute(raise_on_error=False)
    admitted = []
    for (scope, item, identity), result in zip(checks, results, strict=True):
        if isinstance(result, NoScriptError):
            admitted.append(rate_limiter.hit(item, scope, identity))
        elif isinstance(result, Exception):
            raise result
        else:
            admitted.append(bool(result))
    return admitted


def _storage_errors(rate_limiter: MovingWindowRateLimiter) -> tuple[type[Exception], ...]:
    """The storage client's own errors (the pipeline bypasses `limits`' wrapping of them into StorageError)."""
    errors = getattr(rate_limiter.storage, "base_exceptions", ())
    return errors if isinstance(errors, tuple) else (errors,)


class BurstRateThrottle(RateLimitThrottle):
    """Every endpoint: 480 requests a minute (PostHog's burst rate)."""

    scope = "burst"


class SustainedRateThrottle(RateLimitThrottle):
    """Every endpoint: 4,800 requests an hour (PostHog's sustained rate)."""

    scope = "sustained"


class HogQLQueryRateThrottle(RateLimitThrottle):
    """Running HogQL (`/query/`): 120 an hour (PostHog's HogQLQueryThrottle), on top of the general limits."""

    scope = "hogql_query"

    def get_rate(self) -> str | None:
        return settings.WAREHOUSE_QUERY_RATE


class QueryWriteRateThrottle(RateLimitThrottle):
    """Create, update and delete on a view that declares it (saved queries: each write analyses HogQL): PostHog's
    rates for endpoints that reach its query engine (240 a minute, 1,200 an hour), on top of the general limits."""

    WRITE_ACTIONS = ("create", "update", "partial_update", "destroy")

    def applies(self, request, view) -> bool:
        return request.method not in SAFE_METHODS and getattr(view, "action", None) in self.WRITE_ACTIONS


class QueryWriteBurstRateThrottle(QueryWriteRateThrottle):
    scope = "query_burst"

    def get_rate(self) -> str | None:
        return settings.THROTTLE_QUERY_BURST_RATE


class QueryWriteSustainedRateThrottle(QueryWriteRateThrottle):
    scope = "query_sustained"

    def get_rate(self) -> str | None:
        return settings.THROTTLE_QUERY_SUSTAINED_RATE
