"""The file a remote provider receives: the original when it can take it, else a small Ogg/Opus copy."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from jobs.processes import temp_prefix

from ..config import setting
from ..decoding import transcode_to_opus
from .base import Recording

UploadPart = tuple[str, IO[bytes], str]  # (file name, open file, content type), httpx's multipart file tuple


@contextmanager
def upload_part(
    recording: Recording, *, accepted: frozenset[str], max_bytes: int | None
) -> Iterator[UploadPart]:
    """Open the recording for a multipart upload, transcoding formats or sizes the provider refuses."""
    fmt = recording.info.format
    if fmt in accepted and (max_bytes is None or recording.path.stat().st_size <= max_bytes):
        with recording.path.open("rb") as file:
            # Providers sniff by extension too, so name the part after what the content really is.
            yield f"recording.{fmt}", file, recording.info.content_type
        return
    with tempfile.TemporaryDirectory(
        prefix=temp_prefix("transcode"), dir=setting("FILE_UPLOAD_TEMP_DIR", None)
    ) as tmp:
        copy = transcode_to_opus(recording.path, Path(tmp) / "recording.ogg")
        with copy.open("rb") as file:
            yield "recording.ogg", file, "audio/ogg"
