"""Name resolution: every table against the catalog (views inlined), HogQL field chains rewritten as canonical nodes.

Tables are named by the engine (the `table` callback, an engine's `table()`), so the compiler never spells them.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from warehouse.catalog import MAX_VIEW_DEPTH, Catalog
from warehouse.hogql.bounds import check_time
from warehouse.hogql.errors import CycleError, HogQLError
from warehouse.hogql.nodes import JSONProperty

# meta key: the field chain a resolved expression was written as (`person.properties.email`).
WRITTEN_AS = "written_as"
PERSON_FIELDS = {"id": "string", "created_at": "datetime", "properties": "json", "is_identified": "boolean"}


@dataclass
class Source:
    """What one FROM/JOIN alias in a scope stands for."""

    alias: str
    columns: (
        dict[str, str] | None
    )  # name -> PostHog type ("unknown" when not known); None: cannot tell (star)
    table: str = ""  # the core table it reads, "" for a subquery, CTE or view

    @property
    def is_events(self) -> bool:
        return self.table == "events"


# PostHog's lazy joins on events: `pdi` (the event's person_distinct_ids row) and `poe` (its person, as stored on the
# event). Each field maps to an events column or, prefixed "person.", to the event's person.
EVENTS_JOINS = {
    "pdi": {"distinct_id": "distinct_id", "person_id": "person_id", "person": "person."},
    "poe": {"id": "person_id", "created_at": "person.created_at", "properties": "person.properties"},
}


# PostHog's `group_0` ... `group_4` on events: the event's group of that type (groups.index = n, key = $group_n).
GROUP_JOIN = re.compile(r"group_([0-4])")


@dataclass
class Resolver:
    """Resolves one query (and, recursively, the views it reads) against a project's catalog."""

    catalog: Catalog
    table: Callable[[int, str], exp.Table]  # (project id, name) -> the engine's fully qualified table
    expand_view: Callable  # (name, stack) -> analysed canonical tree of that view (the caller's to keep)
    stack: tuple[str, ...] = ()
    dependencies: list[str] = field(default_factory=list)
    physical_tables: set[str] = field(default_factory=set)
    inlined_views: list[exp.Subquery] = field(default_factory=list)  # the views this query reads, as inlined
    _session_joins: set[tuple[int, str]] = field(default_factory=set)

    def resolve(self, root: exp.Expr) -> None:
        """Rewrite `root` in place: tables to engine tables or inlined views, HogQL chains to canonical nodes."""
        table_swaps: list[tuple[exp.Table, exp.Expr]] = []
        self.catalog.load(_table_names(root))  # one batch for the whole query (and the views it reads)
        for scope in traverse_scope(root):
            check_time()
            sources = self._sources(scope, table_swaps)
            self._rewrite_chains(scope, sources)
        # Checked before the views go in, so only this query's own tree is walked (inlined views are resolved).
        swapped = {id(old) for old, _ in table_swaps}
        for table in root.find_all(exp.Table):
            if id(table) not in swapped and not table.meta.get("resolved") and not table.meta.get("cte"):
                raise HogQLError(f'Invalid query: Unknown table "{table.sql(dialect="clickhouse")}".')
        for old, new in table_swaps:
            old.replace(new)

    def _sources(self, scope: Scope, swaps: list) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for alias, source in scope.sources.items():
            if isinstance(source, Scope):
                for table in scope.tables:
                    if table.alias_or_name == alias:
                        table.meta["cte"] = True
                sources[alias] = Source(alias, _output_columns(source.expression))
            elif isinstance(source, exp.Table) and not source.meta.get("resolved"):
                sources[alias] = self._resolve_table(source, alias, swaps)
        return sources

    def _resolve_table(self, table: exp.Table, alias: str, swaps: list) -> Source:
        if table.args.get("db") or table.args.get("catalog") or not isinstance(table.this, exp.Identifier):
            raise HogQLError(f'Invalid query: Unknown table "{table.sql(dialect="clickhouse")}".')
        name = table.name
        self.catalog.load((name,))  # loaded with the query's names already: a look-up only if they were not
        if name not in self.dependencies:
            self.dependencies.append(name)
        if name in self.catalog.views and name in self.stack:
            raise CycleError()
        if name in self.catalog.tables:
            self.physical_tables.add(name)
            swaps.append((table, self._engine_table(name, alias)))
            columns = {column.name: column.type for column in self.catalog.tables[name]}
            return Source(alias, columns, table=name)
        if name in self.catalog.views:
            if len(self.stack) >= MAX_VIEW_DEPTH:
                raise HogQLError("Invalid query: views are nested too deeply")
            view_tree, physical = self.expand_view(name, self.stack + (name,))
            self.physical_tables.update(physical)
            view_columns = _output_columns(view_tree)
            subquery = exp.Subquery(this=view_tree, alias=exp.TableAlias(this=exp.to_identifier(alias)))
            subquery.meta["view"] = True  # analysed already: qualified as a table of its columns (analyze.py)
            self.inlined_views.append(subquery)
            swaps.append((table, subquery))
            return Source(alias, view_columns)
        raise HogQLError(f'Invalid query: Unknown table "{name}".')

    def _rewrite_chains(self, scope: Scope, sources: dict[str, Source]) -> None:
        for column in list(scope.columns):
            node, chain = _outermost_chain(column)
            replacement = self._chain_expression(chain, sources, scope.expression) if len(chain) > 1 else None
            subscript = replacement is None and _json_subscript(column, chain, sources)
            if subscript:
                replacement = subscript
            if replacement is None:
                continue
            node, replacement = _extend_json_path(node, replacement, chain)
            replacement.meta[WRITTEN_AS] = ".".join(chain)  # for messages (type_checks.py)
            if isinstance(node.parent, exp.Select) and node.arg_key == "expressions" and not subscript:
                replacement = exp.Alias(this=replacement, alias=exp.to_identifier(chain[-1], quoted=True))
            node.replace(replacement)

    def _engine_table(self, name: str, alias: str) -> exp.Table:
        """A fully qualified reference to one of the project's own tables, so nothing else can be reached."""
        table = self.table(self.catalog.project_id, name).copy()
        table.set("alias", exp.TableAlias(this=exp.to_identifier(alias, quoted=True)))
        table.meta["resolved"] = True
        return table

    def _chain_expression(
        self, chain: list[str], sources: dict[str, Source], select: exp.Expr
    ) -> exp.Expr | None:
        """The engine expression for a field chain, or None when it is an ordinary [table.]column."""
        if chain[0] in sources:
            source, rest = sources[chain[0]], chain[1:]
        else:
            source, rest = None, chain
        if len(rest) == 1 and source is not None:
            return None
        head = rest[0]
        if head in EVENTS_JOINS and head not in sources and (source is None or source.is_events):
            return self._events_join_field(source, sources, rest, chain)
        if head == "person":
            owner = source if source is not None else _single(sources, _has_person, chain)
            if owner is None or owner.table not in ("events", "person_distinct_ids"):
                raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
            return self._person_field(owner, rest[1:], chain)
        group = GROUP_JOIN.fullmatch(head)
        if group and (source is None or source.is_events) and head not in sources:
            events = source if source is not None else _single(sources, lambda s: s.is_events, chain)
            if events is None or not isinstance(select, exp.Select):
                raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
            return self._group_field(select, events, int(group[1]), rest[1:], chain)
        if head == "session" and (source is None or source.is_events) and "session" not in sources:
            events = source if source is not None else _single(sources, lambda s: s.is_events, chain)
            if events is None or not isinstance(select, exp.Select):
                raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
            return self._session_field(select, events, rest[1:], chain)
        if source is None:
            source = _single(sources, lambda s: s.columns is not None and head in s.columns, chain)
            if source is None:
                raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        kind = (source.columns or {}).get(head)
        if source.columns is not None and kind is None:
            raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        if kind not in ("json", "unknown", None):
            raise HogQLError(
                f"Invalid query: {head} is not a JSON field, cannot read {'.'.join(rest[1:])} from it"
            )
        return json_property(exp.column(head, table=source.alias, quoted=True), rest[1:])

    def _events_join_field(
        self, source: Source | None, sources: dict[str, Source], rest: list[str], chain: list[str]
    ) -> exp.Expr:
        """`pdi.person_id`, `pdi.person.properties.email`, `poe.id`, ... on events: PostHog's lazy joins, read from the
        event's own columns (pdi.person_id is the event's person_id, as PostHog defines events.person_id) and its
        person (poe.properties: the person's current properties; PostHog's are those stored on the event)."""
        events = source if source is not None else _single(sources, lambda s: s.is_events, chain)
        target = EVENTS_JOINS[rest[0]].get(rest[1]) if len(rest) > 1 else None
        if events is None or target is None:
            raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        if target.startswith("person."):
            person_rest = [part for part in target.removeprefix("person.").split(".") if part] + rest[2:]
            return self._person_field(events, person_rest, chain)
        if len(rest) > 2:
            raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        return exp.column(target, table=events.alias, quoted=True)

    def _person_field(self, events: Source, rest: list[str], chain: list[str]) -> exp.Expr:
        if not rest or rest[0] not in PERSON_FIELDS or (len(rest) > 1 and rest[0] != "properties"):
            raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        self.physical_tables.add("persons")
        value: exp.Expr = exp.column(rest[0], table="__person", quoted=True)
        if len(rest) > 1:
            value = json_property(value, rest[1:])
        match = exp.EQ(
            this=exp.column("id", table="__person", quoted=True),
            expression=exp.column("person_id", table=events.alias, quoted=True),
        )
        lookup = exp.select(value).from_(self._engine_table("persons", "__person")).where(match).limit(1)
        return exp.Subquery(this=lookup)

    def _session_field(
        self, select: exp.Select, events: Source, rest: list[str], chain: list[str]
    ) -> exp.Expr:
        """`session.<column>` on events: the event's session (sessions.session_id = events.$session_id), joined
        once per events source of the query (a LEFT JOIN: an event without a session reads NULL)."""
        columns = {column.name for column in self.catalog.tables["sessions"]}
        if len(rest) != 1 or rest[0] not in columns:
            raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        alias = f"__session_{events.alias}"
        if (id(select), alias) not in self._session_joins:
            self._session_joins.add((id(select), alias))
            self.physical_tables.add("sessions")
            match = exp.EQ(
                this=exp.column("session_id", table=alias, quoted=True),
                expression=exp.column("$session_id", table=events.alias, quoted=True),
            )
            select.join(self._engine_table("sessions", alias), on=match, join_type="LEFT", copy=False)
        return exp.column(rest[0], table=alias, quoted=True)

    def _group_field(
        self, select: exp.Select, events: Source, index: int, rest: list[str], chain: list[str]
    ) -> exp.Expr:
        """`group_<n>.<column>` on events (`group_0.properties.name`): the event's group of type n, the groups row
        with index n and key events.$group_<n>, joined once per events source (LEFT: no group reads NULL)."""
        columns = {column.name for column in self.catalog.tables["groups"]}
        if not rest or rest[0] not in columns or (len(rest) > 1 and rest[0] != "properties"):
            raise HogQLError(f"Invalid query: Unable to resolve field: {'.'.join(chain)}")
        alias = f"__group_{index}_{events.alias}"
        if (id(select), alias) not in self._session_joins:
            self._session_joins.add((id(select), alias))
            self.physical_tables.add("groups")
            match = exp.and_(
                exp.EQ(
                    this=exp.column("index", table=alias, quoted=True), expression=exp.Literal.number(index)
                ),
                exp.EQ(
                    this=exp.column("key", table=alias, quoted=True),
                    expression=exp.column(f"$group_{index}", table=events.alias, quoted=True),
                ),
            )
            select.join(self._engine_table("groups", alias), on=match, join_type="LEFT", copy=False)
        value = exp.column(rest[0], table=alias, quoted=True)
        return json_property(value, rest[1:]) if len(rest) > 1 else value


