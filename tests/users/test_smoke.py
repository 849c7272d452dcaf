def test_projects_list_with_all_scopes_key(api, project):
    response = api.get("/api/projects/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [project.id]
