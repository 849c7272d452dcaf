"""Operand types the analysis knows for sure, checked where both engines would refuse them with their own error.

`1 LIKE 'a%'`, `event OR timestamp`, `INTERVAL event YEAR`, `properties.0`, `['a']['b']`, `sum(event)` and `'1' + 1` are
refused by ClickHouse (and PostHog) by their types; DuckDB refuses most of them too, each engine in its own words.
Here they are one 400 naming the construct, the operand and its type, the same on every engine.

A type is known only for literals (array and tuple literals among them), the columns of the catalog's tables, a
property read (a string, as PostHog returns properties), a scalar subquery of one of these (`person.properties.x`)
and a few results (a comparison is a boolean); anything else (a subquery's column, a function's result) is unknown
and left to the engine.
"""

from collections.abc import Callable

from sqlglot import exp

from warehouse.catalog import Catalog
from warehouse.hogql.dialect import to_hogql
from warehouse.hogql.errors import HogQLError
from warehouse.hogql.functions import function_name
from warehouse.hogql.nodes import JSONProperty
from warehouse.hogql.resolver import WRITTEN_AS

# Type names as messages show them; a property read is a String (PROPERTY marks it, for the message's hint).
PROPERTY = "String property"
_CATALOG_TYPES = {
    "integer": "Integer",
    "float": "Float",
    "decimal": "Decimal",
    "string": "String",
    "datetime": "DateTime",
    "date": "Date",
    "boolean": "Boolean",
    "array": "Array",
    "json": "JSON",
}
_NUMBERS = {"Integer", "Float", "Decimal"}
_TEXT = {"String", "JSON", PROPERTY}
_LOGICAL = _NUMBERS | {"Boolean"}  # AND, OR, NOT: ClickHouse's and/or/not take numbers (a Bool is a UInt8)
_TUPLES = {"Tuple", "Array"}  # tupleElement / `.1` (an array of tuples reads the element of each)
_NOT_TEXT = (set(_CATALOG_TYPES.values()) - _TEXT) | {"Tuple", "Interval"}
# Aggregates of numbers: an argument that is text is refused (ClickHouse: Illegal type String of argument).
_NUMERIC_AGGREGATES = {
    **dict.fromkeys(("sum", "avg", "sumif", "avgif"), "numbers"),
    **dict.fromkeys(("quantile", "quantiles", "median"), "numbers or dates"),
}


# Arithmetic: ClickHouse refuses a String operand ('1' + 1, event * 2, -'1'), except a string beside an interval.
# A property read is left to the engine: PostHog types numeric properties, and DuckDB reads them as numbers.
_ARITHMETIC: dict[type[exp.Expr], str] = {exp.Add: "plus (+)", exp.Sub: "minus (-)", exp.Mul: "multiply (*)", exp.Div: "divide (/)",
               exp.Mod: "modulo (%)"}  # fmt: skip
_ARITHMETIC_OPERANDS = _NOT_TEXT | {PROPERTY}
# The function forms ClickHouse refuses the same way (`plus('1', 1)`: Illegal types String and UInt8 of arguments).
_ARITHMETIC_CALLS: dict[str, type[exp.Expr]] = {"plus": exp.Add, "minus": exp.Sub, "multiply": exp.Mul,
                                                "divide": exp.Div, "modulo": exp.Mod}  # fmt: skip


class HogQLTypeError(HogQLError):
    """An operand whose known type the construct cannot take."""


def check_types(root: exp.Expr, catalog: Catalog, physical_tables: set[str]) -> None:
    """Refuse the first operand of a known type its construct cannot take; views the query reads were checked when
    they were analysed, so their trees are not walked again."""
    type_of = _TypeOf(catalog, physical_tables)
    for node in root.walk(prune=_is_inlined_view):
        _check(node, type_of)


def _is_inlined_view(node: exp.Expr) -> bool:
    return isinstance(node, exp.Subquery) and bool(node.meta.get("view"))


