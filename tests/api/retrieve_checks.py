"""Checks for retrieves read as rows: the body serialized from the model instance (the ORM way, the reference the
row bodies must match), and the SQL one retrieve runs."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from interviews_api.api.user_interviews import UserInterviewSerializer
from interviews_api.models import UserInterview
from users.models import Project
from warehouse.api.saved_queries import SavedQuerySerializer
from warehouse.selectors import saved_queries_for


def _body(serializer_class, instance, project: Project) -> str:
    request = Request(APIRequestFactory().get("/"))  # host "testserver", as the test client's
    data = serializer_class(instance, context={"request": request, "project": project}).data
    return json.dumps(json.loads(JSONRenderer().render(data)))  # key order and JSON types as the API renders


def saved_query_instance_body(project: Project, view_id: str) -> str:
    return _body(SavedQuerySerializer, saved_queries_for(project=project).get(pk=view_id), project)


def interview_instance_body(project: Project, interview_id: str) -> str:
    instance = UserInterview.objects.select_related("created_by").get(pk=interview_id)
    return _body(UserInterviewSerializer, instance, project)


def retrieve_queries(api: APIClient, url: str) -> tuple[int, list[str]]:
    """The status and the SQL of one GET of `url` (after a first GET, which may write the key's last_used_at)."""
    api.get(url)
    with CaptureQueriesContext(connection) as captured:
        status = api.get(url).status_code
    return status, [query["sql"] for query in captured]
