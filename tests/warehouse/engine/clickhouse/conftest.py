"""ClickHouse fixtures: the embedded transport, the HTTP stand-in, and a server transport (a real one when
CLICKHOUSE_URL is set). Tests using them are skipped when the optional `clickhouse` extra is not installed."""

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.warehouse.engine.clickhouse.standin import ClickHouseStandIn
from tests.warehouse.engine.clickhouse.support import embedded_path
from warehouse.engine.clickhouse.embedded import EmbeddedTransport
from warehouse.engine.clickhouse.server import ServerTransport
from warehouse.engine.clickhouse.transport import Transport

STANDIN_USER, STANDIN_PASSWORD = "warehouse", "s3cret pass"


@pytest.fixture(scope="session")
def embedded() -> Iterator[EmbeddedTransport]:
    for library in ("chdb", "clickhouse_connect"):
        pytest.importorskip(library, reason="the optional 'clickhouse' extra is not installed")
    transport = EmbeddedTransport(embedded_path())
    yield transport
    transport.close()


@pytest.fixture(scope="session")
def standin(embedded) -> Iterator[ClickHouseStandIn]:
    server = ClickHouseStandIn(embedded.path, user=STANDIN_USER, password=STANDIN_PASSWORD).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def server_url(standin) -> str:
    """CLICKHOUSE_URL when set (the same tests then run against that real server), else the stand-in."""
    return os.environ.get("CLICKHOUSE_URL") or standin.url_for()


@pytest.fixture(scope="session")
def server(server_url) -> Iterator[ServerTransport]:
    pytest.importorskip("clickhouse_connect", reason="the optional 'clickhouse' extra is not installed")
    transport = ServerTransport.from_url(server_url)
    yield transport
    transport.close()


@pytest.fixture(params=["embedded", "server"])
def transport(request) -> Transport:
    return request.getfixturevalue(request.param)


@pytest.fixture
def database(transport) -> Iterator[str]:
    """A fresh database for one test, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    transport.command(f"CREATE DATABASE {name}")
    yield name
    transport.command(f"DROP DATABASE IF EXISTS {name} SYNC")
