"""The in-process rate-limit storage (THROTTLE_STORAGE_URL=memory://) counts as `limits`' own and starts no thread per
request: expired entries are swept inline, at most once a second."""

import time

import pytest

from api.memory_rate_storage import SWEEP_EVERY_SECONDS, InlineSweptMemoryStorage
from api.throttling import limiter, parse_rate

pytestmark = pytest.mark.django_db


def test_requests_start_no_expiry_thread(client_with, settings):
    assert settings.THROTTLE_STORAGE_URL == "memory://"  # the default without Redis
    storage = limiter().storage
    assert isinstance(storage, InlineSweptMemoryStorage)
    timer = storage.timer  # the one the base class starts when it is built
    client = client_with("*")
    for _ in range(5):
        assert client.get("/api/projects/").status_code == 200
        time.sleep(0.02)  # past the base class's 10 ms timer, which it would start again now
    assert storage.timer is timer


def test_the_window_counts_as_before_and_expired_entries_are_swept():
    storage = InlineSweptMemoryStorage("memory://")
    item = parse_rate("2/second")
    assert [storage.acquire_entry(item.key_for("k"), 2, 1) for _ in range(3)] == [True, True, False]
    time.sleep(max(1.05, SWEEP_EVERY_SECONDS))
    assert storage.acquire_entry(item.key_for("k"), 2, 1) is True  # the window moved on
    assert storage.acquire_entry(item.key_for("other"), 2, 1) is True  # a hit sweeps what expired
    assert len(storage.events[item.key_for("k")]) == 1
