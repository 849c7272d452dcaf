"""Per-key rate limits (PostHog: 480/minute and 4800/hour), counted in the shared Django cache."""

import hashlib
from typing import cast

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from users.authentication import find_key_with_source


class PersonalAPIKeyRateThrottle(SimpleRateThrottle):
    """Throttles requests that carry a personal API key in the header or query string, one bucket per key.

    Session users and keys sent in the body are not throttled, as in PostHog. The bucket lives in the default
    cache, so the limit holds across worker processes when that cache is shared (Redis or the database).
    """

    def get_rate(self) -> str | None:
        # Read at request time (DRF binds the rates at import), so settings overrides apply.
        return cast(str | None, api_settings.DEFAULT_THROTTLE_RATES.get(cast(str, self.scope)))

    def get_cache_key(self, request, view) -> str | None:
        found = find_key_with_source(request, include_body=False)
        if found is None:
            return None
        digest = hashlib.sha256(found[0].encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class BurstRateThrottle(PersonalAPIKeyRateThrottle):
    scope = "burst"


class SustainedRateThrottle(PersonalAPIKeyRateThrottle):
    scope = "sustained"
