"""Running a HogQL query for POST /query/: validate against the project's catalog, run one capped page."""

import base64
import math
import time
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from sqlglot import exp

from users.models import Project
from warehouse.engine import (
    EngineBusyError,
    EngineError,
    QueryTimeoutError,
    ResultTooLargeError,
    get_engine,
)
from warehouse.hogql import HogQLError, analyze_view
from warehouse.hogql.columns import clickhouse_type
from warehouse.selectors import catalog_for


class QueryResultTooLarge(APIException):
    """400 with code `result_too_large`: the page's values passed WAREHOUSE_MAX_RESULT_BYTES (fetching stopped)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "result_too_large"
    default_detail = "The result is too large."


class QueryTimedOut(APIException):
    """400 in the error shape with code `timeout` (PostHog answers an over-long query with a 400 too)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "timeout"
    default_detail = "The query took too long and was stopped."


def run_hogql_query(*, project: Project, sql: str) -> dict[str, Any]:
    """PostHog's HogQLQuery response: results, columns, types, hasMore, limit, offset and the SQL that ran."""
    started = time.perf_counter()
    catalog = catalog_for(project=project)
    try:
        analyzed = analyze_view(sql, catalog)
    except HogQLError as err:
        raise ValidationError({"query": [str(err)]}) from err
    limit, offset = page_of(analyzed.tree)
    try:
        result = get_engine().run_query(
            catalog,
            analyzed.engine_sql,
            limit=limit,
            timeout_seconds=float(settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS),
        )
    except QueryTimeoutError as err:
        raise QueryTimedOut(str(err)) from err
    except ResultTooLargeError as err:
        raise QueryResultTooLarge(str(err)) from err
    except EngineBusyError:
        raise  # 503 with Retry-After (core.errors.TemporarilyUnavailable)
    except EngineError as err:
        raise ValidationError({"query": [str(err)]}) from err
    return {
        "results": [[json_value(value) for value in row] for row in result.rows],
        "columns": result.columns,
        "types": [
            [name, clickhouse_type(kind)] for name, kind in zip(result.columns, result.types, strict=True)
        ],
        "hasMore": result.has_more,
        "limit": limit,
        "offset": offset,
        "query": sql,
        "hogql": analyzed.hogql,
        "engine": settings.WAREHOUSE_ENGINE,
        "engine_sql": analyzed.engine_sql,
        "timings": [{"k": "./query", "t": round(time.perf_counter() - started, 6)}],
        "error": None,
    }


def page_of(tree: exp.Expression | None) -> tuple[int, int]:
    """(limit, offset) as PostHog pages a HogQLQuery: the SQL's own LIMIT (default 100), capped at the maximum.

    The SQL runs as written (its LIMIT and OFFSET apply inside); the page around it fetches one row more than
    `limit` to tell whether more rows exist.
    """
    maximum = int(settings.WAREHOUSE_MAX_ROWS)
    limit = _integer(tree.args.get("limit")) if tree is not None else None
    offset = _integer(tree.args.get("offset")) if tree is not None else None
    if limit is None:
        limit = int(settings.WAREHOUSE_QUERY_DEFAULT_LIMIT)
    return max(0, min(limit, maximum)), max(0, offset or 0)


def _integer(node: exp.Expression | None) -> int | None:
    value = node.args.get("expression") if isinstance(node, exp.Limit | exp.Offset) else None
    if isinstance(value, exp.Literal) and not value.is_string and value.this.isdigit():
        return int(value.this)
    return None


def json_value(value: Any) -> Any:
    """What JSON cannot carry as is: NaN/infinity become null, bytes base64."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return value
