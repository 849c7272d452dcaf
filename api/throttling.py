"""Rate limits with PostHog's rates, counted atomically in one storage round trip per limit (the `limits` library).

Each limit is a moving window (the same meaning as DRF's and PostHog's throttles: at most N requests in any span of
the period), kept in Redis by an atomic script when `THROTTLE_STORAGE_URL` is a Redis URL, so every worker process
shares exact counts; the window holds at most N timestamps, so a check costs the same however busy the key is.
"""

import logging
import math
import time
from functools import lru_cache
from typing import cast

from django.conf import settings
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

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
        rate = self.get_rate()
        if not settings.THROTTLE_ENABLED or rate is None or not self.applies(request, view):
            return True
        item = parse_rate(rate)
        identity = request_identity(request, self.get_ident(request))
        try:
            if limiter().hit(item, self.scope, identity):
                return True
            reset_at = limiter().get_window_stats(item, self.scope, identity).reset_time
        except StorageError:
            logger.warning("Rate limit storage unavailable; letting the request through", exc_info=True)
            return True
        self.retry_after = max(1, math.ceil(reset_at - time.time()))
        return False

    def wait(self) -> float | None:
        return self.retry_after


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
