"""analyze_view: parse, refuse what a view may not do, resolve against the catalog into a canonical tree.

The tree is engine-neutral: ClickHouse's function names, sqlglot's nodes and the compiler's own (nodes.py), with
HogQL's meaning made explicit (operators.py). The target engine names the tables and prints the tree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp
from sqlglot.errors import OptimizeError, SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from warehouse.catalog import Catalog
from warehouse.hogql.bounds import (
    AnalysisLimitError,
    analysis_budget,
    balance_connectors,
    check_text,
    check_time,
    check_tree,
)
from warehouse.hogql.clauses import check_clauses, rewrite_clauses
from warehouse.hogql.dialect import HogQL, parse_statements, to_hogql
from warehouse.hogql.errors import HogQLError, PlaceholderError
from warehouse.hogql.functions import (
    canonical_comparisons,
    check_function,
    check_nested_aggregates,
    function_name,
)
from warehouse.hogql.limit_values import check_limit_values
from warehouse.hogql.macros import expand_macros
from warehouse.hogql.operators import rewrite_operators
from warehouse.hogql.resolver import Resolver
from warehouse.hogql.target import Target
from warehouse.hogql.type_checks import check_types
from warehouse.hogql.typed_columns import mark_typed_columns

# Column types do not matter to qualification (names do); one neutral type keeps the schema engine-free.
_SCHEMA_TYPE = "String"

# Statement kinds that can never be part of a view, wherever they hide.
_FORBIDDEN_NODES: tuple[type[exp.Expr], ...] = (
    exp.DDL,
    exp.DML,
    exp.Command,
    exp.Into,
    exp.Pragma,
    exp.Set,
    exp.Copy,
    exp.Use,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Describe,
)


@dataclass
class AnalyzedQuery:
    """A validated query: what it reads, its normalised HogQL, its canonical tree and the target engine's SQL."""

    hogql: str
    tree: exp.Expr = field(repr=False, compare=False)  # canonical: what engines run (Engine.run_query)
    engine_sql: str  # the tree as the target engine prints it (shown by /query/)
    dependencies: list[str]
    tables: list[str] = field(default_factory=list)  # physical catalog tables read, views expanded


def analyze_view(
    sql: str, catalog: Catalog, target: Target, *, view_name: str | None = None
) -> AnalyzedQuery:
    """Validate `sql` as a view of `catalog`'s project for the `target` engine (which names the tables and prints
    the tree); raise HogQLError (or a subclass) with the client message."""
    cache: dict[str, tuple[exp.Expr, set[str]]] = {}

    def expand_view(name: str, stack: tuple[str, ...]) -> tuple[exp.Expr, set[str]]:
        """The view's analysed tree, for the caller to inline: the first caller gets the tree itself (a chain of
        views is never copied), any other a copy (the view is read twice)."""
        if name in cache:
            tree, tables = cache[name]
            return tree.copy(), tables
        analyzed = _analyze(catalog.views[name], catalog, target, stack, expand_view)
        cache[name] = (analyzed.tree, set(analyzed.tables))
        return analyzed.tree, cache[name][1]

    stack = (view_name,) if view_name else ()
    try:
        with analysis_budget():
            analyzed = _analyze(sql, catalog, target, stack, expand_view)
            analyzed.engine_sql = target.to_sql(analyzed.tree)
            return analyzed
    except RecursionError as err:  # a backstop: the depth bound is checked before parsing
        raise AnalysisLimitError("Invalid query: the query is nested too deeply") from err


def _analyze(
    sql: str, catalog: Catalog, target: Target, stack: tuple[str, ...], expand_view
) -> AnalyzedQuery:
    if not isinstance(sql, str) or not sql.strip():
        raise HogQLError("Invalid query: the query is empty")
    check_text(sql)
    statements = parse_statements(sql)
    if len(statements) != 1:
        raise HogQLError("Invalid query: a view must be exactly one SELECT statement")
    root = statements[0]
    expand_macros(root)
    balance_connectors(root)
    check_tree(root)
    _refuse_non_select(root, target)
    hogql = to_hogql(root)
    check_clauses(root, target.label)
    check_limit_values(root)
    rewrite_clauses(root, target.label)
    _name_expressions(root)
    canonical_comparisons(root)
    rewrite_operators(root)
    check_time()
    resolver = Resolver(catalog=catalog, table=target.table, expand_view=expand_view, stack=stack)
    resolver.resolve(root)
    check_tree(root)  # saved queries are inlined now
    root = _qualify(root, catalog, target, resolver.physical_tables, resolver.inlined_views)
    mark_typed_columns(root, catalog, resolver.physical_tables)
    check_types(root, catalog, resolver.physical_tables)
    check_time()
    return AnalyzedQuery(
        hogql=hogql,
        engine_sql="",
        dependencies=list(resolver.dependencies),
        tables=sorted(resolver.physical_tables),
        tree=root,
    )


