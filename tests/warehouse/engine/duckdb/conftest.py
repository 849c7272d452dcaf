"""DuckDB's own tests: a private warehouse folder, synthetic data, and other processes holding a project's file."""

from tests.warehouse.engine_support import seed, warehouse_settings  # noqa: F401
from tests.warehouse.faults.conftest import process_env  # noqa: F401