def _check(node: exp.Expr, type_of: Callable[[exp.Expr], str | None]) -> None:
    if isinstance(node, exp.And | exp.Or):
        for side in (node.this, node.expression):
            _require(type_of, side, _LOGICAL, node.key.upper(), "booleans or numbers", hint=_bool_hint)
    elif isinstance(node, exp.Not):
        _require(type_of, node.this, _LOGICAL, "NOT", "a boolean or a number", hint=_bool_hint)
    elif isinstance(node, exp.Like | exp.ILike) and node.this is not None and node.expression is not None:
        for side in (node.this, node.expression):
            _require(type_of, side, _TEXT, _matching_name(node), "strings")
    elif isinstance(node, exp.Interval) and node.this is not None and not _is_string_literal(node.this):
        # a number; a string literal (`INTERVAL '1' DAY`) or a property read is parsed by the engine at run time
        _require(type_of, node.this, _NUMBERS | {PROPERTY}, "INTERVAL", "a number")
    elif isinstance(node, exp.Bracket) and len(node.expressions) == 1 and type_of(node.this) == "Array":
        _require(type_of, node.expressions[0], _NUMBERS, "an array index", "an integer")
    elif (
        isinstance(node, exp.Anonymous) and node.name.lower() == "tupleelement" and len(node.expressions) == 2
    ):
        _require(type_of, node.expressions[0], _TUPLES, _element_name(node), "a tuple")
    elif isinstance(node, exp.Neg) or _is_call(node, "negate", 1):
        operand = node.this if isinstance(node, exp.Neg) else node.expressions[0]
        _require(type_of, operand, _ARITHMETIC_OPERANDS, _arithmetic_name(node), "a number")
    elif (arithmetic := _arithmetic(node)) is not None:
        operator, sides = arithmetic
        if operator in (exp.Add, exp.Sub) and "Interval" in {type_of(side) for side in sides}:
            return  # a string with an interval is read as a date-time by ClickHouse
        for side in sides:
            _require(
                type_of, side, _ARITHMETIC_OPERANDS, _arithmetic_name(node), "numbers, dates or intervals"
            )
    elif isinstance(node, exp.Func):
        name = function_name(node)
        expected = _NUMERIC_AGGREGATES.get(name.lower())
        if expected is not None:
            for argument in _aggregate_arguments(node):
                _require(type_of, argument, _NOT_TEXT, f"{name}()", expected, hint=_number_hint)


def _require(type_of, operand: exp.Expr, allowed: set[str], construct: str, expected: str, hint=None) -> None:
    kind = type_of(operand)
    if kind is None or kind in allowed:
        return
    shown = describe(operand)
    message = f"Invalid query: {construct} needs {expected}, but {shown} is {_type_name(kind)}"
    if kind == PROPERTY and hint:
        message += f" ({hint(shown)})"
    raise HogQLTypeError(message)


def _bool_hint(shown: str) -> str:
    return f"property values are strings: compare it, {shown} = 'true', or convert it, toBool({shown})"


def _number_hint(shown: str) -> str:
    return f"property values are strings: convert it, toFloat({shown})"


class _TypeOf:
    """type_of(node): the known type name of an expression, or None when it is not known for sure."""

    def __init__(self, catalog: Catalog, physical_tables: set[str]):
        self._tables = {name: catalog.tables[name] for name in physical_tables if name in catalog.tables}
        self._aliases: dict[int, dict[str, str]] = {}  # id(select) -> alias -> catalog table

    def __call__(self, node: exp.Expr) -> str | None:
        node = _unbracket(node)
        if isinstance(node, exp.Alias):
            return self(node.this)
        if isinstance(node, exp.Literal):
            return "String" if node.is_string else "Integer" if node.is_int else "Float"
        if isinstance(node, exp.Neg):
            inner = self(node.this)
            return inner if inner in _NUMBERS else None
        if isinstance(node, exp.Boolean | exp.Predicate | exp.Connector | exp.Not):
            return "Boolean"
        if isinstance(node, exp.Array):
            return "Array"
        if isinstance(node, exp.Tuple):
            return "Tuple"
        if isinstance(node, exp.Interval):
            return "Interval"
        if isinstance(node, JSONProperty):
            return PROPERTY
        if isinstance(node, exp.Column):
            return self._column_type(node)
        if (
            isinstance(node, exp.Subquery)
            and isinstance(node.this, exp.Select)
            and len(node.this.expressions) == 1
        ):
            return self(node.this.expressions[0])  # a scalar subquery: `person.properties.x` reads one
        return None

    def _column_type(self, column: exp.Column) -> str | None:
        select = column.parent_select
        if select is None or not column.table:
            return None
        table = self._aliases_of(select).get(column.table)
        for catalog_column in self._tables.get(table or "", ()):
            if catalog_column.name == column.name:
                return _CATALOG_TYPES.get(catalog_column.type)
        return None

    def _aliases_of(self, select: exp.Select) -> dict[str, str]:
        """The catalog tables a SELECT reads by alias: its FROM and JOIN engine tables (not CTEs or subqueries)."""
        if id(select) not in self._aliases:
            clauses = [select.args.get("from_"), *(select.args.get("joins") or [])]
            tables = [clause.this for clause in clauses if clause is not None]
            self._aliases[id(select)] = {
                table.alias_or_name: table.name
                for table in tables
                if isinstance(table, exp.Table) and table.args.get("db")
            }
        return self._aliases[id(select)]


