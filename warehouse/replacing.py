"""Replacing a loaded table's data (`manage.py load_warehouse_table --replace`): the old table stays until the new one
is complete, then the row and the engine's table switch.

The row is never deleted or re-created: it is claimed (its `load_heartbeat_at` set, renewed while the load runs,
so a second replace of the same table is refused and one whose process died is taken over after
WAREHOUSE_LOAD_LEASE_SECONDS), the new data is loaded under the same name through the engine's atomic swap
(warehouse/engine/duckdb/loader.py), and only then is the row updated (columns, row count, format) in one UPDATE.
A load that fails (bad file, wrong format, over a limit) or dies changes neither: queries keep reading the old
rows, and the row keeps its id, columns and row count. Two stores cannot commit together: should the process die
between the engine's commit and the row's UPDATE (one statement), the row describes the old columns until the
next replace.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import InvalidInput
from users.models import Project
from warehouse.catalog import build_catalog
from warehouse.column_types import stored_column
from warehouse.engine_tables import drop_engine_table
from warehouse.loading import load_data, name_live, renewed_lease
from warehouse.models import LoadStatus, SavedQuery, WarehouseCredential, WarehouseTable
from warehouse.naming import validate_name

BEING_REPLACED = "This table is being loaded by another process; try again when that load is done."
DELETED_WHILE_LOADING = "The table was deleted while its data was loading."


def materialized_view_message(name: str) -> str:
    return f"{name} is a materialized view's table; run or revert the view instead of replacing it."


def warehouse_table_replace(
    *, project: Project, table: WarehouseTable, name: str, file_format: str, local_path: Path
) -> WarehouseTable:
    """Load `local_path` into `table` (which the engine resolves `name` to), keeping the old data until it is in.

    Raises InvalidInput (the old table and row untouched) when the file cannot be loaded or the table cannot be
    replaced now.
    """
    validate_name(name, catalog=build_catalog(project.pk), kind="table")  # the pattern and core names
    if (
        table.format == WarehouseTable.Format.DELTA_S3_WRAPPER
        or SavedQuery.objects.filter(table=table, deleted=False).exists()
    ):
        raise InvalidInput(materialized_view_message(table.name), attr="name")
    if not _claim(table):
        raise InvalidInput(BEING_REPLACED, attr="name")
    try:
        with renewed_lease(table.pk, status=LoadStatus.COMPLETED):
            columns, rows = load_data(
                project=project, name=name, file_format=file_format, sources=[local_path]
            )
    except BaseException:
        _release(table)
        raise
    _switch(table, name=name, file_format=file_format, columns=columns, rows=rows)
    table.refresh_from_db()
    return table


def _claim(table: WarehouseTable) -> bool:
    """Take the live, completed row for this replace unless another live process holds it (one UPDATE)."""
    now = timezone.now()
    expired = now - timedelta(seconds=float(settings.WAREHOUSE_LOAD_LEASE_SECONDS))
    free = Q(load_heartbeat_at__isnull=True) | Q(load_heartbeat_at__lt=expired)
    return bool(
        WarehouseTable.objects.filter(free, pk=table.pk, deleted=False, status=LoadStatus.COMPLETED).update(
            load_heartbeat_at=now
        )
    )


def _release(table: WarehouseTable) -> None:
    WarehouseTable.objects.filter(pk=table.pk).update(load_heartbeat_at=None)


def _switch(
    table: WarehouseTable, *, name: str, file_format: str, columns: list[tuple[str, str]], rows: int
) -> None:
    """The engine holds the new data: the row now describes it (same id), or, if it was deleted meanwhile, the new
    engine table goes too (unless a live table has taken the name since)."""
    stored = {column: stored_column(engine_type) for column, engine_type in columns}
    with transaction.atomic():
        switched = WarehouseTable.objects.filter(pk=table.pk, deleted=False).update(
            name=name,
            format=file_format,
            columns=stored,
            row_count=rows,
            url_pattern="",
            credential=None,
            load_heartbeat_at=None,
            error=None,
        )
        if switched and table.credential_id is not None:  # the old S3 source's secret is of no further use
            WarehouseCredential.objects.filter(pk=table.credential_id).delete()
    if not switched:
        if not name_live(table):
            drop_engine_table(project=table.project, name=name)
        raise InvalidInput(DELETED_WHILE_LOADING, attr="name")
