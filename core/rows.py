"""List rows without model instances: the columns a list shows, fetched as tuples and named like the model's fields.

Building a model instance per row (and one per joined related object) was about half of a list request of 100. A
`RowShape` names the fields a list reads; `as_rows(queryset)` keeps the queryset (its filters, ordering, count and
slicing still work) but fetches only those columns, converted by the fields' own database converters as for an
instance, and yields a named tuple per row: `row.name` reads like `instance.name`.
"""

from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable


class RowShape:
    """The fields of one model a list reads, and the named tuple its rows become.

    `fields` are names `values_list` accepts (fields, `<foreign key>_id`, annotations); the first is the primary key
    (the row's `pk`). `nested` maps a foreign key to the shape of its object, fetched in the same query through the
    join (`<key>__<field>`); the nested row is None when the key is null. `properties` are computed attributes,
    typically the model's own property objects, which then read the row as they read the instance.
    """

    def __init__(
        self,
        name: str,
        fields: Sequence[str],
        *,
        nested: Mapping[str, "RowShape"] | None = None,
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        self.fields = tuple(fields)
        self.nested = dict(nested or {})
        if any(shape.nested for shape in self.nested.values()):
            raise ValueError(f"{name}: rows nest one level deep")
        # Where each nested row's columns are in a flat tuple of `columns`, and its row class.
        self._spans: list[tuple[int, int, type[tuple]]] = []
        start = len(self.fields)
        for shape in self.nested.values():
            self._spans.append((start, start + len(shape.fields), shape.row_class))
            start += len(shape.fields)
        base = namedtuple(name, [*self.fields, *self.nested])  # type: ignore[misc]  # names known at run time
        attributes = {"__slots__": (), "pk": property(itemgetter(0)), **(properties or {})}
        self.row_class: type[tuple] = type(name, (base,), attributes)
        self.columns: list[str] = [
            *self.fields,
            *(f"{key}__{column}" for key, shape in self.nested.items() for column in shape.columns),
        ]
        self._iterable = type(f"{name}Iterable", (ValuesListIterable,), {"__iter__": _rows_iter(self)})

    def as_rows(self, queryset: QuerySet) -> QuerySet:
        """`queryset` fetching only this shape's columns, one row (a named tuple) per object."""
        rows = queryset.values_list(*self.columns)
        # Django's values_list iterables are chosen by this attribute; ours converts each tuple into a row.
        rows._iterable_class = self._iterable
        return rows

    def rows(self, values: Iterable[tuple]) -> Iterator[tuple]:
        """Rows from flat tuples of `columns`."""
        new, row_class, own, spans = tuple.__new__, self.row_class, len(self.fields), self._spans
        if not spans:
            for value in values:
                yield new(row_class, value)
            return
        for value in values:
            related = [
                None if value[first] is None else new(cls, value[first:end]) for first, end, cls in spans
            ]
            yield new(row_class, (*value[:own], *related))


def _rows_iter(shape: RowShape) -> Any:
    def __iter__(self: ValuesListIterable) -> Iterator[tuple]:
        return shape.rows(ValuesListIterable.__iter__(self))

    return __iter__
