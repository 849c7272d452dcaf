"""`load_warehouse_table --replace` is atomic: the old table and its row stay exactly as they were until the new data
is fully loaded, then both switch (same row, new columns and row count)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.warehouse.engine_support import run_query, tables_url
from warehouse.models import LoadStatus, WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)

ROW_FIELDS = ("id", "name", "format", "columns", "row_count", "deleted", "status", "created_at")


def _load(project, path, *extra) -> str:
    out = StringIO()
    call_command(
        "load_warehouse_table", str(path), "--project", str(project.pk), "--name", "plans", *extra, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def plans(api, project, tmp_path):
    """A loaded table `plans` (2 rows) and a snapshot of its row."""
    path = tmp_path / "plans.csv"
    path.write_text("plan,price\nfree,0\npro,20\n")
    _load(project, path)
    assert run_query(api, project, "select sum(price) from plans").json()["results"] == [[20]]
    return WarehouseTable.objects.filter(project=project, name="plans").values(*ROW_FIELDS).get()


def _row(project):
    return WarehouseTable.objects.filter(project=project, name__iexact="plans").values(*ROW_FIELDS).get()


def _assert_unchanged(api, project, before):
    assert _row(project) == before
    assert WarehouseTable.objects.filter(project=project).count() == 1  # nothing deleted, nothing added
    assert run_query(api, project, "select plan, price from plans order by price").json()["results"] == [
        ["free", 0],
        ["pro", 20],
    ]
    listed = api.get(tables_url(project)).json()["results"]
    assert [table["name"] for table in listed] == ["plans"]


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (b"\x00\x01 not parquet at all", ("--format", "Parquet"), "Could not load the data as Parquet"),
        (b"not json\n", ("--format", "JSONEachRow"), "Could not load the data as JSONEachRow"),
    ],
    ids=["broken-parquet", "wrong-format"],
)
def test_a_failed_replace_leaves_the_old_table_and_row(
    api, project, plans, tmp_path, content, extra, message
):
    broken = tmp_path / "broken.bin"
    broken.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _load(project, broken, "--replace", *extra)
    _assert_unchanged(api, project, plans)


def test_a_replace_over_the_row_limit_leaves_the_old_table(api, project, plans, tmp_path, settings):
    settings.WAREHOUSE_LOAD_MAX_ROWS = 3
    bigger = tmp_path / "bigger.csv"
    bigger.write_text("plan,price\n" + "".join(f"p{i},{i}\n" for i in range(10)))
    with pytest.raises(CommandError, match="more than 3 rows"):
        _load(project, bigger, "--replace")
    _assert_unchanged(api, project, plans)


def test_a_successful_replace_switches_the_same_row_and_the_data(api, project, plans, tmp_path):
    newer = tmp_path / "newer.jsonl"
    newer.write_text('{"plan": "team", "seats": 5, "price": 99}\n' * 3)
    assert "Loaded 3 rows into plans (3 columns)" in _load(project, newer, "--replace")
    after = _row(project)
    assert (
        after["id"] == plans["id"] and after["created_at"] == plans["created_at"]
    )  # switched, not re-created
    assert (after["row_count"], after["format"]) == (3, "JSONEachRow")
    assert set(after["columns"]) == {"plan", "seats", "price"}
    assert after["status"] == LoadStatus.COMPLETED and not after["deleted"]
    assert WarehouseTable.objects.filter(project=project).count() == 1
    result = run_query(api, project, "select sum(seats), sum(price) from plans").json()
    assert result["results"] == [[15, 297]]


def test_replace_in_another_case_renames_the_same_table(api, project, plans, tmp_path):
    newer = tmp_path / "newer.csv"
    newer.write_text("plan,price\nteam,99\n")
    out = StringIO()
    call_command(
        "load_warehouse_table",
        str(newer),
        "--project",
        str(project.pk),
        "--name",
        "PLANS",
        "--replace",
        stdout=out,
    )
    after = WarehouseTable.objects.get(project=project, deleted=False)
    assert (after.pk, after.name, after.row_count) == (plans["id"], "PLANS", 1)
    assert run_query(api, project, "select price from PLANS").json()["results"] == [[99]]


def test_a_replace_while_another_holds_the_table_is_refused(api, project, plans, tmp_path):
    WarehouseTable.objects.filter(pk=plans["id"]).update(load_heartbeat_at=timezone.now())
    held = _row(project)
    newer = tmp_path / "newer.csv"
    newer.write_text("plan,price\nteam,99\n")
    with pytest.raises(CommandError, match="being loaded by another process"):
        _load(project, newer, "--replace")
    assert _row(project) == held
    # A holder that stopped renewing (its process died) is taken over after the lease.
    stale = timezone.now() - timedelta(hours=1)
    WarehouseTable.objects.filter(pk=plans["id"]).update(load_heartbeat_at=stale)
    assert "Loaded 1 rows into plans" in _load(project, newer, "--replace")
    assert run_query(api, project, "select price from plans").json()["results"] == [[99]]
    assert WarehouseTable.objects.get(pk=plans["id"]).load_heartbeat_at is None


def test_a_deleted_table_is_loaded_anew_by_replace(api, project, plans, tmp_path):
    assert api.delete(tables_url(project, plans["id"])).status_code == 204
    newer = tmp_path / "newer.csv"
    newer.write_text("plan,price\nteam,99\n")
    _load(project, newer, "--replace")
    live = WarehouseTable.objects.get(project=project, deleted=False)
    assert live.pk != plans["id"] and live.row_count == 1
    assert WarehouseTable.objects.get(pk=plans["id"]).deleted  # the old row stays soft-deleted
