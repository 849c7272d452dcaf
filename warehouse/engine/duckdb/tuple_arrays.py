"""`t.1` over an array of tuples (`g.1` where `g` is `groupArray((a, b))`): ClickHouse's tupleElement maps over
the array, giving the array of first elements; DuckDB's struct_extract_at takes one struct. The printer maps it
(`list_transform(g, e -> struct_extract_at(e, 1))`) where the tree says the argument is an array of tuples: an
array literal of tuples, `arrayZip(...)`, `groupArray(<tuple>)`, or a column a subquery or CTE defines so.
"""

from sqlglot import exp

OVER_ARRAY = "tuple_element_over_array"
_ELEMENT = "__e"
# Calls that return an array of tuples whatever their arguments, and aggregates that collect their argument.
_ZIPS = frozenset({"arrayzip"})
_COLLECTORS = frozenset({"grouparray", "groupuniqarray"})
_MAX_DEPTH = 32  # columns followed through subqueries and CTEs


def mark_tuple_elements_over_arrays(root: exp.Expr) -> None:
    """Mark each tupleElement whose tuple is an array of tuples (the translation reads the mark)."""
    for node in root.find_all(exp.Anonymous):
        if node.name.lower() == "tupleelement" and node.expressions:
            if _array_of_tuples(node.expressions[0], root, 0):
                node.meta[OVER_ARRAY] = True


def tuple_element_over_array(array: exp.Expr, index: exp.Expr) -> exp.Expr:
    element = exp.to_identifier(_ELEMENT, quoted=True)
    picked = exp.Anonymous(this="struct_extract_at", expressions=[element.copy(), index])
    return exp.Anonymous(
        this="list_transform", expressions=[array, exp.Lambda(this=picked, expressions=[element])]
    )


def _name(node: exp.Expr) -> str:
    return node.name.lower() if isinstance(node, exp.Anonymous | exp.AnonymousAggFunc) else ""


def _array_of_tuples(node: exp.Expr, root: exp.Expr, depth: int) -> bool:
    node = node.unnest() if isinstance(node, exp.Paren) else node
    if isinstance(node, exp.Array):
        return bool(node.expressions) and all(_is_tuple(e, root, depth) for e in node.expressions)
    if _name(node) in _ZIPS:
        return True
    if _name(node) in _COLLECTORS:
        return bool(node.expressions) and _is_tuple(node.expressions[0], root, depth)
    definition = _definition(node, root) if depth < _MAX_DEPTH else None
    return definition is not None and _array_of_tuples(definition, root, depth + 1)


def _is_tuple(node: exp.Expr, root: exp.Expr, depth: int) -> bool:
    node = node.unnest() if isinstance(node, exp.Paren) else node
    if isinstance(node, exp.Tuple | exp.Struct) or _name(node) == "tuple":
        return True
    definition = _definition(node, root) if depth < _MAX_DEPTH else None
    return definition is not None and _is_tuple(definition, root, depth + 1)


def _definition(node: exp.Expr, root: exp.Expr) -> exp.Expr | None:
    """The expression a qualified column reads from a subquery or CTE of its SELECT (None for a table's)."""
    if not isinstance(node, exp.Column) or not node.table:
        return None
    select = node.parent_select
    query = _source_query(select, node.table, root) if select is not None else None
    if not isinstance(query, exp.Select):
        return None
    for projection in query.expressions:
        if isinstance(projection, exp.Alias) and projection.alias == node.name:
            return projection.this
    return None


def _source_query(select: exp.Select, alias: str, root: exp.Expr) -> exp.Expr | None:
    source = select.args.get("from_")
    sources = ([source.this] if source is not None else []) + [j.this for j in select.args.get("joins") or []]
    for table in sources:
        if isinstance(table, exp.Subquery) and table.alias == alias:
            return table.this
        if isinstance(table, exp.Table) and table.alias_or_name == alias and not table.args.get("db"):
            for cte in root.find_all(exp.CTE):
                if cte.alias == table.name:
                    return cte.this
    return None
