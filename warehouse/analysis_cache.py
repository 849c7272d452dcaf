"""Analysed `/query/` queries kept per process, so a repeated query skips HogQL analysis.

An analysis depends on the query text, the engine it was printed for, the project, the settings and the catalog rows
it read (`/query/` reads nothing else from the request: no values, modifiers or filters; a new input to analysis must
join the key). The key holds the first three; a changed setting empties the cache (settings change only in tests). The
rows are checked on every hit: the tables and views named like the names the analysis looked up (and what those
views read) are fetched again by name, in one query, and compared with a digest of what the analysis was given. A
query over PostHog's core tables alone looks nothing up, so its hit costs no query. Bounded by entries and by
estimated bytes (WAREHOUSE_QUERY_CACHE_ENTRIES, WAREHOUSE_QUERY_CACHE_BYTES), least recently used out first.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.signals import setting_changed

from users.models import Project
from warehouse.catalog import Catalog, Column, build_catalog
from warehouse.hogql import AnalyzedQuery, Target, analyze_view
from warehouse.selectors import catalog_for, tables_and_views_reached

# Estimated bytes a kept syntax-tree node costs (tracemalloc on analysed queries: 400-700 with what it holds).
TREE_NODE_BYTES = 1024


@dataclass(frozen=True)
class CachedAnalysis:
    """One analysis and what it read. Shared by threads: nothing changes it (engines leave the tree unchanged)."""

    analyzed: AnalyzedQuery
    names: frozenset[str]  # the names the analysis looked up in the catalog (core tables need none)
    fingerprint: bytes  # digest of the tables and views those names reached when it was analysed
    size: int  # estimated bytes


@dataclass
class AnalysisCache:
    """A thread-safe LRU of analyses under an entry and a byte bound (read when an entry is added)."""

    _entries: OrderedDict[tuple, CachedAnalysis] = field(default_factory=OrderedDict)
    _bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple) -> CachedAnalysis | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: CachedAnalysis, *, max_entries: int, max_bytes: int) -> None:
        """Keep `entry`, dropping the least recently used ones past either bound; one larger than the byte bound
        is not kept."""
        with self._lock:
            self._drop(key)
            if max_entries <= 0 or entry.size > max_bytes:
                return
            self._entries[key] = entry
            self._bytes += entry.size
            while len(self._entries) > max_entries or self._bytes > max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def stats(self) -> tuple[int, int]:
        """(entries, estimated bytes)."""
        with self._lock:
            return len(self._entries), self._bytes


ANALYSES = AnalysisCache()


def _settings_changed(**kwargs) -> None:
    ANALYSES.clear()  # any setting may change an analysis (bounds, names); they change only in tests


setting_changed.connect(_settings_changed, dispatch_uid="warehouse.analysis_cache")


def analyze_query(*, project: Project, sql: str, target: Target) -> tuple[Catalog, AnalyzedQuery]:
    """`analyze_view(sql)` over the project's catalog for `target` (a HogQLError for a bad query), kept for the next
    request with the same text while the catalog rows it read are unchanged. The analysis returned is shared:
    callers must not change it."""
    key = (type(target), project.pk, sql)
    entry = ANALYSES.get(key)
    if entry is not None and _fingerprint(*_rows_named(project, entry.names)) == entry.fingerprint:
        return catalog_for(project=project), entry.analyzed
    loader = _RecordingLoader(project)
    catalog = build_catalog(project.pk, loader=loader)
    analyzed = analyze_view(sql, catalog, target)
    ANALYSES.put(
        key,
        CachedAnalysis(
            analyzed=analyzed,
            names=frozenset(loader.names),
            fingerprint=_fingerprint(loader.tables, loader.views),
            size=_estimated_size(sql, analyzed, loader.names),
        ),
        max_entries=int(settings.WAREHOUSE_QUERY_CACHE_ENTRIES),
        max_bytes=int(settings.WAREHOUSE_QUERY_CACHE_BYTES),
    )
    return catalog, analyzed


class _RecordingLoader:
    """The project's catalog loader (selectors.tables_and_views_reached), remembering what it was asked and gave:
    the first answer for a name, as the catalog keeps the first."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.names: set[str] = set()
        self.tables: dict[str, list[Column]] = {}
        self.views: dict[str, str] = {}

    def __call__(self, names: frozenset[str]) -> tuple[dict[str, list[Column]], dict[str, str], set[str]]:
        tables, views, answered = tables_and_views_reached(project=self.project, names=names)
        self.names.update(names, answered)
        for name, columns in tables.items():
            self.tables.setdefault(name, columns)
        for name, sql in views.items():
            self.views.setdefault(name, sql)
        return tables, views, answered


def _rows_named(
    project: Project, names: Iterable[str]
) -> tuple[Mapping[str, list[Column]], Mapping[str, str]]:
    """The tables and views the loader reaches from `names` now (every name at once: one query, none for none)."""
    tables, views, _ = tables_and_views_reached(project=project, names=names)
    return tables, views


def _fingerprint(tables: Mapping[str, list[Column]], views: Mapping[str, str]) -> bytes:
    """A digest of tables (names, columns and their types) and views (names and SQL), in any order."""
    rows = (
        sorted((name, tuple(columns)) for name, columns in tables.items()),
        sorted(views.items()),
    )
    return hashlib.sha256(repr(rows).encode()).digest()


def _estimated_size(sql: str, analyzed: AnalyzedQuery, names: Iterable[str]) -> int:
    texts = len(sql) + len(analyzed.hogql) + len(analyzed.engine_sql) + sum(len(name) for name in names)
    return texts + TREE_NODE_BYTES * sum(1 for _ in analyzed.tree.walk())
