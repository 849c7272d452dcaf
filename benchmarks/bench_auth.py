"""Authentication cost with 10,000 keys in the table, and SQL queries per authenticated request.

Run: bin/test benchmarks/bench_auth.py -s   (add DATABASE_URL=postgres://... for PostgreSQL)
"""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient, APIRequestFactory

from api.authentication import PersonalAPIKeyAuthentication
from users.keys import mask_key_value, new_personal_api_key_value
from users.models import PersonalAPIKey

pytestmark = pytest.mark.django_db
KEYS = 10_000


def _fill_keys(user) -> None:
    values = [new_personal_api_key_value() for _ in range(KEYS)]
    rows = []
    for value in values:
        key = PersonalAPIKey(user=user, label="bench", scopes=["*"], mask_value=mask_key_value(value))
        key.set_value(value)
        rows.append(key)
    PersonalAPIKey.objects.bulk_create(rows, batch_size=1000)


def _timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def test_auth_with_10k_keys(user, project, make_key):
    _fill_keys(user)
    value = make_key("*")
    factory = APIRequestFactory()
    auth = PersonalAPIKeyAuthentication()

    def authenticate_once():
        from rest_framework.request import Request

        assert auth.authenticate(Request(factory.get("/api/projects/", HTTP_AUTHORIZATION=f"Bearer {value}")))

    authenticate_once()  # warm up; writes last_used_at once
    auth_ms = _timed(authenticate_once, 500)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    url = f"/api/projects/{project.id}/"
    client.get(url)
    request_ms = _timed(lambda: client.get(url), 300)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as list_queries:
        assert client.get("/api/projects/").status_code == 200

    print(f"\n[{connection.vendor}] keys in table: {PersonalAPIKey.objects.count()}")
    print(f"authenticate(): median {statistics.median(auth_ms):.3f} ms, p95 {sorted(auth_ms)[474]:.3f} ms")
    print(f"GET {url}: median {statistics.median(request_ms):.2f} ms (in-process, full DRF stack)")
    print(f"SQL queries per authenticated retrieve: {len(queries)}; per list: {len(list_queries)}")
    for query in queries.captured_queries:
        print("  ", query["sql"][:150])
