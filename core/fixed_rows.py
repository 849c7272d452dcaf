"""A one-row query of fixed shape compiled once per database connection: each request only binds its values.

A retrieve's object query is the same queryset on every request but for two values, the project and the primary
key, and Django builds and compiles it anew each time: about a third of a retrieve's CPU, more than running it. A
`FixedRowQuery` builds the queryset once per connection with placeholder values, keeps Django's own SQL and
parameters, and on each call puts the request's values where the placeholders were. The queryset still comes from
the caller's code (for a viewset, its project-narrowed `get_queryset`), so every filter and join it applies is in the
statement; a placeholder that does not appear in the compiled parameters makes the statement unusable (`None`), and
the caller falls back to the ORM.

Rows come out as the `RowShape`'s named tuples (core/rows.py), converted by the fields' own database converters, as
the queryset's own `values_list` would give them.
"""

import uuid
from collections.abc import Callable, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet, UUIDField

from core.rows import RowShape

# Placeholder values no real parameter equals: an integer project id, and a primary key of the model's type.
PROJECT_PLACEHOLDER = 2_147_480_077


def placeholder_for(field: Field) -> Any:
    """A distinctive value for a primary key field: a fixed UUID for a UUIDField, a large integer otherwise."""
    if isinstance(field, UUIDField):
        return uuid.UUID("5eed0000-f1ed-4000-8000-00000000beef")
    return 2_147_480_099


class _Statement:
    """The compiled SQL for one connection, where each placeholder's value goes, and how rows are converted."""

    def __init__(
        self, rows: QuerySet, compiler: Any, compiled: tuple[str, Any], slots: dict[str, list[int]]
    ) -> None:
        self.sql, params = compiled
        self.params = list(params)
        self.slots = slots
        self.compiler = compiler
        selected = compiler.select[: compiler.col_count]
        self.converters = compiler.get_converters([column[0] for column in selected])
        # The row is named in the order values_list was asked for; read the compiled columns by their aliases.
        aliases = [alias for _, _, alias in selected]
        asked = list(rows._fields)  # type: ignore[attr-defined]  # set by values_list
        self.order = None if aliases == asked else [aliases.index(name) for name in asked]


class FixedRowQuery:
    """Rows of `shape` of a queryset of `model` built once per connection; `row(build, **values)` runs it.

    `placeholders` maps each varying value's name to the model field it is compared with and a distinctive
    placeholder value of that field's type (one no real parameter of the query would equal). `build` is called with
    the placeholders, only when a connection has no statement yet.
    """

    def __init__(
        self, shape: RowShape, model: type[Model], placeholders: Mapping[str, tuple[Field, Any]]
    ) -> None:
        self.shape = shape
        self.model = model
        self.placeholders = dict(placeholders)
        self._statements: WeakKeyDictionary[BaseDatabaseWrapper, _Statement | None] = WeakKeyDictionary()

    def row(self, build: Callable[..., QuerySet], **values: Any) -> tuple | None:
        """The one row for these values; None when there is none, or when the statement cannot be fixed."""
        connection = connections[router.db_for_read(self.model)]
        if connection not in self._statements:
            queryset = build(**{name: placeholder for name, (_, placeholder) in self.placeholders.items()})
            self._statements[connection] = self._compile(self.shape.as_rows(queryset), connection)
        statement = self._statements[connection]
        if statement is None:
            return None
        bound = list(statement.params)
        for name, positions in statement.slots.items():
            field = self.placeholders[name][0]
            try:
                value = field.get_db_prep_value(field.to_python(values[name]), connection)
            except (
                ValidationError,
                TypeError,
                ValueError,
            ):  # a malformed id: the caller's ORM path answers it
                return None
            for position in positions:
                bound[position] = value
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, bound)
            found = cursor.fetchmany(2)
        if len(found) != 1:
            return None
        if statement.converters:
            found = list(statement.compiler.apply_converters(found, statement.converters))
        flat = tuple(found[0])
        if statement.order is not None:
            flat = tuple(flat[index] for index in statement.order)
        return next(self.shape.rows([flat]))

    def _compile(self, rows: QuerySet, connection: BaseDatabaseWrapper) -> _Statement | None:
        compiler = rows.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots: dict[str, list[int]] = {}
        for name, (field, placeholder) in self.placeholders.items():
            prepared = field.get_db_prep_value(placeholder, connection)
            slots[name] = [index for index, param in enumerate(params) if param == prepared]
            if not slots[name]:
                return None
        return _Statement(rows, compiler, (sql, params), slots)
