"""The differential test's machinery: both engines side by side, the same rows in each, results made comparable.

DuckDB's synthetic generator seeds the core tables; the rows are then copied, value by value, into the embedded
ClickHouse's project database (ClickHouse's own generator hashes differently), so both engines hold the same data.
"""

import datetime
import json
import math
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.module_loading import import_string

from warehouse.catalog import Catalog, core_tables
from warehouse.engine import ENGINES, EngineError
from warehouse.hogql import HogQLError, analyze_view
from warehouse.querying import json_value


def engines() -> dict[str, Any]:
    """One instance of each registered engine (settings decide where each keeps its data)."""
    return {name: import_string(path)() for name, path in sorted(ENGINES.items())}


def copy_core_tables(project_id: int) -> None:
    """The DuckDB project's core tables, row by row, into the ClickHouse project's (emptied first)."""
    from warehouse.engine.clickhouse import connection as clickhouse
    from warehouse.engine.clickhouse.tables import ensure_project
    from warehouse.engine.duckdb.connection import qualified
    from warehouse.engine.duckdb.project import project_connection

    ensure_project(project_id)
    for name in core_tables():
        with project_connection(project_id, read_only=True) as conn:
            cursor = conn.execute(f"SELECT * FROM {qualified(project_id, name)}")
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        target = clickhouse.qualified(project_id, name)
        clickhouse.transport().command(f"TRUNCATE TABLE {target}")
        if not rows:
            continue
        names = ", ".join(clickhouse.quote(column) for column in columns)
        values = ", ".join("(" + ", ".join(map(_clickhouse_literal, row)) + ")" for row in rows)
        clickhouse.transport().command(f"INSERT INTO {target} ({names}) VALUES {values}")


def _clickhouse_literal(value: Any) -> str:
    from warehouse.engine.clickhouse.connection import literal

    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return repr(float(value)) if isinstance(value, Decimal) else repr(value)
    if isinstance(value, datetime.datetime):
        return literal(value.replace(tzinfo=None).isoformat(sep=" "))
    if isinstance(value, datetime.date | uuid.UUID):
        return literal(str(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_clickhouse_literal, value)) + "]"
    if isinstance(value, dict):
        return literal(json.dumps(value))
    return literal(str(value))


def load_table(engine, catalog: Catalog, name: str, path: Path) -> None:
    engine.load_files(catalog, name, [path], "JSONEachRow")


def outcome(engine, catalog: Catalog, sql: str) -> tuple[str, Any]:
    """("rows", comparable rows) or ("refused", message) or ("error", message) of one query on one engine."""
    try:
        tree = analyze_view(sql, catalog, engine).tree
    except HogQLError as err:
        return "refused", str(err).replace(engine.label, "<engine>")
    try:
        result = engine.run_query(catalog, tree, limit=10_000, timeout_seconds=20)
    except EngineError as err:
        return "error", str(err)
    return "rows", [[comparable(json_value(value)) for value in row] for row in result.rows]


def comparable(value: Any) -> Any:
    """A JSON value in a form both engines share: booleans as 0/1 (ClickHouse's UInt8), floats to 9 significant
    digits, timestamps as ISO text without a zone or trailing zero fraction, UUIDs as text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
            return int(value)
        return float(f"{value:.9g}")
    if isinstance(value, Decimal):
        return comparable(float(value))
    if isinstance(value, datetime.datetime):
        text = value.replace(tzinfo=None).isoformat()
        return text[:-7] if text.endswith(".000000") else text
    if isinstance(value, datetime.date | uuid.UUID):
        return str(value)
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T" and value[:4].isdigit():
        text = value.removesuffix("Z").split("+")[0]
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, list | tuple):
        return [comparable(item) for item in value]
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    return value


def same(first: tuple[str, Any], second: tuple[str, Any], *, ordered: bool) -> bool:
    if "rows" in (first[0], second[0]):
        if first[0] != second[0]:
            return False
    else:  # both a 400: the same refusal, or an engine refusing in its own words
        return first[1] == second[1] or "error" in (first[0], second[0])
    if ordered:
        return first[1] == second[1]
    return sorted(map(repr, first[1])) == sorted(map(repr, second[1]))
