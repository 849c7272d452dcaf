"""What is DuckDB's own (the shared behaviour is in ../contract/): one file per project, DuckDB's types, connections
locked down even against SQL the compiler would never print, and messages without DuckDB's table qualification."""

import duckdb
import pytest
import sqlglot

from tests.warehouse.hogql_support import analyze
from warehouse.catalog import build_catalog
from warehouse.engine import EngineError, get_engine
from warehouse.engine.duckdb import DuckDBEngine
from warehouse.engine.duckdb.connection import message

pytestmark = pytest.mark.engines("duckdb", reason="DuckDB's files, connections and SQL")


@pytest.fixture(autouse=True)
def warehouse_dir(settings, tmp_path):
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS = 10
    settings.WAREHOUSE_LOCK_TIMEOUT_SECONDS = 2


@pytest.fixture
def engine() -> DuckDBEngine:
    engine = get_engine()
    assert isinstance(engine, DuckDBEngine)
    return engine


@pytest.fixture
def catalog(engine):
    catalog = build_catalog(11, views={"chrome": "select event, properties.$browser as browser from events"})
    with engine.connection(catalog, read_only=False) as conn:
        conn.execute(
            """
            INSERT INTO persons VALUES
              ('00000000-0000-0000-0000-000000000001', TIMESTAMP '2024-01-01', '{"email": "a@x.io"}', true),
              ('00000000-0000-0000-0000-000000000002', TIMESTAMP '2024-01-02', '{"email": "b@x.io"}', false)
            """
        )
        conn.execute(
            """
            INSERT INTO events (uuid, event, properties, timestamp, distinct_id, person_id, "$session_id")
            SELECT gen_random_uuid(), e, p, TIMESTAMP '2024-02-01' + INTERVAL (i) MINUTE, d, pid::UUID, 's1'
            FROM (VALUES
              (1, '$pageview', '{"$browser": "Chrome"}', 'd1', '00000000-0000-0000-0000-000000000001'),
              (2, '$pageview', '{"$browser": "Firefox"}', 'd2', '00000000-0000-0000-0000-000000000002'),
              (3, 'signup', '{"$browser": "Chrome", "plan": "pro"}', 'd1', '00000000-0000-0000-0000-000000000001')
            ) AS v(i, e, p, d, pid)
            """
        )
    return catalog


def _run(engine, catalog, sql, **kwargs):
    analyzed = analyze(sql, catalog)
    return engine.run_query(catalog, analyzed.tree, limit=kwargs.pop("limit", 100), **kwargs)


def test_first_use_creates_the_projects_file_with_empty_core_tables(engine, settings):
    catalog = build_catalog(12)
    result = _run(engine, catalog, "select count() as n from events")
    assert result.rows == [(0,)]
    assert (settings.WAREHOUSE_DIR / "project_12.duckdb").exists()


def test_run_query_returns_the_right_rows(engine, catalog):
    result = _run(
        engine,
        catalog,
        "select properties.$browser, person.properties.email, count() as n from events "
        "group by properties.$browser, person.properties.email order by n desc, `$browser`",
    )
    assert result.columns == ["$browser", "email", "n"]
    assert result.rows == [("Chrome", "a@x.io", 2), ("Firefox", "b@x.io", 1)]
    assert result.has_more is False


def test_views_run_inlined(engine, catalog):
    result = _run(
        engine, catalog, "select browser, count() as n from chrome where browser = 'Chrome' group by browser"
    )
    assert result.rows == [("Chrome", 2)]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "COPY (SELECT 1) TO '/tmp/phc-hogql-should-not-exist.csv'",
        "ATTACH '/tmp/phc-hogql-other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET memory_limit = '100GB'",
    ],
)
def test_external_access_is_off_on_the_connection_itself(engine, catalog, sql):
    """Defence in depth: raw SQL straight on the engine's own connection is refused by DuckDB."""
    with engine.connection(catalog, read_only=True) as conn:
        with pytest.raises(duckdb.Error):
            conn.execute(sql)


def test_create_or_replace_table_swaps_atomically_and_keeps_the_old_table_on_failure(engine, catalog):
    select_events = analyze("select event, distinct_id from events", catalog).tree
    assert engine.create_or_replace_table(catalog, "events_copy", select_events) == 3
    catalog.tables["events_copy"] = [
        c for c in catalog.tables["events"] if c.name in ("event", "distinct_id")
    ]
    assert _run(engine, catalog, "select count() as n from events_copy").rows == [(3,)]

    only_signups = analyze("select event, distinct_id from events where event = 'signup'", catalog).tree
    assert engine.create_or_replace_table(catalog, "events_copy", only_signups) == 1
    assert _run(engine, catalog, "select event from events_copy").rows == [("signup",)]

    with pytest.raises(EngineError):
        engine.create_or_replace_table(
            catalog, "events_copy", sqlglot.parse_one("SELECT error('boom') AS event")
        )
    assert _run(engine, catalog, "select event from events_copy").rows == [("signup",)]
    with engine.connection(catalog, read_only=True) as conn:
        names = [row[0] for row in conn.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    assert not [name for name in names if name.startswith("__build_")]

    engine.drop_table(catalog, "events_copy")
    with pytest.raises(EngineError):
        _run(engine, catalog, "select event from events_copy")


def test_plan_columns_is_engine_typed(engine, catalog):
    analyzed = analyze("select timestamp, count() as n from events group by timestamp", catalog)
    assert engine.plan_columns(catalog, analyzed.tree) == [("timestamp", "TIMESTAMP"), ("n", "BIGINT")]


def test_another_projects_database_is_not_attached(engine, catalog):
    """Hand-written engine SQL naming project 11's database cannot reach it from project 13's connection."""
    other = build_catalog(13)
    with pytest.raises(EngineError, match="project_11"):
        engine.run_query(other, sqlglot.parse_one('SELECT * FROM "project_11"."main"."events"'), limit=10)


def test_messages_drop_duckdbs_qualification_of_tables():
    raw = duckdb.BinderException(
        'Binder Error: Referenced column "x" not found in "project_3"."main"."events"\nLINE 1: SELECT x FROM ...'
    )
    assert message(raw) == 'Binder Error: Referenced column "x" not found in "events"'


def test_the_sql_analysis_printed_is_run_as_is_and_still_paged_and_limited(engine, catalog):
    analyzed = analyze("select event from events order by event", catalog)
    given = engine.run_query(catalog, analyzed.tree, limit=2, engine_sql=analyzed.engine_sql)
    assert given == engine.run_query(catalog, analyzed.tree, limit=2)  # printed again here: the same page
    assert given.rows == [("$pageview",), ("$pageview",)] and given.has_more
    with pytest.raises(EngineError, match="took longer than 0.2 seconds"):
        engine.run_query(
            catalog,
            analyzed.tree,
            limit=1,
            timeout_seconds=0.2,
            engine_sql="SELECT sum(a * b) FROM range(1000000) x(a), range(1000000) y(b)",
        )
