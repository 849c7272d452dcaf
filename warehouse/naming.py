"""The rules every view and table name follows: PostHog's pattern, never a PostHog table, never a name the project
already uses. Names are compared as the engine resolves them (warehouse/names.py): `Events` is the core table
`events`. `validate_name` checks a request early against the catalog; `claim_name` enforces the rule again inside
the writing transaction, under the project's lock."""

import re
import uuid

from django.db.models import Value
from django.db.models.functions import Lower

from core.errors import InvalidInput
from users.models import Project
from warehouse.catalog import Catalog
from warehouse.models import SavedQuery, WarehouseTable
from warehouse.names import core_table_named, same_table_as

# PostHog's pattern, matched against the whole name (`$` alone would let a trailing newline through).
NAME_PATTERN = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$]*")
NAME_TAKEN = "A table with this name already exists."


class NameTaken(InvalidInput):
    """The name is another live view's or table's of the project (PostHog's 400 on `name`)."""

    def __init__(self) -> None:
        super().__init__(NAME_TAKEN, attr="name")


def core_name_message(name: str, kind: str = "view") -> str:
    """PostHog's refusal of a name that is (under the engine's rules) one of its own tables."""
    return f"{name} is not a valid {kind} name. {kind.capitalize()} names cannot overlap with PostHog table names."


def validate_name(name: str, *, catalog: Catalog, kind: str = "view") -> str:
    """PostHog's pattern and core-table rules, then no clash with anything the project can query (400 on `name`)."""
    if not NAME_PATTERN.fullmatch(name):
        # PostHog's message, trailing space included.
        raise InvalidInput(
            f"{name} is not a valid {kind} name. {kind.capitalize()} names can only contain letters, numbers, "
            "'_', '.', or '$' ",
            attr="name",
        )
    if core_table_named(name) is not None:
        raise InvalidInput(core_name_message(name, kind), attr="name")
    catalog.load((name,))  # every table and view the engine resolves `name` to
    if same_table_as(name, [*catalog.tables, *catalog.views]) is not None:
        raise NameTaken()
    return name


def claim_name(*, project: Project, name: str, kind: str = "view", view_id: uuid.UUID | None = None) -> None:
    """Inside the caller's transaction: `name` is no core table and no other live view or table of the project.

    The project row is locked first, so two requests claiming `plans` and `PLANS` (a view and a table, which no
    single unique index covers) run one after the other and the second sees the first; the per-model unique
    indexes on lower(name) back this up.
    """
    list(Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True))
    if core_table_named(name) is not None:
        raise InvalidInput(core_name_message(name, kind), attr="name")
    # lower(name) on both sides finds every name that differs only in ASCII case (and uses the unique index)
    views = (
        SavedQuery.objects.alias(key=Lower("name"))
        .filter(project=project, deleted=False, key=Lower(Value(name)))
        .exclude(pk__in=[view_id] if view_id else [])
    )
    tables = WarehouseTable.objects.alias(key=Lower("name")).filter(
        project=project, deleted=False, key=Lower(Value(name))
    )
    taken = [*views.values_list("name", flat=True), *tables.values_list("name", flat=True)]
    if same_table_as(name, taken) is not None:
        raise NameTaken()
