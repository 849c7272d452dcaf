"""Every detail route x real object ids of another project -> 404, never the object.

Generated from the URL configuration (tests/api/routes.py); objects come from the per-resource factories in
tests/api/factories.py, so a new detail route is covered, or fails here until its resource has a factory.
"""

import pytest
from rest_framework.test import APIClient

from tests.api.factories import factory_for, isolated_storage, resource_of  # noqa: F401 (fixture)
from tests.api.routes import Route, api_routes
from users.models import Project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("isolated_storage")]
DETAIL_ROUTES = [route for route in api_routes() if route.project_based and route.detail]
NOT_FOUND = {"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": None}


def route_id(route: Route) -> str:
    return f"{route.method} {route.url(project_id='{project_id}', object_id='{id}')}"


def call(client: APIClient, route: Route, url: str):
    return client.generic(route.method, url, data="{}", content_type="application/json")


def detail_url(project: Project, resource: str, object_id: str) -> str:
    return f"/api/environments/{project.pk}/{resource}/{object_id}/"


def test_detail_routes_were_discovered():
    resources = {resource_of(route.pattern) for route in DETAIL_ROUTES}
    assert {"user_interviews", "warehouse_saved_queries"} <= resources


@pytest.mark.parametrize("route", DETAIL_ROUTES, ids=route_id)
def test_another_projects_object_is_not_found(route, project, organization, other_project, api, make_key):
    resource = resource_of(route.pattern)
    make = factory_for(resource)
    sibling = Project.objects.create(
        organization=organization, name="Sibling"
    )  # the caller belongs to it too
    stranger = APIClient()
    stranger.credentials(
        HTTP_AUTHORIZATION=f"Bearer {make_key('*', owner=other_project.organization.members.get())}"
    )
    foreign = {
        "a sibling project the caller belongs to": (api, sibling, make(api, sibling, "sibling")),
        "another organization's project": (stranger, other_project, make(stranger, other_project, "other")),
    }
    for where, (owner, home, object_id) in foreign.items():
        response = call(api, route, route.url(project_id=project.pk, object_id=object_id))
        assert (response.status_code, response.json()) == (404, NOT_FOUND), f"{route}: object of {where}"
        assert object_id not in response.content.decode(), f"{route}: leaked the object of {where}"
        # Still there, untouched, in its own project: the 404 came before any write.
        assert owner.get(detail_url(home, resource, object_id)).status_code == 200, f"{route}: {where}"
    # Control: the caller's own object on the same route is found, so the 404s above are about the project.
    own = make(api, project, "own")
    response = call(api, route, route.url(project_id=project.pk, object_id=own))
    assert response.status_code != 404, f"{route}: the caller's own object is not found either"
