"""Limit/offset and page-number pagination, with PostHog's absolute next/previous links."""

import json

import pytest
from rest_framework.test import APIClient

from users.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(organization, project) -> list[int]:
    Project.objects.bulk_create([Project(organization=organization, name=f"p{i}") for i in range(9)])
    return list(Project.objects.filter(organization=organization).order_by("id").values_list("id", flat=True))


def page(api, query: str) -> dict:
    response = api.get(f"/api/projects/{query}")
    assert response.status_code == 200
    return response.json()


def test_default_limit_is_100(api, projects):
    data = page(api, "")
    assert (data["count"], len(data["results"]), data["next"], data["previous"]) == (10, 10, None, None)


def test_first_middle_last(api, projects):
    first = page(api, "?limit=4")
    assert first["next"] == "http://testserver/api/projects/?limit=4&offset=4"
    assert first["previous"] is None
    middle = page(api, "?limit=4&offset=4")
    assert middle["next"] == "http://testserver/api/projects/?limit=4&offset=8"
    assert middle["previous"] == "http://testserver/api/projects/?limit=4"
    last = page(api, "?limit=4&offset=8")
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/projects/?limit=4&offset=4"
    assert [r["id"] for r in first["results"] + middle["results"] + last["results"]] == projects


@pytest.mark.parametrize("limit", ["abc", "-5", "0", ""])
def test_bad_limit_means_default(api, projects, limit):
    data = page(api, f"?limit={limit}")
    assert len(data["results"]) == 10


@pytest.mark.parametrize("offset", ["abc", "-5"])
def test_bad_offset_means_zero(api, projects, offset):
    assert page(api, f"?limit=2&offset={offset}")["results"][0]["id"] == projects[0]


def test_offset_past_the_end_is_empty(api, projects):
    data = page(api, "?offset=50")
    assert data["results"] == [] and data["count"] == 10 and data["next"] is None


@pytest.mark.urls("tests.api.urls")
def test_page_number_pagination(api, project, organization):
    Project.objects.bulk_create([Project(organization=organization, name=f"p{i}") for i in range(1000)])
    url = f"/api/environments/{project.id}/paged/"
    first = api.get(url).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (1001, 1000, None)
    assert first["next"] == f"http://testserver{url}?page=2"
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] == f"http://testserver{url}"
    bad = api.get(f"{url}?page=9")
    assert bad.status_code == 404 and bad.json()["detail"] == "Invalid page."


def test_a_key_sent_in_the_query_string_is_not_echoed_in_links(make_key, projects):
    key = make_key("*")
    data = APIClient().get("/api/projects/", {"limit": 4, "offset": 4, "personal_api_key": key}).json()
    assert data["next"] == "http://testserver/api/projects/?limit=4&offset=8"
    assert data["previous"] == "http://testserver/api/projects/?limit=4"
    assert key not in json.dumps(data)


@pytest.mark.urls("tests.api.urls")
def test_page_number_links_drop_the_key_too(make_key, organization, project):
    Project.objects.bulk_create([Project(organization=organization, name=f"p{i}") for i in range(1000)])
    key = make_key("*")
    data = APIClient().get(f"/api/projects/{project.id}/paged/", {"personal_api_key": key}).json()
    assert data["next"] == f"http://testserver/api/projects/{project.id}/paged/?page=2"
