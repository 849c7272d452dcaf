"""PostHog's own HogQL (benchmarks/hogql_conformance/posthog_corpus.sql: the query strings of its parser, printer,
query and resolver tests that its parser accepts) through /query/: never a 5xx, every error in the API's shape, and
at least the share of 200s reached so far (a floor that only rises; docs/warehouse-hogql.md has the counts)."""

from pathlib import Path

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "benchmarks" / "hogql_conformance"
# Of the queries PostHog answers (the corpus less posthog_refuses.sql), how many answer 200, per engine.
OK_AT_LEAST = {"duckdb": 453, "clickhouse": 453}


def _lines(name: str) -> list[str]:
    return [line for line in (CORPUS / name).read_text().splitlines() if line and not line.startswith("--")]


def test_posthog_corpus_answers_without_5xx_and_keeps_its_200s(api, project, seed, settings):
    settings.THROTTLE_ENABLED = False  # 531 queries in one test: rate limits are tested in tests/api
    seed(project, events=60)
    posthog_refuses = set(_lines("posthog_refuses.sql"))
    ok, crashes, shapeless = 0, [], []
    for sql in _lines("posthog_corpus.sql"):
        response = run_query(api, project, sql)
        if response.status_code >= 500:
            crashes.append(f"{response.status_code} {sql}")
        elif response.status_code != 200 and set(response.json()) != {"type", "code", "detail", "attr"}:
            shapeless.append(f"{response.status_code} {sql}")
        ok += response.status_code == 200 and sql not in posthog_refuses
    assert crashes == [] and shapeless == []
    assert ok >= OK_AT_LEAST[settings.WAREHOUSE_ENGINE]
