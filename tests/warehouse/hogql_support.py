"""The compiler tests analyse for the configured engine (the compiler itself is handed an engine, never imports one)."""

from warehouse.engine import get_engine
from warehouse.hogql import AnalyzedQuery, analyze_view


def analyze(sql: str, catalog, **kwargs) -> AnalyzedQuery:
    """analyze_view(sql, catalog) for the configured engine."""
    return analyze_view(sql, catalog, get_engine(), **kwargs)
