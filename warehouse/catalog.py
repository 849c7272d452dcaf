"""What a project can query: PostHog's core tables, its warehouse tables and its saved queries (views)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

# PostHog's DatabaseSerializedFieldType values that a column can have.
COLUMN_TYPES = frozenset(
    {"integer", "float", "decimal", "string", "datetime", "date", "boolean", "array", "json", "unknown"}
)


@dataclass(frozen=True)
class Column:
    """One column: its name, its PostHog type and (optionally) the exact engine type behind it; without one, the
    engine stores the PostHog type its own way (warehouse/engine/<name>/types.py). A stored table's column also
    knows the ClickHouse type it was stored with (`Int32`), which the printers read (hogql/typed_columns.py)."""

    name: str
    type: str
    engine_type: str | None = None
    clickhouse_type: str | None = field(default=None, compare=False)


# Views inlined inside one another, at most (a deeper one is refused: hogql/resolver.py).
MAX_VIEW_DEPTH = 32

# A loader answers for a set of names: the project's tables (name -> columns) and views (name -> SQL) that the engine
# resolves to any of them (more is harmless; every match must be there), and the other names it answered for in
# the same call (the names those views read, fetched with them), so they are not asked for again.
CatalogLoader = Callable[
    [frozenset[str]], tuple[Mapping[str, list[Column]], Mapping[str, str], Iterable[str]]
]


@dataclass
class Catalog:
    """Everything one project can name in a query; nothing else resolves.

    With a `loader`, the project's own tables and views are fetched by name as the analysis first names them
    (`load`), so a request costs what its query reaches, not what the project holds.
    """

    project_id: int
    tables: dict[str, list[Column]]
    views: dict[str, str] = field(default_factory=dict)
    loader: CatalogLoader | None = field(default=None, repr=False, compare=False)
    looked_up: set[str] = field(default_factory=set, repr=False, compare=False)

    def load(self, names: Iterable[str]) -> None:
        """Fetch the tables and views named like any of `names` (in the engine's sense), with what the loader
        fetches along (the views those read). What is in the catalog already stays (core tables win, as does a view
        given in place of a stored one)."""
        pending = self._not_looked_up(names)
        if not pending or self.loader is None:
            return
        tables, views, answered = self.loader(frozenset(pending))
        self.looked_up.update(pending, answered)
        for name, columns in tables.items():
            self.tables.setdefault(name, columns)
        for name, sql in views.items():
            self.views.setdefault(name, sql)

    def _not_looked_up(self, names: Iterable[str]) -> set[str]:
        # A core table's name needs no look-up: a stored table or view named like one is never part of a catalog.
        return {
            name
            for name in names
            if isinstance(name, str) and name not in _CORE_TABLES and name not in self.looked_up
        }

    def has_table(self, name: str) -> bool:
        """True for any table or view the project can query."""
        self.load((name,))
        return name in self.tables or name in self.views

    def columns_of(self, name: str) -> list[Column]:
        """The columns of a physical table (KeyError when it is not one)."""
        return self.tables[name]


def _cols(*spec: str) -> list[Column]:
    """Build columns from "name:type[:ENGINE TYPE]" strings."""
    columns = []
    for item in spec:
        name, type_, *engine = item.split(":")
        columns.append(Column(name, type_, engine[0] if engine else None))
    return columns


_EVENTS = _cols(
    "uuid:string:UUID",
    "event:string",
    "properties:json",
    "timestamp:datetime",
    "distinct_id:string",
    "elements_chain:string",
    "created_at:datetime",
    "person_id:string:UUID",
    "$session_id:string",
    "$window_id:string",
    "person_mode:string",
    "$group_0:string",
    "$group_1:string",
    "$group_2:string",
    "$group_3:string",
    "$group_4:string",
    "elements_chain_href:string",
    "elements_chain_texts:array",
    "elements_chain_ids:array",
    "elements_chain_elements:array",
)

_PERSONS = _cols("id:string:UUID", "created_at:datetime", "properties:json", "is_identified:boolean")

_SESSIONS = _cols(
    "id:string",
    "session_id:string",
    "distinct_id:string",
    "$start_timestamp:datetime",
    "$end_timestamp:datetime",
    "$urls:array",
    "$num_uniq_urls:integer",
    "$entry_current_url:string",
    "$entry_pathname:string",
    "$entry_hostname:string",
    "$exit_current_url:string",
    "$exit_pathname:string",
    "$exit_hostname:string",
    "$entry_referring_domain:string",
    "$entry_utm_source:string",
    "$entry_utm_campaign:string",
    "$entry_utm_medium:string",
    "$entry_utm_term:string",
    "$entry_utm_content:string",
    "$pageview_count:integer",
    "$autocapture_count:integer",
    "$channel_type:string",
    "$session_duration:integer",
    "duration:integer",
    "$is_bounce:boolean",
)

_GROUPS = _cols(
    "index:integer", "key:string", "created_at:datetime", "updated_at:datetime", "properties:json"
)

_PERSON_DISTINCT_IDS = _cols("distinct_id:string", "person_id:string:UUID")

_CORE_TABLES: dict[str, list[Column]] = {
    "events": _EVENTS,
    "persons": _PERSONS,
    "sessions": _SESSIONS,
    "groups": _GROUPS,
    "person_distinct_ids": _PERSON_DISTINCT_IDS,
}

# Names PostHog reserves for its own tables: a view or warehouse table may not take them, even those we do not
# serve (so a name that works here keeps working when the data moves to PostHog).
CORE_TABLE_NAMES: frozenset[str] = frozenset(
    {
        *_CORE_TABLES,
        "numbers",
        "person_distinct_id_overrides",
        "person_overrides",
        "cohort_people",
        "static_cohort_people",
        "session_replay_events",
        "log_entries",
        "query_log",
        "app_metrics",
        "console_logs_log_entries",
        "batch_export_log_entries",
        "heatmaps",
        "exchange_rate",
        "raw_persons",
        "raw_groups",
        "raw_sessions",
        "raw_person_distinct_ids",
        "raw_person_distinct_id_overrides",
        "raw_cohort_people",
        "raw_session_replay_events",
        "error_tracking_issue_fingerprint_overrides",
        "web_stats_daily",
        "web_bounces_daily",
        "system",
        "information_schema",
    }
)


def core_tables() -> dict[str, list[Column]]:
    """PostHog's core tables that every project can query, with their real column names and types."""
    return {name: list(columns) for name, columns in _CORE_TABLES.items()}


def build_catalog(
    project_id: int,
    *,
    warehouse_tables: dict[str, list[Column]] | None = None,
    views: dict[str, str] | None = None,
    loader: CatalogLoader | None = None,
) -> Catalog:
    """A project's catalog: the core tables plus its own warehouse tables and saved queries (given, or fetched by
    name through `loader`)."""
    tables = core_tables()
    for name, columns in (warehouse_tables or {}).items():
        tables.setdefault(name, list(columns))
    return Catalog(project_id=project_id, tables=tables, views=dict(views or {}), loader=loader)


def first_same_table(name: str, names: Iterable[str], *, key: Callable[[str], str]) -> str | None:
    """The first of `names` that `key` (an engine's name rule) makes the same table as `name`, or None."""
    wanted = key(name)
    return next((other for other in names if key(other) == wanted), None)


def core_table_matching(name: str, *, key: Callable[[str], str]) -> str | None:
    """The PostHog core (or reserved) table that `name` is under the name rule `key`, or None."""
    return first_same_table(name, sorted(CORE_TABLE_NAMES), key=key)
