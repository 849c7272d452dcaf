"""One project's warehouse checked end to end: core tables in the engine, table names, registered tables present.

Used by `manage.py check_warehouse`. A *problem* is something that is wrong now; `repair` fixes what can be
fixed without losing data (core tables re-created, damaged ones kept aside; name clashes resolved by the rules
of warehouse/name_conflicts.py) and reports what cannot (a registered table missing from the engine: its data is
gone, so it must be loaded again, or run again for a materialized view).
"""

from dataclasses import dataclass, field

from users.models import Project
from warehouse.engine import get_engine
from warehouse.models import SavedQuery, WarehouseTable
from warehouse.name_conflicts import resolve_name_conflicts
from warehouse.names import name_key, same_table_as


@dataclass
class ProjectHealth:
    """What was found in one project (`problems`: still wrong) and what was repaired."""

    project: Project
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


def check_project(project: Project, *, repair: bool = False) -> ProjectHealth:
    """Inspect (and with `repair`, fix) one project's warehouse; nothing changes without `repair`."""
    health = ProjectHealth(project)
    _check_names(health, repair=repair)
    engine = get_engine()
    inspection = engine.inspect_project(project.pk)
    if not inspection.exists:
        health.notes.append("no warehouse file yet (created with empty core tables on first use)")
        return health
    if inspection.core_table_problems:
        if repair:
            health.repaired += engine.repair_project(project.pk)
            inspection = engine.inspect_project(project.pk)
        health.problems += [f"core table {line}" for line in inspection.core_table_problems]
    _check_registered_tables(health, inspection.tables)
    return health


def _check_names(health: ProjectHealth, *, repair: bool) -> None:
    for resolution in resolve_name_conflicts(
        SavedQuery, WarehouseTable, key=name_key, project_ids=[health.project.pk], dry_run=not repair
    ):
        (health.repaired if repair else health.problems).extend(
            f"name clash: {line}" for line in resolution.lines()
        )


def _check_registered_tables(health: ProjectHealth, engine_tables: list[str]) -> None:
    """Live tables whose load or run finished (row_count set) must exist in the engine under their name."""
    registered = WarehouseTable.objects.filter(project=health.project, deleted=False, row_count__isnull=False)
    for table in registered.order_by("name"):
        if same_table_as(table.name, engine_tables) is None:
            again = (
                "run its view again"
                if table.format == WarehouseTable.Format.DELTA_S3_WRAPPER
                else "load it again"
            )
            health.problems.append(f"table {table.name} is registered but missing from the engine ({again})")
