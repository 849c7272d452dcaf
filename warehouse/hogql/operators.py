"""HogQL operators given, in the canonical tree, the meaning PostHog's printer gives them on ClickHouse.

PostHog's HogQL makes comparisons NULL-safe (`null_equality`): `a = b` is true when both sides are NULL and false
when one is, `a != b` the reverse; `<`, `>`, `<=`, `>=`, `IN` and `NOT IN` are false when a side is NULL; LIKE,
ILIKE and the regex operators match when both sides are NULL; BETWEEN is false when a side is NULL. `||` and `concat()` skip NULLs and stringify their
arguments; a NULL in an `IN` list is ignored (ClickHouse's `transform_null_in = 0`). Join conditions compare plainly.

The rewrites use sqlglot's canonical nodes (and ClickHouse's own function names: `tupleElement`, `concat`), so they
hold for every engine; each engine's printer spells them (warehouse/engine/<name>/dialect.py).
"""

from sqlglot import exp

from warehouse.hogql.errors import HogQLError

_FALSE = exp.Boolean(this=False)
_TRUE = exp.Boolean(this=True)
_ORDERING = (exp.LT, exp.LTE, exp.GT, exp.GTE)
_MATCHING = (exp.Like, exp.ILike, exp.RegexpLike, exp.RegexpILike)


def rewrite_operators(root: exp.Expr) -> None:
    """Rewrite `root` in place, innermost first, so an outer operator sees its operands' final form."""
    in_joins = _ids_within(join.args["on"] for join in root.find_all(exp.Join) if join.args.get("on"))
    filters = _filter_operands(root)
    for node in list(root.walk(bfs=False))[::-1]:
        if node is root or id(node) in in_joins:
            continue
        replacement = _rewrite(node)
        if replacement is None:
            continue
        if _is_false_when_null(replacement) and id(node) in filters:
            replacement = replacement.this  # a filter drops NULL rows anyway: keep it plain (and pushable)
            if isinstance(replacement, exp.Paren):
                replacement = replacement.this
        node.replace(replacement)


def _rewrite(node: exp.Expr) -> exp.Expr | None:
    if isinstance(node, exp.Xor):  # xor(a, b, c) parses as nested pairs; NULL stays NULL as in ClickHouse
        return exp.Paren(this=exp.NEQ(this=_boolean(node.this), expression=_boolean(node.expression)))
    if isinstance(node, exp.DPipe | exp.Concat):
        if isinstance(node, exp.DPipe) and isinstance(node.parent, exp.DPipe):
            return (
                None  # the outermost `||` of a chain flattens it all, once (each level's copy was quadratic)
            )
        return _concat(node)
    if isinstance(node, exp.Dot) and _is_index(node.expression):
        return exp.Anonymous(this="tupleElement", expressions=[node.this, node.expression])
    if (
        isinstance(node, exp.Column)
        and _is_index(node.this)
        and node.args.get("table")
        and not node.args.get("db")
    ):
        tuple_ = exp.column(node.args["table"].copy())  # `t.1`: element 1 of the tuple `t`
        return exp.Anonymous(this="tupleElement", expressions=[tuple_, node.this.copy()])
    if (
        isinstance(node, exp.Column)
        and not node.table
        and node.this.name in ("inf", "nan")
        and not node.this.quoted
    ):
        return exp.Cast(this=exp.Literal.string(node.name), to=exp.DataType.build("DOUBLE"))
    if isinstance(node, exp.EQ | exp.NEQ):
        return _equality(node)
    if isinstance(node, _ORDERING):
        return _coalesce(exp.Paren(this=node.copy()), _FALSE)
    if isinstance(node, _MATCHING):
        return _matching(node)
    if isinstance(node, exp.Not) and isinstance(node.this, exp.In | exp.Between):
        return _coalesce(exp.Not(this=_membership(node.this)), _FALSE)  # `a NOT IN b`: false when a is NULL
    if isinstance(node, exp.In | exp.Between) and not isinstance(node.parent, exp.Not):
        return _coalesce(_membership(node), _FALSE)
    return None


