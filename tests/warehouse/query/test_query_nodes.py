"""POST /query/ with PostHog's display nodes: their `source` runs and answers as itself; other kinds are a 400."""

import pytest

from tests.warehouse.engine_support import query_url, run_query

pytestmark = pytest.mark.django_db

SQL = "select event, count() as n from events group by event order by n desc, event"
SUPPORTED = (
    "Supported: HogQLQuery, or a DataTableNode, DataVisualizationNode or InsightVizNode whose source is a "
    "HogQLQuery."
)


def post(client, project, query):
    return client.post(query_url(project), {"query": query}, format="json")


def hogql(sql: str = SQL) -> dict:
    return {"kind": "HogQLQuery", "query": sql}


@pytest.mark.parametrize(
    "node",
    [
        {"kind": "DataVisualizationNode", "source": hogql()},
        {"kind": "DataTableNode", "source": hogql(), "full": True},
        {"kind": "DataTableNode", "source": {"kind": "DataVisualizationNode", "source": hogql()}},
    ],
    ids=["DataVisualizationNode", "DataTableNode", "nested"],
)
def test_a_display_node_answers_as_its_source(api, project, seed, node):
    seed(project, events=200)
    direct = run_query(api, project, SQL).json()
    response = post(api, project, node)
    assert response.status_code == 200, response.json()
    wrapped = response.json()
    for key in ("results", "columns", "types", "hasMore", "limit", "offset", "query", "hogql"):
        assert wrapped[key] == direct[key], key
    assert sum(row[1] for row in wrapped["results"]) == 200


@pytest.mark.parametrize(
    ("node", "detail"),
    [
        ({"kind": "TrendsQuery", "series": []}, f"Unsupported query kind 'TrendsQuery'. {SUPPORTED}"),
        (
            {"kind": "InsightVizNode", "source": {"kind": "TrendsQuery", "series": []}},
            f"Unsupported query kind 'TrendsQuery' (the source of InsightVizNode). {SUPPORTED}",
        ),
        ({"kind": "DataTableNode"}, f"DataTableNode needs a `source` query object. {SUPPORTED}"),
        (
            {"kind": "DataVisualizationNode", "source": "select 1"},
            f"DataVisualizationNode needs a `source` query object. {SUPPORTED}",
        ),
        (
            {"kind": "DataVisualizationNode", "source": {"kind": "HogQLQuery"}},
            'The query text is missing. Expected {"kind": "HogQLQuery", "query": "<HogQL SELECT>"}.',
        ),
    ],
    ids=["unknown kind", "unsupported source", "no source", "source not an object", "empty source"],
)
def test_other_kinds_are_a_400_naming_what_we_run(api, project, node, detail):
    response = post(api, project, node)
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "code": "invalid_input",
        "detail": detail,
        "attr": "query",
    }


def test_a_wrapped_query_is_validated_like_a_direct_one(api, project, seed):
    seed(project, events=10)
    node = {"kind": "DataVisualizationNode", "source": hogql("select * from project_2.main.events")}
    response = post(api, project, node)
    assert response.status_code == 400 and response.json()["attr"] == "query"


def test_saved_queries_still_take_only_hogql(api, project):
    body = {"name": "wrapped", "query": {"kind": "DataVisualizationNode", "source": hogql("select 1 as one")}}
    response = api.post(f"/api/environments/{project.pk}/warehouse_saved_queries/", body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Unsupported query kind 'DataVisualizationNode'.")
