"""Staging a load's data as local files within its bounds: an upload saved, compressed input expanded.

Compressed input is expanded here, never by the engine, and counted as it expands: WAREHOUSE_LOAD_MAX_BYTES bounds
the data a load brings in, however small the file that carried it.
"""

import gzip
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from core.errors import InvalidInput

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
CHUNK = 1024 * 1024


def save_upload(upload: UploadedFile, into: Path) -> Path:
    """The uploaded file, written under `into` (at most WAREHOUSE_LOAD_MAX_BYTES)."""
    limit = int(settings.WAREHOUSE_LOAD_MAX_BYTES)
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(f"The file is larger than {limit} bytes (WAREHOUSE_LOAD_MAX_BYTES).", attr="file")
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
            raise InvalidInput(
                "zstd-compressed data is not supported; send it plain or gzip-compressed.", attr=attr
            )
        if magic.startswith(GZIP_MAGIC):
            target = into / f"expanded_{index:05d}"
            budget -= _gunzip(source, target, budget=budget, limit=limit, attr=attr)
            files.append(target)
        else:
            budget -= source.stat().st_size
            files.append(source)
        if budget < 0:
            raise InvalidInput(_too_large(limit), attr=attr)
    return files


def _gunzip(source: Path, target: Path, *, budget: int, limit: int, attr: str) -> int:
    written = 0
    try:
        with gzip.open(source, "rb") as compressed, target.open("wb") as out:
            while chunk := compressed.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise InvalidInput(_too_large(limit), attr=attr)
                out.write(chunk)
    except (OSError, EOFError) as err:
        raise InvalidInput("The gzip data is damaged or incomplete.", attr=attr) from err
    return written


def _too_large(limit: int) -> str:
    return f"The data is larger than {limit} bytes once decompressed (WAREHOUSE_LOAD_MAX_BYTES)."
