"""Reads: interviews matching a search, interviews as list rows, and interviews whose processing stalled."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from core.rows import RowShape
from interviews_api.models import UserInterview
from users.selectors import USER_BASIC_ROW

# What an interview in a list shows (its serializer's fields, `recording` for the audio URL) and its creator.
INTERVIEW_ROW = RowShape(
    "InterviewRow",
    [
        "id", "project_id", "created_at", "interviewee_emails", "transcript", "summary", "recording", "status",
        "processing_error",
    ],
    nested={"created_by": USER_BASIC_ROW},
)  # fmt: skip


def interview_search(interviews: QuerySet[UserInterview], *, text: str) -> QuerySet[UserInterview]:
    """The interviews whose transcript, summary or interviewee addresses match `text` (all of them when blank).

    Full-text on PostgreSQL (stemmed words, any order) plus a substring test on the addresses, so a part of an
    address ("acme.com") still matches; case-insensitive substrings elsewhere.
    """
    text = text.strip()
    if not text:
        return interviews
    emails = Cast("interviewee_emails", TextField())
    in_emails = Q(emails_text__icontains=text)
    interviews = interviews.annotate(emails_text=emails)
    if connection.vendor == "postgresql":
        vector = SearchVector("transcript", "summary", emails, config="english")
        query = SearchQuery(text, search_type="websearch", config="english")
        return interviews.annotate(search_vector=vector).filter(Q(search_vector=query) | in_emails)
    return interviews.filter(Q(transcript__icontains=text) | Q(summary__icontains=text) | in_emails)


def interview_rows(interviews: QuerySet[UserInterview]) -> QuerySet:
    """The interviews as list rows: only the columns a list shows, creator joined, no model instances built."""
    return INTERVIEW_ROW.as_rows(interviews)


def stalled_interviews() -> QuerySet[UserInterview]:
    """Pending or processing for longer than INTERVIEW_STALLED_AFTER_SECONDS: a task lost before a worker took
    it, or a job that ran without a lease (in the web process) when that process died. The caller skips those
    a live worker holds. (A worker that dies mid-job is found sooner by its lease: tasks.interview_recover.)
    """
    cutoff = timezone.now() - timedelta(seconds=settings.INTERVIEW_STALLED_AFTER_SECONDS)
    pending = Q(status=UserInterview.Status.PENDING, updated_at__lt=cutoff)
    processing = Q(status=UserInterview.Status.PROCESSING, processing_started_at__lt=cutoff)
    return UserInterview.objects.filter(pending | processing)
