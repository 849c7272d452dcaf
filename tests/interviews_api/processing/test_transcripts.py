"""Uploaded transcripts are parsed without speech-to-text, speaker names kept, rendered as "#### Name" turns."""

from pathlib import Path

import pytest

from interviews_api.processing import transcribe
from interviews_api.processing.transcripts import Turn, parse_transcript, render_turns

from .conftest import FIXTURES

EXPECTED_INTERVIEW = """#### Jane Interviewer
Thanks for joining. How do you use the dashboard today?

#### Ada Lovelace
Every morning I open the dashboard to check our signups. {export}

#### Jane Interviewer
Good to know, we will look into exports."""


@pytest.mark.parametrize(
    ("name", "export"),
    [
        ("interview.vtt", "The export to CSV is slow & it times out on big projects."),
        ("interview.srt", "The export to CSV is slow and it times out on big projects."),
    ],
)
def test_cue_files_keep_speaker_names(name: str, export: str) -> None:
    # Emails are ignored for uploaded transcripts: the file already says who spoke.
    transcript = transcribe(FIXTURES / name, interviewee_emails=["Someone Else <se@example.com>"])
    assert transcript == EXPECTED_INTERVIEW.format(export=export)


def test_plain_text_with_named_lines(tmp_path: Path) -> None:
    path = tmp_path / "notes"
    path.write_text(
        "[00:00:01] Jane: How long have you used it?\n"
        "Ada Lovelace: About two years.\n"
        "Mostly for dashboards.\n"
        "00:14 Jane: Thanks!\n",
        encoding="utf-8",
    )
    assert transcribe(path, interviewee_emails=[]) == (
        "#### Jane\nHow long have you used it?\n\n"
        "#### Ada Lovelace\nAbout two years. Mostly for dashboards.\n\n"
        "#### Jane\nThanks!"
    )


def test_plain_text_without_speakers_is_kept_as_is(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Note: the call started late.\nWe talked about exports.\n", encoding="utf-8")
    # One "Name:"-looking line is not a conversation, so "Note" does not become a speaker.
    assert transcribe(path, interviewee_emails=[]) == "Note: the call started late.\nWe talked about exports."


def test_vtt_without_voice_tags_falls_back_to_named_lines() -> None:
    vtt = (
        "WEBVTT\n\n00:00.000 --> 00:01.000\nAlice: hi there\n\n"
        "00:01.000 --> 00:02.000\nBob: hello\n\nSTYLE\n::cue { color: red }\n"
    )
    assert parse_transcript(vtt, "webvtt") == [Turn("Alice", "hi there"), Turn("Bob", "hello")]


def test_render_turns_leaves_unattributed_text_without_heading() -> None:
    turns = [Turn(None, "intro"), Turn("Ada", "hello"), Turn("Ada", "")]
    assert render_turns(turns) == "intro\n\n#### Ada\nhello"


def test_cue_markup_is_removed_but_plain_text_is_literal() -> None:
    vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\n<v Bob><c.hi>x &lt;y&gt;</c> &amp; z</v>\n"
    assert parse_transcript(vtt, "webvtt") == [Turn("Bob", "x <y> & z")]
    assert parse_transcript("a <b> &amp; c", "text") == [Turn(None, "a <b> &amp; c")]
