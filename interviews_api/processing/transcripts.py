"""Parse uploaded transcripts (WebVTT, SRT, plain text) into speaker turns, and render turns as text."""

import html
import re
from dataclasses import dataclass

TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>|$)", re.DOTALL)
TAG = re.compile(r"</?[^>]*>")
# "Alice:", "Dr. Bob Smith:", "alice@example.com:", optionally after a "[00:01:02]" or "00:01" stamp.
STAMP = re.compile(r"^\s*[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?[\])]?\s*")
NAMED_LINE = re.compile(r"^([A-Za-z\u00c0-\u024f][\w.'@+\- \u00c0-\u024f]{0,40}?)\s*:\s+(\S.*)$")


@dataclass
class Turn:
    """One speaker's consecutive speech; speaker is None when the source does not say who spoke."""

    speaker: str | None
    text: str


def parse_transcript(text: str, fmt: str) -> list[Turn]:
    """Turns from a transcript file's text; `fmt` is "webvtt", "srt" or "text" (see detection)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if fmt in ("webvtt", "srt"):
        cues = _cue_texts(text, webvtt=fmt == "webvtt")
    else:
        cues = [STAMP.sub("", line) for line in text.split("\n")]
    turns = _voice_turns(cues) if fmt == "webvtt" and any(VOICE.search(c) for c in cues) else None
    if turns is None:
        turns = _named_line_turns([TAG.sub("", c) for c in cues])
    return merge_turns(turns)


def render_turns(turns: list[Turn]) -> str:
    """PostHog's speaker-mapped shape: a "#### Name" line before each turn; unattributed text stands alone."""
    blocks = [f"#### {t.speaker}\n{t.text}" if t.speaker else t.text for t in turns if t.text.strip()]
    return "\n\n".join(blocks)


def merge_turns(turns: list[Turn]) -> list[Turn]:
    """Join consecutive turns of the same speaker (cue files split one turn into many cues)."""
    merged: list[Turn] = []
    for turn in turns:
        text = turn.text.strip()
        if not text:
            continue
        if merged and merged[-1].speaker == turn.speaker:
            merged[-1].text += ("\n" if turn.speaker is None else " ") + text
        else:
            merged.append(Turn(turn.speaker, text))
    return merged


def _cue_texts(text: str, *, webvtt: bool) -> list[str]:
    """The payload of each cue, skipping the header, NOTE/STYLE/REGION blocks, ids and timings."""
    cues = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        timing = next((i for i, line in enumerate(lines) if TIMING.match(line)), None)
        if timing is None:
            continue  # WEBVTT header, NOTE, STYLE, REGION, or stray text between cues
        payload = " ".join(line.strip() for line in lines[timing + 1 :])
        cues.append(html.unescape(payload) if webvtt else payload)
    return cues


def _voice_turns(cues: list[str]) -> list[Turn]:
    """Turns from WebVTT voice spans (<v Name>text</v>); text outside a span continues the last voice."""
    turns: list[Turn] = []
    for cue in cues:
        spans = VOICE.findall(cue)
        if not spans:
            turns.append(Turn(turns[-1].speaker if turns else None, TAG.sub("", cue)))
        for name, said in spans:
            turns.append(Turn(name.strip(), TAG.sub("", said)))
    return turns


def _named_line_turns(lines: list[str]) -> list[Turn]:
    """Turns from "Name: text" lines; trusted only when at least two lines carry a name ("Note: x" alone is text)."""
    matches = [NAMED_LINE.match(line.strip()) for line in lines]
    if sum(1 for m in matches if m) < 2:
        return [Turn(None, line.strip()) for line in lines]
    turns: list[Turn] = []
    for line, match in zip(lines, matches, strict=True):
        if match:
            turns.append(Turn(match.group(1).strip(), match.group(2).strip()))
        else:
            turns.append(Turn(turns[-1].speaker if turns else None, line.strip()))
    return turns
