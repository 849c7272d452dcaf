"""Contract: a project's queries reach its own tables only, and no files, network or server state, on every engine."""

import pytest
import sqlglot

from tests.warehouse.engine.contract.conftest import OTHER_PROJECT, select_all
from tests.warehouse.engine.contract.engines import ATTACKS
from warehouse.catalog import build_catalog
from warehouse.engine import ENGINES, EngineError


def test_a_project_sees_only_its_own_tables(engine, catalog, run):
    other = build_catalog(OTHER_PROJECT)
    assert engine.run_query(other, select_all(engine, OTHER_PROJECT, "events"), limit=10).rows == []
    assert "people" not in engine.inspect_project(OTHER_PROJECT).tables


def test_another_projects_table_is_unreachable_even_when_named(engine, catalog):
    """Hand-built SQL naming project PROJECT's table, run for OTHER_PROJECT, fails in the engine itself."""
    other = build_catalog(OTHER_PROJECT)
    with pytest.raises(EngineError):
        engine.run_query(other, select_all(engine, catalog.project_id, "people"), limit=10)


@pytest.mark.parametrize(
    ("engine_name", "sql"), [(name, sql) for name in sorted(ENGINES) for sql in ATTACKS.get(name, [])]
)
def test_files_network_and_server_state_are_refused_by_the_engine(engine, catalog, engine_name, sql):
    if engine.name != engine_name:
        pytest.skip(f"an attack on {engine_name}")
    with pytest.raises(EngineError):
        engine.run_query(catalog, sqlglot.parse_one(sql, read=engine.name), limit=10)


def test_every_engine_lists_its_attacks():
    assert set(ATTACKS) == set(ENGINES), "add the engine's own file/network/settings attacks to ATTACKS"
