"""Canonical nodes the compiler adds to sqlglot's: HogQL meaning that no sqlglot expression carries exactly.

An engine's printer spells each one (warehouse/engine/<name>/dialect.py); a printer that does not know one prints
its class name, so an engine that forgets one fails loudly rather than running something else.
"""

from sqlglot import exp


class JSONProperty(exp.Expression, exp.Func):
    """A JSON property read as a string, as PostHog returns properties (`properties.$browser`, `props.a[1].b`).

    `this` is the JSON column; `expressions` the path: string literals are keys, integer literals indexes with
    ClickHouse's meaning (1 is the first element, -1 the last); the first part may be any expression, a key known
    when the query runs (`properties[(select 'k')]`).
    """

    arg_types = {"this": True, "expressions": True}


class SamplingHash(exp.Expression, exp.Func):
    """A stable, non-negative integer hash of `this` (SAMPLE's key): the engine chooses its hash function, so the
    sampled share is the same on every engine but not the same rows."""

    arg_types = {"this": True}
