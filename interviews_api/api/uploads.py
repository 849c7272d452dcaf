"""Upload limits: refuse an oversized body early by its Content-Length, and count bytes while streaming to disk."""

import os
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpRequest

from api.exceptions import PayloadTooLarge
from jobs.processes import temp_prefix


def max_upload_bytes() -> int:
    return settings.INTERVIEW_MAX_UPLOAD_BYTES


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The recording is larger than the limit of {limit} bytes.")


def check_content_length(request: HttpRequest) -> None:
    """413 before reading anything when the declared body cannot fit.

    A multipart body may carry one recording up to the limit plus the small form fields around it (bounded by
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE); other bodies (JSON) are only small fields.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    is_multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
    fields_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    limit = max_upload_bytes() + fields_limit if is_multipart else fields_limit
    if limit and length > limit:
        raise too_large(max_upload_bytes() if is_multipart else limit)


class MaxSizeUploadHandler(FileUploadHandler):
    """Stops the upload as soon as a file passes the limit, whatever the body's framing (chunked included)."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise too_large(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class TaggedTemporaryUploadedFile(TemporaryUploadedFile):
    """Django's spooled upload, named after the receiving process so the sweep can remove it if that dies."""

    def __init__(self, name, content_type, size, charset, content_type_extra=None) -> None:
        extension = os.path.splitext(name)[1][:12]
        file = tempfile.NamedTemporaryFile(
            prefix=temp_prefix("upload"), suffix=".upload" + extension, dir=settings.FILE_UPLOAD_TEMP_DIR
        )
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)


class TaggedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = TaggedTemporaryUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )


def install_upload_handlers(request: HttpRequest) -> None:
    """Uploads for this request go to a temporary file on disk, never memory, and stop at the size limit."""
    request.upload_handlers = [
        MaxSizeUploadHandler(request, limit=max_upload_bytes()),
        TaggedTemporaryFileUploadHandler(request),
    ]
