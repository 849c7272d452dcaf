"""What the compiler needs from the engine it compiles for, passed in by the caller (hogql never imports an engine).

Every warehouse engine (warehouse/engine/) satisfies this protocol: it names the project's tables, prints the
canonical tree in its own SQL, and says which HogQL functions it cannot run with ClickHouse's meaning.
"""

from typing import Protocol

from sqlglot import exp


class Target(Protocol):
    label: str  # the engine's name in messages: "... is not supported by the DuckDB engine"
    unsupported_functions: frozenset[str]  # lower-case HogQL names refused with that message
    # Lower-case names of PostHog's HogQL functions the engine runs as written, beyond the shared allowlist.
    native_functions: frozenset[str]

    def table(self, project_id: int, name: str) -> exp.Table:
        """The fully qualified table node of one of the project's tables (no alias)."""
        ...

    def to_sql(self, tree: exp.Expr) -> str:
        """The canonical tree in the engine's SQL; a HogQLError for what the engine cannot express."""
        ...
