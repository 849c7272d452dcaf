"""Creating interviews: the real pipeline end to end, client-supplied fields, and every bad input."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from interviews_api.models import UserInterview
from tests.interviews_api.api.conftest import HELLO_OGG, HELLO_WAV, HELLO_WORDS, INTERVIEW_VTT, upload, url

pytestmark = pytest.mark.django_db(transaction=True)


def test_wav_is_stored_transcribed_and_summarized_within_the_request(api, project, user):
    response = upload(api, project, interviewee_emails="ada@example.com")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id",
        "created_by",
        "created_at",
        "interviewee_emails",
        "transcript",
        "summary",
        "audio",
        "status",
        "processing_error",
    }
    assert body["status"] == "completed"
    assert body["processing_error"] == ""
    assert body["created_by"]["email"] == user.email
    assert body["interviewee_emails"] == ["ada@example.com"]
    assert HELLO_WORDS <= set(body["transcript"].lower().replace("#", " ").split())
    summary_words = set(body["summary"].lower().replace("#", " ").split()) - {"-", "*"}
    assert summary_words and summary_words <= set(body["transcript"].lower().replace("#", " ").split())
    assert body["audio"] == f"http://testserver{url(project, body['id'], 'audio')}"
    downloaded = api.get(body["audio"])
    assert b"".join(downloaded.streaming_content) == HELLO_WAV.read_bytes()


def test_compressed_audio_and_uploaded_transcripts_work_too(api, project):
    ogg = upload(api, project, HELLO_OGG).json()
    assert ogg["status"] == "completed" and "hello" in ogg["transcript"].lower()

    vtt = upload(api, project, INTERVIEW_VTT).json()
    assert vtt["status"] == "completed"
    assert "Ada Lovelace" in vtt["transcript"] and "export to CSV is slow" in vtt["transcript"]


def test_a_summary_sent_by_the_client_is_kept(api, project):
    body = upload(api, project, INTERVIEW_VTT, summary="My own notes.").json()
    assert body["summary"] == "My own notes."
    assert "Ada Lovelace" in body["transcript"]


@pytest.mark.parametrize(
    "emails",
    [
        ["ada@example.com", "Grace Hopper <grace@example.com>"],  # repeated form fields
        json.dumps(["ada@example.com", "Grace Hopper <grace@example.com>"]),  # one JSON-array string
    ],
)
def test_multipart_emails_as_repeated_fields_or_a_json_array(api, project, emails):
    body = upload(api, project, INTERVIEW_VTT, interviewee_emails=emails).json()
    assert body["interviewee_emails"] == ["ada@example.com", "Grace Hopper <grace@example.com>"]


def test_emails_default_to_an_empty_list(api, project):
    assert upload(api, project, INTERVIEW_VTT).json()["interviewee_emails"] == []


def file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


BAD_INPUTS = [
    ({}, "required", "No file was submitted.", "audio"),
    ({"audio": "not a file"}, "invalid_input", "The submitted data was not a file.", "audio"),
    ({"audio": file("empty.wav", b"")}, "empty", "The submitted file is empty.", "audio"),
    (
        {"audio": file("fake.mp3", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)},
        "unsupported",
        "PNG",
        "audio",
    ),
    (  # one bad byte near the start: named with its offset and line (it was refused as "detected WebVTT")
        {
            "audio": file(
                "t.vtt", INTERVIEW_VTT.read_bytes()[:100] + b"\xff" + INTERVIEW_VTT.read_bytes()[100:]
            )
        },
        "unsupported",
        "Unsupported transcript: the file is WebVTT but not valid UTF-8 text: byte 0xff at byte offset 100 "
        "(line 7, byte 4 of the line). Save it as UTF-8 (or UTF-16 with a byte-order mark).",
        "audio",
    ),
    (  # past the part read to detect the format: found too, not silently replaced
        {"audio": file("t.vtt", INTERVIEW_VTT.read_bytes() + b"NOTE " + b"x" * 70_000 + b"\n\xc3\x28\n")},
        "unsupported",
        "byte 0xc3 at byte offset",
        "audio",
    ),
    (
        {"audio": file("t.vtt", INTERVIEW_VTT.read_bytes()), "interviewee_emails": ["not-an-email"]},
        "invalid_input",
        "Enter a valid email address.",
        "interviewee_emails__0",
    ),
    (
        {
            "audio": file("t.vtt", INTERVIEW_VTT.read_bytes()),
            "interviewee_emails": ["a@example.com", "Bob <bob@>"],
        },
        "invalid_input",
        "Enter a valid email address.",
        "interviewee_emails__1",
    ),
    (
        {
            "audio": file("t.vtt", INTERVIEW_VTT.read_bytes()),
            "interviewee_emails": ["x" * 250 + "@example.com"],
        },
        "max_length",
        "Ensure this field has no more than 254 characters.",
        "interviewee_emails__0",
    ),
]


@pytest.mark.parametrize(("data", "code", "detail", "attr"), BAD_INPUTS)
def test_bad_multipart_input_is_a_400_naming_the_field(api, project, data, code, detail, attr):
    response = api.post(url(project), data, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert (body["type"], body["code"], body["attr"]) == ("validation_error", code, attr)
    assert detail in body["detail"]
    assert not UserInterview.objects.exists()


def test_json_bodies_cannot_carry_the_file_and_emails_must_be_a_list(api, project):
    response = api.post(url(project), {"audio": "x", "interviewee_emails": []}, format="json")
    assert (response.status_code, response.json()["code"], response.json()["attr"]) == (
        400,
        "invalid_input",
        "audio",
    )

    response = api.post(url(project), {"interviewee_emails": "a@example.com"}, format="json")
    assert response.status_code == 400
    assert {"code": response.json()["code"], "attr": response.json()["attr"]} in (
        {"code": "required", "attr": "audio"},
        {"code": "not_a_list", "attr": "interviewee_emails"},
    )


def test_emails_that_are_not_a_list_are_refused(api, project, make_interview):
    interview = make_interview()
    response = api.patch(url(project, interview.pk), {"interviewee_emails": "a@example.com"}, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["attr"]) == ("not_a_list", "interviewee_emails")


def test_urlencoded_bodies_are_unsupported(api, project):
    response = api.post(url(project), "summary=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_an_upload_over_the_limit_is_a_413_and_nothing_is_stored(api, project, settings, tmp_path):
    settings.INTERVIEW_MAX_UPLOAD_BYTES = 1000
    big = file("big.wav", HELLO_WAV.read_bytes()[:5000])

    response = api.post(url(project), {"audio": big}, format="multipart")

    assert response.status_code == 413
    assert response.json() == {
        "type": "invalid_request",
        "code": "payload_too_large",
        "detail": "The recording is larger than the limit of 1000 bytes.",
        "attr": None,
    }
    assert not UserInterview.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


def test_the_limit_is_enforced_while_streaming_not_only_by_content_length(api, project, settings):
    """The body's declared length passes the early check; the upload handler counts the file's bytes."""
    settings.INTERVIEW_MAX_UPLOAD_BYTES = 3000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    response = api.post(
        url(project), {"audio": file("big.wav", HELLO_WAV.read_bytes()[:8000])}, format="multipart"
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "The recording is larger than the limit of 3000 bytes."
    assert not UserInterview.objects.exists()


def test_a_declared_content_length_over_the_limit_is_refused_before_reading(api, project, settings):
    settings.INTERVIEW_MAX_UPLOAD_BYTES = 10
    response = api.generic(
        "POST",
        url(project),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )
    assert response.status_code == 413


def test_write_scope_is_needed_to_create(client_with, project):
    reader = client_with("user_interview_DO_NOT_USE:read")
    response = upload(reader, project, INTERVIEW_VTT)
    assert response.status_code == 403
    assert response.json()["detail"] == "API key missing required scope 'user_interview_DO_NOT_USE:write'"
    assert reader.get(url(project)).status_code == 200

    other = client_with("warehouse_view:write")
    assert other.get(url(project)).status_code == 403
