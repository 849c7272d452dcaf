"""A /query/ page is bounded in bytes: one huge value or many rows past WAREHOUSE_MAX_RESULT_BYTES is a 400."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db(transaction=True)
LIMIT = 10_000


@pytest.fixture(autouse=True)
def small_cap(settings):
    settings.WAREHOUSE_MAX_RESULT_BYTES = LIMIT


@pytest.mark.parametrize(
    "sql",
    [
        "select repeat('a', 20000) as big",  # one value: stopped inside the engine
        "select event || repeat('x', 40) as s from events limit 1000",  # many rows: stopped while fetching
        "select [repeat('a', 6000), repeat('b', 6000)] as pair",  # nested values are counted too
    ],
)
def test_a_result_over_the_byte_cap_is_a_400_naming_the_limit(api, project, seed, sql):
    seed(project, events=1000)
    response = run_query(api, project, sql)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "result_too_large" and body["type"] == "invalid_request"
    assert body["detail"].startswith(f"The result is larger than {LIMIT} bytes (WAREHOUSE_MAX_RESULT_BYTES)")


def test_a_result_under_the_cap_is_answered(api, project, seed):
    seed(project, events=50)
    response = run_query(api, project, "select repeat('a', 9000) as big, event from events limit 1")
    assert response.status_code == 200, response.json()
    assert len(response.json()["results"][0][0]) == 9000
    assert response.json()["columns"] == ["big", "event"]
