"""Recordings: an upload inspected, byte ranges streamed out of any Django storage, a local path for processing."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile

from interviews_api.processing import RecordingInfo, inspect_recording
from jobs.processes import temp_prefix

CHUNK_SIZE = 256 * 1024


@dataclass(frozen=True)
class UploadedRecording:
    """An uploaded recording (or transcript) with what it contains: what the services store."""

    file: UploadedFile
    info: RecordingInfo


def inspect_upload(upload: UploadedFile) -> UploadedRecording:
    """The upload with what it contains; raises UnsupportedRecording naming what was detected."""
    with uploaded_path(upload) as path:
        return UploadedRecording(file=upload, info=inspect_recording(path))


def storage() -> Storage:
    return default_storage


def iter_range(name: str, start: int, end: int) -> Iterator[bytes]:
    """Bytes `start..end` (inclusive) of a stored file, a chunk at a time (never the whole file in memory)."""
    backend = storage()
    if _is_s3(backend):
        # S3: ask for just the range; django-storages' own file object would download the whole object first.
        yield from _iter_s3_range(backend, name, start, end)
        return
    with backend.open(name, "rb") as handle:
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def _is_s3(backend: Storage) -> bool:
    return hasattr(backend, "bucket") and hasattr(backend, "_normalize_name")


def _s3_key(backend, name: str) -> str:
    from storages.utils import clean_name

    return backend._normalize_name(clean_name(name))


def _iter_s3_range(backend, name: str, start: int, end: int) -> Iterator[bytes]:
    body = backend.bucket.Object(_s3_key(backend, name)).get(Range=f"bytes={start}-{end}")["Body"]
    try:
        yield from body.iter_chunks(CHUNK_SIZE)
    finally:
        body.close()


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A filesystem path holding the stored file: the file itself when storage is local, else a temporary copy."""
    backend = storage()
    try:
        path = Path(backend.path(name))
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    suffix = PurePosixPath(name).suffix
    with tempfile.NamedTemporaryFile(
        prefix=temp_prefix("recording"), suffix=suffix, dir=settings.FILE_UPLOAD_TEMP_DIR
    ) as copy:
        if _is_s3(backend):
            bucket = backend.bucket  # type: ignore[attr-defined]  # django-storages' S3Storage (checked above)
            bucket.Object(_s3_key(backend, name)).download_fileobj(copy)
        else:
            with backend.open(name, "rb") as source:
                shutil.copyfileobj(source, copy, CHUNK_SIZE)
        copy.flush()
        yield Path(copy.name)


@contextmanager
def uploaded_path(upload: UploadedFile) -> Iterator[Path]:
    """The path of an upload spooled to disk (as our upload handlers do), or of a temporary copy of it."""
    temporary_path = getattr(upload, "temporary_file_path", None)
    if temporary_path is not None:
        yield Path(temporary_path())
        return
    with tempfile.NamedTemporaryFile(
        prefix=temp_prefix("upload"),
        suffix=PurePosixPath(upload.name or "").suffix[:12],
        dir=settings.FILE_UPLOAD_TEMP_DIR,
    ) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        yield Path(copy.name)


def delete(name: str) -> None:
    if name:
        storage().delete(name)
