"""Views that belong to no resource: health, and JSON answers for unknown endpoints and crashes."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from api.exceptions import GENERIC_SERVER_ERROR, error_body
from api.middleware import is_api_path


@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


FIXED_BODY = {"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "name": "fixed", "count": 1, "ok": True}


@require_GET
def fixed_json(request):
    """A fixed JSON body, no database: the load benchmark's ceiling (routed only with BENCHMARK_ENDPOINTS)."""
    return JsonResponse(FIXED_BODY)


@csrf_exempt  # no endpoint, nothing to protect: every method gets the same 404, not a CSRF 403
def endpoint_not_found(request, *args, **kwargs):
    return JsonResponse(
        error_body(type="invalid_request", code="not_found", detail="Endpoint not found."), status=404
    )


def not_found(request, exception=None):
    if is_api_path(request.path):
        return endpoint_not_found(request)
    return HttpResponse("Not found.", status=404, content_type="text/plain")


def server_error(request):
    if is_api_path(request.path):
        body = error_body(type="server_error", code="error", detail=GENERIC_SERVER_ERROR)
        return JsonResponse(body, status=500)
    return HttpResponse("Server error.", status=500, content_type="text/plain")
