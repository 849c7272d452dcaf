"""Reads: which project or organization a URL names, and what a user can reach."""

import uuid

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from core.errors import NotFound
from users.models import Membership, Organization, PersonalAPIKey, Project, User

CURRENT = "@current"
# The project with `is_member` for a user (parameters: user id, project id). Every request under a project runs it,
# so it is a fixed statement: Django builds and compiles no query for it (that cost more than running it).
PROJECT_BY_ID_SQL = (
    "SELECT p.*, EXISTS(SELECT 1 FROM users_membership m WHERE m.organization_id = p.organization_id"
    " AND m.user_id = %s) AS is_member FROM users_project p WHERE p.id = %s"
)


def projects_for(user: User) -> QuerySet[Project]:
    """Projects in the organizations the user belongs to."""
    return Project.objects.filter(organization__memberships__user=user).select_related("organization")


def organizations_for(user: User, *, key: PersonalAPIKey | None = None) -> QuerySet[Organization]:
    """The user's organizations (with the user's `membership_level`), narrowed to the key's `scoped_organizations`."""
    level = Membership.objects.filter(organization=OuterRef("pk"), user=user).values("level")[:1]
    queryset = Organization.objects.filter(memberships__user=user).annotate(membership_level=Subquery(level))
    if key is not None and key.scoped_organizations:
        queryset = queryset.filter(pk__in=valid_uuids(key.scoped_organizations))
    return queryset.order_by("created_at", "id")


def current_project_for(user: User) -> Project | None:
    """PostHog's `user.team`: the project last chosen if the user still belongs to it, else the first reachable."""
    reachable = projects_for(user).order_by("id")
    if user.current_project_id is not None:
        project = reachable.filter(pk=user.current_project_id).first()
        if project is not None:
            return project
    return reachable.first()


def current_organization_for(user: User) -> Organization | None:
    """PostHog's `user.organization`: the current project's organization, else the first one joined."""
    project = current_project_for(user)
    if project is not None:
        return project.organization
    return organizations_for(user).first()


def resolve_project(*, user: User, raw_id: str) -> Project:
    """The project a URL names (an integer id or `@current`), annotated with `is_member` for `user`.

    One query. Unknown or malformed ids raise 404 `Project not found.`; membership is left to the caller, which
    answers 403 for a project that exists but is not the user's.
    """
    if raw_id == CURRENT:
        project = _current_project_with_membership(user)
    elif raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19:
        project = next(iter(Project.objects.raw(PROJECT_BY_ID_SQL, [user.pk, int(raw_id)])), None)
    else:
        project = None
    if project is None:
        raise NotFound("Project not found.")
    return project


def _current_project_with_membership(user: User) -> Project | None:
    queryset = Project.objects.annotate(
        is_member=Exists(Membership.objects.filter(organization=OuterRef("organization"), user=user))
    )
    if user.current_project_id is not None:
        return queryset.filter(pk=user.current_project_id).first()
    return queryset.filter(organization__memberships__user=user).order_by("id").first()


def resolve_organization(*, user: User, raw_id: str) -> Organization:
    """The organization a URL names (a UUID or `@current`), annotated with `is_member` for `user`.

    Unknown or malformed ids raise 404 `Organization not found.`; membership is left to the caller.
    """
    if raw_id == CURRENT:
        current = current_organization_for(user)
        if current is None:
            raise NotFound("Current organization not found.")
        raw_id = str(current.pk)
    ids = valid_uuids([raw_id])
    organization = (
        Organization.objects.filter(pk__in=ids)
        .annotate(is_member=Exists(Membership.objects.filter(organization=OuterRef("pk"), user=user)))
        .first()
    )
    if organization is None:
        raise NotFound("Organization not found.")
    return organization


def valid_uuids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed UUIDs among `values` (a malformed id simply matches nothing)."""
    parsed = []
    for value in values:
        try:
            parsed.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return parsed
