"""Integer `+ - *` that widen as ClickHouse's do, where DuckDB's stay as narrow as their operands and overflow.

ClickHouse types an integer literal by the smallest type that holds it (`1` UInt8, `100000` UInt32, `-1` Int8) and
widens the result of `+ - *` one step (UInt32 * UInt32 is UInt64, Int32 + UInt8 Int64, any `-` signed); 64-bit
results wrap around. DuckDB types a literal INTEGER when it fits and keeps an INTEGER operation an INTEGER, so
`100000 * 100000` and `toInt32(2147483647) + 1` were `Out of Range Error`s. Two rewrites, before the calls are
translated:

- Arithmetic on integer literals alone is computed here, with ClickHouse's types and wrap-around, and printed as
  the literal it makes (`100000 * 100000` is `10000000000`, which DuckDB reads as a BIGINT; `7 * 2` stays a small
  literal, so `d + 7 * 2` on a Date still binds: DuckDB has no DATE + BIGINT). A whole GROUP BY or ORDER BY key
  so computed is a BIGINT cast, as a bare integer there is a column's position.
- An operand the tree says is a narrower integer (a `toInt32`/`toInt16`/`toInt8`/`toUInt32`/`toUInt16`/`toUInt8`
  call, a cast to one, a stored table's column of such a type or a subquery's or view's output of one
  (hogql/typed_columns.py), or the negation of one) is
  cast to BIGINT, so DuckDB computes in 64 bits (values as ClickHouse's; the type is Int64 where ClickHouse's may
  be narrower), when the other operand is known to be a number too (a number literal, another such integer, a cast
  to a number, a count, sum or average, or arithmetic of those). Beside anything else it stays as it is: DuckDB
  adds an INTEGER to a DATE or a TIMESTAMP but no BIGINT, and a subquery's date may be known only to DuckDB.

A value whose type DuckDB alone knows (a function's result, a subquery's output computed from columns) keeps
DuckDB's width: most of DuckDB's functions and every integer column of the core tables are BIGINT already. A 64-bit
result out of range is DuckDB's `Out of Range Error` where ClickHouse wraps (docs/warehouse-hogql.md).
"""

from sqlglot import exp

from warehouse.hogql.typed_columns import NARROW_INTEGER_CALLS, NARROW_INTEGER_COLUMN

_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul)
_NARROW_TYPES = (
    exp.DataType.Type.TINYINT,
    exp.DataType.Type.SMALLINT,
    exp.DataType.Type.INT,
    exp.DataType.Type.UTINYINT,
    exp.DataType.Type.USMALLINT,
    exp.DataType.Type.UINT,
)
_BITS = (8, 16, 32, 64)

# A ClickHouse integer constant: its value and type (signed or not, bits); kept in the meta of a literal made here.
Constant = tuple[int, bool, int]
_CONSTANT = "clickhouse_integer"


def widen_integer_arithmetic(root: exp.Expr) -> exp.Expr:
    """The tree with its integer `+ - *` computed as ClickHouse computes them (see the module); innermost first, so
    an outer operation sees its operands folded or widened. Returns the root (replaced when it is one)."""
    for node in list(root.find_all(*_ARITHMETIC, exp.Neg, bfs=False))[::-1]:
        folded = _constant(node)
        if isinstance(node, exp.Neg):  # `-(-2147483648)` wraps to Int32's -2147483648; `-5` stays as written
            if folded is not None and _integer_literal(node.this) is None:
                node.replace(_literal(folded))
            continue
        if folded is not None:
            literal = _literal(folded)
            if _is_key(node):  # `GROUP BY 1 + 1` groups by a constant; `GROUP BY 2` is the second column
                literal = exp.Cast(this=literal, to=exp.DataType.build("BIGINT"))
            if node is root:
                return literal
            node.replace(literal)
            continue
        for side, other in (("this", "expression"), ("expression", "this")):
            operand = node.args.get(side)
            if operand is not None and _is_narrow(operand) and _is_number(node.args.get(other)):
                node.set(side, exp.Cast(this=operand.copy(), to=exp.DataType.build("BIGINT")))
    return root