def _table_names(root: exp.Expr) -> set[str]:
    """The names the query's FROM and JOIN clauses read (CTEs among them), as the resolver will look them up."""
    return {
        table.name
        for table in root.find_all(exp.Table)
        if isinstance(table.this, exp.Identifier)
        and not table.args.get("db")
        and not table.args.get("catalog")
    }


def json_property(column: exp.Expr, path: list[str]) -> JSONProperty:
    """A JSON property read as a string, as PostHog returns properties (`properties.$browser`)."""
    return JSONProperty(this=column, expressions=[exp.Literal.string(part) for part in path])


def _extend_json_path(node: exp.Expr, read: exp.Expr, chain: list[str]) -> tuple[exp.Expr, exp.Expr]:
    """`properties.arr[1].id`: indexes and keys after a JSON property read extend its path (arr, 1, id)."""
    if not isinstance(read, JSONProperty):
        return node, read
    path = [part.copy() for part in read.expressions]
    while True:
        parent = node.parent
        if isinstance(parent, exp.Bracket) and parent.this is node and len(parent.expressions) == 1:
            step = _json_index(parent.expressions[0])  # the parser stores indexes 0-based
            if step is None and not path and not _is_number(parent.expressions[0]):
                step = parent.expressions[
                    0
                ].copy()  # `properties[(select 'k')]`: a key known when the query runs
            if step is None:
                break
            path.append(step)
        elif (
            isinstance(parent, exp.Dot)
            and parent.this is node
            and isinstance(parent.expression, exp.Identifier)
        ):
            name = parent.expression.name
            path.append(exp.Literal.string(name))
            chain.append(name)
        else:
            break
        node = parent
    return node, JSONProperty(this=read.this.copy(), expressions=path)


