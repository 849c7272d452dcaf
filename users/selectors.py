"""Reads: which project or organization a URL names, and what a user can reach."""

import uuid
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.options import Options
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


def active_key_with_user(secure_value: str) -> PersonalAPIKey | None:
    """The key with this digest whose user is active, its `user` already attached: one fixed SQL statement.

    Every authenticated request runs it, so Django builds and compiles no query for it (like `_project_by_id_sql`);
    the row is converted with the fields' own database converters, so the instances equal what the ORM would build.
    """
    return _read_key(secure_value, project_id=None)[0]


def active_key_with_user_and_project(
    secure_value: str, project_id: int
) -> tuple[PersonalAPIKey | None, Project | None]:
    """`active_key_with_user` and, in the same statement, the project with this id annotated with `is_member` for
    the key's user (as `resolve_project` reads it), or None when no such project exists. A request under a project
    URL then costs one query for both; with no key (or an inactive user) nothing is returned of the project."""
    return _read_key(secure_value, project_id=project_id)


def project_pk(raw_id: str) -> int | None:
    """The project id a URL segment names, if it is one (digits that fit a bigint); None otherwise."""
    return int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19 else None


def _read_key(secure_value: str, *, project_id: int | None) -> tuple[PersonalAPIKey | None, Project | None]:
    connection = connections[PersonalAPIKey.objects.db]
    with_project = project_id is not None
    statement = _KEY_STATEMENTS.setdefault(connection, {}).get(with_project)
    if statement is None:
        statement = _KEY_STATEMENTS[connection][with_project] = _key_statement(connection, with_project)
    sql, names, (compiler, converters) = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, secure_value] if with_project else [secure_value])
        row = cursor.fetchone()
    if row is None:
        return None, None
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    key_names, user_names, project_names = names
    key_end, user_end = len(key_names), len(key_names) + len(user_names)
    key = PersonalAPIKey.from_db(connection.alias, key_names, row[:key_end])
    user = User.from_db(connection.alias, user_names, row[key_end:user_end])
    PersonalAPIKey.user.field.set_cached_value(key, user)
    project = None
    if with_project and row[user_end] is not None:  # the project's primary key: NULL when no such project
        project = Project.from_db(connection.alias, project_names, row[user_end:-1])
        project.is_member = bool(row[-1])  # type: ignore[attr-defined]  # as resolve_project's raw() annotates it
    return key, project


# Per connection object (each thread has its own), so converters always run against the connection that read the
# row; per connection, the statement without and with the project.
_KEY_STATEMENTS: "WeakKeyDictionary[BaseDatabaseWrapper, dict[bool, tuple]]" = WeakKeyDictionary()


def _key_statement(connection: BaseDatabaseWrapper, with_project: bool) -> tuple:
    """The key-and-user SELECT (with the project by id and `is_member` if asked), the field names and the row
    converters for one connection (built once for it)."""
    key_meta, user_meta, project_meta = PersonalAPIKey._meta, User._meta, Project._meta
    metas: list[tuple[Options, str]] = [
        (key_meta, "k"),
        (user_meta, "u"),
        *([(project_meta, "p")] if with_project else []),
    ]
    columns = [
        f"{alias}.{_column(connection, field)}" for meta, alias in metas for field in meta.concrete_fields
    ]
    user_id, secure_value = (
        _column(connection, key_meta.get_field(name)) for name in ("user", "secure_value")
    )
    user_pk, is_active = (
        _column(connection, user_meta.pk),
        _column(connection, user_meta.get_field("is_active")),
    )
    # Names come from the models' metadata, quoted; the key (and the project id) are bound parameters.
    key_table, user_table, project_table = (
        connection.ops.quote_name(meta.db_table) for meta in (key_meta, user_meta, project_meta)
    )
    project_join = ""
    if with_project:
        columns.append(_membership_exists(connection, user=f"u.{user_pk}"))
        project_join = f" LEFT JOIN {project_table} p ON p.{_column(connection, project_meta.pk)} = %s"
    sql = (
        f"SELECT {', '.join(columns)}"  # noqa: S608
        f" FROM {key_table} k JOIN {user_table} u ON u.{user_pk} = k.{user_id}{project_join}"
        f" WHERE k.{secure_value} = %s AND u.{is_active}"
    )
    fields = [field for meta, _ in metas for field in meta.concrete_fields]
    compiler = connection.ops.compiler("SQLCompiler")(Query(PersonalAPIKey), connection, connection.alias)
    converters = compiler.get_converters([field.get_col(field.model._meta.db_table) for field in fields])
    names = tuple(
        tuple(field.attname for field in meta.concrete_fields) for meta in (key_meta, user_meta, project_meta)
    )
    return sql, names, (compiler, converters)


def _membership_exists(connection: BaseDatabaseWrapper, *, user: str) -> str:
    """Whether `user` (an SQL expression) belongs to the organization of the project aliased `p`: the `is_member`
    of both fixed project statements, written from the models' metadata."""
    organization = _column(connection, Project._meta.get_field("organization"))
    m_organization, m_user = (
        _column(connection, Membership._meta.get_field(name)) for name in ("organization", "user")
    )
    table = connection.ops.quote_name(Membership._meta.db_table)
    return (
        f"EXISTS(SELECT 1 FROM {table} m"  # noqa: S608  # names from metadata, quoted
        f" WHERE m.{m_organization} = p.{organization} AND m.{m_user} = {user})"
    )


def _column(connection: BaseDatabaseWrapper, field: Any) -> str:
    """A concrete field's column, quoted (its column is never None)."""
    return connection.ops.quote_name(field.column)


def _project_by_id_sql(connection: BaseDatabaseWrapper) -> str:
    """The project with `is_member` for a user (parameters: user id, project id): a URL's numeric project id when
    the key's statement did not read it (a session login). Every such request runs it, so it is a fixed statement,
    built once per connection: Django builds and compiles no query for it (that cost more than running it)."""
    sql = _PROJECT_STATEMENTS.get(connection)
    if sql is None:
        project = Project._meta
        sql = _PROJECT_STATEMENTS[connection] = (
            f"SELECT p.*, {_membership_exists(connection, user='%s')} AS is_member"  # noqa: S608
            f" FROM {connection.ops.quote_name(project.db_table)} p"
            f" WHERE p.{_column(connection, project.pk)} = %s"
        )
    return sql


_PROJECT_STATEMENTS: "WeakKeyDictionary[BaseDatabaseWrapper, str]" = WeakKeyDictionary()


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
    elif (pk := project_pk(raw_id)) is not None:
        sql = _project_by_id_sql(connections[Project.objects.db])
        project = next(iter(Project.objects.raw(sql, [user.pk, pk])), None)
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
