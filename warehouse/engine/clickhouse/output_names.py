"""ClickHouse refuses two outputs of one name (`SELECT e1.event, e2.event`, both named `event`): the later ones are
renamed as DuckDB names them (`event_1`, the next free `_n`), so both engines answer with the same columns."""

from collections import Counter

from sqlglot import exp


def unique_output_names(tree: exp.Expression) -> exp.Expression:
    """The tree with the outermost SELECT's repeated output names made unique (`a`, `a_1`, `a_2`, ...)."""
    if not isinstance(tree, exp.Select):
        return tree
    names = tree.named_selects
    if len(names) != len(tree.expressions) or len(set(names)) == len(names):
        return tree
    renamed = tree.copy()
    seen: Counter[str] = Counter()
    taken = set(names)
    for expression in list(renamed.expressions):
        name = expression.alias_or_name
        if seen[name]:
            while f"{name}_{seen[name]}" in taken:
                seen[name] += 1
            taken.add(f"{name}_{seen[name]}")
            unique = exp.to_identifier(f"{name}_{seen[name]}", quoted=True)
            if isinstance(expression, exp.Alias):
                expression.set("alias", unique)
            else:
                expression.replace(exp.Alias(this=expression.copy(), alias=unique))
        seen[name] += 1
    return renamed
