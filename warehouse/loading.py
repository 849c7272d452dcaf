"""Loading warehouse tables: an uploaded or local file, or objects in S3-compatible storage, into the engine.

The engine never reads a URL: S3 objects are downloaded here with boto3 (the client's credentials, size and count
limits, private hosts refused unless allowed), then handed to the engine's loader as local files.
"""

import fnmatch
import ipaddress
import re
import shutil
import socket
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from users.models import Project, User
from warehouse.engine import EngineBusyError, EngineError, get_engine
from warehouse.hogql.columns import stored_column
from warehouse.models import WarehouseCredential, WarehouseTable
from warehouse.selectors import catalog_for
from warehouse.services import NAME_TAKEN, claim_name

LOADABLE_FORMATS = ("CSV", "CSVWithNames", "Parquet", "JSONEachRow")
_AWS_HOST = re.compile(r"^(?P<bucket>.+)\.s3(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com$")


@dataclass(frozen=True)
class S3Source:
    url_pattern: str
    access_key: str
    access_secret: str


def warehouse_table_create(
    *,
    project: Project,
    user: User | None,
    name: str,
    file_format: str,
    upload: UploadedFile | None = None,
    local_path: Path | None = None,
    s3: S3Source | None = None,
) -> WarehouseTable:
    """Reserves the name, loads the rows into the engine, then records the detected columns and row count."""
    table = _reserve(project=project, user=user, name=name, file_format=file_format, s3=s3)
    try:
        with tempfile.TemporaryDirectory(prefix="warehouse-load-", dir=_scratch_dir()) as scratch:
            files = _fetch(upload=upload, local_path=local_path, s3=s3, into=Path(scratch))
            try:
                columns, rows = get_engine().load_files(
                    catalog_for(project=project), name, files, file_format
                )
            except EngineBusyError:
                raise
            except EngineError as err:
                message = str(err).replace(f"{scratch}/", "")
                raise ValidationError(
                    {"format": [f"Could not load the data as {file_format}: {message}"]}
                ) from err
    except BaseException:
        WarehouseTable.objects.filter(pk=table.pk).delete()
        WarehouseCredential.objects.filter(pk=table.credential_id).delete()
        raise
    table.columns = {column: stored_column(engine_type) for column, engine_type in columns}
    table.row_count = rows
    table.save(update_fields=["columns", "row_count"])
    return table


def warehouse_table_delete(*, project: Project, table_id: uuid.UUID) -> None:
    """Soft delete (the name is free again) and drop the engine's table once committed."""
    with transaction.atomic():
        table = WarehouseTable.objects.select_for_update().get(project=project, pk=table_id, deleted=False)
        table.deleted, table.deleted_at = True, timezone.now()
        table.save(update_fields=["deleted", "deleted_at"])
        transaction.on_commit(lambda: _drop(project=project, name=table.name))


def _drop(*, project: Project, name: str) -> None:
    from warehouse.materialization import drop_engine_table

    drop_engine_table(project=project, name=name)


def _reserve(
    *, project: Project, user: User | None, name: str, file_format: str, s3: S3Source | None
) -> WarehouseTable:
    creator = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            claim_name(project=project, name=name, kind="table")
            credential = None
            if s3 is not None:
                credential = WarehouseCredential.objects.create(
                    project=project,
                    access_key=s3.access_key,
                    access_secret=s3.access_secret,
                    created_by=creator,
                )
            return WarehouseTable.objects.create(
                project=project,
                name=name,
                format=file_format,
                url_pattern=s3.url_pattern if s3 is not None else "",
                credential=credential,
                created_by=creator,
            )
    except IntegrityError as err:
        raise ValidationError({"name": [NAME_TAKEN]}) from err


def _scratch_dir() -> str | None:
    directory = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
    return str(directory) if directory else None


def _fetch(
    *, upload: UploadedFile | None, local_path: Path | None, s3: S3Source | None, into: Path
) -> list[Path]:
    if upload is not None:
        return [_save_upload(upload, into)]
    if local_path is not None:
        return [local_path]
    if s3 is not None:
        return download_s3(s3, into=into)
    raise ValidationError({"file": ["Send a file (multipart) or a url_pattern with a credential."]})


def _save_upload(upload: UploadedFile, into: Path) -> Path:
    if upload.size is not None and upload.size > settings.WAREHOUSE_LOAD_MAX_BYTES:
        raise ValidationError(
            {"file": [f"The file is larger than {settings.WAREHOUSE_LOAD_MAX_BYTES} bytes."]}
        )
    target = into / (Path(upload.name or "upload").name or "upload")
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


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


def download_s3(source: S3Source, *, into: Path) -> list[Path]:
    """Downloads every object matching the pattern (`*` and `?` wildcards) within the count and size limits."""
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
    try:
        keys = _matching_keys(client, bucket, key_pattern)
        files = []
        for index, (key, _) in enumerate(keys):
            target = into / f"{index:05d}_{Path(key).name}"
            with target.open("wb") as out:
                shutil.copyfileobj(client.get_object(Bucket=bucket, Key=key)["Body"], out)
            files.append(target)
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "error")
        raise ValidationError({"url_pattern": [f"The storage refused the request ({code})."]}) from err
    except BotoCoreError as err:
        raise ValidationError(
            {"url_pattern": [f"Could not reach the storage: {type(err).__name__}."]}
        ) from err
    return files


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
