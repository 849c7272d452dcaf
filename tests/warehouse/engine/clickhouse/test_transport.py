"""Both ClickHouse transports, the same tests: embedded chdb directly, and the server transport over real HTTP
(against the stand-in, or the server named by CLICKHOUSE_URL)."""

import datetime
import importlib
import sys
import threading
import time
from decimal import Decimal
from uuid import UUID

import pytest

from warehouse.engine.clickhouse.embedded import EmbeddedTransport
from warehouse.engine.clickhouse.server import ServerAddress, ServerTransport
from warehouse.engine.clickhouse.transport import ClickHouseAuthError, ClickHouseError, ClickHouseUnreachable

LONG_QUERY = "SELECT count() FROM numbers(1000000000000)"


def test_rows_come_back_as_python_values_with_clickhouse_types(transport, database):
    transport.command(
        f"CREATE TABLE {database}.t (id UInt64, name String, at DateTime64(3, 'UTC'), amount Decimal(10, 2), "
        f"tags Array(String), props Map(String, String), maybe Nullable(Int32), uid UUID) "
        f"ENGINE = MergeTree ORDER BY id"
    )
    transport.insert_data(
        f"{database}.t",
        b'{"id":1,"name":"ann","at":"2024-05-01 10:00:00.250","amount":"12.50","tags":["a","b"],'
        b'"props":{"k":"v"},"maybe":null,"uid":"00000000-0000-0000-0000-000000000001"}\n',
        fmt="JSONEachRow",
    )

    result = transport.execute(f"SELECT * FROM {database}.t")

    assert result.columns == ["id", "name", "at", "amount", "tags", "props", "maybe", "uid"]
    assert result.types == [
        "UInt64",
        "String",
        "DateTime64(3, 'UTC')",
        "Decimal(10, 2)",
        "Array(String)",
        "Map(String, String)",
        "Nullable(Int32)",
        "UUID",
    ]
    (row,) = result.rows
    assert row[:2] == (1, "ann")
    assert row[2].replace(tzinfo=None) == datetime.datetime(2024, 5, 1, 10, 0, 0, 250000)
    assert row[3:] == (Decimal("12.50"), ["a", "b"], {"k": "v"}, None, UUID(int=1))


def test_describe_a_query_types_it_without_running_it(transport):
    started = time.monotonic()
    result = transport.execute(
        f"DESCRIBE TABLE ({LONG_QUERY.replace('count()', 'count() AS n, toString(1) AS s')})"
    )
    assert [row[:2] for row in result.rows] == [("n", "UInt64"), ("s", "String")]
    assert time.monotonic() - started < 5


def test_raw_output_in_a_clickhouse_format(transport):
    output = transport.execute_raw("SELECT number AS n FROM numbers(2)", fmt="JSONEachRow")
    assert output == b'{"n":0}\n{"n":1}\n'


@pytest.mark.parametrize(
    ("sql", "settings", "code"),
    [
        ("SELECT number FROM numbers(100)", {"max_result_rows": 10, "result_overflow_mode": "throw"}, 396),
        ("SELECT repeat('x', 1000) FROM numbers(100)", {"max_result_bytes": 1000}, 396),
        ("SELECT groupArray(number) FROM numbers(10000000)", {"max_memory_usage": 1_000_000}, 241),
        (LONG_QUERY, {"max_execution_time": 0.3}, 159),
        ("CREATE DATABASE must_not_exist", {"readonly": 1}, 164),
    ],
    ids=["max_result_rows", "max_result_bytes", "max_memory_usage", "max_execution_time", "readonly"],
)
def test_statement_settings_are_enforced_by_clickhouse(transport, sql, settings, code):
    with pytest.raises(ClickHouseError) as raised:
        transport.execute(sql, settings=settings)
    assert raised.value.code == code
    assert f"Code: {code}." in str(raised.value)


def test_readonly_on_one_statement_does_not_stick_to_later_ones(transport, database):
    with pytest.raises(ClickHouseError):
        transport.command(f"CREATE TABLE {database}.t (x Int8) ENGINE = Memory", settings={"readonly": 1})
    for _ in range(3):  # whichever pooled connection the next calls get
        transport.command(f"CREATE TABLE IF NOT EXISTS {database}.t (x Int8) ENGINE = Memory")
        assert transport.execute("SELECT 1", settings={"max_result_rows": 5}).rows == [(1,)]


def test_kill_stops_the_running_statement_with_that_query_id(transport):
    failures: list[ClickHouseError] = []

    def run() -> None:
        try:
            transport.execute(LONG_QUERY, settings={"max_execution_time": 20}, query_id="test-kill-1")
        except ClickHouseError as err:
            failures.append(err)

    runner = threading.Thread(target=run)
    started = time.monotonic()
    runner.start()
    killed = False
    while not killed and time.monotonic() - started < 10:
        time.sleep(0.1)
        killed = transport.kill("test-kill-1")
    runner.join(timeout=20)

    assert killed
    assert [err.code for err in failures] == [394]  # QUERY_WAS_CANCELLED
    assert time.monotonic() - started < 10
    assert transport.kill("test-kill-1") is False


