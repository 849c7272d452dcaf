"""Everything under /api/: each app's routes, then a JSON 404 for anything else."""

from django.urls import include, path, re_path

from api.views import endpoint_not_found

urlpatterns = [
    path("", include("users.urls")),
    path("", include("interviews_api.urls")),
    path("", include("warehouse.urls")),
    re_path(r"^.*$", endpoint_not_found),
]
