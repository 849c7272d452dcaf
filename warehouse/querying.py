"""Running a HogQL query for POST /query/: the query node, validated against the project's catalog (analyses kept:
analysis_cache.py), run as one capped page. Engine errors other than a bad query (a timeout, a result too large)
propagate; warehouse/api/query.py says what they are over HTTP."""

import base64
import math
import time
from typing import Any

from django.conf import settings
from sqlglot import exp

from core.errors import InvalidInput
from users.models import Project
from warehouse.analysis_cache import analyze_query
from warehouse.engine import EngineBusyError, EngineError, QueryTimeoutError, ResultTooLargeError, get_engine
from warehouse.hogql import HogQLError

QUERY_SHAPE = 'Expected {"kind": "HogQLQuery", "query": "<HogQL SELECT>"}.'
# Display nodes PostHog answers by running their `source` (it has no runner of their own).
WRAPPER_KINDS = ("DataTableNode", "DataVisualizationNode", "InsightVizNode")
SUPPORTED_QUERY_KINDS = (
    f"Supported: HogQLQuery, or a {', '.join(WRAPPER_KINDS[:-1])} or {WRAPPER_KINDS[-1]} whose source is a "
    "HogQLQuery."
)


def validate_query_shape(query: Any) -> dict[str, Any]:
    """The body's `query` must be a HogQLQuery node with a non-empty SQL string (a 400 on `query` else)."""
    if not isinstance(query, dict):
        raise InvalidInput(f"Invalid query. {QUERY_SHAPE}", attr="query")
    if query.get("kind") != "HogQLQuery":
        raise InvalidInput(f"Unsupported query kind {query.get('kind')!r}. {QUERY_SHAPE}", attr="query")
    sql = query.get("query")
    if not isinstance(sql, str) or not sql.strip():
        raise InvalidInput(f"The query text is missing. {QUERY_SHAPE}", attr="query")
    limit = int(settings.WAREHOUSE_HOGQL_MAX_QUERY_CHARS)  # shared by /query/ and saved-query writes
    if len(sql) > limit:
        raise InvalidInput(
            f"The query is too long (at most {limit:,} characters; WAREHOUSE_HOGQL_MAX_QUERY_CHARS).",
            attr="query",
        )
    return query


def unwrap_query_node(query: Any) -> dict[str, Any]:
    """The HogQLQuery to run for a `/query/` body: a display node stands for its `source`, as in PostHog."""
    wrappers: list[str] = []
    while isinstance(query, dict) and query.get("kind") in WRAPPER_KINDS:
        wrappers.append(query["kind"])
        query = query.get("source")
    if wrappers and not isinstance(query, dict):
        raise InvalidInput(
            f"{wrappers[-1]} needs a `source` query object. {SUPPORTED_QUERY_KINDS}", attr="query"
        )
    if isinstance(query, dict) and query.get("kind") != "HogQLQuery":
        where = f" (the source of {wrappers[-1]})" if wrappers else ""
        raise InvalidInput(
            f"Unsupported query kind {query.get('kind')!r}{where}. {SUPPORTED_QUERY_KINDS}", attr="query"
        )
    return validate_query_shape(query)


def run_hogql_query(*, project: Project, sql: str) -> dict[str, Any]:
    """PostHog's HogQLQuery response: results, columns, types, hasMore, limit, offset and the SQL that ran.

    A query the engine cannot run is a 400 on `query`; QueryTimeoutError, ResultTooLargeError and EngineBusyError
    propagate."""
    started = time.perf_counter()
    try:
        catalog, analyzed = analyze_query(project=project, sql=sql, target=get_engine())
    except HogQLError as err:
        raise InvalidInput(str(err), attr="query") from err
    limit, offset = page_of(analyzed.tree)
    try:
        result = get_engine().run_query(
            catalog,
            analyzed.tree,
            limit=limit,
            timeout_seconds=float(settings.WAREHOUSE_QUERY_TIMEOUT_SECONDS),
            engine_sql=analyzed.engine_sql,
        )
    except (QueryTimeoutError, ResultTooLargeError, EngineBusyError):
        raise  # EngineBusyError is a 503 with Retry-After (core.errors.TemporarilyUnavailable)
    except EngineError as err:
        raise InvalidInput(str(err), attr="query") from err
    return {
        "results": [[json_value(value) for value in row] for row in result.rows],
        "columns": result.columns,
        "types": [
            [name, get_engine().clickhouse_type(kind)]
            for name, kind in zip(result.columns, result.types, strict=True)
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


def page_of(tree: exp.Expr | None) -> tuple[int, int]:
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
