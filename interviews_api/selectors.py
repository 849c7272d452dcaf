"""Reads: a project's interviews, newest first, optionally narrowed by a search."""

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from interviews_api.models import UserInterview
from users.models import Project


def interview_list(*, project: Project, search: str = "") -> QuerySet[UserInterview]:
    """Newest first, with `created_by` joined so a page costs the same number of queries at any size."""
    interviews = UserInterview.objects.filter(project=project).select_related("created_by")
    search = search.strip()
    if search:
        interviews = _search(interviews, search)
    return interviews.order_by("-created_at", "-pk")


def _search(interviews: QuerySet[UserInterview], text: str) -> QuerySet[UserInterview]:
    emails = Cast("interviewee_emails", TextField())
    in_emails = Q(emails_text__icontains=text)
    interviews = interviews.annotate(emails_text=emails)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # Full-text over transcript, summary and addresses (stemmed words, any order); a part of an address
        # ("acme.com") still matches through the plain substring test.
        vector = SearchVector("transcript", "summary", emails, config="english")
        query = SearchQuery(text, search_type="websearch", config="english")
        return interviews.annotate(search_vector=vector).filter(Q(search_vector=query) | in_emails)
    return interviews.filter(Q(transcript__icontains=text) | Q(summary__icontains=text) | in_emails)
