"""Dropping a warehouse table from the engine once no row owns it: after a table is deleted, a view is reverted,
renamed or deleted, or a load or run finds its row gone. Best effort: a table no catalog lists is unreachable."""

import logging

from django.db import transaction

from users.models import Project
from warehouse.engine import EngineError, get_engine
from warehouse.models import SavedQuery, WarehouseTable
from warehouse.names import core_table_named, same_table_as
from warehouse.selectors import catalog_for

logger = logging.getLogger(__name__)


def drop_engine_table(*, project: Project, name: str) -> None:
    """Best effort: a table no catalog lists is unreachable anyway, so a failure here is only logged."""
    try:
        get_engine().drop_table(catalog_for(project=project), name)
    except EngineError:
        logger.warning("Could not drop warehouse table %s of project %s", name, project.pk, exc_info=True)


def drop_unowned_engine_table(*, project_id: int, name: str) -> None:
    """The engine table a renamed or deleted materialized view left under `name`: dropped unless a live view or
    table owns that name now (by the engine's rule) or it is a core table (the engine's guard refuses those too).

    Checked and dropped under the project's row lock, which every claim of a name takes first (claim_name), so
    no new load or view of that name can be registered in between and lose its table.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().filter(pk=project_id).first()
        if project is None or core_table_named(name) is not None:
            return
        views = SavedQuery.objects.filter(project=project, deleted=False).values_list("name", flat=True)
        tables = WarehouseTable.objects.filter(project=project, deleted=False).values_list("name", flat=True)
        if same_table_as(name, [*views, *tables]) is not None:
            return
        drop_engine_table(project=project, name=name)
