"""Management commands: seed_warehouse (idempotent unless --force) and load_warehouse_table."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.warehouse.engine_support import run_query
from warehouse.management.commands.seed_warehouse import existing_events
from warehouse.models import WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_fills_the_core_tables_once_unless_forced(api, project):
    assert "2000 events" in _call("seed_warehouse", "--project", str(project.pk), "--events", "2000")
    assert existing_events(project.pk) == 2000
    assert "nothing to do" in _call("seed_warehouse", "--project", str(project.pk), "--events", "500")
    assert existing_events(project.pk) == 2000
    _call("seed_warehouse", "--project", str(project.pk), "--events", "500", "--force")
    assert existing_events(project.pk) == 500
    for table in ("persons", "sessions", "groups", "person_distinct_ids"):
        assert run_query(api, project, f"select count() from {table}").json()["results"][0][0] > 0, table
    joined = run_query(api, project, "select count() from events where person.properties.email like 'user%'")
    assert joined.json()["results"] == [[500]]


def test_seed_is_deterministic_for_a_seed(api, project):
    sql = "select event, count() from events group by event order by event"
    _call("seed_warehouse", "--project", str(project.pk), "--events", "300", "--seed", "7")
    first = run_query(api, project, sql).json()["results"]
    _call("seed_warehouse", "--project", str(project.pk), "--events", "300", "--seed", "7", "--force")
    assert run_query(api, project, sql).json()["results"] == first


def test_seed_without_a_project_uses_the_demo_project(db):
    assert "events" in _call("seed_warehouse", "--events", "100")


def test_load_a_local_file(api, project, tmp_path):
    path = tmp_path / "plans.csv"
    path.write_text("plan,price\nfree,0\npro,20\n")
    assert "Loaded 2 rows into plans" in _call(
        "load_warehouse_table", str(path), "--project", str(project.pk), "--name", "plans"
    )
    assert WarehouseTable.objects.get(project=project, name="plans").row_count == 2
    assert run_query(api, project, "select sum(price) from plans").json()["results"] == [[20]]
    with pytest.raises(CommandError, match="already exists"):
        _call("load_warehouse_table", str(path), "--project", str(project.pk), "--name", "plans")
    path.write_text("plan,price\nfree,0\n")
    _call("load_warehouse_table", str(path), "--project", str(project.pk), "--name", "plans", "--replace")
    assert run_query(api, project, "select count() from plans").json()["results"] == [[1]]
    with pytest.raises(CommandError, match="not a valid table name|not a valid view name"):
        _call("load_warehouse_table", str(path), "--project", str(project.pk), "--name", "events")
