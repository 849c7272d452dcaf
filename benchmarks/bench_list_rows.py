"""A list page of 100, fetched and serialized: model instances (before) against rows (core/rows.py, now).

Run: DATABASE_URL=postgres://... .venv/bin/python -m pytest benchmarks/bench_list_rows.py -s

In-process, no HTTP: the page query of each list (creator joined, saved queries with `latest_history_id`) and the
list serializer's output, alternating the two paths every round on the same data; medians of the rounds, with the
machine's load average. Both paths must give the same output.
"""

import os
import statistics
import time

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIRequestFactory

from interviews_api.api.user_interviews import UserInterviewSerializer
from interviews_api.models import UserInterview
from interviews_api.selectors import interview_rows
from warehouse.activity import SAVED_QUERY_SCOPE
from warehouse.api.saved_queries import SavedQuerySerializer
from warehouse.models import ActivityLog, SavedQuery
from warehouse.selectors import saved_queries_for, saved_query_rows

pytestmark = pytest.mark.django_db
ROWS, ROUNDS, REPEATS = 100, 15, 5


def _seed(project, user, tmp_path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    transcript = "Speaker 1: the dashboards load slowly in the morning.\n" * 20
    for i in range(ROWS):
        interview = UserInterview(
            project=project, created_by=user, status=UserInterview.Status.COMPLETED, transcript=transcript,
            summary=f"Summary {i}", interviewee_emails=[f"person{i}@example.com"],
        )  # fmt: skip
        interview.recording.save("r.vtt", ContentFile(b"WEBVTT\n"), save=False)
        interview.save()
    query = {"kind": "HogQLQuery", "query": "select event, distinct_id, timestamp from events"}
    columns = {
        name: {"hogql": "StringDatabaseField", "clickhouse": "String", "valid": True}
        for name in ("event", "distinct_id", "timestamp")
    }
    views = SavedQuery.objects.bulk_create(
        SavedQuery(project=project, name=f"view_{i}", query=query, columns=columns, created_by=user)
        for i in range(ROWS)
    )
    ActivityLog.objects.bulk_create(
        ActivityLog(project=project, user=user, activity="updated", scope=SAVED_QUERY_SCOPE, item_id=view.pk)
        for view in views
    )


def _ms(fn) -> float:
    start = time.perf_counter()
    for _ in range(REPEATS):
        fn()
    return (time.perf_counter() - start) * 1000 / REPEATS


def test_list_page_instances_against_rows(project, user, tmp_path, settings):
    _seed(project, user, tmp_path, settings)
    request = APIRequestFactory().get("/")
    context = {"request": request, "project": project}
    interviews = (
        UserInterview.objects.filter(project=project).select_related("created_by").order_by("-created_at")
    )
    views = saved_queries_for(project=project)
    cases = {
        "interviews": (UserInterviewSerializer, interviews, interview_rows(interviews)),
        "saved queries": (SavedQuerySerializer, views, saved_query_rows(views)),
    }
    for name, (serializer, instances, rows) in cases.items():

        def page(objects, serializer=serializer):
            return serializer(list(objects[:ROWS]), many=True, context=context).data

        assert page(rows) == page(instances)  # same output, same order
        samples: dict[str, list[float]] = {"instances": [], "rows": []}
        for round_number in range(ROUNDS):
            order = [("instances", instances), ("rows", rows)]
            for label, objects in order if round_number % 2 == 0 else order[::-1]:
                samples[label].append(_ms(lambda objects=objects: page(objects)))
        before, after = (statistics.median(samples[label]) for label in ("instances", "rows"))
        print(
            f"\n{name}: page of {ROWS} fetched + serialized, median of {ROUNDS} rounds: instances {before:.1f} ms,"
            f" rows {after:.1f} ms ({after / before:.2f}x); load average {os.getloadavg()[0]:.1f}"
        )
