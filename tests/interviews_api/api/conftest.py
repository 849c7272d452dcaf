"""Fixtures for the interview API tests: isolated storage, the committed recordings, upload helpers."""

import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from interviews_api.models import UserInterview
from tests.interviews_api.standin import standin  # noqa: F401 (a fixture, used by name)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HELLO_WAV = FIXTURES / "hello_world.wav"
HELLO_OGG = FIXTURES / "hello_world.ogg"
INTERVIEW_VTT = FIXTURES / "interview.vtt"
# Words pocketsphinx reliably hears in the espeak-ng fixtures.
HELLO_WORDS = {"hello", "world"}


@pytest.fixture(autouse=True)
def interview_settings(settings, tmp_path):
    """Recordings in a private folder, local offline providers, fast retries."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.INTERVIEW_TRANSCRIPTION_PROVIDER = "local"
    settings.INTERVIEW_SUMMARY_PROVIDER = "extractive"
    settings.INTERVIEW_RETRY_DELAY_SECONDS = 0.01
    settings.INTERVIEW_SYNC_WAIT_SECONDS = 30
    yield settings
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


def url(project, interview_id=None, suffix: str = "") -> str:
    base = f"/api/environments/{project.pk}/user_interviews/"
    return f"{base}{interview_id}/{suffix}" if interview_id else base


def upload(client, project, path: Path = HELLO_WAV, **fields):
    """POST a recording as multipart/form-data, with any other form fields."""
    with open(path, "rb") as audio:
        return client.post(url(project), {"audio": audio, **fields}, format="multipart")


@pytest.fixture
def make_interview(project, user):
    """make_interview(**fields) -> a saved, completed interview with a small stored recording."""

    def make(data: bytes = b"RIFF....WAVEfmt ", target_project=None, **fields) -> UserInterview:
        fields = {
            "status": UserInterview.Status.COMPLETED,
            "recording_content_type": "audio/wav",
            "recording_filename": "talk.wav",
            **fields,
        }
        interview = UserInterview(
            project=target_project or project, created_by=user, recording_size=len(data), **fields
        )
        interview.recording.save("recording.wav", ContentFile(data), save=False)
        interview.save()
        return interview

    return make
