"""Start-up checks (`manage.py check`, runserver, gunicorn's first request): the configured engine can be built."""

from importlib.util import find_spec

from django.conf import settings
from django.core.checks import Error, register

from warehouse.engine import ENGINES


@register()
def warehouse_engine_installed(app_configs, **kwargs) -> list[Error]:
    """WAREHOUSE_ENGINE names a registered engine whose client library is installed."""
    name = getattr(settings, "WAREHOUSE_ENGINE", "duckdb")
    if name not in ENGINES:
        return [
            Error(
                f"WAREHOUSE_ENGINE={name!r} is not an engine; choose one of {sorted(ENGINES)}",
                id="warehouse.E001",
            )
        ]
    if name != "clickhouse":
        return []
    library = "clickhouse_connect" if getattr(settings, "CLICKHOUSE_URL", "") else "chdb"
    if find_spec(library) is None:
        return [
            Error(
                f"WAREHOUSE_ENGINE=clickhouse needs {library}, from the optional 'clickhouse' extra",
                hint="pip install '.[clickhouse]' (bin/setup --dev installs it)",
                id="warehouse.E002",
            )
        ]
    return []
