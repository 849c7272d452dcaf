"""Diarized speaker labels are named after interviewee emails, deterministically."""

import pytest

from interviews_api.processing.speakers import name_from_email, name_speakers, speaker_names
from interviews_api.processing.transcripts import Turn


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("Ada Lovelace <ada@example.com>", "Ada Lovelace"),
        ('"Grace Hopper" <grace@example.com>', "Grace Hopper"),
        ("ada.lovelace@example.com", "ada.lovelace"),
        ("  bob@example.com ", "bob"),
    ],
)
def test_name_from_email(email: str, name: str) -> None:
    assert name_from_email(email) == name


def test_the_speaker_who_talks_most_gets_the_first_name() -> None:
    turns = [
        Turn("speaker_0", "Hi, thanks for joining."),  # the interviewer opens but says little
        Turn("speaker_1", "Happy to, we use the product every single day for our dashboards."),
        Turn("speaker_2", "Hello."),
        Turn("speaker_3", "Hi."),
    ]
    mapping = speaker_names(turns, ["Ada <ada@example.com>", "jane@example.com"])
    # speaker_1 spoke most, then speaker_0; speaker_2 and speaker_3 tie and stay unnamed.
    assert mapping == {
        "speaker_1": "Ada",
        "speaker_0": "jane",
        "speaker_2": "Speaker 2",
        "speaker_3": "Speaker 3",
    }


def test_without_emails_every_speaker_keeps_its_number() -> None:
    named = name_speakers([Turn("speaker_0", "a"), Turn("speaker_1", "b"), Turn(None, "c")], [])
    assert [t.speaker for t in named] == ["Speaker 0", "Speaker 1", None]
