"""A list reads interviews as rows (no model instances): every row's body is the retrieve body of that interview."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews_api.models import UserInterview
from tests.api.retrieve_checks import interview_instance_body
from tests.interviews_api.api.conftest import url
from users.models import Membership, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def varied_interviews(project, user, make_interview) -> list[UserInterview]:
    """Interviews covering every field and both sides of each null: creator set (fully filled) or gone, no recording."""
    colleague = User.objects.create_user(
        "grace@example.com",
        first_name="Grace",
        last_name="Hopper",
        is_email_verified=None,
        hedgehog_config={"use_as_profile": True, "color": "blue", "accessories": ["beret"]},
        role_at_organization=User.Role.ENGINEERING,
    )
    Membership.objects.create(organization=project.organization, user=colleague)
    interviews = [
        make_interview(
            interviewee_emails=["Ada Lovelace <ada@example.com>", "bob@example.com"],
            transcript='Speaker 1: I love dashboards.\nSpeaker 2: ünïcode \u2028 and "quotes".',
            summary="Likes dashboards.",
        ),
        make_interview(status=UserInterview.Status.FAILED, processing_error="Decoder gave up."),
        make_interview(status=UserInterview.Status.PENDING, interviewee_emails=[]),
        make_interview(status=UserInterview.Status.PROCESSING, summary="Client notes."),
    ]
    UserInterview.objects.filter(pk=interviews[1].pk).update(created_by=colleague)
    UserInterview.objects.filter(pk=interviews[0].pk).update(
        created_by=None
    )  # the creator's account was deleted
    UserInterview.objects.filter(pk=interviews[2].pk).update(
        recording=""
    )  # no stored recording: audio is null
    return interviews


def test_every_list_row_is_the_retrieve_body(api, project, varied_interviews):
    response = api.get(url(project))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == len(varied_interviews)

    for row in rows:
        retrieved = api.get(url(project, row["id"]))
        assert retrieved.status_code == 200
        # Same keys in the same order, same values and JSON types, and the very bytes of the retrieve body.
        assert json.dumps(row) == json.dumps(retrieved.json())
        assert retrieved.content in response.content
        # Both are read as rows; the reference is the body serialized from the model instance.
        assert json.dumps(row) == interview_instance_body(project, row["id"])

    by_id = {row["id"]: row for row in rows}
    first, second, third, _ = (by_id[str(interview.pk)] for interview in varied_interviews)
    assert first["created_by"] is None
    assert second["created_by"]["hedgehog_config"] == {
        "use_as_profile": True,
        "color": "blue",
        "accessories": ["beret"],
    }
    assert (
        second["created_by"]["is_email_verified"] is None and second["processing_error"] == "Decoder gave up."
    )
    assert third["audio"] is None and first["audio"].endswith(f"/{first['id']}/audio")


def test_search_pagination_and_order_still_apply_to_rows(api, project, varied_interviews):
    body = api.get(url(project), {"limit": 2, "offset": 1}).json()
    assert body["count"] == 4
    assert [row["id"] for row in body["results"]] == [
        str(varied_interviews[2].pk),
        str(varied_interviews[1].pk),
    ]

    found = api.get(url(project), {"search": "dashboards"}).json()
    assert [row["id"] for row in found["results"]] == [str(varied_interviews[0].pk)]


def test_rows_cost_the_same_queries_at_any_size(api, project, varied_interviews, make_interview):
    def queries() -> list[str]:
        api.get(url(project))  # the key's last_used_at write, at most once an interval, happens here
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url(project)).status_code == 200
        return [query["sql"] for query in captured]

    first = queries()
    for _ in range(20):
        make_interview()
    assert len(queries()) == len(first) == 3, first  # key with the project, count, page (creator joined)
