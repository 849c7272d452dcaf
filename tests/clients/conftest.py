"""Fixtures for the client tests: the warehouse's private folder and synthetic data."""

from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401
