"""Fixtures for the query tests."""

import pytest

from tests.warehouse.engine.contract.engines import set_up
from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401
from warehouse.engine import ENGINES


@pytest.fixture(params=sorted(ENGINES))
def engine_name(request, settings, tmp_path):
    """Each engine; the configured one as configured (a process opens one embedded ClickHouse directory only)."""
    if settings.WAREHOUSE_ENGINE != request.param:
        settings.WAREHOUSE_ENGINE = request.param
        set_up(request.param, settings, tmp_path)
    return request.param
