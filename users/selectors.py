"""Reads: which project or organization a URL names, and what a user can reach."""

import uuid
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.sql import Query

from core.errors import NotFound
from core.rows import RowShape
from users.models import Membership, Organization, PersonalAPIKey, Project, User

CURRENT = "@current"
# What PostHog's `UserBasic` shows of a user (a resource's `created_by`), for lists read as rows (core/rows.py).
USER_BASIC_ROW = RowShape(
    "UserBasicRow",
    [
        "id", "uuid", "distinct_id", "first_name", "last_name", "email", "is_email_verified", "hedgehog_config",
        "role_at_organization",
    ],
)  # fmt: skip
# The project with `is_member` for a user (parameters: user id, project id). Every request under a project runs it,
# so it is a fixed statement: Django builds and compiles no query for it (that cost more than running it).
PROJECT_BY_ID_SQL = (
    "SELECT p.*, EXISTS(SELECT 1 FROM users_membership m WHERE m.organization_id = p.organization_id"
    " AND m.user_id = %s) AS is_member FROM users_project p WHERE p.id = %s"
)


def active_key_with_user(secure_value: str) -> PersonalAPIKey | None:
    """The key with this digest whose user is active, its `user` already attached: one fixed SQL statement.

    Every authenticated request runs it, so Django builds and compiles no query for it (like `PROJECT_BY_ID_SQL`);
    the row is converted with the fields' own database converters, so the instances equal what the ORM would build.
    """
    connection = connections[PersonalAPIKey.objects.db]
    statement = _KEY_WITH_USER_STATEMENTS.get(connection)
    if statement is None:
        statement = _KEY_WITH_USER_STATEMENTS[connection] = _key_with_user_statement(connection)
    sql, key_fields, user_fields, (compiler, converters) = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, [secure_value])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    split = len(key_fields)
    key = PersonalAPIKey.from_db(connection.alias, key_fields, row[:split])
    user = User.from_db(connection.alias, user_fields, row[split:])
    PersonalAPIKey.user.field.set_cached_value(key, user)
    return key


# Per connection object (each thread has its own), so converters always run against the connection that read the row.
_KEY_WITH_USER_STATEMENTS: "WeakKeyDictionary[BaseDatabaseWrapper, tuple]" = WeakKeyDictionary()


def _key_with_user_statement(connection: BaseDatabaseWrapper) -> tuple:
    """The key-and-user SELECT, the field names and the row converters for one connection (built once for it)."""

    def quote(field: Any) -> str:  # a concrete field: its column is never None
        return connection.ops.quote_name(field.column)

    key_meta, user_meta = PersonalAPIKey._meta, User._meta
    key_columns = [f"k.{quote(field)}" for field in key_meta.concrete_fields]
    user_columns = [f"u.{quote(field)}" for field in user_meta.concrete_fields]
    user_id, secure_value = (quote(key_meta.get_field(name)) for name in ("user", "secure_value"))
    user_pk, is_active = quote(user_meta.pk), quote(user_meta.get_field("is_active"))
    # Names come from the models' metadata, quoted; the key is a bound parameter.
    key_table, user_table = (connection.ops.quote_name(meta.db_table) for meta in (key_meta, user_meta))
    sql = (
        f"SELECT {', '.join(key_columns + user_columns)}"  # noqa: S608
        f" FROM {key_table} k JOIN {user_table} u ON u.{user_pk} = k.{user_id}"
        f" WHERE k.{secure_value} = %s AND u.{is_active}"
    )
    fields = [*key_meta.concrete_fields, *user_meta.concrete_fields]
    compiler = connection.ops.compiler("SQLCompiler")(Query(PersonalAPIKey), connection, connection.alias)
    converters = compiler.get_converters([field.get_col(field.model._meta.db_table) for field in fields])
    key_names = tuple(field.attname for field in key_meta.concrete_fields)
    user_names = tuple(field.attname for field in user_meta.concrete_fields)
    return sql, key_names, user_names, (compiler, converters)


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
