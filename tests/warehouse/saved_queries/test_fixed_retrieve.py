"""A view's retrieve runs one fixed statement per connection (core/fixed_rows.py): same bodies, same narrowing, same 404s."""

import json
import uuid

import pytest

from tests.api.retrieve_checks import retrieve_queries, saved_query_instance_body
from tests.warehouse.conftest import views_url
from users.models import Project
from warehouse.models import SavedQuery

pytestmark = pytest.mark.django_db
NOT_FOUND = {"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": None}


def test_a_view_is_read_by_the_fixed_statement_with_the_instance_body(api, project, create_view):
    views = [create_view("first"), create_view("second", "select distinct_id from events")]
    for view in views:
        status, queries = retrieve_queries(api, views_url(project, view["id"]))
        assert status == 200 and len(queries) == 2, queries  # key with the project, the view
        # Django's get() would add LIMIT 21; the fixed statement selects by primary key and project only.
        assert "LIMIT" not in queries[-1].upper().replace("LIMIT 1)", ""), queries[-1]
        assert str(project.pk) in queries[-1] and view["id"].replace("-", "") in queries[-1].replace("-", "")
        body = api.get(views_url(project, view["id"])).json()
        assert json.dumps(body) == saved_query_instance_body(project, view["id"])


def test_the_statement_keeps_the_narrowing_to_the_project(api, project, organization, create_view):
    sibling = Project.objects.create(
        organization=organization, name="Sibling"
    )  # the caller belongs to it too
    ours = create_view("shared_name")
    theirs = create_view("shared_name", on=sibling)
    # The statement is compiled by now (ours was created and read); each project sees only its own view.
    assert api.get(views_url(project, ours["id"])).json()["id"] == ours["id"]
    assert api.get(views_url(sibling, theirs["id"])).json()["id"] == theirs["id"]
    for home, foreign in ((project, theirs), (sibling, ours)):
        response = api.get(views_url(home, foreign["id"]))
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    "object_id",
    [uuid.uuid4(), "not-a-uuid", "5eed0000-f1ed-4000-8000-00000000beef", "1", "%00"],
    ids=["unknown", "malformed", "the placeholder", "an integer", "a nul byte"],
)
def test_a_missing_or_malformed_id_is_a_404(api, project, create_view, object_id):
    create_view("there")
    api.get(views_url(project, create_view("also")["id"]))  # the statement exists
    response = api.get(views_url(project, object_id))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_a_deleted_view_is_a_404(api, project, create_view):
    view = create_view("gone")
    assert api.get(views_url(project, view["id"])).status_code == 200
    SavedQuery.objects.filter(pk=view["id"]).update(deleted=True, deleted_name="gone")
    response = api.get(views_url(project, view["id"]))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_filters_in_the_query_string_still_apply_to_a_retrieve(api, project, create_view):
    view = create_view("signups")
    assert api.get(views_url(project, view["id"]), {"search": "SIGN"}).json()["id"] == view["id"]
    response = api.get(views_url(project, view["id"]), {"search": "nothing"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
