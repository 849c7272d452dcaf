"""Fixtures for the materialization tests."""

from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401
