"""Contract: materializing (atomic replace), loading, dropping, describing and repairing, for every engine."""

import threading

import pytest

from tests.warehouse.engine.contract.conftest import PEOPLE, SLOW
from warehouse.catalog import Column, build_catalog
from warehouse.engine import EngineError, LoadTooLargeError, QueryCancelledError
from warehouse.hogql import analyze_view


def test_create_or_replace_table_writes_then_replaces(engine, catalog, tree, run):
    assert (
        engine.create_or_replace_table(
            catalog, "parisians", tree("select name from people where city = 'Paris'")
        )
        == 2
    )
    catalog.tables["parisians"] = [Column("name", "string")]
    assert run("select name from parisians order by name").rows == [("ann",), ("cid",)]

    assert (
        engine.create_or_replace_table(catalog, "parisians", tree("select name from people where age > 35"))
        == 1
    )
    assert run("select name from parisians").rows == [("cid",)]


def test_a_failed_build_keeps_the_old_table(engine, catalog, tree, run):
    engine.create_or_replace_table(catalog, "kept", tree("select name from people"))
    catalog.tables["kept"] = [Column("name", "string")]
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(QueryCancelledError):
        engine.create_or_replace_table(catalog, "kept", tree(SLOW), should_cancel=cancel.is_set)
    assert run("select count() from kept").rows == [(4,)]


@pytest.mark.parametrize("core", ["events", "persons", "EVENTS"])
def test_core_tables_are_never_replaced_or_dropped(engine, catalog, tree, core):
    with pytest.raises(EngineError, match="PostHog table"):
        engine.create_or_replace_table(catalog, core, tree("select name from people"))
    with pytest.raises(EngineError, match="PostHog table"):
        engine.drop_table(catalog, core)


def test_describe_and_drop(engine, catalog, tree):
    engine.create_or_replace_table(catalog, "ages", tree("select name, age from people"))
    described = engine.describe_table(catalog, "ages")
    assert [name for name, _ in described] == ["name", "age"]
    assert [engine.stored_column(kind)["hogql"] for _, kind in described] == [
        "StringDatabaseField",
        "IntegerDatabaseField",
    ]
    engine.drop_table(catalog, "ages")
    assert "ages" not in engine.inspect_project(catalog.project_id).tables
    engine.drop_table(catalog, "ages")  # dropping what is gone is fine


@pytest.mark.parametrize("file_format", ["CSV", "CSVWithNames", "Parquet", "JSONEachRow"])
def test_load_files_in_each_format(engine, catalog, files, run, file_format):
    columns, rows = engine.load_files(catalog, "loaded", [files(file_format)], file_format)
    assert rows == len(PEOPLE)
    assert [name for name, _ in columns] == ["name", "age", "city"]
    catalog.tables["loaded"] = [Column("name", "string"), Column("age", "integer"), Column("city", "string")]
    assert run("select sum(age) from loaded").rows == [(sum(age for _, age, _ in PEOPLE),)]


def test_a_load_past_max_rows_is_refused_and_changes_nothing(engine, catalog, files, run):
    with pytest.raises(LoadTooLargeError):
        engine.load_files(catalog, "people", [files("CSVWithNames")], "CSVWithNames", max_rows=2)
    assert run("select count() from people").rows == [(4,)]


def test_an_unknown_format_is_refused(engine, catalog, files):
    with pytest.raises(EngineError, match="Unsupported format"):
        engine.load_files(catalog, "people", [files("CSV")], "XML")


def test_inspect_and_repair_a_project(engine):
    project_id = 31
    assert engine.inspect_project(project_id).exists is False
    assert engine.repair_project(project_id)  # created, with one line saying so
    inspection = engine.inspect_project(project_id)
    assert inspection.exists and not inspection.core_table_problems
    assert {"events", "persons", "sessions", "groups", "person_distinct_ids"} <= set(inspection.tables)
    assert engine.repair_project(project_id) == []  # nothing left to do


def test_seeded_core_tables_are_queryable(engine):
    counts = engine.seed_core_tables(32, events=200)
    assert counts.events == 200 and counts.persons == 10
    catalog = build_catalog(32)
    result = engine.run_query(
        catalog, analyze_view("select count() from events", catalog, engine).tree, limit=1
    )
    assert result.rows == [(200,)]


def test_properties_and_person_fields_read_json_and_join_persons(engine):
    engine.seed_core_tables(33, events=200)
    catalog = build_catalog(33)
    sql = (
        "select countIf(properties.$browser in ('Chrome', 'Safari', 'Firefox', 'Edge', 'Opera')) as known, "
        "countIf(person.properties.email like 'user%@example.com') as with_person, count() as n from events"
    )
    result = engine.run_query(catalog, analyze_view(sql, catalog, engine).tree, limit=1)
    assert result.rows == [(200, 200, 200)]