def _concat(node: exp.Expr) -> exp.Expr:
    """`a || b || c` and concat(a, b, c): one concat() that skips NULLs and casts to text (HogQL's meaning)."""
    parts: list[exp.Expr] = []
    pending = list(reversed(node.expressions)) if isinstance(node, exp.Concat) else [node]
    while pending:  # left to right, without recursion: a chain of `||` is as deep as it is long
        part = pending.pop()
        if isinstance(part, exp.DPipe):
            pending.extend((part.expression, part.this))
        elif isinstance(part, exp.Anonymous) and part.name == "concat" and part.meta.get("hogql_concat"):
            parts.extend(part.expressions)
        else:
            parts.append(part)
    result = exp.Anonymous(this="concat", expressions=[part.copy() for part in parts])
    result.meta["hogql_concat"] = True
    return result


def _equality(node: exp.EQ | exp.NEQ) -> exp.Expr:
    left, right = node.this.copy(), node.expression.copy()
    if _is_null(left) or _is_null(right):
        value = right if _is_null(left) else left
        test = exp.Is(this=value, expression=exp.Null())
        return exp.Paren(this=test if isinstance(node, exp.EQ) else exp.Not(this=test))
    if _is_constant(left) or _is_constant(
        right
    ):  # one side is never NULL: NULL on the other is false (!=: true)
        return _coalesce(exp.Paren(this=node.copy()), _FALSE if isinstance(node, exp.EQ) else _TRUE)
    kind = exp.NullSafeEQ if isinstance(node, exp.EQ) else exp.NullSafeNEQ
    return exp.Paren(this=kind(this=left, expression=right))


def _matching(node: exp.Expr) -> exp.Expr:
    """LIKE / ILIKE / regex: NULL with NULL matches, NULL with a value does not (negated: the reverse)."""
    left, right = node.this, node.expression
    if left is None or right is None:  # `notLike(x)`: a comparison called as a function with one argument
        called = node.parent if isinstance(node.parent, exp.Not) else node
        name = called.meta.get("called_as") or node.meta.get("called_as") or node.key
        raise HogQLError(f"Invalid query: wrong number of arguments for {name}()")
    negated = bool(node.args.get("negate"))
    if negated:
        when_null: exp.Expr = exp.Or(this=_not_null(left), expression=_not_null(right))
    else:
        when_null = exp.And(this=_null(left), expression=_null(right))
    return _coalesce(exp.Paren(this=node.copy()), exp.Paren(this=when_null))


def _membership(node: exp.In | exp.Between) -> exp.Expr:
    """IN without GLOBAL (one server) and without NULLs in a literal list (ClickHouse skips them); BETWEEN as is."""
    copy = node.copy()
    if isinstance(node, exp.Between):
        return copy
    copy.set("is_global", None)
    values = copy.expressions
    if values and any(_is_null(value) for value in values):
        kept = [value for value in values if not _is_null(value)]
        copy.set("expressions", kept or [exp.Null()])
    return copy


def _boolean(value: exp.Expr) -> exp.Expr:
    return exp.Cast(this=value.copy(), to=exp.DataType.build("BOOLEAN"))


def _coalesce(value: exp.Expr, fallback: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=value, expressions=[fallback.copy()])


def _null(value: exp.Expr) -> exp.Expr:
    return exp.Is(this=value.copy(), expression=exp.Null())


def _not_null(value: exp.Expr) -> exp.Expr:
    return exp.Not(this=_null(value))


def _is_null(node: exp.Expr) -> bool:
    return isinstance(node, exp.Null)


def _is_constant(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal | exp.Boolean)


def _is_index(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit()


def _is_false_when_null(node: exp.Expr) -> bool:
    return isinstance(node, exp.Coalesce) and node.expressions == [_FALSE]


def _filter_operands(root: exp.Expr) -> set[int]:
    """Nodes that decide a WHERE / HAVING / QUALIFY through AND and OR only (NULL and false filter alike)."""
    found: set[int] = set()
    stack = [clause.this for clause in root.find_all(exp.Where, exp.Having, exp.Qualify)]
    while stack:
        node = stack.pop()
        found.add(id(node))
        if isinstance(node, exp.And | exp.Or):
            stack.extend((node.this, node.expression))
        elif isinstance(node, exp.Paren):
            stack.append(node.this)
    return found


def _ids_within(trees) -> set[int]:
    """Every node of the given subtrees (JOIN conditions: PostHog compares join keys plainly)."""
    return {id(node) for tree in trees for node in tree.walk()}
