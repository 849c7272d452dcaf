"""Names that differ only in case (or hide a core name) never replace, drop or shadow a table, by any route.

DuckDB resolves `Events`, `EVENTS` and `events` to one table. Each test is an attack that replaced or dropped
data before names were compared by the engine's rules.
"""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from sqlglot import exp

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import run_query, tables_url
from warehouse.catalog import build_catalog
from warehouse.engine import EngineError, get_engine
from warehouse.models import SavedQuery, WarehouseTable

pytestmark = pytest.mark.django_db(transaction=True)
CSV = b"plan,price\nfree,0\npro,20\n"
NAME_TAKEN = "A table with this name already exists."
CORE_NAME = "is not a valid view name. View names cannot overlap with PostHog table names."


def upload(client, project, name: str, content: bytes = CSV):
    file = SimpleUploadedFile("data.csv", content)
    return client.post(
        tables_url(project), {"name": name, "format": "CSVWithNames", "file": file}, format="multipart"
    )


def counts(api, project) -> tuple[int, int]:
    events = run_query(api, project, "select count() from events").json()["results"][0][0]
    persons = run_query(api, project, "select count() from persons").json()["results"][0][0]
    return events, persons


@pytest.fixture
def seeded(api, project, seed):
    seed(project, events=200)
    return counts(api, project)


def _error(response) -> tuple[int, str | None, str]:
    body = response.json()
    return response.status_code, body.get("attr"), body.get("detail", "")


# --- saved queries ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["Events", "EVENTS", "Persons", "pErSoNs", "Person_Distinct_IDs", "NUMBERS", "System"]
)
def test_a_view_named_like_a_core_table_in_another_case_is_refused(api, project, seeded, name):
    response = api.post(views_url(project), {"name": name, "query": hogql("select 1 as x")})
    assert _error(response) == (400, "name", f"{name} {CORE_NAME}")
    assert counts(api, project) == seeded


@pytest.mark.parametrize(
    "name", ['"Events"', "`events`", "Еvents", "Ｅvents", "events\u200b", "events;", "persons\x00"]
)
def test_quoted_lookalike_and_invisible_character_names_are_refused(api, project, name):
    response = api.post(views_url(project), {"name": name, "query": hogql("select 1 as x")})
    status, attr, detail = _error(response)
    assert (status, attr) == (400, "name")
    assert "is not a valid view name" in detail or detail == "Null characters are not allowed."


@pytest.mark.parametrize("name", [" events", "events ", "\tEvents\n"])
def test_surrounding_whitespace_is_trimmed_so_the_core_name_is_refused(api, project, name):
    response = api.post(views_url(project), {"name": name, "query": hogql("select 1 as x")})
    status, attr, detail = _error(response)
    assert (status, attr) == (400, "name") and detail.endswith(CORE_NAME)


def test_a_view_may_not_take_a_loaded_tables_name_in_another_case(api, project):
    assert upload(api, project, "plans").status_code == 201
    response = api.post(views_url(project), {"name": "PLANS", "query": hogql("select 1 as x")})
    assert _error(response) == (400, "name", NAME_TAKEN)
    assert run_query(api, project, "select count() from plans").json()["results"] == [[2]]


def test_two_views_may_not_share_a_name_in_different_cases(api, project, create_view):
    create_view("plans", "select 1 as x")
    response = api.post(views_url(project), {"name": "Plans", "query": hogql("select 2 as x")})
    assert _error(response) == (400, "name", NAME_TAKEN)
    assert SavedQuery.objects.filter(project=project, deleted=False).count() == 1