def _refuse_non_select(root: exp.Expr, target: Target) -> None:
    """Only a SELECT (with CTEs, joins, subqueries, set operations) and allowlisted functions may pass."""
    if not isinstance(root, exp.Query):
        kind = root.key.upper() if not isinstance(root, exp.Command) else str(root.this).upper()
        raise HogQLError(f"Invalid query: only SELECT queries are allowed in views, not {kind}")
    for node in root.walk():
        if isinstance(node, exp.Placeholder | exp.Parameter):
            raise PlaceholderError("Filters and placeholder expressions are not allowed in views")
        if isinstance(node, _FORBIDDEN_NODES):
            raise HogQLError(f"Invalid query: {node.key.upper()} is not allowed in views")
        if isinstance(node, exp.Select) and (node.args.get("settings") or node.args.get("format")):
            raise HogQLError("Invalid query: SETTINGS and FORMAT clauses are not allowed in views")
        if (
            isinstance(node, exp.Table)
            and isinstance(node.parent, exp.Join)
            and node.parent.side.upper() == "ARRAY"
        ):
            continue  # INNER ARRAY JOIN <array> AS e parses as a table; clauses.py translates it
        if isinstance(node, exp.Table) and not isinstance(node.this, exp.Identifier):
            name = function_name(node.this) if isinstance(node.this, exp.Func) else node.this.sql()
            raise HogQLError(f"Invalid query: table functions like {name}() are not allowed")
    for node in root.find_all(exp.Func):
        check_function(node, target)
    check_nested_aggregates(root)


def _name_expressions(root: exp.Expr) -> None:
    """Name unaliased computed columns by their HogQL text (`count()`), as ClickHouse does."""
    for select in root.find_all(exp.Select):
        for expression in select.expressions:
            computed = not isinstance(expression, exp.Alias | exp.Column | exp.Dot | exp.Star)
            if computed or _is_tuple_access(expression):
                expression.replace(exp.alias_(expression.copy(), to_hogql(expression), quoted=True))


def _is_tuple_access(expression: exp.Expr) -> bool:
    """`(1, 'a').2` or `t.1`: a computed value, not a field chain."""
    if isinstance(expression, exp.Column):
        return isinstance(expression.this, exp.Literal)
    return isinstance(expression, exp.Dot) and isinstance(expression.expression, exp.Literal)


def _qualify(
    root: exp.Expr, catalog: Catalog, target: Target, tables: set[str], inlined_views: list[exp.Subquery]
) -> exp.Expr:
    """Qualify every column against the schema; an unknown or ambiguous column is the client's error."""
    mapping: dict = {}
    for name in sorted(tables):
        table = target.table(catalog.project_id, name)
        level = mapping
        for part in (table.catalog, table.db):
            if part:
                level = level.setdefault(part, {})
        level[table.name] = {column.name: _SCHEMA_TYPE for column in catalog.tables[name]}
    views = _views_as_tables(inlined_views, mapping, lambda name: target.table(catalog.project_id, name))
    schema = MappingSchema(mapping, dialect=HogQL, normalize=False)
    try:
        root = qualify(
            root,
            schema=schema,
            dialect=HogQL,
            validate_qualify_columns=True,
            quote_identifiers=True,
        )
    except OptimizeError as err:
        raise HogQLError(f"Invalid query: {_column_message(str(err))}") from err
    except SqlglotError as err:
        raise HogQLError(f"Invalid query: {err}") from err
    for table in list(root.find_all(exp.Table)):
        if table.name in views:
            view = views[table.name]
            view.set("alias", table.args["alias"])  # as qualified (quoted)
            table.replace(view)
    return root


def _views_as_tables(
    inlined_views: list[exp.Subquery], mapping: dict, table: Callable[[str], exp.Table]
) -> dict[str, exp.Subquery]:
    """Stand each view the query reads (analysed and qualified already) in as a table of its output columns, so
    qualifying the query does not qualify every view below it again (that made nesting quadratic); put back after.
    The resolver lists them (`Resolver.inlined_views`), so the views' own trees are never walked here."""
    views: dict[str, exp.Subquery] = {}
    for subquery in inlined_views:
        if not isinstance(subquery.this, exp.Query):
            continue
        columns = subquery.this.named_selects
        if not columns or "*" in columns or len(set(columns)) != len(columns):
            continue
        name = f"view stand-in {len(views)}"  # no table can have this name (naming.py)
        views[name] = subquery
        stand_in = table(name).copy()
        level = mapping
        for part in (stand_in.catalog, stand_in.db):
            if part:
                level = level.setdefault(part, {})
        level[name] = {column: _SCHEMA_TYPE for column in columns}
        stand_in.set("alias", subquery.args["alias"].copy())
        subquery.replace(stand_in)
    return views


def _column_message(message: str) -> str:
    """sqlglot's optimizer wording, made to read like HogQL's."""
    if "could not be resolved" in message:
        names = message.split("'")[1] if "'" in message else message
        return f"Unable to resolve field: {names.replace(chr(34), '')}"
    if message.startswith("Unknown column: "):
        return "Unable to resolve field: " + message.removeprefix("Unknown column: ").replace('"', "")
    return message
