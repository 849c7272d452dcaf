"""Every route x every kind of caller, generated from the URL configuration.

A new endpoint is covered without anyone adding it here. Objects that don't exist are fine: auth and scope
checks run before lookup, so an allowed caller sees 2xx/400/404/405, never 401/403.
"""

import uuid

import pytest
from rest_framework.test import APIClient

from tests.api.routes import Route, api_routes

pytestmark = pytest.mark.django_db
ROUTES = [route for route in api_routes() if route.project_based]
AUTH_STATUSES = {401, 403}


def call(client: APIClient, route: Route, url: str):
    return client.generic(route.method, url, data="{}", content_type="application/json")


def test_routes_were_discovered():
    names = {route.url() for route in ROUTES}
    assert any("/user_interviews/" in name for name in names)
    assert any("/warehouse_saved_queries/" in name for name in names)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_key_and_bad_key(route, project):
    url = route.url(project_id=project.id)
    response = call(APIClient(), route, url)
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer phx_definitely_not_a_key")
    response = call(bad, route, url)
    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_scopes(route, project, client_with):
    url = route.url(project_id=project.id)
    required = route.scopes()
    assert required, f"{route} declares no scope"
    unrelated = call(client_with("user:read"), route, url)
    assert unrelated.status_code == 403
    assert unrelated.json()["detail"] == f"API key missing required scope '{required[0]}'"
    for scopes in (required, ["*"], [scope.replace(":read", ":write") for scope in required]):
        response = call(client_with(*scopes), route, url)
        assert response.status_code not in AUTH_STATUSES, (scopes, response.json())
    if any(scope.endswith(":write") for scope in required):
        read_only = [scope.replace(":write", ":read") for scope in required]
        response = call(client_with(*read_only), route, url)
        assert response.status_code == 403, read_only


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_key_scoped_to_another_project(route, project, organization, client_with):
    from users.models import Project

    sibling = Project.objects.create(organization=organization, name="Sibling")
    response = call(client_with("*", scoped_teams=[sibling.id]), route, route.url(project_id=project.id))
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == f"API key does not have access to the requested project: ID {project.id}."
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_other_organizations_project(route, other_project, api):
    response = call(api, route, route.url(project_id=other_project.id))
    assert response.status_code == 403
    assert response.json()["detail"] == "You don't have access to the project."


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_unknown_project(route, api):
    response = call(api, route, route.url(project_id=987654))
    assert (response.status_code, response.json()["detail"]) == (404, "Project not found.")


ORGANIZATION_ROUTES = [route for route in api_routes() if route.organization_based]


def test_organization_routes_were_discovered():
    assert any("/organizations/@current/projects/" in route.url() for route in ORGANIZATION_ROUTES)


@pytest.mark.parametrize("route", ORGANIZATION_ROUTES, ids=str)
def test_organization_route_scopes_and_limits(route, organization, project, client_with):
    url = route.url(organization_id=str(organization.id))
    assert call(APIClient(), route, url).status_code == 401
    required = route.scopes()
    assert required, f"{route} declares no scope"
    unrelated = call(client_with("user:read"), route, url)
    assert unrelated.json()["detail"] == f"API key missing required scope '{required[0]}'"
    assert call(client_with(*required), route, url).status_code not in AUTH_STATUSES
    scoped_elsewhere = call(client_with("*", scoped_organizations=[str(uuid.uuid4())]), route, url)
    assert scoped_elsewhere.json()["detail"] == (
        f"API key does not have access to the requested organization: ID {organization.id}."
    )
    project_scoped = call(client_with("*", scoped_teams=[project.id]), route, url)
    assert project_scoped.json()["detail"] == (
        "API keys with scoped projects are only supported on project-based endpoints."
    )


@pytest.mark.parametrize("route", ORGANIZATION_ROUTES, ids=str)
def test_organization_route_of_another_organization(route, other_project, api):
    response = call(api, route, route.url(organization_id=str(other_project.organization_id)))
    assert (response.status_code, response.json()["detail"]) == (
        403,
        "You don't have access to the organization.",
    )
    response = call(api, route, route.url(organization_id=str(uuid.uuid4())))
    assert (response.status_code, response.json()["detail"]) == (404, "Organization not found.")
