"""Uniqueness by the engine's rules holds under races (database indexes on lower(name), the project lock), and
migration 0003 resolves the clashes stored before it: tables soft-deleted, views renamed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.child_processes import in_parallel
from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import tables_url
from warehouse.models import SavedQuery, WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [
    ("warehouse", "0002_materialization_and_loading")
]  # then up to the latest (0003 resolves the clashes)


@pytest.mark.parametrize("model", [SavedQuery, WarehouseTable])
def test_the_database_refuses_two_live_rows_whose_names_differ_only_in_case(project, model):
    model.objects.create(project=project, name="plans")
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(project=project, name="PLANS")
    model.objects.filter(project=project).update(deleted=True)  # a deleted row frees the name
    model.objects.create(project=project, name="PLANS")


def _view(client, project, name):
    return lambda: client.post(views_url(project), {"name": name, "query": hogql("select 1 as x")})


def _table(client, project, name):
    file = SimpleUploadedFile("t.csv", b"a\n1\n")
    return lambda: client.post(
        tables_url(project), {"name": name, "format": "CSVWithNames", "file": file}, format="multipart"
    )


@pytest.mark.parametrize("kinds", [("view", "view"), ("view", "table"), ("table", "table")])
def test_parallel_claims_of_one_name_in_two_cases_let_exactly_one_through(client_with, project, kinds):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory shared-cache SQLite fails concurrent writers instead of serializing them")
    makers = {"view": _view, "table": _table}
    calls = [
        makers[kind](client_with("*"), project, name)
        for kind, name in zip(kinds, ("plans", "PLANS"), strict=True)
    ]
    responses = in_parallel(*calls)
    _assert_one_created_and_one_refused(responses)


@pytest.mark.parametrize("kinds", [("view", "table"), ("table", "view")])
def test_parallel_view_and_table_of_one_name_let_exactly_one_through(client_with, project, kinds):
    """A view's POST is an upsert of views only: losing the name to a table is the precise 400, not an update."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory shared-cache SQLite fails concurrent writers instead of serializing them")
    makers = {"view": _view, "table": _table}
    for round_ in range(3):
        calls = [makers[kind](client_with("*"), project, f"shared_{round_}") for kind in kinds]
        _assert_one_created_and_one_refused(in_parallel(*calls), live=round_ + 1)


def _assert_one_created_and_one_refused(responses, live: int = 1) -> None:
    assert sorted(r.status_code for r in responses) == [201, 400], [r.json() for r in responses]
    assert next(r for r in responses if r.status_code == 400).json() == {
        "type": "validation_error",
        "code": "invalid_input",
        "detail": "A table with this name already exists.",
        "attr": "name",
    }
    rows = [*SavedQuery.objects.filter(deleted=False), *WarehouseTable.objects.filter(deleted=False)]
    assert len(rows) == live


def test_migration_resolves_clashes_stored_before_it(project):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    View, Table = apps.get_model("warehouse", "SavedQuery"), apps.get_model("warehouse", "WarehouseTable")
    from django.utils import timezone

    now = timezone.now()
    at = lambda seconds: now + timezone.timedelta(seconds=seconds)  # noqa: E731
    Table.objects.create(project_id=project.pk, name="PERSONS", format="CSVWithNames", created_at=at(1))
    old_plans = Table.objects.create(
        project_id=project.pk, name="plans", format="CSVWithNames", created_at=at(2)
    )
    new_plans = Table.objects.create(
        project_id=project.pk, name="Plans", format="CSVWithNames", created_at=at(3)
    )
    by_day = Table.objects.create(
        project_id=project.pk, name="by_day", format="DeltaS3Wrapper", created_at=at(4)
    )
    View.objects.create(project_id=project.pk, name="Events", created_at=at(5))
    View.objects.create(project_id=project.pk, name="by_day", table_id=by_day.pk, created_at=at(6))
    View.objects.create(project_id=project.pk, name="BY_DAY", created_at=at(7))
    View.objects.create(project_id=project.pk, name="PLANS", created_at=at(8))
    View.objects.create(project_id=project.pk, name="PLANS_1", created_at=at(9))
    View.objects.create(project_id=project.pk, name="kept", created_at=at(10))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    live_tables = set(WarehouseTable.objects.filter(deleted=False).values_list("name", flat=True))
    assert live_tables == {"Plans", "by_day"}  # the newest of plans/Plans is what the engine holds
    assert (
        WarehouseTable.objects.get(pk=old_plans.pk).deleted
        and not WarehouseTable.objects.get(pk=new_plans.pk).deleted
    )
    views = dict(SavedQuery.objects.values_list("created_at", "name"))
    assert [views[at(n)] for n in range(5, 11)] == [
        "Events_1",
        "by_day",
        "BY_DAY_1",
        "PLANS_2",
        "PLANS_1",
        "kept",
    ]
