"""PostHog functions that are HogQL expressions of other functions, expanded before the allowlist is checked:
`sortableSemVer(v)` is `arrayMap(x -> ifNull(toIntOrNull(x), 0), splitByChar('.', extract(assumeNotNull(v),
'(\\d+(\\.\\d+)+)')))` (the version's leading numbers as an array of integers, so versions sort as numbers),
the meaning PostHog gives it, on every engine."""

import sqlglot
from sqlglot import exp

from warehouse.hogql.dialect import HogQL, to_hogql
from warehouse.hogql.errors import HogQLError

_ARGUMENT = "__macro_argument"
MACROS = {
    "sortablesemver": "arrayMap(x -> ifNull(toIntOrNull(x), 0), splitByChar('.', "
    f"extract(assumeNotNull({_ARGUMENT}), '(\\\\d+(\\\\.\\\\d+)+)')))",
}


def expand_macros(root: exp.Expr) -> None:
    """Each one-argument call of a macro replaced by its expression (a column keeps the name it was written as)."""
    for call in list(root.find_all(exp.Anonymous)):
        template = MACROS.get(str(call.name).lower())
        if template is None:
            continue
        if len(call.expressions) != 1:
            raise HogQLError(f"Invalid query: wrong number of arguments for {call.name}(): it takes 1")
        expansion = sqlglot.parse_one(template, dialect=HogQL)
        for placeholder in list(expansion.find_all(exp.Column)):
            if placeholder.name == _ARGUMENT:
                placeholder.replace(exp.paren(call.expressions[0].copy(), copy=False))
        if isinstance(call.parent, exp.Select) and call.arg_key == "expressions":
            expansion = exp.alias_(expansion, to_hogql(call), quoted=True)
        call.replace(expansion)
