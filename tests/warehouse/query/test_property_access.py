"""Property subscripts through /query/: `properties['$browser']` reads like `properties.$browser` on every engine (a
JSON column subscripted by a string is a property read in PostHog), and a zero index is refused as PostHog does."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db


def test_string_subscript_of_properties_reads_the_property(api, project, seed):
    seed(project, events=30)
    subscripted = run_query(
        api,
        project,
        "select properties['$browser'], e.properties['$os'], properties['missing'] from events e",
    )
    chained = run_query(api, project, "select properties.$browser, e.properties.$os, null from events e")
    assert subscripted.status_code == 200, subscripted.json()
    rows = subscripted.json()["results"]
    assert rows == chained.json()["results"]
    assert any(browser is not None for browser, _, _ in rows)
    assert subscripted.json()["columns"] == [
        "properties['$browser']",
        "e.properties['$os']",
        "properties['missing']",
    ]


def test_subscript_after_a_property_extends_its_path(api, project, seed):
    seed(project, events=5)
    response = run_query(
        api, project, "select properties['$set']['email'], properties.$set.email from events"
    )
    assert response.status_code == 200, response.json()
    assert all(left == right for left, right in response.json()["results"])


def test_a_key_computed_by_the_query_reads_the_property(api, project, seed):
    """PostHog's corpus: `properties[(select 'value')]`; the key is known only when the query runs."""
    seed(project, events=20)
    sql = (
        "select properties[(select '$browser')], properties[concat('$', 'os')], properties[(select 'a\"b')], "
        "properties.$browser, properties.$os from events"
    )
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    rows = response.json()["results"]
    assert all(row[:3] == [row[3], row[4], None] for row in rows)
    assert any(row[0] is not None for row in rows)
    corpus = run_query(api, project, "select properties[(select 'value')] from events")
    assert corpus.status_code == 200 and corpus.json()["results"] == [[None]] * len(rows)


def test_zero_index_into_a_property_is_refused(api, project, seed):
    seed(project, events=5)
    response = run_query(api, project, "select properties.something[0] from events")
    assert response.status_code == 400
    assert (
        response.json()["detail"] == "Invalid query: SQL indexes start from one, not from zero. E.g: array[1]"
    )
