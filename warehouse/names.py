"""When two table names are the same table: decided once, by the rules of the configured engine.

DuckDB resolves identifiers case-insensitively (ASCII letters only, quoted or not), so `Events`, `EVENTS` and
`events` are one table. Every comparison of a view or table name with another (PostHog's core tables, the
project's views and loaded tables, the engine's own guards before DROP/CREATE/swap) goes through `name_key`,
so a name that differs only in case can never replace, drop or shadow another table. Each engine owns its rule
(`Engine.name_key`); ClickHouse, although case-sensitive itself, uses DuckDB's, so one rule holds on every engine.
The database's unique constraints compare lower(name), which agrees with it for the ASCII names the name pattern
allows.
"""

from collections.abc import Callable, Iterable

from warehouse.catalog import core_table_matching, first_same_table
from warehouse.engine import get_engine

NameKey = Callable[[str], str]


def name_key(name: str) -> str:
    """The key under which the configured engine resolves `name`: equal keys are the same table."""
    return get_engine().name_key(name)


def same_table_as(name: str, names: Iterable[str], *, key: NameKey | None = None) -> str | None:
    """The first of `names` that the engine resolves to the same table as `name`, or None."""
    return first_same_table(name, names, key=key or name_key)


def core_table_named(name: str, *, key: NameKey | None = None) -> str | None:
    """The PostHog core (or reserved) table that `name` resolves to, or None."""
    return core_table_matching(name, key=key or name_key)
