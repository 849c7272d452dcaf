"""Generation, hashing and masking of secret tokens (personal API keys, project tokens)."""

import hashlib
import secrets

PERSONAL_API_KEY_PREFIX = "phx_"
PROJECT_TOKEN_PREFIX = "phc_"
# 35 random bytes as PostHog: 32 for entropy plus 3 because the last 4 characters are shown in the mask.
KEY_RANDOM_BYTES = 35


def new_personal_api_key_value() -> str:
    return PERSONAL_API_KEY_PREFIX + secrets.token_urlsafe(KEY_RANDOM_BYTES)


def new_project_token() -> str:
    return PROJECT_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_distinct_id() -> str:
    return secrets.token_urlsafe(24)


def hash_key_value(value: str) -> str:
    """PostHog's `sha256$<hex>` digest of the whole key (unsalted, so lookup is an indexed equality)."""
    return "sha256$" + hashlib.sha256(value.encode()).hexdigest()


def mask_key_value(value: str) -> str:
    if len(value) < 16:
        return "********"
    return f"{value[:4]}...{value[-4:]}"
