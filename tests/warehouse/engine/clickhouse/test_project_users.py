"""Isolation in depth on a server: a project's /query/ and typing statements run as a ClickHouse user granted only
SELECT on its database, when the configured user may create users; else (or with CLICKHOUSE_PROJECT_USERS=off) as
the configured user, as before.

chdb has no access control (CREATE USER and GRANT are refused with ACCESS_DENIED, as on a server whose user lacks
access management): over the stand-in these tests show the statements sent, the logins used and the fallback, never
that ClickHouse enforces the grants. That is test_a_project_user_reads_only_its_database, run only when
CLICKHOUSE_URL names a real server whose user may create users."""

import logging
import os

import pytest

from tests.warehouse.engine.clickhouse.conftest import STANDIN_PASSWORD, STANDIN_USER
from tests.warehouse.engine.clickhouse.standin import ClickHouseStandIn
from tests.warehouse.engine.clickhouse.test_cluster import use_server
from tests.warehouse.engine.clickhouse.test_engine import analyzed
from warehouse.catalog import build_catalog
from warehouse.engine import get_engine
from warehouse.engine.clickhouse import project_users
from warehouse.engine.clickhouse.transport import ClickHouseError


@pytest.fixture(scope="module")
def managed(embedded):
    """A stand-in whose configured user may create users."""
    server = ClickHouseStandIn(
        embedded.path, user=STANDIN_USER, password=STANDIN_PASSWORD, access_management=True
    ).start()
    yield server
    server.stop()


@pytest.fixture
def refusing(embedded):
    """A stand-in (fresh per test, so nothing is remembered) whose user may not: chdb's own ACCESS_DENIED."""
    server = ClickHouseStandIn(embedded.path, user=STANDIN_USER, password=STANDIN_PASSWORD).start()
    yield server
    server.stop()


def query_twice(project_id: int) -> None:
    engine = get_engine()
    engine.seed_core_tables(project_id, events=30)
    catalog = build_catalog(project_id)
    tree = analyzed(engine, catalog, "select event, count() as n from events group by event").tree
    assert engine.plan_columns(catalog, tree) == [("event", "String"), ("n", "UInt64")]
    for _ in range(2):
        result = engine.run_query(catalog, tree, limit=100)
        assert sum(row[1] for row in result.rows) == 30


def sent(standin: ClickHouseStandIn, prefix: str) -> list[dict]:
    return [request for request in standin.requests if prefix in request["query"]]


def is_query(request: dict) -> bool:
    return request["query"].startswith(("SELECT * FROM (", "DESCRIBE TABLE ("))


def test_queries_run_as_the_projects_own_user(settings, tmp_path, managed):
    prefix = use_server(settings, tmp_path, managed.url_for())
    query_twice(61)
    query_twice(62)
    requests = sent(managed, prefix)
    for project_id in (61, 62):
        user, database = f"{prefix}project_{project_id}_reader", f"{prefix}project_{project_id}"
        secret = project_users.password(user)
        setup = [
            r
            for r in requests
            if r["query"].startswith(("CREATE USER", "ALTER USER", "GRANT")) and user in r["query"]
        ]
        assert [r["query"].split(" BY ")[0] for r in setup] == [
            f"CREATE USER IF NOT EXISTS `{user}` IDENTIFIED WITH sha256_password",
            f"ALTER USER `{user}` IDENTIFIED WITH sha256_password",
            f"GRANT SELECT ON `{database}`.* TO `{user}`",
        ]  # once per process, though the project queried twice
        assert setup[1]["query"].endswith(f"DEFAULT DATABASE `{database}` SETTINGS readonly = 2")
        assert all(r["user"] == STANDIN_USER for r in setup)
        assert managed.users[user] == secret and len(secret) == 64
        queries = [
            r
            for r in requests
            if is_query(r) and f"`{database}`" not in r["query"] and f'"{database}"' in r["query"]
        ]
        planned = [
            r for r in managed.requests if r["query"].startswith("DESCRIBE TABLE (") and r["user"] == user
        ]
        assert len(queries) == 2 and len(planned) == 1
        assert all(r["user"] == user and "readonly = 1" not in r["query"] for r in queries + planned)
    # Everything else (creating the database and tables, seeding) stays with the configured user.
    assert all(r["user"] == STANDIN_USER for r in requests if not is_query(r))
    assert project_users.password("a") != project_users.password("b")


