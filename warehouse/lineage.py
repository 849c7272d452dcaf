"""The dependency graph of a project's live views (each view's stored direct dependencies) and every walk over
it: the lineage the API shows, the materialized views a run reaches, and the order runs go in."""

import uuid
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from typing import Literal, TypeVar

from users.models import Project
from warehouse.models import SavedQuery

Direction = Literal["ancestors", "descendants"]
Node = TypeVar("Node", bound=Hashable)


def live_views(*, project_id: int) -> dict[str, SavedQuery]:
    """The project's live views by name."""
    return {v.name: v for v in SavedQuery.objects.filter(project_id=project_id, deleted=False)}


def lineage(
    *, project: Project, saved_query: SavedQuery, direction: Direction, level: int | None
) -> list[str]:
    """What `saved_query` reads from (ancestors) or what reads from it (descendants), up to `level` hops.

    Views come back as dashed UUID strings, tables as names, nearest first.
    """
    views = list(
        SavedQuery.objects.filter(project=project, deleted=False).values_list("id", "name", "dependencies")
    )
    by_name = {name: view_id for view_id, name, _ in views}
    edges: dict[uuid.UUID | str, list[uuid.UUID | str]] = {}
    for view_id, _, dependencies in views:
        for dependency in dependencies or []:
            parent = by_name.get(dependency, dependency)  # a view's id, or a table's name (a leaf)
            if direction == "ancestors":
                edges.setdefault(view_id, []).append(parent)
            elif isinstance(parent, uuid.UUID):
                edges.setdefault(parent, []).append(view_id)
    return [str(node) for node in reachable(saved_query.pk, edges, level=level)]


def materialized_descendants(*, view: SavedQuery) -> list[SavedQuery]:
    """Materialized views that read `view` (through any views), each after everything it reads in this set."""
    views = live_views(project_id=view.project_id)
    children: dict[str, list[str]] = {}
    for name, other in views.items():
        for dependency in other.dependencies or []:
            children.setdefault(dependency, []).append(name)
    ordered = dependency_order(names=set(reachable(view.name, children)), views=views)
    return [views[name] for name in ordered if views[name].is_materialized]


def ancestor_names(*, name: str, views: dict[str, SavedQuery]) -> set[str]:
    """Every view `name` reads, directly or through other views."""
    parents = {
        view_name: [dependency for dependency in view.dependencies or [] if dependency in views]
        for view_name, view in views.items()
    }
    return set(reachable(name, parents))


def dependency_order(*, names: set[str], views: dict[str, SavedQuery]) -> list[str]:
    """`names` sorted so that each comes after the views (in `names`) it reads, directly or not (Kahn)."""
    ancestors = {name: ancestor_names(name=name, views=views) & names for name in names}
    ordered: list[str] = []
    remaining = dict(ancestors)
    while remaining:
        ready = sorted(n for n, deps in remaining.items() if not (deps - set(ordered)))
        if not ready:  # a cycle (validation refuses them): keep a stable order rather than loop
            ready = sorted(remaining)
        for name in ready:
            ordered.append(name)
            remaining.pop(name)
    return ordered


def reachable(start: Node, edges: Mapping[Node, Iterable[Node]], *, level: int | None = None) -> list[Node]:
    """Every node reachable from `start` along `edges` (not `start` itself), nearest first, at most `level` hops."""
    found: list[Node] = []
    seen = {start}
    queue: deque[tuple[Node, int]] = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if level is not None and depth >= level:
            continue
        for target in edges.get(node, ()):
            if target not in seen:
                seen.add(target)
                found.append(target)
                queue.append((target, depth + 1))
    return found
