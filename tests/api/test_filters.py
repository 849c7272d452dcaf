"""`?search=` is bounded the same way on every list that has it."""

import pytest


@pytest.mark.parametrize("resource", ["warehouse_saved_queries", "warehouse_tables", "user_interviews"])
def test_search_longer_than_the_limit_is_a_400(api, project, resource, settings):
    url = f"/api/environments/{project.id}/{resource}/"
    assert api.get(url, {"search": "a" * 200}).status_code == 200
    response = api.get(url, {"search": "a" * 201})
    assert response.status_code == 400
    assert response.json()["attr"] == "search" and response.json()["code"] == "max_length"
    settings.SEARCH_MAX_LENGTH = 1000
    assert api.get(url, {"search": "a " * 400}).status_code == 200
