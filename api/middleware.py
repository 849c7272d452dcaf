"""Makes sure nothing under /api/ answers with an HTML error page, whatever layer produced the error."""

import logging

from django.http import JsonResponse

from api.exceptions import GENERIC_SERVER_ERROR, error_body

logger = logging.getLogger(__name__)

GENERIC_BY_STATUS = {
    400: ("invalid_request", "bad_request", "Bad request."),
    403: ("authentication_error", "permission_denied", "You do not have permission to perform this action."),
    404: ("invalid_request", "not_found", "Endpoint not found."),
    405: ("invalid_request", "method_not_allowed", "Method not allowed."),
    413: ("invalid_request", "payload_too_large", "Request body is too large."),
}


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class JSONErrorsForAPIMiddleware:
    """Replaces non-JSON error responses under /api/ (CSRF failures, bad hosts, crashes) with the error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        kind, code, detail = GENERIC_BY_STATUS.get(
            response.status_code,
            ("server_error", "error", GENERIC_SERVER_ERROR)
            if response.status_code >= 500
            else ("invalid_request", "error", "Request failed."),
        )
        return JsonResponse(error_body(type=kind, code=code, detail=detail), status=response.status_code)

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        logger.exception("Unhandled error on %s", request.path, exc_info=exception)
        return JsonResponse(
            error_body(type="server_error", code="error", detail=GENERIC_SERVER_ERROR), status=500
        )