def test_renaming_a_view_to_a_case_variant_of_a_taken_name_is_refused(api, project, seeded, create_view):
    assert upload(api, project, "plans").status_code == 201
    other = create_view("other", "select 1 as x")
    view = create_view("mine", "select 2 as x")
    for taken, message in [("EVENTS", f"EVENTS {CORE_NAME}"), ("Plans", NAME_TAKEN), ("OTHER", NAME_TAKEN)]:
        response = api.patch(views_url(project, view["id"]), {"name": taken}, format="json")
        assert _error(response) == (400, "name", message), taken
    assert api.get(views_url(project, view["id"])).json()["name"] == "mine"
    # A case-only rename of a view to its own name in another case is fine: nothing else has that name.
    renamed = api.patch(views_url(project, other["id"]), {"name": "Other"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Other"


def test_run_of_a_legacy_view_named_like_a_core_table_fails_and_keeps_the_core_table(api, project, seeded):
    """A view stored before the rule (or written around the API) still cannot replace `events`."""
    legacy = SavedQuery.objects.create(project=project, name="Events", query=hogql("select 1 as x"))
    response = api.post(views_url(project, legacy.pk, "run"))
    assert response.status_code == 200
    [run] = response.json()["runs"]
    assert run["status"] == "Failed" and "PostHog table" in run["error"]
    assert counts(api, project) == seeded


def test_revert_of_a_legacy_view_named_like_a_core_table_keeps_the_core_table(api, project, seeded):
    legacy = SavedQuery.objects.create(project=project, name="PERSONS", query=hogql("select 1 as x"))
    assert api.post(views_url(project, legacy.pk, "revert_materialization")).status_code == 200
    assert counts(api, project) == seeded


def test_revert_of_a_view_never_drops_a_loaded_table_of_the_same_name(api, project):
    """A view without a table of its own reverts without dropping the loaded table its name resolves to."""
    assert upload(api, project, "plans").status_code == 201
    legacy = SavedQuery.objects.create(project=project, name="PLANS", query=hogql("select 1 as x"))
    assert api.post(views_url(project, legacy.pk, "revert_materialization")).status_code == 200
    assert run_query(api, project, "select count() from plans").json()["results"] == [[2]]


def test_run_never_replaces_a_loaded_table_of_the_same_name(api, project):
    assert upload(api, project, "plans").status_code == 201
    legacy = SavedQuery.objects.create(project=project, name="Plans", query=hogql("select 1 as x"))
    [run] = api.post(views_url(project, legacy.pk, "run")).json()["runs"]
    assert run["status"] == "Failed" and run["error"] == NAME_TAKEN
    assert run_query(api, project, "select sum(price) from plans").json()["results"] == [[20]]


# --- warehouse tables -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["PERSONS", "Events", "Sessions", "GROUPS", "person_distinct_IDS"])
def test_an_upload_named_like_a_core_table_is_refused(api, project, seeded, name):
    response = upload(api, project, name)
    status, attr, detail = _error(response)
    assert (status, attr) == (400, "name")
    assert detail == f"{name} is not a valid table name. Table names cannot overlap with PostHog table names."
    assert counts(api, project) == seeded
    assert not WarehouseTable.objects.filter(project=project).exists()


def test_deleting_a_legacy_table_named_like_a_core_table_keeps_the_core_table(api, project, seeded):
    legacy = WarehouseTable.objects.create(project=project, name="PERSONS", format="CSVWithNames")
    assert api.delete(tables_url(project, legacy.pk)).status_code == 204
    assert counts(api, project) == seeded
    assert run_query(api, project, "select count(person.properties.email) from events").json()["results"] == [
        [seeded[0]]
    ]


def test_an_upload_may_not_take_a_tables_or_views_name_in_another_case(api, project, create_view):
    assert upload(api, project, "plans").status_code == 201
    create_view("by_plan", "select 1 as x")
    for name in ("PLANS", "Plans", "BY_PLAN"):
        assert _error(upload(api, project, name, b"a\n1\n")) == (400, "name", NAME_TAKEN), name
    assert run_query(api, project, "select sum(price) from plans").json()["results"] == [[20]]
    assert WarehouseTable.objects.filter(project=project, deleted=False).count() == 1


def test_deleting_a_table_drops_only_that_table(api, project, create_view):
    created = upload(api, project, "plans").json()
    assert api.delete(tables_url(project, created["id"])).status_code == 204
    with pytest.raises(EngineError):
        get_engine().describe_table(build_catalog(project.pk), "plans")
    assert upload(api, project, "PLANS").status_code == 201  # the name is free again, in any case


# --- the load command -------------------------------------------------------------------------------------------
def _load(path, project, *extra) -> str:
    out = StringIO()
    call_command("load_warehouse_table", str(path), "--project", str(project.pk), *extra, stdout=out)
    return out.getvalue()


def test_the_load_command_refuses_core_and_taken_names_in_any_case(
    api, project, seeded, tmp_path, create_view
):
    path = tmp_path / "plans.csv"
    path.write_bytes(CSV)
    for name in ("PERSONS", "Events", "persons\n"):
        with pytest.raises(CommandError, match="not a valid table name"):
            _load(path, project, "--name", name)
        with pytest.raises(CommandError, match="not a valid table name"):
            _load(path, project, "--name", name, "--replace")
    assert counts(api, project) == seeded
    create_view("by_plan", "select 1 as x")
    with pytest.raises(CommandError, match="already exists"):
        _load(path, project, "--name", "BY_PLAN", "--replace")
    _load(path, project, "--name", "plans")
    with pytest.raises(CommandError, match="already exists"):
        _load(path, project, "--name", "PLANS")
    path.write_bytes(b"plan,price\nfree,0\n")
    assert "Loaded 1 rows into PLANS" in _load(path, project, "--name", "PLANS", "--replace")
    assert list(
        WarehouseTable.objects.filter(project=project, deleted=False).values_list("name", flat=True)
    ) == ["PLANS"]
    assert run_query(api, project, "select count() from PLANS").json()["results"] == [[1]]


# --- the engine's own guard -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["EVENTS", "Persons", "sessions", "Groups", "Numbers"])
def test_the_engine_refuses_to_replace_or_drop_a_core_table_whatever_the_case(
    project, seeded, api, tmp_path, name
):
    engine, catalog = get_engine(), build_catalog(project.pk)
    path = tmp_path / "x.csv"
    path.write_bytes(CSV)
    with pytest.raises(EngineError, match="PostHog table"):
        engine.create_or_replace_table(catalog, name, exp.select("1 AS x"))
    with pytest.raises(EngineError, match="PostHog table"):
        engine.drop_table(catalog, name)
    with pytest.raises(EngineError, match="PostHog table"):
        engine.load_files(catalog, name, [path], "CSVWithNames")
    assert counts(api, project) == seeded


# --- rows written around the API (the admin, old data) ----------------------------------------------------------
def test_a_stray_row_named_like_a_core_table_never_shadows_it(api, project, seeded):
    SavedQuery.objects.create(project=project, name="Events", query=hogql("select 1 as x"))
    WarehouseTable.objects.create(project=project, name="Persons", format="CSVWithNames", row_count=1)
    response = run_query(api, project, "select * from Events")
    assert response.status_code == 400 and "Unknown table" in response.json()["detail"]
    assert run_query(api, project, "select * from Persons").status_code == 400
    assert counts(api, project) == seeded


@pytest.mark.parametrize("model", [SavedQuery, WarehouseTable])
def test_the_admins_validation_refuses_a_core_table_name_in_any_case(project, model):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="PostHog table"):
        model(project=project, name="pErSoNs").clean()
    model(project=project, name="persons_copy").clean()
    model(project=project, name="Events", deleted=True).clean()  # a deleted row holds no name
