"""ClickHouse refuses two outputs of one name in any SELECT (`SELECT e1.event, e2.event`, both named `event`, at the
top or inside a subquery, a CTE or a UNION's branch): the later ones are renamed as DuckDB names them (`event_1`,
the next free `_n`), so both engines answer the same queries with the same columns."""

from collections import Counter

from sqlglot import exp


def unique_output_names(tree: exp.Expression) -> exp.Expression:
    """The tree with every SELECT's repeated output names made unique (`a`, `a_1`, `a_2`, ...); the first keeps
    its name, so a reference to it from outside still reads it."""
    repeating = [select for select in tree.find_all(exp.Select) if _repeats_names(select)]
    if not repeating:
        return tree
    renamed = tree.copy()
    for select in renamed.find_all(exp.Select):
        if _repeats_names(select):
            _number_repeats(select)
    return renamed


def _repeats_names(select: exp.Select) -> bool:
    names = select.named_selects
    return len(names) == len(select.expressions) and len(set(names)) != len(names)


def _number_repeats(select: exp.Select) -> None:
    seen: Counter[str] = Counter()
    taken = set(select.named_selects)
    for expression in list(select.expressions):
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