def test_a_short_statement_runs_while_a_long_one_is_running(transport):
    runner = threading.Thread(
        target=lambda: pytest.raises(
            ClickHouseError, transport.execute, LONG_QUERY, settings={"max_execution_time": 1}
        )
    )
    runner.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert transport.execute("SELECT 1").rows == [(1,)]
    assert time.monotonic() - started < 1
    runner.join()


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.execute("SELECT 1", query_id="x'; DROP DATABASE system; --"),
        lambda t: t.kill("x' OR 1 = 1 OR '"),
        lambda t: t.execute("SELECT 1", settings={"max_threads = 1, readonly": 0}),
    ],
    ids=["query_id", "kill", "setting_name"],
)
def test_query_ids_and_setting_names_are_checked_before_they_reach_sql(transport, call):
    with pytest.raises(ValueError):
        call(transport)


def test_wrong_password_is_a_clear_error_naming_server_and_user_not_password(server_url, standin):
    if server_url != standin.url_for():
        pytest.skip(
            "the stand-in's user is known; a real server's wrong password is tested the same way below"
        )
    transport = ServerTransport.from_url(standin.url_for(password="wrong-password"))
    with pytest.raises(ClickHouseAuthError) as raised:
        transport.execute("SELECT 1")
    message = str(raised.value)
    assert raised.value.code == 516
    assert f"{standin.url} as {standin.user} refused the credentials" in message
    assert "wrong-password" not in message


def test_an_unreachable_server_is_a_clear_error(unused_port):
    pytest.importorskip("clickhouse_connect", reason="the optional 'clickhouse' extra is not installed")
    transport = ServerTransport.from_url(f"http://u:p@127.0.0.1:{unused_port}", connect_timeout=2)
    with pytest.raises(
        ClickHouseUnreachable, match=rf"127.0.0.1:{unused_port} as u could not be reached: .*refused"
    ):
        transport.execute("SELECT 1")


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_stand_in_received_settings_and_query_id_as_clickhouse_does(standin):
    transport = ServerTransport.from_url(standin.url_for())
    transport.execute("SELECT 42", settings={"max_result_rows": 7}, query_id="seen-1")
    (request,) = [r for r in standin.requests if r.get("query_id") == "seen-1"]
    assert request["query"].startswith("SELECT 42")
    assert request["max_result_rows"] == "7"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost", ServerAddress("localhost", 8123, False, "default", "")),
        ("https://ch.example.com", ServerAddress("ch.example.com", 8443, True, "default", "")),
        (
            "https://app:p%40ss@ch:9443/?database_prefix=phc_&cluster=posthog",
            ServerAddress("ch", 9443, True, "app", "p@ss", "phc_", "posthog"),
        ),
    ],
)
def test_server_address_from_url(url, expected):
    assert ServerAddress.from_url(url) == expected


@pytest.mark.parametrize("url", ["clickhouse://h:9000", "http://", "http://h/?databse_prefix=x"])
def test_a_malformed_url_is_refused(url):
    with pytest.raises(ValueError, match="CLICKHOUSE_URL"):
        ServerAddress.from_url(url)


def test_a_second_embedded_directory_in_one_process_is_refused(embedded, tmp_path):
    with pytest.raises(ClickHouseError, match="one data directory per process"):
        EmbeddedTransport(tmp_path)
    assert EmbeddedTransport(embedded.path).execute("SELECT 1").rows == [(1,)]  # the same one is shared


@pytest.mark.parametrize("library", ["chdb", "clickhouse_connect"])
def test_without_the_extra_the_modules_import_and_a_transport_names_the_extra(monkeypatch, tmp_path, library):
    monkeypatch.setitem(sys.modules, library, None)  # `import <library>` now raises ImportError
    for module in ("transport", "embedded", "server"):
        monkeypatch.delitem(sys.modules, f"warehouse.engine.clickhouse.{module}")
    embedded = importlib.import_module("warehouse.engine.clickhouse.embedded")
    server = importlib.import_module("warehouse.engine.clickhouse.server")
    transport = importlib.import_module("warehouse.engine.clickhouse.transport")

    with pytest.raises(transport.ClickHouseNotInstalled, match=r"pip install '\.\[clickhouse\]'"):
        embedded.EmbeddedTransport(tmp_path)
    if library == "clickhouse_connect":
        with pytest.raises(transport.ClickHouseNotInstalled, match="clickhouse-connect is missing"):
            server.ServerTransport.from_url("http://localhost")
