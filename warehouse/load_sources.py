"""Where a load's data comes from, staged as local files within its bounds: an upload, a local file, S3 objects.

The engine never reads a URL: S3 objects are listed and downloaded here with boto3 (the client's credentials,
size and count limits, private hosts refused unless allowed). Compressed input is expanded here, never by the
engine, and counted as it expands: WAREHOUSE_LOAD_MAX_BYTES bounds the data a load brings in, however small
the file that carried it.
"""

import fnmatch
import gzip
import ipaddress
import re
import shutil
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from rest_framework.exceptions import ValidationError

_AWS_HOST = re.compile(r"^(?P<bucket>.+)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class S3Source:
    url_pattern: str
    access_key: str
    access_secret: str


def save_upload(upload: UploadedFile, into: Path) -> Path:
    """The uploaded file, written under `into` (at most WAREHOUSE_LOAD_MAX_BYTES)."""
    limit = int(settings.WAREHOUSE_LOAD_MAX_BYTES)
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"file": [f"The file is larger than {limit} bytes (WAREHOUSE_LOAD_MAX_BYTES)."]}
        )
    into.mkdir(parents=True, exist_ok=True)
    target = into / "upload"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


def is_compressed(path: Path) -> bool:
    with path.open("rb") as head:
        magic = head.read(4)
    return magic.startswith(GZIP_MAGIC) or magic == ZSTD_MAGIC


def expand(sources: Sequence[Path], *, into: Path, attr: str = "file") -> list[Path]:
    """Files the engine reads as they are: gzip input decompressed under `into`, all of it counted against
    WAREHOUSE_LOAD_MAX_BYTES as it is written, so a small archive cannot expand into a huge load."""
    limit = int(settings.WAREHOUSE_LOAD_MAX_BYTES)
    budget = limit
    files = []
    for index, source in enumerate(sources):
        with source.open("rb") as head:
            magic = head.read(4)
        if magic == ZSTD_MAGIC:
            raise ValidationError(
                {attr: ["zstd-compressed data is not supported; send it plain or gzip-compressed."]}
            )
        if magic.startswith(GZIP_MAGIC):
            target = into / f"expanded_{index:05d}"
            budget -= _gunzip(source, target, budget=budget, limit=limit, attr=attr)
            files.append(target)
        else:
            budget -= source.stat().st_size
            files.append(source)
        if budget < 0:
            raise ValidationError({attr: [_too_large(limit)]})
    return files


def _gunzip(source: Path, target: Path, *, budget: int, limit: int, attr: str) -> int:
    written = 0
    try:
        with gzip.open(source, "rb") as compressed, target.open("wb") as out:
            while chunk := compressed.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise ValidationError({attr: [_too_large(limit)]})
                out.write(chunk)
    except (OSError, EOFError) as err:
        raise ValidationError({attr: ["The gzip data is damaged or incomplete."]}) from err
    return written


def _too_large(limit: int) -> str:
    return f"The data is larger than {limit} bytes once decompressed (WAREHOUSE_LOAD_MAX_BYTES)."


# --- S3-compatible storage --------------------------------------------------------------------------------------
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
    raise ValidationError(
        {
            "url_pattern": [
                "Expected s3://bucket/key, https://bucket.s3.amazonaws.com/key or https://host/bucket/key."
            ]
        }
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
        raise ValidationError({"url_pattern": [f"The storage refused the request ({code})."]}) from err
    except BotoCoreError as err:
        raise ValidationError(
            {"url_pattern": [f"Could not reach the storage: {type(err).__name__}."]}
        ) from err


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
                raise ValidationError(
                    {"url_pattern": ["The pattern matches more data than one table may load at once."]}
                )
    if not found:
        raise ValidationError({"url_pattern": ["No objects match this URL pattern."]})
    return found


def _refuse_private_host(endpoint: str) -> None:
    if settings.WAREHOUSE_S3_ALLOW_PRIVATE_HOSTS:
        return
    host = urlsplit(endpoint).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as err:
        raise ValidationError({"url_pattern": [f"Could not resolve the host {host}."]}) from err
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise ValidationError({"url_pattern": [f"The host {host} is not a public address."]})
