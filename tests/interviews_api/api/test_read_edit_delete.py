"""Listing, searching, reading, editing and deleting interviews, and downloading their recordings."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews_api.models import UserInterview
from tests.interviews_api.api.conftest import INTERVIEW_VTT, url

pytestmark = pytest.mark.django_db(transaction=True)

RECORDING = bytes(range(256)) * 40  # 10240 bytes, every offset distinguishable


def test_list_is_newest_first_paginated_and_only_this_project(api, project, other_project, make_interview):
    first, second, third = (make_interview(summary=f"n{i}") for i in range(3))
    make_interview(target_project=other_project)

    body = api.get(url(project), {"limit": 2}).json()

    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [str(third.pk), str(second.pk)]
    assert body["next"].endswith("limit=2&offset=2")
    assert api.get(body["next"]).json()["results"][0]["id"] == str(first.pk)


@pytest.mark.parametrize("rows", [5, 50])
def test_listing_costs_the_same_number_of_queries_at_any_size(api, project, make_interview, rows):
    for _ in range(rows):
        make_interview()
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url(project))
    assert len(response.json()["results"]) == rows
    # key lookup with the project, count, page (with created_by joined); at most one key last_used_at write.
    assert len(queries) <= 4, [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("dashboards", {"a"}),  # stemmed full-text on PostgreSQL, substring on SQLite
        ("export", {"b"}),
        ("grace@example.com", {"b"}),
        ("example.com", {"a", "b"}),
        ("nothing-like-this", set()),
    ],
)
def test_search_covers_transcript_summary_and_emails(api, project, make_interview, search, expected):
    make_interview(transcript="I love dashboards every morning.", interviewee_emails=["ada@example.com"])
    make_interview(summary="CSV export is slow.", interviewee_emails=["Grace <grace@example.com>"])
    make_interview(transcript="Unrelated chat.")
    labels = {"I love dashboards every morning.": "a", "": "b"}

    results = api.get(url(project), {"search": search}).json()["results"]

    assert {labels.get(row["transcript"], "?") for row in results} == expected


def test_retrieve_and_the_404s(api, project, other_project, make_interview):
    interview = make_interview(transcript="hi", summary="s")
    assert api.get(url(project, interview.pk)).json()["transcript"] == "hi"

    foreign = make_interview(target_project=other_project)
    for path in [url(project, foreign.pk), url(project, foreign.pk, "audio"), url(project, "not-a-uuid")]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert api.patch(url(project, foreign.pk), {"summary": "x"}, format="json").status_code == 404
    assert api.delete(url(project, foreign.pk)).status_code == 404
    assert api.post(url(project, foreign.pk, "transcribe")).status_code == 404
    assert UserInterview.objects.filter(pk=foreign.pk).exists()


def test_patch_edits_emails_and_summary_and_ignores_read_only_fields(api, project, make_interview, user):
    interview = make_interview(transcript="original", summary="generated", summary_source="generated")
    response = api.patch(
        url(project, interview.pk),
        {
            "summary": "Edited.",
            "interviewee_emails": ["Ada <ada@example.com>"],
            "transcript": "hacked",
            "id": "00000000-0000-0000-0000-000000000000",
            "created_by": None,
            "status": "failed",
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["summary"], body["interviewee_emails"]) == ("Edited.", ["Ada <ada@example.com>"])
    assert (body["id"], body["transcript"], body["status"]) == (str(interview.pk), "original", "completed")
    assert body["created_by"]["id"] == user.pk
    # `audio` is a file field: a string is a clear 400 (as on create), never silently dropped.
    bad = api.patch(url(project, interview.pk), {"audio": "x"}, format="json")
    assert (bad.status_code, bad.json()["code"], bad.json()["attr"]) == (400, "invalid_input", "audio")
    interview.refresh_from_db()
    assert interview.summary_source == "client"


def test_put_and_multipart_patch_work_too(api, project, make_interview):
    interview = make_interview(summary="old")
    assert api.put(url(project, interview.pk), {"summary": "new"}, format="json").json()["summary"] == "new"
    response = api.patch(
        url(project, interview.pk), {"interviewee_emails": ["a@example.com"]}, format="multipart"
    )
    assert response.json()["interviewee_emails"] == ["a@example.com"]
    bad = api.patch(url(project, interview.pk), {"interviewee_emails": ["nope"]}, format="json")
    assert (bad.status_code, bad.json()["attr"]) == (400, "interviewee_emails__0")


def test_patch_with_audio_replaces_the_recording_and_processes_it_again(api, project, make_interview):
    """PostHog throws a PATCHed `audio` away; we keep it: it replaces the recording and is transcribed."""
    interview = make_interview(transcript="old words", summary="")
    old_name = interview.recording.name
    with INTERVIEW_VTT.open("rb") as upload:
        response = api.patch(url(project, interview.pk), {"audio": upload}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "completed"
    assert body["transcript"] and body["transcript"] != "old words"
    assert not default_storage.exists(old_name)
    assert api.get(url(project, interview.pk, "audio/")).getvalue() == INTERVIEW_VTT.read_bytes()


def test_patch_with_unsupported_audio_changes_nothing(api, project, make_interview):
    interview = make_interview(transcript="kept")
    old_name = interview.recording.name
    response = api.patch(url(project, interview.pk), {"audio": _png()}, format="multipart")
    assert (response.status_code, response.json()["attr"]) == (400, "audio")
    interview.refresh_from_db()
    assert (interview.transcript, interview.recording.name) == ("kept", old_name)
    assert default_storage.exists(old_name)


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")


def test_delete_is_hard_and_removes_the_recording(api, project, make_interview):
    interview = make_interview()
    name = interview.recording.name
    assert default_storage.exists(name)

    response = api.delete(url(project, interview.pk))

    assert response.status_code == 204
    assert not UserInterview.objects.filter(pk=interview.pk).exists()
    assert not default_storage.exists(name)
    assert api.get(url(project, interview.pk)).status_code == 404


def test_write_scope_is_needed_to_edit_or_delete(client_with, project, make_interview):
    interview = make_interview()
    reader = client_with("user_interview_DO_NOT_USE:read")
    assert reader.get(url(project, interview.pk, "audio")).status_code == 200
    for response in [
        reader.patch(url(project, interview.pk), {"summary": "x"}, format="json"),
        reader.delete(url(project, interview.pk)),
        reader.post(url(project, interview.pk, "transcribe")),
    ]:
        assert response.status_code == 403
        assert response.json()["detail"] == "API key missing required scope 'user_interview_DO_NOT_USE:write'"


def download(client, path, **headers):
    response = client.get(path, **{f"HTTP_{k.upper()}": v for k, v in headers.items()})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.mark.parametrize(
    ("range_header", "status", "start", "end"),
    [
        (None, 200, 0, 10239),
        ("bytes=0-99", 206, 0, 99),
        ("bytes=1000-", 206, 1000, 10239),
        ("bytes=-300", 206, 9940, 10239),
        ("bytes=10000-99999", 206, 10000, 10239),
        ("bytes=0-1,5-6", 200, 0, 10239),  # several ranges: we send everything, as RFC 9110 allows
        ("items=0-1", 200, 0, 10239),
    ],
)
def test_audio_downloads_the_recording_and_honours_range(
    api, project, make_interview, range_header, status, start, end
):
    interview = make_interview(data=RECORDING)
    headers = {"range": range_header} if range_header else {}

    response, body = download(api, url(project, interview.pk, "audio"), **headers)

    assert response.status_code == status
    assert body == RECORDING[start : end + 1]
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/wav"
    if status == 206:
        assert response["Content-Range"] == f"bytes {start}-{end}/10240"


def test_an_unsatisfiable_range_is_a_416_in_the_error_shape(api, project, make_interview):
    interview = make_interview(data=RECORDING)
    response = api.get(url(project, interview.pk, "audio"), HTTP_RANGE="bytes=20000-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10240"
    assert response.json()["code"] == "range_not_satisfiable"
    assert response.json()["type"] == "invalid_request"
