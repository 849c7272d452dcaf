"""Tables loaded from an S3-compatible URL pattern (a real moto server over HTTP on 127.0.0.1)."""

import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.warehouse.engine_support import run_query, tables_url
from warehouse.models import WarehouseCredential

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "exports"
KEYS = {"access_key": "AKIAEXAMPLE", "access_secret": "s3cr3t-value"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )
    client.create_bucket(Bucket=BUCKET)
    for day in (1, 2, 3):
        client.put_object(
            Bucket=BUCKET, Key=f"orders/2024-01-0{day}.csv", Body=f"day,total\n{day},{day * 10}\n"
        )
    client.put_object(Bucket=BUCKET, Key="orders/README.txt", Body=b"not data")
    client.put_object(Bucket=BUCKET, Key="events/part-0.jsonl", Body=b'{"e": "a"}\n{"e": "b"}\n')
    yield endpoint
    server.stop()


@pytest.fixture
def allow_local(settings):
    settings.WAREHOUSE_S3_ALLOW_PRIVATE_HOSTS = True


def _create(api, project, name, url, file_format="CSVWithNames", credential=KEYS):
    body = {"name": name, "format": file_format, "url_pattern": url, "credential": credential}
    return api.post(tables_url(project), body, format="json")


def test_a_url_pattern_loads_every_matching_object(api, project, s3_endpoint, allow_local):
    response = _create(api, project, "orders", f"{s3_endpoint}/{BUCKET}/orders/*.csv")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["row_count"] == 3 and body["url_pattern"].endswith("/orders/*.csv")
    assert {c["name"]: c["type"] for c in body["columns"]} == {"day": "integer", "total": "integer"}
    assert set(body["credential"]) == {"id", "created_by", "created_at"}  # key and secret are write-only
    assert WarehouseCredential.objects.get(pk=body["credential"]["id"]).access_secret == KEYS["access_secret"]
    assert run_query(api, project, "select sum(total) from orders").json()["results"] == [[60]]


def test_a_single_object_and_json_lines(api, project, s3_endpoint, allow_local):
    response = _create(
        api, project, "raw_events", f"{s3_endpoint}/{BUCKET}/events/part-0.jsonl", "JSONEachRow"
    )
    assert response.status_code == 201 and response.json()["row_count"] == 2


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("orders/*.parquet", "No objects match this URL pattern."),
        ("missing/x.csv", "No objects match this URL pattern."),
    ],
)
def test_nothing_to_load_is_a_400(api, project, s3_endpoint, allow_local, path, message):
    response = _create(api, project, "t", f"{s3_endpoint}/{BUCKET}/{path}")
    assert response.status_code == 400 and response.json()["detail"] == message
    assert response.json()["attr"] == "url_pattern"


def test_a_missing_bucket_and_limits_are_400s(api, project, s3_endpoint, allow_local, settings):
    response = _create(api, project, "t", f"{s3_endpoint}/no-such-bucket/x.csv")
    assert response.status_code == 400 and "NoSuchBucket" in response.json()["detail"]
    settings.WAREHOUSE_LOAD_MAX_FILES = 2
    response = _create(api, project, "t", f"{s3_endpoint}/{BUCKET}/orders/*.csv")
    assert response.status_code == 400 and "more data than one table" in response.json()["detail"]
    assert api.get(tables_url(project)).json()["count"] == 0


def test_private_hosts_are_refused_unless_allowed(api, project, s3_endpoint):
    response = _create(api, project, "t", f"{s3_endpoint}/{BUCKET}/orders/*.csv")
    assert response.status_code == 400
    assert response.json()["detail"] == "The host 127.0.0.1 is not a public address."


def test_unparseable_urls_are_400s(api, project):
    response = _create(api, project, "t", "ftp://example.com/x.csv")
    assert response.status_code == 400 and response.json()["attr"] == "url_pattern"
