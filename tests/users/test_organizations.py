"""Organizations in PostHog's shapes: list, detail, @current, their projects; scopes and key limits enforced."""

import pytest
from rest_framework.test import APIClient

from users.models import Membership, Organization, Project

pytestmark = pytest.mark.django_db

ORGANIZATION_FIELDS = {
    "id",
    "name",
    "slug",
    "logo_media_id",
    "created_at",
    "updated_at",
    "membership_level",
    "plugins_access_level",
    "teams",
    "projects",
    "available_product_features",
    "is_member_join_email_enabled",
    "metadata",
    "customer_id",
    "enforce_2fa",
    "members_can_invite",
    "members_can_use_personal_api_keys",
    "allow_publicly_shared_resources",
    "member_count",
    "is_ai_data_processing_approved",
    "default_experiment_stats_method",
    "default_role_id",
}
TEAM_FIELDS = {
    "id",
    "uuid",
    "organization",
    "project_id",
    "api_token",
    "name",
    "completed_snippet_onboarding",
    "has_completed_onboarding_for",
    "ingested_event",
    "is_demo",
    "timezone",
    "access_control",
}

# A fixed id no organization has: test ids must be the same in every process (pytest-xdist compares them).
UNKNOWN_ORGANIZATION_ID = "b07204fe-a68d-4772-baf8-8de58e59498f"


def body(response) -> tuple[int, str]:
    return response.status_code, response.json()["detail"]


@pytest.fixture
def second_org(user) -> Organization:
    """Another organization the `user` fixture belongs to (as a plain member), with one project."""
    org = Organization.objects.create(name="Second Org")
    Membership.objects.create(organization=org, user=user, level=Membership.Level.MEMBER)
    Project.objects.create(organization=org, name="Elsewhere")
    return org


def test_list_shows_the_callers_organizations_in_posthogs_shape(api, organization, second_org, other_project):
    response = api.get("/api/organizations/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(organization.id), str(second_org.id)]
    assert set(rows[0]) == ORGANIZATION_FIELDS
    assert [row["membership_level"] for row in rows] == [15, 1]


def test_detail_has_real_values_where_we_have_them(api, organization, project, user):
    Project.objects.create(organization=organization, name="Second")
    data = api.get(f"/api/organizations/{organization.id}/").json()
    assert data["name"] == "Acme" and data["slug"] == "acme"
    assert data["membership_level"] == 15 and data["member_count"] == 1
    assert [team["name"] for team in data["teams"]] == ["Main", "Second"]
    assert set(data["teams"][0]) >= TEAM_FIELDS
    assert data["teams"][0]["organization"] == str(organization.id)
    assert data["projects"][0] == {"id": project.id, "organization_id": str(organization.id), "name": "Main"}
    # Fields with no counterpart here keep PostHog's type.
    assert data["available_product_features"] == [] and data["metadata"] == {"instance_tag": "none"}
    assert data["members_can_use_personal_api_keys"] is True and data["enforce_2fa"] is None


def test_current_is_the_current_projects_organization(api, user, project, second_org):
    assert api.get("/api/organizations/@current/").json()["id"] == str(project.organization_id)
    user.current_project = second_org.projects.get()
    user.save()
    assert api.get("/api/organizations/@current/").json()["id"] == str(second_org.id)


def test_current_without_any_organization_is_404(db):
    from users.models import User

    client = APIClient()
    client.force_login(User.objects.create_user("lonely@example.com"))
    assert body(client.get("/api/organizations/@current/")) == (404, "Current organization not found.")


@pytest.mark.parametrize("raw", ["not-a-uuid", UNKNOWN_ORGANIZATION_ID])
def test_unknown_organization_is_404(api, raw):
    assert body(api.get(f"/api/organizations/{raw}/")) == (404, "Not found.")


def test_another_organization_is_404_and_not_listed(api, other_project):
    org_id = other_project.organization_id
    assert body(api.get(f"/api/organizations/{org_id}/")) == (404, "Not found.")
    assert str(org_id) not in api.get("/api/organizations/").content.decode()


def test_scope_is_organization_read(client_with, organization, project):
    for url in ("/api/organizations/", f"/api/organizations/{organization.id}/"):
        assert body(client_with("project:read").get(url)) == (
            403,
            "API key missing required scope 'organization:read'",
        )
        assert client_with("organization:read").get(url).status_code == 200
    assert (
        client_with("organization:read").delete(f"/api/organizations/{organization.id}/").status_code == 405
    )


def test_key_scoped_to_organizations_sees_only_those(client_with, organization, project, second_org):
    client = client_with("*", scoped_organizations=[str(second_org.id)])
    assert [row["id"] for row in client.get("/api/organizations/").json()["results"]] == [str(second_org.id)]
    assert body(client.get(f"/api/organizations/{organization.id}/")) == (404, "Not found.")
    # @current names an organization outside the key's scope: not found either.
    assert body(client.get("/api/organizations/@current/")) == (404, "Current organization not found.")


def test_key_scoped_to_projects_is_refused(client_with, organization, project):
    client = client_with("*", scoped_teams=[project.id])
    for url in ("/api/organizations/", f"/api/organizations/{organization.id}/projects/"):
        assert body(client.get(url)) == (
            403,
            "API keys with scoped projects are only supported on project-based endpoints.",
        )


def test_organization_projects_in_posthogs_shape(api, organization, project, second_org, other_project):
    sibling = Project.objects.create(organization=organization, name="Sibling")
    response = api.get(f"/api/organizations/{organization.id}/projects/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and [row["id"] for row in data["results"]] == [project.id, sibling.id]
    assert set(data["results"][0]) >= TEAM_FIELDS
    assert data["results"][0]["organization"] == str(organization.id)
    current = api.get("/api/organizations/@current/projects/").json()["results"]
    assert [row["id"] for row in current] == [project.id, sibling.id]


def test_organization_projects_of_another_organization(api, other_project):
    org_id = other_project.organization_id
    assert body(api.get(f"/api/organizations/{org_id}/projects/")) == (
        403,
        "You don't have access to the organization.",
    )


@pytest.mark.parametrize("raw", ["nope", UNKNOWN_ORGANIZATION_ID])
def test_organization_projects_of_an_unknown_organization(api, raw):
    assert body(api.get(f"/api/organizations/{raw}/projects/")) == (404, "Organization not found.")


def test_organization_projects_scope_and_key_limits(client_with, organization, project, second_org):
    url = f"/api/organizations/{organization.id}/projects/"
    assert body(client_with("organization:read").get(url)) == (
        403,
        "API key missing required scope 'project:read'",
    )
    assert client_with("project:read").get(url).status_code == 200
    scoped = client_with("*", scoped_organizations=[str(second_org.id)])
    assert body(scoped.get(url)) == (
        403,
        f"API key does not have access to the requested organization: ID {organization.id}.",
    )
    assert scoped.get(f"/api/organizations/{second_org.id}/projects/").status_code == 200


def test_no_key_is_401(db, organization):
    for url in ("/api/organizations/", f"/api/organizations/{organization.id}/projects/"):
        response = APIClient().get(url)
        assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
