"""A list reads saved queries as rows (no model instances): every row's body is the retrieve body of that view."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.retrieve_checks import saved_query_instance_body
from tests.warehouse.conftest import views_url
from users.models import Membership, User
from warehouse.models import SavedQuery

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def varied_views(api, project, create_view) -> list[dict]:
    """Views covering every field and both sides of each null: run state, schedule, creator set (fully) or gone."""
    colleague = User.objects.create_user(
        "grace@example.com",
        first_name="Grace",
        last_name="Hopper",
        is_email_verified=True,
        hedgehog_config={"use_as_profile": True, "color": "green"},
        role_at_organization=User.Role.DATA,
    )
    Membership.objects.create(organization=project.organization, user=colleague)
    plain = create_view("plain")
    scheduled = create_view("scheduled", "select distinct_id, timestamp, properties from events")
    failed = create_view("failed", "select event, count() as n from events group by event")
    orphan = create_view("orphan", "select 1 as one, 'x' as ünï")
    create_view("deleted_one")
    SavedQuery.objects.filter(name="deleted_one").update(deleted=True, deleted_name="deleted_one")
    SavedQuery.objects.filter(pk=scheduled["id"]).update(
        sync_frequency_interval=timedelta(hours=24),
        is_materialized=True,
        status=SavedQuery.Status.COMPLETED,
        last_run_at=timezone.now() - timedelta(minutes=5, microseconds=7),
        created_by=colleague,
    )
    SavedQuery.objects.filter(pk=failed["id"]).update(
        status=SavedQuery.Status.FAILED,
        latest_error='Binder Error: "n" \u2028 not found',
        sync_frequency_interval=timedelta(minutes=17),  # not one of the choices: shown as null
    )
    SavedQuery.objects.filter(pk=orphan["id"]).update(created_by=None)
    return [plain, scheduled, failed, orphan]


def test_every_list_row_is_the_retrieve_body(api, project, varied_views):
    response = api.get(views_url(project))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted(row["name"] for row in rows) == ["failed", "orphan", "plain", "scheduled"]

    for row in rows:
        retrieved = api.get(views_url(project, row["id"]))
        assert retrieved.status_code == 200
        # Same keys in the same order, same values and JSON types, and the very bytes of the retrieve body.
        assert json.dumps(row) == json.dumps(retrieved.json())
        assert retrieved.content in response.content
        # Both are read as rows; the reference is the body serialized from the model instance.
        assert json.dumps(row) == saved_query_instance_body(project, row["id"])

    by_name = {row["name"]: row for row in rows}
    assert by_name["orphan"]["created_by"] is None
    assert by_name["scheduled"]["created_by"]["role_at_organization"] == "data"
    assert (
        by_name["scheduled"]["sync_frequency"] == "24hour" and by_name["scheduled"]["is_materialized"] is True
    )
    assert by_name["failed"]["sync_frequency"] is None and by_name["failed"]["status"] == "Failed"
    assert all(row["latest_history_id"] and row["columns"] for row in rows)


def test_search_and_pages_still_apply_to_rows(api, project, varied_views):
    found = api.get(views_url(project), {"search": "ED"}).json()  # icontains on the name
    assert [row["name"] for row in found["results"]] == ["failed", "scheduled"]  # newest first
    assert found["count"] == 2 and found["next"] is None
    assert api.get(views_url(project), {"page": 2}).status_code == 404  # one page of 1000


def test_rows_cost_the_same_queries_at_any_size(api, project, varied_views, create_view):
    def queries() -> list[str]:
        api.get(views_url(project))  # the key's last_used_at write, at most once an interval, happens here
        with CaptureQueriesContext(connection) as captured:
            assert api.get(views_url(project)).status_code == 200
        return [query["sql"] for query in captured]

    first = queries()
    for i in range(10):
        create_view(f"more_{i}")
    # key with the project, count, page (creator and history joined)
    assert len(queries()) == len(first) == 3, first
