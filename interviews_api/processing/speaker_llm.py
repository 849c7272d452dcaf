"""Optional: ask the OpenAI-compatible chat model who each diarized speaker is, as PostHog does."""

import json
import logging
import re

from .config import openai_config
from .remote import chat_completion
from .transcripts import Turn

logger = logging.getLogger(__name__)
PROVIDER = "openai speaker naming"
FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
SYSTEM_PROMPT = """You identify the people speaking in an interview transcript.
Speakers are labelled [speaker_<n>]. Using the participant list and clues in the conversation (people greet
others by name, not themselves; they describe their own company and role), reply with a JSON object mapping each
label to a participant's display name (or email when there is no display name), for example
{"speaker_0": "Steve Jobs", "speaker_1": "Michael F. Doe"}.
Not every participant necessarily spoke, and an unexpected extra person may have. Transcripts mis-spell names:
"Jon" in the text may be the participant John. Label a speaker you cannot place "Unknown #1 (<candidate> or
<candidate>)". If you cannot place most speakers, reply with null. Reply with JSON only."""


def llm_speaker_names(turns: list[Turn], interviewee_emails: list[str]) -> dict[str, str] | None:
    """The model's label -> name mapping, or None when it declines or answers with something unusable.

    Transport and HTTP failures raise ProviderError like any provider call; an unusable answer is not worth
    failing the interview over, since the deterministic mapping is a fine fallback.
    """
    config = openai_config("SUMMARY", default_model="gpt-4.1-mini", default_timeout=120)
    participants = "\n".join(f"- {email}" for email in interviewee_emails)
    transcript = "\n\n".join(f"[{t.speaker}]\n{t.text}" for t in turns if t.speaker)
    body = chat_completion(
        config,
        provider=PROVIDER,
        system=SYSTEM_PROMPT,
        user=f"<participant_emails>\n{participants}\n</participant_emails>\n\n<transcript>\n{transcript}\n</transcript>",
    )
    return _parse_mapping(body, labels={t.speaker for t in turns if t.speaker})


def _parse_mapping(body: dict, *, labels: set[str]) -> dict[str, str] | None:
    """Names for known labels from the reply's JSON; None for null, invalid JSON or no usable entries."""
    try:
        content = body["choices"][0]["message"]["content"]
        mapping = json.loads(FENCE.sub("", content.strip()))
    except (KeyError, IndexError, TypeError, AttributeError, json.JSONDecodeError):
        logger.warning("%s: unusable reply, using the deterministic mapping", PROVIDER)
        return None
    if not isinstance(mapping, dict):
        return None
    names = {
        label: name.strip() for label, name in mapping.items() if label in labels and isinstance(name, str)
    }
    return {label: name for label, name in names.items() if name} or None
