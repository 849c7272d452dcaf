"""Uploaded transcripts (WebVTT, SRT, plain text): recognise them, parse them into speaker turns, render turns."""

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UnsupportedRecording

TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>|$)", re.DOTALL)
TAG = re.compile(r"</?[^>]*>")
# "Alice:", "Dr. Bob Smith:", "alice@example.com:", optionally after a "[00:01:02]" or "00:01" stamp.
STAMP = re.compile(r"^\s*[\[(]?(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?[\])]?\s*")
NAMED_LINE = re.compile(r"^([A-Za-z\u00c0-\u024f][\w.'@+\- \u00c0-\u024f]{0,40}?)\s*:\s+(\S.*)$")
SRT_START = re.compile(r"\A\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")
CUE_END = re.compile(r"-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})")
# Text that is a document or an image, not a transcript, named for the client.
MARKUP = {
    "SVG image": re.compile(r"<svg[\s>]"),  # before XML: SVG files often start with <?xml
    "HTML document": re.compile(r"<(?:!doctype html|html)[\s>]"),
    "XML document": re.compile(r"<\?xml\s"),
}
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff_transcript(head: bytes, *, complete: bool) -> str | None:
    """The format of text content (UTF-8, or UTF-16 with a BOM): webvtt, srt, text or a MARKUP name; else None.

    `complete` says whether `head` is the whole file (a multi-byte character cut at its end is then an error).
    A WebVTT or SRT file with bytes that are not valid text raises TranscriptEncodingError saying where.
    """
    text = _decode_text(head, complete=complete)
    if text is None:
        cue_format = _cue_format(head.decode("utf-8", errors="replace").removeprefix("\ufeff"))
        if cue_format is not None and head[:2] not in UTF16_BOMS and b"\x00" not in head:
            check_transcript_encoding(head, cue_format, complete=complete)
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if not text.strip() or controls > len(text) // 100:
        return None
    cue_format = _cue_format(text)
    if cue_format is not None:
        return cue_format
    if text.lstrip().startswith("<"):
        start = text.lstrip()[:2000].lower()
        return next((name for name, pattern in MARKUP.items() if pattern.search(start)), "text")
    return "text"


def _cue_format(text: str) -> str | None:
    if re.match(r"WEBVTT(?:[ \t\n]|\Z)", text):
        return "webvtt"
    if SRT_START.match(text.replace("\r\n", "\n")):
        return "srt"
    return None


FORMAT_NAMES = {"webvtt": "WebVTT", "srt": "SRT", "text": "plain text"}


class TranscriptEncodingError(UnsupportedRecording):
    """A transcript whose bytes are not valid in its encoding; the message names the byte, offset and line."""


def check_transcript_encoding(data: bytes, fmt: str, *, complete: bool = True) -> None:
    """Raise TranscriptEncodingError at the first byte of `data` that is not valid UTF-8 (or UTF-16 with a BOM).

    With `complete=False`, `data` is the start of a longer file, so a character cut at its end is fine."""
    encoding = "utf-16" if data[:2] in UTF16_BOMS else "utf-8"
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(data) - 4:
            return
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.end].hex(" ")
        raise TranscriptEncodingError(
            f"Unsupported transcript: the file is {FORMAT_NAMES.get(fmt, fmt)} but not valid "
            f"{encoding.upper()} text: byte{'s' if exc.end - exc.start > 1 else ''} 0x{bad} at byte offset "
            f"{exc.start} (line {line}, byte {column} of the line). Save it as UTF-8 (or UTF-16 with a byte-order mark)."
        ) from exc


def read_transcript(path: Path) -> str:
    """A transcript file's text: UTF-16 when it starts with a byte-order mark, else UTF-8 (bad bytes replaced)."""
    with path.open("rb") as file:
        bom = file.read(2)
    encoding = "utf-16" if bom in UTF16_BOMS else "utf-8-sig"
    return path.read_text(encoding, errors="replace")


def last_cue_end(text: str) -> float | None:
    """The end time of the last WebVTT/SRT cue, in seconds: the transcript's duration."""
    ends = CUE_END.findall(text)
    if not ends:
        return None
    hours, minutes, seconds, fraction = ends[-1]
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction.ljust(3, "0")) / 1000


def _decode_text(head: bytes, *, complete: bool) -> str | None:
    """`head` as text, or None when it is binary."""
    if head[:2] in UTF16_BOMS:
        try:
            return head[: len(head) // 2 * 2].decode("utf-16", errors="strict" if complete else "ignore")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the read boundary is fine; bad bytes anywhere else are not text.
        if complete or exc.start < len(head) - 4:
            return None
        return head[: exc.start].decode("utf-8")


@dataclass
class Turn:
    """One speaker's consecutive speech; speaker is None when the source does not say who spoke."""

    speaker: str | None
    text: str


def parse_transcript(text: str, fmt: str) -> list[Turn]:
    """Turns from a transcript file's text; `fmt` is "webvtt", "srt" or "text" (see detection)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "text":  # plain text is taken literally: no markup, no entities
        return merge_turns(_named_line_turns([STAMP.sub("", line) for line in text.split("\n")]))
    cues = _cue_texts(text)
    if fmt == "webvtt" and any(VOICE.search(c) for c in cues):
        return merge_turns(_voice_turns(cues))
    return merge_turns(_named_line_turns([_plain(c) for c in cues]))


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


def _plain(markup: str) -> str:
    """Cue text without markup (<i>, <c.x>, <00:01.000>), entities decoded after, so "&lt;" survives as "<"."""
    return html.unescape(TAG.sub("", markup))


def _cue_texts(text: str) -> list[str]:
    """The payload of each cue, skipping the header, NOTE/STYLE/REGION blocks, ids and timings."""
    cues = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        timing = next((i for i, line in enumerate(lines) if TIMING.match(line)), None)
        if timing is None:
            continue  # WEBVTT header, NOTE, STYLE, REGION, or stray text between cues
        cues.append(" ".join(line.strip() for line in lines[timing + 1 :]))
    return cues


def _voice_turns(cues: list[str]) -> list[Turn]:
    """Turns from WebVTT voice spans (<v Name>text</v>); text outside a span continues the last voice."""
    turns: list[Turn] = []
    for cue in cues:
        spans = VOICE.findall(cue)
        if not spans:
            turns.append(Turn(turns[-1].speaker if turns else None, _plain(cue)))
        for name, said in spans:
            turns.append(Turn(html.unescape(name.strip()), _plain(said)))
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
