"""The extractive summary picks representative transcript sentences, in order, deterministically."""

import pytest

from interviews_api.processing import summarize
from interviews_api.processing.summary.extractive import split_sentences

INTERVIEW = """#### Jane
Thanks for joining today. How do you use the analytics dashboard?

#### Ada
We open the analytics dashboard every morning to check signups and retention. Yeah.
The dashboard export to CSV is slow and often times out on our big projects.
Our team also builds funnels in the dashboard for the weekly product review.
I like the colours.
Honestly the retention charts in the dashboard are the reason we pay for the product.
Sure.
We would love faster exports and scheduled dashboard emails.

#### Jane
Great, we will follow up about exports and scheduled emails next week.
Anything else?

#### Ada
No, that is all. Thanks!
"""


def _lines(summary: str) -> list[str]:
    return [line.removeprefix("- ") for line in summary.splitlines()]


def test_summary_sentences_are_transcript_sentences_in_order(settings) -> None:
    settings.INTERVIEW_SUMMARY_MAX_SENTENCES = 3
    summary = summarize(INTERVIEW)
    sentences = split_sentences(INTERVIEW)
    chosen = _lines(summary)
    assert len(chosen) == 3
    assert all(sentence in sentences for sentence in chosen)
    assert [sentences.index(s) for s in chosen] == sorted(sentences.index(s) for s in chosen)
    assert all("dashboard" in s for s in chosen)  # the interview's topic, not the filler
    assert summarize(INTERVIEW) == summary  # deterministic


def test_headings_are_not_sentences() -> None:
    assert "#### Jane" not in split_sentences(INTERVIEW)
    assert split_sentences("#### Ada\nHello there. How are you?\nfine") == [
        "Hello there.",
        "How are you?",
        "fine",
    ]


@pytest.mark.parametrize(
    ("transcript", "summary"),
    [("", ""), ("   \n", ""), ("#### Ada\nJust one sentence here.", "- Just one sentence here.")],
)
def test_short_transcripts_are_returned_whole(transcript: str, summary: str) -> None:
    assert summarize(transcript) == summary
