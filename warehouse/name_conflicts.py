"""Live views and tables whose names the engine resolves to one table (or to a core table): found and resolved.

Validation keeps new conflicts out; this deals with rows stored before names were compared by the engine's
rules. Used by migration 0003 (before the unique indexes on lower(name) are added) and by
`manage.py check_warehouse` (to report, and with --repair to fix). The rules, chosen to lose nothing that
still exists:

- A loaded or materialized table named like a core table is soft-deleted: its name was the core table itself
  in the engine, so there is no separate data to keep (the core table is checked and re-created on its own).
- Of several live tables with one name, the newest is kept and the older ones are soft-deleted: each load or
  run replaced the engine's table, so only the newest row describes the data it holds.
- A view named like a core table, like an older view, or like a live table that is not its own materialized
  table is renamed `<name>_<n>` (the first free n): a view is only a definition, so renaming loses nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from warehouse.catalog import CORE_TABLE_NAMES

MAX_NAME_LENGTH = 128


@dataclass
class Resolution:
    """What was (or, in a dry run, would be) changed in one project."""

    project_id: int
    deleted_tables: list[str] = field(default_factory=list)
    renamed_views: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.deleted_tables or self.renamed_views)

    def lines(self) -> list[str]:
        return [f"table {name} soft-deleted (its name is taken)" for name in self.deleted_tables] + [
            f"view {old} renamed to {new}" for old, new in self.renamed_views
        ]


def resolve_name_conflicts(
    saved_query_model, table_model, *, key: Callable[[str], str], project_ids=None, dry_run: bool = False
) -> list[Resolution]:
    """Resolve every project's conflicts (or those of `project_ids`); the models may be a migration's."""
    views = saved_query_model.objects.filter(deleted=False)
    tables = table_model.objects.filter(deleted=False)
    if project_ids is not None:
        views, tables = views.filter(project_id__in=project_ids), tables.filter(project_id__in=project_ids)
    projects = sorted(
        set(views.values_list("project_id", flat=True)) | set(tables.values_list("project_id", flat=True))
    )
    results = []
    for project_id in projects:
        resolution = Resolution(project_id)
        kept_tables = _resolve_tables(tables.filter(project_id=project_id), key, resolution, dry_run)
        _resolve_views(views.filter(project_id=project_id), kept_tables, key, resolution, dry_run)
        if resolution:
            results.append(resolution)
    return results


def _resolve_tables(tables, key, resolution: Resolution, dry_run: bool) -> dict[str, Any]:
    """Core-named tables and the older of same-named ones are soft-deleted; returns key -> kept table."""
    core = {key(name) for name in CORE_TABLE_NAMES}
    kept: dict[str, Any] = {}
    for table in tables.order_by("-created_at", "-id"):  # newest first: it is the one kept
        name_key = key(table.name)
        if name_key in core or name_key in kept:
            resolution.deleted_tables.append(table.name)
            if not dry_run:
                table.deleted, table.deleted_at = True, timezone.now()
                table.save(update_fields=["deleted", "deleted_at"])
        else:
            kept[name_key] = table
    return kept


def _resolve_views(views, kept_tables: dict[str, Any], key, resolution: Resolution, dry_run: bool) -> None:
    """Oldest view first: it keeps its name unless a core table or another view's or loaded table has it."""
    taken = {key(name) for name in CORE_TABLE_NAMES} | set(kept_tables)
    ordered = list(views.order_by("created_at", "id"))
    in_use = taken | {key(view.name) for view in ordered}  # a new name must be free of later views' too
    for view in ordered:
        name_key = key(view.name)
        own_table = kept_tables.get(name_key)
        if name_key in taken and not (own_table is not None and own_table.pk == view.table_id):
            new_name = _free_name(view.name, in_use, key)
            in_use.add(key(new_name))
            resolution.renamed_views.append((view.name, new_name))
            if not dry_run:
                view.name = new_name
                view.save(update_fields=["name"])
            name_key = key(new_name)
        taken.add(name_key)


def _free_name(name: str, taken: set[str], key) -> str:
    number = 1
    while True:
        suffix = f"_{number}"
        candidate = name[: MAX_NAME_LENGTH - len(suffix)] + suffix
        if key(candidate) not in taken:
            return candidate
        number += 1