def describe(operand: exp.Expr) -> str:
    """The operand as the query wrote it: a field by its chain (`person.properties.x`) or name, else its HogQL."""
    operand = _unbracket(operand)
    if operand.meta.get(WRITTEN_AS):
        return operand.meta[WRITTEN_AS]
    if isinstance(operand, exp.Subquery):
        return "the subquery"
    if isinstance(operand, exp.Column):
        return operand.name
    if isinstance(operand, JSONProperty) and isinstance(operand.this, exp.Column):
        return ".".join([operand.this.name, *(str(part.this) for part in operand.expressions)])
    text = to_hogql(operand)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(kind: str) -> str:
    name = "String" if kind == PROPERTY else kind
    if name == "JSON":
        return name
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


def _is_call(node: exp.Expr, name: str, arguments: int) -> bool:
    return (
        isinstance(node, exp.Anonymous) and node.name.lower() == name and len(node.expressions) == arguments
    )


def _arithmetic(node: exp.Expr) -> tuple[type[exp.Expr], tuple[exp.Expr, exp.Expr]] | None:
    """(the operator, its two operands) of `a + b` ... `a % b` or of its function form, `plus(a, b)` ...
    `modulo(a, b)`; None for anything else (a call with another argument count is the arity check's)."""
    if isinstance(node, tuple(_ARITHMETIC)) and node.this is not None and node.expression is not None:
        return type(node), (node.this, node.expression)
    if isinstance(node, exp.Anonymous) and len(node.expressions) == 2:
        operator = _ARITHMETIC_CALLS.get(node.name.lower())
        if operator is not None:
            return operator, (node.expressions[0], node.expressions[1])
    return None


def _arithmetic_name(node: exp.Expr) -> str:
    """`plus (+)` for the operator, `plus()` for the call (as written)."""
    called_as = node.meta.get("called_as")
    if called_as:
        return f"{called_as}()"
    return "negate (-)" if isinstance(node, exp.Neg) else _ARITHMETIC[type(node)]


def _matching_name(node: exp.Like | exp.ILike) -> str:
    called_as = node.meta.get("called_as")
    if called_as:
        return f"{called_as}()"
    operator = "LIKE" if isinstance(node, exp.Like) else "ILIKE"
    return f"NOT {operator}" if node.args.get("negate") else operator


def _element_name(node: exp.Anonymous) -> str:
    """`properties.0` for a tuple read by index (tupleElement(properties, 0) reads the same)."""
    tuple_, *index = node.expressions
    if len(index) == 1 and isinstance(index[0], exp.Literal):
        return f"{describe(tuple_)}.{index[0].this}"
    return "tupleElement()"


def _aggregate_arguments(node: exp.Func) -> list[exp.Expr]:
    """The values an aggregate reads (not its parameters, nor an -If condition); DISTINCT unwrapped."""
    if isinstance(node, exp.ParameterizedAgg):
        values = list(node.args.get("params") or [])
    elif isinstance(node, exp.CombinedAggFunc | exp.Anonymous):
        values = list(node.expressions[:1])
    else:
        values = [node.this] if isinstance(node.this, exp.Expr) else []
    unwrapped: list[exp.Expr] = []
    for value in values:
        unwrapped.extend(value.expressions if isinstance(value, exp.Distinct) else [value])
    return unwrapped


def _is_string_literal(node: exp.Expr) -> bool:
    node = _unbracket(node)
    return isinstance(node, exp.Literal) and node.is_string


def _unbracket(node: exp.Expr) -> exp.Expr:
    """The expression inside brackets (a scalar subquery stays one: sqlglot's unnest() opens it too)."""
    while isinstance(node, exp.Paren):
        node = node.this
    return node
