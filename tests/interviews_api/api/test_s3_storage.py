"""The whole create / download / delete path against a local S3-compatible server (moto's server mode)."""

import socket

import boto3
import pytest
from moto.server import ThreadedMotoServer

from interviews_api.models import UserInterview
from tests.interviews_api.api.conftest import INTERVIEW_VTT, upload, url

pytestmark = pytest.mark.django_db(transaction=True)
BUCKET = "recordings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def s3(settings):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=endpoint, **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "location": "data",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    server.stop()


def test_recordings_live_in_s3_and_stream_back_out(api, project, s3):
    recording = INTERVIEW_VTT.read_bytes()

    body = upload(api, project, INTERVIEW_VTT).json()

    assert body["status"] == "completed" and "Ada Lovelace" in body["transcript"]
    key = f"data/{UserInterview.objects.get().recording.name}"
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == recording

    whole = api.get(body["audio"])
    assert b"".join(whole.streaming_content) == recording
    part = api.get(body["audio"], HTTP_RANGE="bytes=10-29")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == recording[10:30]

    assert (
        api.post(url(project, body["id"], "transcribe")).json()["status"] == "completed"
    )  # copied to a temp file

    assert api.delete(url(project, body["id"])).status_code == 204
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
