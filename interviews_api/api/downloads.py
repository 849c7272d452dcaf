"""Streaming a stored recording, honouring a single HTTP `Range` so players can seek."""

import re

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from rest_framework import status
from rest_framework.exceptions import APIException

from interviews_api import recordings
from interviews_api.models import UserInterview

RANGE_PATTERN = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(APIException):
    status_code = status.HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE
    default_detail = "The requested range is outside the recording."
    default_code = "range_not_satisfiable"


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive for one `bytes=` range; None to send everything (no header, or one we don't serve).

    Multiple ranges and malformed headers are ignored, as RFC 9110 allows; a well-formed range that starts past
    the end raises RangeNotSatisfiable.
    """
    match = RANGE_PATTERN.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable()
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise RangeNotSatisfiable()
    return start, end


def recording_response(interview: UserInterview, range_header: str) -> StreamingHttpResponse:
    size = interview.recording_size or recordings.storage().size(interview.recording_name)
    byte_range = requested_range(range_header, size) if range_header else None
    start, end = byte_range or (0, size - 1)
    response = StreamingHttpResponse(
        recordings.iter_range(interview.recording_name, start, end),
        status=status.HTTP_206_PARTIAL_CONTENT if byte_range else status.HTTP_200_OK,
        content_type=interview.recording_content_type or "application/octet-stream",
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=0"
    filename = interview.recording_filename or interview.recording_name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
