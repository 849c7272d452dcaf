"""ClickHouse JSON paths (keys, and indexes 1 first, -1 last) as DuckDB's `$...` paths."""

from sqlglot import exp


def json_path(parts: list[exp.Expr]) -> str:
    """A DuckDB JSON path from keys and ClickHouse indexes (1 first, -1 last): `$."arr"[0]."id"`, `$."a"[#-1]`."""
    path = "$"
    for part in parts:
        if isinstance(part, exp.Literal) and part.is_string:
            path += '."' + part.this.replace("\\", "\\\\").replace('"', '\\"') + '"'
        elif isinstance(part, exp.Neg):
            path += f"[#-{int(part.this.this)}]"
        else:
            path += f"[{int(part.this) - 1}]"
    return path
