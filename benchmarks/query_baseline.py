"""The least a Django + DRF app needs to answer a `/query/`-shaped request, for bench_query.py to compare against.

Served in the same process, through the same middleware, test client and URL resolver as ours (this URLconf is the
project's plus one route): a bearer key looked up by its sha256 digest (one indexed query joined to the user, as
benchmarks/load/baseline/ does), the caller's membership of the URL's project (one EXISTS query), then the given
DuckDB SQL on one warm read-only connection to the project's file, and DRF's JSON renderer. No scopes, throttles,
catalog, HogQL analysis, result-size or time limits.
"""

import hashlib

import duckdb
from django.urls import path
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns
from users.models import PersonalAPIKey, Project

_connections: dict[
    int, duckdb.DuckDBPyConnection
] = {}  # project id -> the warm connection (set by the bench)


def keep_warm(project_id: int, conn: duckdb.DuckDBPyConnection) -> None:
    _connections[project_id] = conn


class BearerKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return None
        digest = "sha256$" + hashlib.sha256(header[7:].strip().encode()).hexdigest()
        key = (
            PersonalAPIKey.objects.select_related("user")
            .filter(secure_value=digest, user__is_active=True)
            .first()
        )
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid key.")
        return key.user, key


class MinimalQueryView(APIView):
    authentication_classes = [BearerKeyAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes: list = []

    def post(self, request: Request, project_id: int) -> Response:
        if not Project.objects.filter(pk=project_id, organization__memberships__user=request.user).exists():
            raise exceptions.NotFound()
        result = _connections[project_id].execute(request.data["sql"])
        rows = result.fetchall()
        columns = [item[0] for item in result.description or []]
        return Response({"results": rows, "columns": columns, "hasMore": False})


urlpatterns = [
    *project_urlpatterns,
    path("baseline/<int:project_id>/query/", MinimalQueryView.as_view()),
]