def _json_subscript(column: exp.Column, chain: list[str], sources: dict[str, Source]) -> JSONProperty | None:
    """`properties['$browser']` (a JSON column subscripted, as PostHog reads properties.$browser), else None."""
    parent = column.parent
    if not (isinstance(parent, exp.Bracket) and parent.this is column and len(parent.expressions) == 1):
        return None
    if _is_number(parent.expressions[0]) or len(chain) > 2:
        return None
    if len(chain) == 2:
        source = sources.get(chain[0])
    else:
        source = _single(sources, lambda s: s.columns is not None and chain[0] in s.columns, chain)
    if source is None or (source.columns or {}).get(chain[-1]) != "json":
        return None
    return json_property(exp.column(chain[-1], table=source.alias, quoted=True), [])


def _is_number(node: exp.Expr) -> bool:
    node = node.this if isinstance(node, exp.Neg) else node
    return isinstance(node, exp.Literal) and not node.is_string


def _json_index(index: exp.Expr) -> exp.Expr | None:
    """The ClickHouse index (1 first, -1 last) of a stored subscript, or None when it is not a constant one."""
    if isinstance(index, exp.Literal) and index.is_string:
        return index.copy()
    if isinstance(index, exp.Neg) and isinstance(index.this, exp.Literal) and index.this.this == "1":
        raise HogQLError("Invalid query: SQL indexes start from one, not from zero. E.g: array[1]")
    if isinstance(index, exp.Literal) and index.is_int:
        return exp.Literal.number(int(index.this) + 1)  # the parser stores arr[1] as 0
    if isinstance(index, exp.Neg) and isinstance(index.this, exp.Literal) and index.this.is_int:
        from_end = int(index.this.this) - 1  # HogQL's arr[-1] is stored as -2
        return exp.Literal.number(-from_end) if from_end > 0 else None
    return None


