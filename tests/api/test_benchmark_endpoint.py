"""The load benchmark's fixed-JSON endpoint exists only when BENCHMARK_ENDPOINTS is on."""

from django.conf import settings
from django.test import Client


def test_the_ceiling_endpoint_is_not_routed_by_default():
    assert settings.BENCHMARK_ENDPOINTS is False
    assert Client().get("/_bench/fixed").status_code == 404
