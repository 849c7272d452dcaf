"""An interview's retrieve runs one fixed statement per connection (core/fixed_rows.py): the instance's body."""

import json

import pytest

from tests.api.retrieve_checks import interview_instance_body, retrieve_queries

pytestmark = pytest.mark.django_db


def test_an_interview_is_read_by_the_fixed_statement_with_the_instance_body(api, project, make_interview):
    interview = make_interview(transcript="Speaker 1: hello", summary="Greets.")
    url = f"/api/environments/{project.pk}/user_interviews/{interview.pk}/"
    status, queries = retrieve_queries(api, url)
    assert status == 200 and len(queries) == 2, queries  # key with the project, the interview
    body = api.get(url).json()
    assert body["audio"].startswith("http://testserver/")
    assert json.dumps(body) == interview_instance_body(project, str(interview.pk))
