"""The engine on a named cluster: the DDL it sends (ON CLUSTER, ReplicatedMergeTree), recorded by the stand-in
playing a one-host cluster over real HTTP, and that without a cluster nothing of it is sent.

No cluster runs here: the stand-in executes each statement without its ON CLUSTER and with MergeTree for
ReplicatedMergeTree (standin.py), so these tests show what is sent and that the operations still work; never that
ClickHouse Keeper, replication or distributed DDL accept it (docs/warehouse-clickhouse.md, "On a cluster")."""

import re
import uuid

import pytest
import sqlglot
from sqlglot import exp

from tests.warehouse.engine.clickhouse.conftest import STANDIN_PASSWORD, STANDIN_USER
from tests.warehouse.engine.clickhouse.standin import ClickHouseStandIn
from tests.warehouse.engine.clickhouse.support import embedded_path
from tests.warehouse.engine.clickhouse.test_engine import analyzed, write_people
from warehouse.catalog import Column, build_catalog
from warehouse.engine import get_engine
from warehouse.engine.clickhouse.server import ServerTransport

CLUSTER = "phc_test_cluster"
REPLICATED = "ReplicatedMergeTree('/clickhouse/tables/phc_warehouse/{uuid}', '{shard}-{replica}')"
# Tables and databases (users: test_project_users.py).
DDL = re.compile(r"^\s*(CREATE|DROP|RENAME|EXCHANGE|TRUNCATE|ALTER)\s+(?!USER\b)", re.IGNORECASE)


@pytest.fixture(scope="module")
def cluster_standin(embedded):
    server = ClickHouseStandIn(
        embedded.path, user=STANDIN_USER, password=STANDIN_PASSWORD, cluster=CLUSTER
    ).start()
    yield server
    server.stop()


def use_server(settings, tmp_path, url: str, cluster: str = "") -> str:
    settings.WAREHOUSE_ENGINE = "clickhouse"
    settings.WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.CLICKHOUSE_PATH = embedded_path()
    settings.CLICKHOUSE_URL = url
    settings.CLICKHOUSE_CLUSTER = cluster
    settings.CLICKHOUSE_DATABASE_PREFIX = prefix = f"c{uuid.uuid4().hex[:10]}_"
    return prefix


def every_operation(engine, tmp_path, project_id: int) -> None:
    """Create the project, seed it, materialize twice (RENAME, then EXCHANGE), load a file, drop, repair."""
    engine.seed_core_tables(project_id, events=60)
    catalog = build_catalog(project_id)
    tree = analyzed(engine, catalog, "select event, count() as n from events group by event").tree
    first = engine.create_or_replace_table(catalog, "per_event", tree)
    assert engine.create_or_replace_table(catalog, "per_event", tree) == first > 0
    engine.load_files(catalog, "people", [write_people(tmp_path, "CSVWithNames")], "CSVWithNames")
    engine.drop_table(catalog, "people")
    assert engine.repair_project(project_id) == []
    catalog.tables["per_event"] = [Column("event", "string"), Column("n", "integer")]
    total = analyzed(engine, catalog, "select sum(n) from per_event").tree
    assert engine.run_query(catalog, total, limit=1).rows == [(60,)]


def sent(standin: ClickHouseStandIn, prefix: str) -> list[str]:
    return [request["query"] for request in standin.requests if prefix in request["query"]]


def test_on_a_cluster_every_ddl_is_on_cluster_and_every_table_replicated(settings, tmp_path, cluster_standin):
    prefix = use_server(settings, tmp_path, cluster_standin.url_for())
    engine = get_engine()
    every_operation(engine, tmp_path, 51)
    statements = sent(cluster_standin, prefix)
    ddl = [sql for sql in statements if DDL.match(sql)]
    kinds = {sql.split()[0].upper() for sql in ddl}
    assert kinds == {"CREATE", "DROP", "RENAME", "EXCHANGE", "TRUNCATE"}
    assert all(f" ON CLUSTER `{CLUSTER}`" in sql for sql in ddl), [s for s in ddl if "ON CLUSTER" not in s]
    creates = [sql for sql in ddl if sql.startswith("CREATE TABLE")]
    assert len(creates) >= 5 + 3  # the core tables, two builds, a load
    assert all(f"ENGINE = {REPLICATED}" in sql and " AS SELECT" not in sql for sql in creates)
    assert "MergeTree" not in " ".join(sql.replace(REPLICATED, "") for sql in creates).replace(
        "ReplicatedMergeTree", ""
    )
    # A build fills its empty scratch table on one host (replication copies the rows), never on every host.
    builds = [
        sql
        for sql in statements
        if sql.startswith("INSERT INTO") and "`.`__build_" in sql and " SELECT " in sql
    ]
    assert len(builds) == 2 and not [sql for sql in builds if "ON CLUSTER" in sql]


def test_the_cluster_ddl_parses_as_clickhouse_sql(settings, tmp_path, cluster_standin):
    prefix = use_server(settings, tmp_path, cluster_standin.url_for())
    every_operation(get_engine(), tmp_path, 52)
    for sql in sent(cluster_standin, prefix):
        if not DDL.match(sql):
            continue
        if sql.startswith(("RENAME", "EXCHANGE")):  # sqlglot does not model these: checked by their shape
            table = r"`[^`]+`\.`[^`]+`"
            assert re.fullmatch(
                rf"(RENAME TABLE {table} TO|EXCHANGE TABLES {table} AND) {table} ON CLUSTER `\w+`", sql
            )
            continue
        tree = sqlglot.parse_one(sql, read="clickhouse")
        assert not isinstance(tree, exp.Command), sql
        assert tree.find(exp.OnCluster) is not None, sql
        if isinstance(tree, exp.Create) and tree.kind == "TABLE":
            engine = tree.find(exp.EngineProperty)
            assert engine is not None and engine.sql(dialect="clickhouse") == f"ENGINE={REPLICATED}"


def test_the_cluster_can_be_named_by_setting(settings, tmp_path, cluster_standin):
    plain_url = cluster_standin.url_for().split("/?")[0]
    prefix = use_server(settings, tmp_path, plain_url, cluster=CLUSTER)
    get_engine().seed_core_tables(53, events=10)
    ddl = [sql for sql in sent(cluster_standin, prefix) if DDL.match(sql)]
    assert ddl and all(f" ON CLUSTER `{CLUSTER}`" in sql for sql in ddl)
    from warehouse.engine.clickhouse.connection import transport

    assert transport().kill("phc-nothing-running") is False
    assert cluster_standin.requests[-1]["query"].startswith(f"KILL QUERY ON CLUSTER `{CLUSTER}` WHERE")
    named_in_url = ServerTransport.from_url(cluster_standin.url_for(), cluster="another")
    assert named_in_url.cluster == CLUSTER  # the URL's option wins over CLICKHOUSE_CLUSTER


def test_without_a_cluster_nothing_of_it_is_sent(settings, tmp_path, standin):
    prefix = use_server(settings, tmp_path, standin.url_for())
    every_operation(get_engine(), tmp_path, 54)
    statements = sent(standin, prefix)
    assert not [sql for sql in statements if "ON CLUSTER" in sql or "Replicated" in sql]
    creates = [sql for sql in statements if sql.startswith("CREATE TABLE")]
    assert creates and all("ENGINE = MergeTree" in sql for sql in creates)
    assert len([sql for sql in creates if " AS SELECT " in sql]) == 2  # a build is one CREATE ... AS SELECT
