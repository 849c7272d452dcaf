"""Fixtures of the engine contract: `engine` is each registered engine on a private, empty warehouse."""

import csv
import json

import duckdb
import pytest
from sqlglot import exp

from tests.warehouse.engine.contract.engines import set_up
from warehouse.catalog import Column, build_catalog
from warehouse.engine import ENGINES, get_engine
from warehouse.hogql import analyze_view

PROJECT = 21
OTHER_PROJECT = 22
PEOPLE = [("ann", 31, "Paris"), ("bob", 25, "Berlin"), ("cid", 40, "Paris"), ("dee", 19, "Rome")]
PEOPLE_COLUMNS = [Column("name", "string"), Column("age", "integer"), Column("city", "string")]


@pytest.fixture(params=sorted(ENGINES))
def engine(request, settings, tmp_path):
    settings.WAREHOUSE_ENGINE = request.param
    settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS = 10
    settings.WAREHOUSE_LOCK_TIMEOUT_SECONDS = 5
    set_up(request.param, settings, tmp_path)
    return get_engine()


@pytest.fixture
def files(tmp_path):
    """files(format) -> the PEOPLE rows written in that format (CSV, CSVWithNames, Parquet, JSONEachRow)."""
    folder = tmp_path / "files"
    folder.mkdir()

    def write(file_format: str):
        path = folder / f"people.{file_format.lower()}"
        if file_format in ("CSV", "CSVWithNames"):
            with path.open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["name", "age", "city"])
                writer.writerows(PEOPLE)
        elif file_format == "JSONEachRow":
            path.write_text(
                "".join(
                    json.dumps(dict(zip(("name", "age", "city"), row, strict=True))) + "\n" for row in PEOPLE
                )
            )
        else:  # Parquet, written with the duckdb library as a file tool (not the engine under test)
            values = ", ".join(f"('{name}', {age}, '{city}')" for name, age, city in PEOPLE)
            duckdb.sql(
                f"COPY (SELECT * FROM (VALUES {values}) AS t(name, age, city)) TO '{path}' (FORMAT parquet)"
            )
        return path

    return write


@pytest.fixture
def catalog(engine, files):
    """Project PROJECT's catalog, with a `people` table loaded from a CSV file."""
    catalog = build_catalog(PROJECT, warehouse_tables={"people": PEOPLE_COLUMNS})
    engine.load_files(catalog, "people", [files("CSVWithNames")], "CSVWithNames")
    return catalog


@pytest.fixture
def tree(engine, catalog):
    """tree(hogql) -> the canonical tree of a HogQL query on the catalog, compiled for the engine."""
    return lambda sql: analyze_view(sql, catalog, engine).tree


@pytest.fixture
def run(engine, catalog, tree):
    """run(hogql, **kwargs) -> the engine's QueryResult."""

    def run_(sql: str, **kwargs):
        return engine.run_query(catalog, tree(sql), limit=kwargs.pop("limit", 100), **kwargs)

    return run_


# A query that runs for minutes unless stopped (10^12 rows, no memory), in HogQL so that every engine gets it.
SLOW = (
    "select sum(a * b) from (select arrayJoin(range(1000000)) as a) x "
    "cross join (select arrayJoin(range(1000000)) as b) y"
)


def select_all(engine, project_id: int, name: str) -> exp.Select:
    """`SELECT * FROM <the engine's name of a project's table>`, built without the compiler."""
    return exp.select("*").from_(engine.table(project_id, name))
