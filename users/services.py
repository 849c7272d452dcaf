"""Writes for accounts: creating keys and the demo set-up."""

from django.conf import settings
from django.db import transaction

from core.errors import InvalidInput
from users.keys import new_personal_api_key_value
from users.models import Membership, Organization, PersonalAPIKey, Project, User
from users.scopes import invalid_scopes

DEMO_EMAIL = "demo@example.com"
DEMO_ORGANIZATION = "Demo organization"
DEMO_PROJECT = "Demo project"


def personal_api_key_create(
    *,
    user: User,
    label: str,
    scopes: list[str],
    scoped_teams: list[int] | None = None,
    scoped_organizations: list[str] | None = None,
    enforce_limit: bool = True,
) -> tuple[PersonalAPIKey, str]:
    """Creates a key and returns it with its one-time plain value."""
    bad = invalid_scopes(scopes)
    if bad:
        raise InvalidInput(f"Invalid scope: {bad[0]}", attr="scopes")
    limit = settings.PERSONAL_API_KEYS_PER_USER
    if enforce_limit and user.personal_api_keys.count() >= limit:
        raise InvalidInput(
            f"You can only have {limit} personal API keys. Remove an existing key before creating a new one."
        )
    value = new_personal_api_key_value()
    key = PersonalAPIKey(
        user=user,
        label=label,
        scopes=scopes,
        scoped_teams=scoped_teams or None,
        scoped_organizations=scoped_organizations or None,
    )
    key.set_value(value)
    key.save()
    key.plain_value = value
    return key, value


@transaction.atomic
def project_create(*, organization: Organization, name: str) -> Project:
    return Project.objects.create(organization=organization, name=name)


@transaction.atomic
def demo_setup() -> tuple[User, Project]:
    """The demo organization, project and user; created once, found afterwards."""
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            DEMO_EMAIL, first_name="Demo", last_name="User", is_email_verified=True
        )
    organization = user.organizations.order_by("created_at").first()
    if organization is None:
        organization = Organization.objects.create(name=DEMO_ORGANIZATION)
        Membership.objects.create(organization=organization, user=user, level=Membership.Level.OWNER)
    project = organization.projects.order_by("id").first() or project_create(
        organization=organization, name=DEMO_PROJECT
    )
    if user.current_project_id is None:
        user.current_project = project
        user.save(update_fields=["current_project"])
    return user, project
