"""Offline, deterministic summaries: the transcript's most representative sentences, in transcript order."""

import math
import re
from collections import Counter
from collections.abc import Mapping

from ..config import setting

HEADING = re.compile(r"^\s*#{1,6}\s")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# Words that carry no topic; kept short on purpose (interview filler matters more than grammar words).
STOP_WORDS = frozenset(
    """a about after again all also am an and any are as at be because been but by can could did do does doing
    don't for from get got had has have he her here him his how i i'm if in into is it it's its just know like
    me more my no not now of oh ok okay on one or our out really right so some that that's the their them then
    there they this to too um uh up us very was we well were what when where which who why will with would
    yeah yes you your""".split()
)


class ExtractiveSummarizer:
    """TF-IDF centroid scoring: keep the sentences closest to what the whole transcript is about."""

    def __init__(self) -> None:
        self.max_sentences = int(setting("INTERVIEW_SUMMARY_MAX_SENTENCES", 8))

    def summarize(self, transcript: str) -> str:
        """One chosen sentence per line, "- " bulleted; "" for an empty transcript.

        Short transcripts (no more sentences than the summary would keep) are returned whole, sentence
        by sentence, so every summary line is always a sentence of the transcript.
        """
        sentences = split_sentences(transcript)
        keep = min(self.max_sentences, max(3, math.ceil(len(sentences) / 10)))
        chosen = sentences if len(sentences) <= keep else _most_representative(sentences, keep)
        return "\n".join(f"- {sentence}" for sentence in chosen)


def split_sentences(transcript: str) -> list[str]:
    """Sentences of a transcript: lines (speaker headings dropped), split again at sentence punctuation."""
    sentences: list[str] = []
    for line in transcript.splitlines():
        if line.strip() and not HEADING.match(line):
            sentences.extend(part.strip() for part in SENTENCE_END.split(line.strip()) if part.strip())
    return sentences


def _most_representative(sentences: list[str], keep: int) -> list[str]:
    """The `keep` sentences with the highest cosine similarity to the transcript's TF-IDF centroid."""
    bags = [Counter(w for w in WORD.findall(s.lower()) if w not in STOP_WORDS) for s in sentences]
    document_frequency = Counter(word for bag in bags for word in bag)
    idf = {word: math.log(len(bags) / df) + 1.0 for word, df in document_frequency.items()}
    vectors = [{w: n * idf[w] for w, n in bag.items()} for bag in bags]
    centroid: Counter[str] = Counter()
    for vector in vectors:
        centroid.update(vector)
    # Fragments ("yeah, sure") are rarely what an interview is about, however common their words.
    scores = [_cosine(v, centroid) if len(v) >= 3 else 0.0 for v in vectors]
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))  # ties: the earlier sentence
    return [sentences[i] for i in sorted(ranked[:keep])]


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse vectors."""
    dot = sum(value * b.get(word, 0.0) for word, value in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0
