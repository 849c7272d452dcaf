"""Fixtures for the table-name tests (engine-backed: a private warehouse folder, synthetic data)."""

from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401
