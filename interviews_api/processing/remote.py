"""One HTTP call to a provider, with failures sorted into retryable and permanent ProviderErrors."""

import json
from typing import Any

import httpx

from .config import EndpointConfig
from .errors import ProviderError

RETRYABLE_STATUSES = {408, 425, 429}  # client-side codes that mean "try again later", not "you erred"


def post_json(
    url: str, *, provider: str, api_key: str, timeout: float, headers: dict[str, str], **request: Any
) -> dict[str, Any]:
    """POST and return the JSON object response; `request` is httpx's (files=, data=, json=)."""
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.post(url, headers=headers, **request)
    except httpx.TimeoutException:
        raise ProviderError(
            f"{provider}: no response from {url} within {timeout:g} s.", retryable=True
        ) from None
    except httpx.TransportError as exc:
        message = _scrub(f"{provider}: could not reach {url} ({type(exc).__name__}: {exc}).", api_key)
        raise ProviderError(message, retryable=True) from None
    if response.status_code >= 400:
        raise _status_error(response, provider=provider, api_key=api_key)
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        snippet = _scrub(response.text[:200], api_key)
        raise ProviderError(
            f"{provider}: response from {url} is not JSON: {snippet!r}", retryable=False
        ) from None
    if not isinstance(body, dict):
        raise ProviderError(f"{provider}: response from {url} is not a JSON object.", retryable=False)
    return body


def chat_completion(config: EndpointConfig, *, provider: str, system: str, user: str) -> dict[str, Any]:
    """One OpenAI-compatible `/chat/completions` call (system + user message); the decoded reply body."""
    return post_json(
        f"{config.base_url.rstrip('/')}/chat/completions",
        provider=provider,
        api_key=config.api_key,
        timeout=config.timeout,
        headers={"Authorization": f"Bearer {config.api_key}"} if config.api_key else {},
        json={
            "model": config.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        },
    )


def missing_field(provider: str, field: str) -> ProviderError:
    """The error for a well-formed response that lacks what we need."""
    return ProviderError(f"{provider}: the response has no {field}.", retryable=False)


def _status_error(response: httpx.Response, *, provider: str, api_key: str) -> ProviderError:
    """A ProviderError for an HTTP error status, quoting the provider's own explanation when it gives one."""
    status = response.status_code
    detail = _scrub(response.text[:300].strip(), api_key)
    hint = " Check the API key." if status in (401, 403) else ""
    message = (
        f"{provider}: HTTP {status} from {response.request.url}: {detail or response.reason_phrase}.{hint}"
    )
    retryable = status >= 500 or status in RETRYABLE_STATUSES
    return ProviderError(message, retryable=retryable, retry_after=_retry_after(response))


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a numeric Retry-After header (HTTP dates are rare from APIs and ignored)."""
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


def _scrub(text: str, api_key: str) -> str:
    """Never echo the key, even when a provider quotes it back in an error body."""
    if api_key:
        text = text.replace(api_key, "***")
        if len(api_key) > 8:
            text = text.replace(api_key[:8], "***")  # OpenAI echoes a prefix ("sk-abc1...")
    return text
