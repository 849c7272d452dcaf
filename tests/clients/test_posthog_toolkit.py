"""PostHog's own @posthog/agent-toolkit (the tool code behind its MCP server), unchanged, against a live server.

The toolkit validates every response against strict schemas and silently drops all its tools when the key's
`@current` does not parse, so each operation below is one a PostHog client really depends on. Values are checked
against the server's own data. Needs node 20+ and npm (see tests/clients/posthog_toolkit_runner.py).
"""

import pytest

from tests.clients.posthog_toolkit_runner import drive_toolkit
from users.models import Membership, Organization, Project
from warehouse.querying import run_hogql_query

pytestmark = pytest.mark.django_db(transaction=True)

HOGQL = "select event, count() as n from events group by event order by n desc, event"


def ok(report: dict, operation: str):
    outcome = report[operation]
    assert outcome["ok"], f"{operation}: {outcome['error']}"
    return outcome["value"]


def failure(report: dict, operation: str) -> str:
    outcome = report[operation]
    assert not outcome["ok"], f"{operation} was expected to fail, got {outcome['value']!r}"
    return outcome["error"]


@pytest.fixture
def world(user, organization, project, other_project, seed):
    """The caller's organization with two projects (the first seeded), plus a stranger's organization."""
    sibling = Project.objects.create(organization=organization, name="Sibling")
    seed(project, events=300)
    return {"sibling": sibling, "other": other_project}


def projects_as_toolkit_sees_them(organization: Organization) -> list[dict]:
    return [
        {"id": p.id, "name": p.name, "organization": str(organization.id)}
        for p in organization.projects.order_by("id")
    ]


def test_every_operation_with_an_unscoped_key(
    live_server, make_key, user, organization, project, world, seed
):
    sibling = world["sibling"]
    seed(sibling, events=40)
    report = drive_toolkit(base_url=live_server.url, key=make_key("*"), hogql=HOGQL, switch_to=sibling.id)
    ours = run_hogql_query(project=project, sql=HOGQL)["results"]
    assert sum(row[1] for row in ours) == 300

    tools = ok(report, "getTools")
    assert {"query-run", "projects-get", "organizations-get", "organization-details-get"} <= set(tools)

    me = ok(report, "users.me")
    assert me["distinct_id"] == user.distinct_id
    assert me["team"] == {"id": project.id, "organization": str(organization.id)}
    assert me["organization"] == {"id": str(organization.id)}
    assert me["organizations"] == [{"id": str(organization.id)}]

    assert ok(report, "apiKeys.current") == {"scopes": ["*"], "scoped_teams": [], "scoped_organizations": []}
    assert ok(report, "default project") == str(project.id)
    assert ok(report, "default organization") == str(organization.id)
    assert ok(report, "organizations.list") == [{"id": str(organization.id), "name": "Acme"}]
    assert ok(report, "projects.get") == {
        "id": project.id,
        "name": "Main",
        "organization": str(organization.id),
    }

    assert ok(report, "query.execute HogQLQuery") == ours
    # query-run sends a DataVisualizationNode around the HogQLQuery; it answers as the HogQLQuery.
    assert ok(report, "tool query-run") == [ours]
    # A trends query is not something we run: a 400, which the toolkit reports by its code.
    assert failure(report, "tool query-run TrendsQuery").endswith("Validation error: invalid_input")

    assert ok(report, "tool projects-get") == [projects_as_toolkit_sees_them(organization)]
    assert ok(report, "tool organizations-get") == [[{"id": str(organization.id), "name": "Acme"}]]
    assert ok(report, "tool organization-details-get") == [{"id": str(organization.id), "name": "Acme"}]

    assert ok(report, "tool switch-project") == [f"Switched to project {sibling.id}"]
    theirs = run_hogql_query(project=sibling, sql=HOGQL)["results"]
    assert theirs != ours and ok(report, "tool query-run after switch-project") == [theirs]


def test_a_key_scoped_to_one_project_works_in_that_project(live_server, make_key, organization, world, seed):
    sibling = world["sibling"]
    seed(sibling, events=40)
    report = drive_toolkit(
        base_url=live_server.url, key=make_key("*", scoped_teams=[sibling.id]), hogql=HOGQL
    )
    assert ok(report, "apiKeys.current")["scoped_teams"] == [sibling.id]
    # The toolkit takes a key's only project as the default, and queries it.
    assert ok(report, "default project") == str(sibling.id)
    assert ok(report, "tool query-run") == [run_hogql_query(project=sibling, sql=HOGQL)["results"]]
    # Organization endpoints refuse project-scoped keys (as PostHog), so the toolkit has no organization.
    assert "API keys with scoped projects are only supported" in failure(report, "organizations.list")
    assert "API key does not have access to any organizations" in failure(report, "tool projects-get")


def test_a_key_scoped_to_an_organization_sees_only_it(live_server, make_key, user, organization, world):
    second = Organization.objects.create(name="Second")
    Membership.objects.create(organization=second, user=user)
    Project.objects.create(organization=second, name="Elsewhere")
    key = make_key("*", scoped_organizations=[str(organization.id)])
    report = drive_toolkit(base_url=live_server.url, key=key, hogql=HOGQL)
    assert ok(report, "apiKeys.current")["scoped_organizations"] == [str(organization.id)]
    assert ok(report, "tool organizations-get") == [[{"id": str(organization.id), "name": "Acme"}]]
    assert ok(report, "tool projects-get") == [projects_as_toolkit_sees_them(organization)]


def test_the_tools_offered_follow_the_keys_scopes(live_server, make_key, project, world):
    key = make_key("user:read", "organization:read", "project:read")
    report = drive_toolkit(base_url=live_server.url, key=key, hogql=HOGQL)
    tools = set(ok(report, "getTools"))
    assert {"projects-get", "organizations-get"} <= tools
    assert "query-run" not in tools  # needs query:read, which the key lacks
    assert "API key missing required scope 'query:read'" in failure(report, "query.execute HogQLQuery")
