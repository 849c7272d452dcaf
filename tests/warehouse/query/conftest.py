"""Fixtures for the query tests."""

from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401
