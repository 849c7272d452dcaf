"""Top-level URL configuration: the API, its schema and docs, the admin and the health check."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.views import fixed_json, health

urlpatterns = [
    path("_health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/schema/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("api/", include("api.urls")),
]

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns.insert(0, path("_bench/fixed", fixed_json, name="bench-fixed"))

handler404 = "api.views.not_found"
handler500 = "api.views.server_error"
