"""S3-compatible storage as a load's source: the URL pattern parsed, private hosts refused (unless allowed), the
matching objects listed and downloaded with boto3 within the count and size limits. The engine never reads a URL.
"""

import fnmatch
import ipaddress
import re
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from core.errors import InvalidInput

_AWS_HOST = re.compile(r"^(?P<bucket>.+)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")


@dataclass(frozen=True)
class S3Source:
    url_pattern: str
    access_key: str
    access_secret: str


def parse_s3_url(url_pattern: str) -> tuple[str | None, str, str, str | None]:
    """(endpoint URL or None for AWS, bucket, key pattern, region) of `s3://b/k`, AWS https or path-style URLs."""
    parts = urlsplit(url_pattern.strip())
    path = parts.path.lstrip("/")
    if parts.scheme == "s3" and parts.netloc and path:
        return settings.WAREHOUSE_S3_ENDPOINT_URL, parts.netloc, path, None
    if parts.scheme in ("http", "https") and parts.hostname:
        aws = _AWS_HOST.match(parts.hostname)
        if aws and path:
            return None, aws["bucket"], path, aws["region"]
        bucket, _, key = path.partition("/")
        if bucket and key:
            return f"{parts.scheme}://{parts.netloc}", bucket, key, None
    raise InvalidInput(
        "Expected s3://bucket/key, https://bucket.s3.amazonaws.com/key or https://host/bucket/key.",
        attr="url_pattern",
    )


def check_s3(source: S3Source) -> None:
    """In the request: the URL parses, the host is public, and objects match within the count and size limits."""
    with _s3_errors():
        _matching_keys(*_client_and_pattern(source))


def download_s3(source: S3Source, *, into: Path) -> list[Path]:
    """Downloads every object matching the pattern (`*` and `?` wildcards) within the count and size limits."""
    client, bucket, key_pattern = _client_and_pattern(source)
    with _s3_errors():
        keys = _matching_keys(client, bucket, key_pattern)
        files = []
        for index, (key, _) in enumerate(keys):
            target = into / f"{index:05d}_{Path(key).name}"
            with target.open("wb") as out:
                shutil.copyfileobj(client.get_object(Bucket=bucket, Key=key)["Body"], out)
            files.append(target)
    return files


def _client_and_pattern(source: S3Source):
    endpoint, bucket, key_pattern, region = parse_s3_url(source.url_pattern)
    if endpoint is not None:
        _refuse_private_host(endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=region or "us-east-1",
        aws_access_key_id=source.access_key,
        aws_secret_access_key=source.access_secret,
        config=Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 2}),
    )
    return client, bucket, key_pattern


@contextmanager
def _s3_errors() -> Iterator[None]:
    try:
        yield
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "error")
        raise InvalidInput(f"The storage refused the request ({code}).", attr="url_pattern") from err
    except BotoCoreError as err:
        raise InvalidInput(f"Could not reach the storage: {type(err).__name__}.", attr="url_pattern") from err


def _matching_keys(client, bucket: str, key_pattern: str) -> list[tuple[str, int]]:
    wildcard = re.search(r"[*?\[]", key_pattern)
    prefix = key_pattern[: wildcard.start()] if wildcard else key_pattern
    found: list[tuple[str, int]] = []
    total = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            key = item["Key"]
            if key.endswith("/") or not (
                fnmatch.fnmatchcase(key, key_pattern) if wildcard else key == key_pattern
            ):
                continue
            total += int(item.get("Size", 0))
            found.append((key, int(item.get("Size", 0))))
            if len(found) > settings.WAREHOUSE_LOAD_MAX_FILES or total > settings.WAREHOUSE_LOAD_MAX_BYTES:
                raise InvalidInput(
                    "The pattern matches more data than one table may load at once.", attr="url_pattern"
                )
    if not found:
        raise InvalidInput("No objects match this URL pattern.", attr="url_pattern")
    return found


def _refuse_private_host(endpoint: str) -> None:
    if settings.WAREHOUSE_S3_ALLOW_PRIVATE_HOSTS:
        return
    host = urlsplit(endpoint).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as err:
        raise InvalidInput(f"Could not resolve the host {host}.", attr="url_pattern") from err
    for address in addresses:
        ip = ipaddress.ip_address(str(address).split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise InvalidInput(f"The host {host} is not a public address.", attr="url_pattern")
