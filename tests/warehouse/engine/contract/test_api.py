"""The API over each engine: the same answers whichever engine serves the project (the seam the contract leaves)."""

import pytest


@pytest.fixture
def views_url(project):
    return f"/api/environments/{project.pk}/warehouse_saved_queries/"


def _create(api, url, name, sql="select 1 as one"):
    return api.post(url, {"name": name, "query": {"kind": "HogQLQuery", "query": sql}}, format="json")


@pytest.mark.parametrize("name", ["events", "Events", "EVENTS", "Persons"])
def test_a_posthog_tables_name_in_any_case_is_refused_on_every_engine(engine, api, views_url, name):
    response = _create(api, views_url, name)
    assert response.status_code == 400, response.json()
    assert response.json()["attr"] == "name"
    assert "cannot overlap with PostHog table names" in response.json()["detail"]


def test_names_differing_only_in_case_are_one_name_on_every_engine(engine, api, views_url):
    assert _create(api, views_url, "my_view").status_code == 201
    response = _create(api, views_url, "MY_VIEW", sql="select 2 as two")
    assert response.status_code == 400
    assert response.json()["attr"] == "name"
    assert response.json()["detail"] == "A table with this name already exists."
    listed = api.get(views_url).json()["results"]
    assert [view["name"] for view in listed] == ["my_view"]


def test_a_view_is_typed_and_queried_through_the_api_on_every_engine(engine, api, project, views_url):
    created = _create(api, views_url, "answers", sql="select 42 as answer, 'x' as label")
    assert created.status_code == 201, created.json()
    assert [column["name"] for column in created.json()["columns"]] == ["answer", "label"]
    response = api.post(
        f"/api/environments/{project.pk}/query/",
        {"query": {"kind": "HogQLQuery", "query": "select answer, label from answers"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == [[42, "x"]]


def test_a_kept_analysis_is_reused_until_its_view_changes_on_every_engine(engine, api, project, views_url):
    created = _create(api, views_url, "answers", sql="select 42 as answer")
    assert created.status_code == 201, created.json()

    def query():
        response = api.post(
            f"/api/environments/{project.pk}/query/",
            {"query": {"kind": "HogQLQuery", "query": "select * from answers"}},
            format="json",
        )
        assert response.status_code == 200, response.json()
        return response.json()["columns"], response.json()["results"]

    assert query() == query() == (["answer"], [[42]])  # the second from the kept analysis
    latest = api.get(f"{views_url}{created.json()['id']}/").json()["latest_history_id"]
    updated = api.patch(
        f"{views_url}{created.json()['id']}/",
        {
            "query": {"kind": "HogQLQuery", "query": "select 7 as lucky, 'x' as label"},
            "edited_history_id": latest,
        },
        format="json",
    )
    assert updated.status_code == 200, updated.json()
    assert query() == (["lucky", "label"], [[7, "x"]])
