"""A project whose core tables are missing or damaged is repaired when its warehouse is opened, and
`manage.py check_warehouse` reports every project's state (exit code 1 while problems remain)."""

from io import StringIO

import duckdb
import pytest
from django.core.management import CommandError, call_command

from tests.warehouse.conftest import hogql
from tests.warehouse.engine_support import run_query
from users.models import Project
from warehouse.engine import get_engine
from warehouse.models import SavedQuery, WarehouseTable

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.engines("duckdb", reason="DuckDB project files damaged behind the engine's back"),
]


def _damage(project, *statements: str) -> None:
    """What the old bugs did to a project's file: written behind the engine's back, as another process would."""
    conn = duckdb.connect(str(get_engine().path(project.pk)))
    try:
        for statement in statements:
            conn.execute(statement.replace("DB", f'"project_{project.pk}".main'))
    finally:
        conn.close()


def _tables(project) -> dict[str, int]:
    conn = duckdb.connect(str(get_engine().path(project.pk)), read_only=True)
    try:
        names = [row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()


PERSONS_REPLACED = (
    "DROP TABLE DB.persons",
    'CREATE TABLE DB."PERSONS" (plan VARCHAR, price BIGINT)',
    "INSERT INTO DB.\"PERSONS\" VALUES ('pro', 20)",
)


def test_a_replaced_persons_table_is_repaired_when_the_warehouse_is_opened(api, project, seed):
    seed(project, events=100)
    _damage(project, *PERSONS_REPLACED, "DROP TABLE DB.sessions")
    response = run_query(api, project, "select count(person.properties.email) from events")
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [[0]]  # persons is back, empty: the seeded people were gone already
    assert run_query(api, project, "select count() from sessions").json()["results"] == [[0]]
    tables = _tables(project)
    aside = [name for name in tables if name.startswith("__damaged_persons_")]
    assert len(aside) == 1 and tables[aside[0]] == 1  # the rows that replaced persons are kept aside
    assert tables["persons"] == 0 and tables["events"] == 100
    assert get_engine().inspect_project(project.pk).core_table_problems == []


def test_a_core_table_with_a_renamed_column_is_damaged_and_repaired(api, project, seed):
    seed(project, events=50)
    _damage(project, "ALTER TABLE DB.groups RENAME COLUMN key TO group_key")
    problems = get_engine().inspect_project(project.pk).core_table_problems
    assert problems == ["groups: damaged (missing columns key)"]
    assert run_query(api, project, "select count(key) from groups").json()["results"] == [[0]]


def _check(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("check_warehouse", *args, stdout=out)
    except CommandError as err:
        return err.returncode, out.getvalue() + str(err)
    return 0, out.getvalue()


def test_check_warehouse_reports_each_project_and_repairs_with_repair(api, project, seed, organization):
    fresh = Project.objects.create(organization=organization, name="Fresh")
    seed(project, events=50)
    _damage(project, *PERSONS_REPLACED, "ALTER TABLE DB.events ALTER COLUMN timestamp TYPE VARCHAR")
    SavedQuery.objects.create(project=project, name="Events", query=hogql("select 1 as x"))
    WarehouseTable.objects.create(project=project, name="plans", format="CSVWithNames", row_count=2)

    code, out = _check()
    assert code == 1, out
    assert f"project {fresh.pk} (Fresh):\n  no warehouse file yet" in out
    assert (
        "PROBLEM: core table persons: damaged (missing columns id, created_at, properties, is_identified)"
        in out
    )
    assert "PROBLEM: core table events: damaged (timestamp is VARCHAR, expected TIMESTAMP)" in out
    assert "PROBLEM: name clash: view Events renamed to Events_1" in out
    assert "PROBLEM: table plans is registered but missing from the engine (load it again)" in out
    assert "4 problem(s) remain (--repair fixes what it can)" in out
    assert (
        "PERSONS" in _tables(project) and SavedQuery.objects.filter(name="Events").exists()
    )  # nothing changed

    code, out = _check("--repair", "--project", str(project.pk))
    assert code == 1, out  # the lost table cannot be repaired: only reported
    assert "repaired: persons: damaged table kept as __damaged_persons_" in out
    assert "repaired: events: damaged table kept as __damaged_events_" in out
    assert "repaired: name clash: view Events renamed to Events_1" in out
    assert "PROBLEM: table plans" in out and "1 problem(s) remain" in out and "Fresh" not in out
    assert SavedQuery.objects.get(project=project).name == "Events_1"
    assert run_query(api, project, "select count(person.properties.email) from events").json()["results"] == [
        [0]
    ]

    WarehouseTable.objects.filter(name="plans").delete()
    code, out = _check()
    assert code == 0, out
    assert f"project {project.pk} (Main): ok" in out and "No problems found." in out


def test_check_warehouse_names_an_unknown_project(db):
    with pytest.raises(CommandError, match="No project 999"):
        call_command("check_warehouse", "--project", "999", stdout=StringIO())