def _literal(constant: Constant) -> exp.Expr:
    """The constant's value as a literal, which keeps its ClickHouse type for the operations around it (`-(0 -
    2147483648)` negates an Int64, not the Int32 that the literal -2147483648 alone would be)."""
    value = constant[0]
    literal: exp.Expr = exp.Literal.number(abs(value))
    if value < 0:
        literal = exp.Paren(this=exp.Neg(this=literal))
    literal.meta[_CONSTANT] = constant
    return literal


def _is_key(node: exp.Expr) -> bool:
    """`node` is a whole ORDER BY or GROUP BY key, where a bare integer literal is a column's position."""
    parent = node.parent
    while isinstance(parent, exp.Paren):
        parent = parent.parent
    return isinstance(parent, exp.Ordered | exp.Group)


def _smallest(value: int) -> Constant | None:
    """A literal's ClickHouse type: the smallest UInt that holds it, or Int when it is negative."""
    for bits in _BITS:
        if value >= 0 and value < 2**bits:
            return value, False, bits
        if value < 0 and value >= -(2 ** (bits - 1)):
            return value, True, bits
    return None  # past 64 bits: a Float64 in ClickHouse, left alone


def _wrapped(value: int, signed: bool, bits: int) -> Constant:
    value %= 2**bits
    if signed and value >= 2 ** (bits - 1):
        value -= 2**bits
    return value, signed, bits


def _next(bits: int) -> int:
    return min(64, bits * 2)


def _integer_literal(node: exp.Expr) -> int | None:
    if (
        isinstance(node, exp.Literal)
        and not node.is_string
        and isinstance(node.this, str)
        and node.this.isdigit()
    ):
        return int(node.this)
    return None


def _constant(node: exp.Expr | None) -> Constant | None:
    """The value and ClickHouse type of integer-literal arithmetic (`1 + 1`: 2, UInt16), or None."""
    if node is None:
        return None
    if _CONSTANT in node.meta:  # computed here already
        return node.meta[_CONSTANT]
    if isinstance(node, exp.Paren):
        return _constant(node.this)
    value = _integer_literal(node)
    if value is not None:
        return _smallest(value)
    if isinstance(node, exp.Neg):
        value = _integer_literal(node.this)
        if value is not None:  # `-5` is a literal: Int8
            return _smallest(-value)
        inner = _constant(node.this)
        if inner is None:
            return None
        # negate(): a signed type stays (and wraps), an unsigned one becomes the next signed type
        return _wrapped(-inner[0], True, inner[2] if inner[1] else _next(inner[2]))
    if isinstance(node, _ARITHMETIC):
        left, right = _constant(node.this), _constant(node.expression)
        if left is None or right is None:
            return None
        bits = _next(max(left[2], right[2]))
        if isinstance(node, exp.Sub):
            return _wrapped(left[0] - right[0], True, bits)
        value = left[0] + right[0] if isinstance(node, exp.Add) else left[0] * right[0]
        return _wrapped(value, left[1] or right[1], bits)
    return None


def _is_narrow(node: exp.Expr) -> bool:
    """The tree says `node` is an integer narrower than 64 bits."""
    while isinstance(node, exp.Paren | exp.Neg):
        node = node.this
    if isinstance(node, exp.Anonymous):
        return node.name.lower() in NARROW_INTEGER_CALLS and len(node.expressions) == 1
    if isinstance(node, exp.Cast | exp.TryCast):
        return node.to.is_type(*_NARROW_TYPES)
    return isinstance(node, exp.Column) and bool(node.meta.get(NARROW_INTEGER_COLUMN))


def _is_number(node: exp.Expr | None) -> bool:
    """The tree says `node` is a number (so a BIGINT beside it binds); False where it does not know."""
    while isinstance(node, exp.Paren | exp.Neg):
        node = node.this
    if node is None:
        return False
    if isinstance(node, exp.Literal):
        return not node.is_string
    if _is_narrow(node) or isinstance(node, exp.Count | exp.Sum | exp.Avg):
        return True
    if isinstance(node, exp.Cast | exp.TryCast):
        return node.to.is_type(*exp.DataType.NUMERIC_TYPES)
    if isinstance(node, _ARITHMETIC):
        return _is_number(node.this) and _is_number(node.expression)
    return False
