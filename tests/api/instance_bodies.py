"""A resource's body serialized from its model instance, the ORM way: the reference that bodies read as rows match."""

import json

from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

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