def test_on_a_cluster_the_user_is_made_on_every_host(settings, tmp_path, embedded):
    standin = ClickHouseStandIn(
        embedded.path, user=STANDIN_USER, password=STANDIN_PASSWORD, cluster="phc_c", access_management=True
    ).start()
    try:
        prefix = use_server(settings, tmp_path, standin.url_for())
        query_twice(69)
    finally:
        standin.stop()
    user, database = f"`{prefix}project_69_reader`", f"`{prefix}project_69`"
    setup = [
        r["query"].split(" BY ")[0] for r in standin.requests if "USER" in r["query"] or "GRANT" in r["query"]
    ]
    assert setup == [
        f"CREATE USER IF NOT EXISTS {user} ON CLUSTER `phc_c` IDENTIFIED WITH sha256_password",
        f"ALTER USER {user} ON CLUSTER `phc_c` IDENTIFIED WITH sha256_password",
        f"GRANT ON CLUSTER `phc_c` SELECT ON {database}.* TO {user}",
    ]
    assert standin.users[user.strip("`")] == project_users.password(user.strip("`"))


def test_without_the_privilege_queries_run_as_the_configured_user(settings, tmp_path, refusing, caplog):
    prefix = use_server(settings, tmp_path, refusing.url_for())
    with caplog.at_level(logging.WARNING, logger="warehouse.engine.clickhouse.project_users"):
        query_twice(63)
        query_twice(64)
    requests = refusing.requests  # this test's own stand-in
    probes = [r for r in requests if r["query"].startswith("CREATE USER")]
    assert len(probes) == 1  # refused once (chdb: ACCESS_DENIED), remembered for every project
    assert not [r for r in requests if r["query"].startswith(("ALTER USER", "GRANT"))]
    queries = [r for r in requests if is_query(r)]
    assert len(queries) == 6
    assert all(r["user"] == STANDIN_USER and "readonly = 1" in r["query"] for r in queries)
    assert len(caplog.records) == 1 and "may not create users" in caplog.text
    assert project_users.password(f"{prefix}project_63_reader") not in caplog.text


def test_off_never_tries(settings, tmp_path, refusing):
    prefix = use_server(settings, tmp_path, refusing.url_for())
    settings.CLICKHOUSE_PROJECT_USERS = "off"
    query_twice(65)
    assert not [r for r in sent(refusing, prefix) if "USER" in r["query"]]


def test_the_embedded_engine_has_no_users(settings, tmp_path):
    use_server(settings, tmp_path, "")
    runner, own_user = project_users.query_transport(66)
    assert runner.kind == "embedded" and own_user is False


@pytest.mark.skipif(
    not os.environ.get("CLICKHOUSE_URL"), reason="chdb has no access control: needs a real server"
)
def test_a_project_user_reads_only_its_database(settings, tmp_path):
    use_server(settings, tmp_path, os.environ["CLICKHOUSE_URL"])
    query_twice(67)
    get_engine().seed_core_tables(68, events=5)
    runner, own_user = project_users.query_transport(67)
    if not own_user:
        pytest.skip("the configured user may not create users")
    other = f"{settings.CLICKHOUSE_DATABASE_PREFIX}project_68"
    for refused in (
        f"SELECT count() FROM `{other}`.`events`",
        "SELECT * FROM file('/etc/passwd', 'LineAsString')",
        f"INSERT INTO `{settings.CLICKHOUSE_DATABASE_PREFIX}project_67`.`events` (event) VALUES ('x')",
        "SET readonly = 0",
    ):
        with pytest.raises(ClickHouseError):
            runner.command(refused)
