"""Summaries from any OpenAI-compatible POST {base_url}/chat/completions (OpenAI, Ollama, vLLM, ...)."""

from ..config import openai_config
from ..errors import ProviderError
from ..remote import chat_completion, missing_field

# The five sections PostHog's summaries use, each with what belongs in it (our wording of PostHog's intent).
SECTIONS = {
    "User background": "Who the user is: role, experience, company, and how they come to the product. "
    "Note any other tools or workarounds they rely on.",
    "Current product usage": "How they use the product today: how often, which features, and for what.",
    "Positive feedback and pain points": "What they like, and the problems or frustrations they describe.",
    "Impact of the product": "What the product has changed or made possible in their work.",
    "Next steps and follow-up": "Agreed next steps and follow-up tasks, and who owns each.",
}
SYSTEM_PROMPT = (
    "You are an expert product manager. Your only job is to summarize user interviews our team ran."
)


def summary_prompt(transcript: str) -> str:
    """The user message: goals, the five-section format, then the transcript."""
    sections = "\n\n".join(f"## {title}\n\n{what}" for title, what in SECTIONS.items())
    return (
        "I interviewed a user to learn about our product. Write detailed, well-organized notes of their "
        "feedback, experiences and suggestions: thorough but focused, covering both qualitative insights "
        "and action items. Quote the user directly and keep any figures they give.\n\n"
        "The transcript may be imperfect (automatic speech recognition); do your best with it anyway.\n\n"
        f"Answer in Markdown with exactly these sections:\n<summary_format>\n{sections}\n</summary_format>\n\n"
        f"<transcript>\n{transcript}\n</transcript>"
    )


class OpenAISummarizer:
    """PostHog-style five-section Markdown summary from a chat model."""

    provider = "openai summary"

    def __init__(self) -> None:
        self.config = openai_config("SUMMARY", default_model="gpt-4.1-mini", default_timeout=120)

    def summarize(self, transcript: str) -> str:
        """One chat completion; the reply's text is the summary."""
        if not transcript.strip():
            return ""  # nothing to summarise: no reason to pay for a call
        config = self.config
        body = chat_completion(
            config, provider=self.provider, system=SYSTEM_PROMPT, user=summary_prompt(transcript)
        )
        try:
            content = body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise missing_field(self.provider, "choices[0].message.content") from None
        if not isinstance(content, str) or not content.strip():
            raise ProviderError(f"{self.provider}: the model returned an empty summary.", retryable=False)
        return content.strip()
