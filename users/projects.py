"""Selectors: which project a URL names, and which projects a user can reach."""

from django.db.models import Exists, OuterRef, QuerySet
from rest_framework.exceptions import NotFound

from users.models import Membership, Project, User

CURRENT = "@current"


def projects_for(user: User) -> QuerySet[Project]:
    """Projects in the organizations the user belongs to."""
    return Project.objects.filter(organization__memberships__user=user).select_related("organization")


def resolve_project(*, user: User, raw_id: str) -> Project:
    """The project a URL names (an integer id or `@current`), annotated with `is_member` for `user`.

    One query. Unknown or malformed ids raise 404 `Project not found.`; membership is left to the caller, which
    answers 403 for a project that exists but is not the user's.
    """
    queryset = Project.objects.select_related("organization").annotate(
        is_member=Exists(Membership.objects.filter(organization=OuterRef("organization"), user=user))
    )
    if raw_id == CURRENT:
        if user.current_project_id is not None:
            project = queryset.filter(pk=user.current_project_id).first()
        else:
            project = queryset.filter(organization__memberships__user=user).order_by("id").first()
    elif raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19:
        project = queryset.filter(pk=int(raw_id)).first()
    else:
        project = None
    if project is None:
        raise NotFound("Project not found.")
    return project
