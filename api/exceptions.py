"""PostHog's error body `{"type", "code", "detail", "attr"}` for every error the API returns."""

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from core.errors import ApplicationError, TemporarilyUnavailable
from core.errors import Conflict as ConflictError
from core.errors import NotFound as NotFoundError

logger = logging.getLogger(__name__)

GENERIC_SERVER_ERROR = "A server error occurred."


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body is too large."
    default_code = "payload_too_large"


class RequestBodyTimeout(exceptions.APIException):
    status_code = status.HTTP_408_REQUEST_TIMEOUT
    default_detail = "The request body took too long to arrive (REQUEST_BODY_TIMEOUT_SECONDS); send it again."
    default_code = "request_timeout"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """503; with `retry_after`, the response says when to try again (a Retry-After header, in seconds)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is temporarily unavailable. Try again later."
    default_code = "service_unavailable"

    def __init__(
        self, detail: Any = None, code: str | None = None, *, retry_after: float | None = None
    ) -> None:
        super().__init__(detail, code)
        self.wait = retry_after


def error_type(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "validation_error"
    if isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed | exceptions.PermissionDenied
    ):
        return "authentication_error"
    if isinstance(exc, exceptions.Throttled):
        return "throttled_error"
    if exc.status_code < 500:
        return "invalid_request"
    return "server_error"


def error_body(*, type: str, code: str, detail: str, attr: str | None = None) -> dict[str, Any]:
    return {"type": type, "code": code, "detail": detail, "attr": attr}


def first_error(detail: Any, path: tuple[str, ...] = ()) -> tuple[str, str, str | None]:
    """(message, code, attr) of the first error in a DRF error structure; nested field names joined with `__`."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            inner = path if key == "non_field_errors" else (*path, str(key))
            return first_error(value, inner)
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            return first_error(value, (*path, str(index)) if nested else path)
    code = getattr(detail, "code", None) or "invalid"
    return str(detail), code, "__".join(path) or None


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, TooManyFieldsSent):
        return exceptions.ParseError("Too many fields sent.")
    if isinstance(exc, ApplicationError):
        return _from_application_error(exc)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, TemporarilyUnavailable):
        return ServiceUnavailable(str(exc), retry_after=exc.retry_after)
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError("Malformed request.")
    return None


def _from_application_error(exc: ApplicationError) -> exceptions.APIException:
    """The one place a domain error becomes an HTTP error."""
    if isinstance(exc, NotFoundError):
        return exceptions.NotFound(exc.message, code=exc.code)
    if isinstance(exc, ConflictError):
        return Conflict(exc.message, code=exc.code)
    detail = ErrorDetail(exc.message, code=exc.code)
    return exceptions.ValidationError({exc.attr: [detail]} if exc.attr else [detail])


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    api_exc = _as_api_exception(exc)
    if api_exc is None:
        view = context.get("view")
        logger.exception("Unhandled error in %s", type(view).__name__ if view else "API", exc_info=exc)
        return Response(
            error_body(type="server_error", code="error", detail=GENERIC_SERVER_ERROR),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(api_exc.detail, dict | list):
        detail, code, attr = first_error(api_exc.detail)
    else:
        detail, code, attr = (
            str(api_exc.detail),
            getattr(api_exc.detail, "code", None) or api_exc.default_code,
            None,
        )
    if code == "invalid":
        code = "invalid_input"
    return Response(
        error_body(type=error_type(api_exc), code=code, detail=detail, attr=attr),
        status=api_exc.status_code,
        headers=error_headers(api_exc),
    )


def error_headers(exc: exceptions.APIException) -> dict[str, str]:
    """The headers DRF's own handler adds: how to authenticate (401) and when to retry (429)."""
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))  # type: ignore[attr-defined]
    return headers
