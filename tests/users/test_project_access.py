"""Which projects a key reaches: membership, @current, scoped projects and organizations."""

import pytest
from rest_framework.test import APIClient

from users.models import Membership, Organization, Project, User

pytestmark = pytest.mark.django_db


def body(response) -> tuple[int, str]:
    return response.status_code, response.json()["detail"]


def test_unknown_project_is_404(api):
    assert body(api.get("/api/projects/999999/")) == (404, "Project not found.")


@pytest.mark.parametrize("raw", ["abc", "-1", "١", "99999999999999999999999"])
def test_non_numeric_project_is_404(api, raw):
    assert body(api.get(f"/api/projects/{raw}/")) == (404, "Project not found.")


def test_project_of_another_organization_is_403(api, other_project):
    response = api.get(f"/api/projects/{other_project.id}/")
    assert response.status_code == 403
    assert response.json() == {
        "type": "authentication_error",
        "code": "permission_denied",
        "detail": "You don't have access to the project.",
        "attr": None,
    }


def test_list_shows_only_reachable_projects(api, project, other_project):
    ids = [row["id"] for row in api.get("/api/projects/").json()["results"]]
    assert ids == [project.id]


def test_current_project(api, project):
    response = api.get("/api/projects/@current/")
    assert response.status_code == 200
    assert response.json()["id"] == project.id
    assert set(response.json()) >= {"id", "uuid", "organization", "api_token", "name"}


def test_current_falls_back_to_first_project(api, user, project):
    user.current_project = None
    user.save()
    assert api.get("/api/projects/@current/").json()["id"] == project.id


def test_current_without_any_project_is_404(db):
    lonely = User.objects.create_user("lonely@example.com")
    client = APIClient()
    client.force_login(lonely)
    assert body(client.get("/api/projects/@current/")) == (404, "Project not found.")


@pytest.fixture
def second_project(organization) -> Project:
    return Project.objects.create(organization=organization, name="Second")


def test_scoped_teams_allow_listed_project(client_with, project, second_project):
    client = client_with("*", scoped_teams=[project.id])
    assert client.get(f"/api/projects/{project.id}/").status_code == 200
    assert body(client.get(f"/api/projects/{second_project.id}/")) == (
        403,
        f"API key does not have access to the requested project: ID {second_project.id}.",
    )


def test_scoped_teams_refused_on_non_project_endpoints(client_with, project):
    client = client_with("*", scoped_teams=[project.id])
    assert body(client.get("/api/projects/")) == (
        403,
        "API keys with scoped projects are only supported on project-based endpoints.",
    )
    # /api/users/@me/ is exempt, as in PostHog.
    assert client.get("/api/users/@me/").status_code == 200


def test_unknown_project_is_404_before_scoped_team_check(client_with, project):
    client = client_with("*", scoped_teams=[project.id])
    assert body(client.get("/api/projects/424242/")) == (404, "Project not found.")


def test_scoped_organizations(client_with, user, project):
    other_org = Organization.objects.create(name="Second org")
    Membership.objects.create(organization=other_org, user=user)
    other = Project.objects.create(organization=other_org, name="Elsewhere")
    client = client_with("*", scoped_organizations=[str(project.organization_id)])
    assert [row["id"] for row in client.get("/api/projects/").json()["results"]] == [project.id]
    assert client.get(f"/api/projects/{project.id}/").status_code == 200
    assert body(client.get(f"/api/projects/{other.id}/")) == (
        403,
        f"API key does not have access to the requested organization: ID {other_org.id}.",
    )


def test_me(api, user):
    response = api.get("/api/users/@me/")
    assert response.status_code == 200
    data = response.json()
    for field in [
        "id",
        "uuid",
        "distinct_id",
        "first_name",
        "last_name",
        "email",
        "is_email_verified",
        "hedgehog_config",
        "role_at_organization",
    ]:
        assert field in data
    assert data["email"] == user.email


def test_me_has_posthogs_team_and_organization(api, user, project):
    data = api.get("/api/users/@me/").json()
    assert data["team"]["id"] == project.id
    assert data["team"]["organization"] == str(project.organization_id)
    assert data["team"]["api_token"] == project.api_token and data["team"]["timezone"] == "UTC"
    assert data["organization"]["id"] == str(project.organization_id)
    assert data["organization"]["membership_level"] == 15
    assert [team["id"] for team in data["organization"]["teams"]] == [project.id]
    assert [org["id"] for org in data["organizations"]] == [str(project.organization_id)]
    assert data["organizations"][0]["slug"] == "acme" and data["organizations"][0]["membership_level"] == 15


def test_me_team_is_the_current_project_while_the_user_may_open_it(api, user, project, other_project):
    sibling = Project.objects.create(organization=project.organization, name="Sibling")
    user.current_project = sibling
    user.save()
    assert api.get("/api/users/@me/").json()["team"]["id"] == sibling.id
    # A current project the user lost access to falls back to the first reachable one.
    user.current_project = other_project
    user.save()
    assert api.get("/api/users/@me/").json()["team"]["id"] == project.id


def test_me_without_any_organization(db):
    client = APIClient()
    client.force_login(User.objects.create_user("lonely@example.com"))
    data = client.get("/api/users/@me/").json()
    assert (data["team"], data["organization"], data["organizations"]) == (None, None, [])


def test_project_has_posthogs_team_basic_shape(api, project):
    data = api.get(f"/api/projects/{project.id}/").json()
    assert data["project_id"] == project.id and data["organization"] == str(project.organization_id)
    assert data["is_demo"] is False and data["has_completed_onboarding_for"] is None


# A session login (no key) reads the project in its own fixed statement (users.selectors._project_by_id_sql), not
# in the key's: the same answers.
@pytest.fixture
def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_session_reaches_its_own_project(session, project):
    response = session.get(f"/api/environments/{project.id}/user_interviews/")
    assert response.status_code == 200, response.content
    assert session.get(f"/api/projects/{project.id}/").json()["id"] == project.id


def test_a_session_gets_403_for_another_organizations_project(session, other_project):
    for url in (
        f"/api/environments/{other_project.id}/user_interviews/",
        f"/api/projects/{other_project.id}/",
    ):
        assert body(session.get(url)) == (403, "You don't have access to the project.")


@pytest.mark.parametrize("raw", ["999999", "abc", "-1", "99999999999999999999999"])
def test_a_session_gets_404_for_an_unknown_project(session, raw):
    assert body(session.get(f"/api/environments/{raw}/user_interviews/")) == (404, "Project not found.")