def _output_columns(query: exp.Expr) -> dict[str, str] | None:
    """Names a subquery/CTE/view exposes (types unknown), or None when a star hides them."""
    select = query
    while isinstance(select, exp.SetOperation):
        select = select.this
    if isinstance(select, exp.Subquery):
        return _output_columns(select.this)
    if not isinstance(select, exp.Select):
        return None
    if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and e.is_star) for e in select.expressions):
        return None
    return {name: "unknown" for name in select.named_selects}


def _outermost_chain(column: exp.Column) -> tuple[exp.Expr, list[str]]:
    """The full dotted chain a column starts (`a.b.c.d.e` is a Column wrapped in Dots)."""
    chain = [part.name for part in column.parts]
    node: exp.Expr = column
    while isinstance(node.parent, exp.Dot) and node.parent.this is node:
        node = node.parent
        chain.append(node.expression.name)
    return node, chain


def _single(sources: dict[str, Source], wanted, chain: list[str]) -> Source | None:
    matches = [source for source in sources.values() if wanted(source)]
    if len(matches) > 1:
        raise HogQLError(f"Invalid query: Ambiguous field {'.'.join(chain)}: qualify it with a table alias")
    return matches[0] if matches else None


def _has_person(source: Source) -> bool:
    return source.table in ("events", "person_distinct_ids")
