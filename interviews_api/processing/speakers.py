"""Name diarized speakers after the interview's participants, deterministically."""

import re

from .config import setting
from .speaker_llm import llm_speaker_names
from .transcripts import Turn

DISPLAY_NAME = re.compile(r"^\s*([^(]+?)\s*<(.+)>\s*$")  # PostHog's "Name <addr>" validator shape
LABEL_NUMBER = re.compile(r"(\d+)\s*$")


def name_from_email(value: str) -> str:
    """A display name: "Ada Lovelace <ada@x.io>" -> "Ada Lovelace"; "ada.l@x.io" -> "ada.l"."""
    match = DISPLAY_NAME.match(value)
    if match:
        return match.group(1).strip().strip('"') or match.group(2).split("@")[0]
    return value.strip().split("@")[0]


def speaker_names(turns: list[Turn], interviewee_emails: list[str]) -> dict[str, str]:
    """Map diarization labels to names: the speaker who talks most gets the first email's name, and so on.

    Interviewees do most of the talking in an interview, while the interviewer (often not listed) tends to
    speak first, so ranking by words spoken names the right person more often than order of appearance.
    Ties go to whoever spoke first. Speakers left over keep the provider's number: "speaker_3" ->
    "Speaker 3", as PostHog renders unmapped speakers.
    """
    words: dict[str, int] = {}
    for turn in turns:
        if turn.speaker:
            words[turn.speaker] = words.get(turn.speaker, 0) + len(turn.text.split())
    ranked = sorted(words, key=lambda label: -words[label])  # sorted() is stable: ties stay in speaking order
    names = [name_from_email(email) for email in interviewee_emails]
    mapping = dict(zip(ranked, names, strict=False))
    for label in ranked[len(names) :]:
        number = LABEL_NUMBER.search(label)
        mapping[label] = f"Speaker {number.group(1)}" if number else label
    return mapping


def name_speakers(turns: list[Turn], interviewee_emails: list[str]) -> list[Turn]:
    """Replace diarization labels in `turns` with participant names.

    Deterministic (speaker_names) by default; with INTERVIEW_SPEAKER_NAMING=openai the chat model is asked
    first and labels it leaves out fall back to "Speaker N".
    """
    if not any(t.speaker for t in turns):
        return turns
    mapping = speaker_names(turns, interviewee_emails)
    if interviewee_emails and setting("INTERVIEW_SPEAKER_NAMING", "deterministic") == "openai":
        chosen = llm_speaker_names(turns, interviewee_emails)
        if chosen is not None:
            unnamed = speaker_names(turns, [])  # "Speaker N" for labels the model left out
            mapping = {label: chosen.get(label) or unnamed[label] for label in mapping}
    return [Turn(mapping.get(t.speaker, t.speaker) if t.speaker else None, t.text) for t in turns]
