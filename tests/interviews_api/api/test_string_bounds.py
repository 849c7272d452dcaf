"""User strings are checked by length before any pattern, so a crafted value costs linear time (issue: 19 s CPU)."""

import pytest

from interviews_api.validators import address_of
from tests.interviews_api.api.conftest import url


@pytest.mark.parametrize("value", ["a <" * 33_000, "a@" * 50_000, "x" * 100_000 + " <a@b.co>"])
def test_an_overlong_email_is_refused_by_its_length_first(api, project, make_interview, value):
    interview = make_interview()
    response = api.patch(url(project, interview.id), {"interviewee_emails": [value]}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["attr"]) == ("max_length", "interviewee_emails__0")
    assert body["detail"] == "Ensure this field has no more than 254 characters."


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("ada@example.com", "ada@example.com"),
        ("Ada Lovelace <ada@example.com>", "ada@example.com"),
        ("A <b> <ada@example.com>", "ada@example.com"),
        ("Ada (math) <ada@example.com>", "Ada (math) <ada@example.com>"),  # PostHog's name part has no "("
        ("<ada@example.com>", "<ada@example.com>"),  # no name: not the display-name shape
        ("Ada <>", "Ada <>"),
    ],
)
def test_the_display_name_split_keeps_posthogs_rule(value, address):
    assert address_of(value) == address


def test_an_overlong_search_is_a_400_naming_the_parameter(api, project):
    response = api.get(url(project), {"search": "a " * 200})
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "code": "max_length",
        "detail": "Ensure this value has at most 200 characters.",
        "attr": "search",
    }
