"""CPU time per request when every user string field gets an adversarial 100 KB value (issue: linear validation).

Run: bin/test benchmarks/bench_adversarial_strings.py -s   (or .venv/bin/python -m pytest ... -s)

Each field gets several 100 KB shapes that make backtracking patterns slow (repeated separators, near-matches of
`Name <address>`, brackets, spaces, non-ASCII); the table shows the worst CPU time per request and the status.
Compare against a baseline by running the same file on another commit in the same session.
"""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.api.factories import INTERVIEW_VTT, TABLE_CSV, make_interview, make_saved_query

SIZE = 100_000
SHAPES = {
    "a*": "a" * SIZE,
    "'a <'*": "a <" * (SIZE // 3),
    "'a@'*": "a@" * (SIZE // 2),
    "spaces+<": "a" + " " * SIZE + "<",
    "'(('*": "(" * SIZE,
    "'é.'*": "é." * (SIZE // 2),
    "'x:'*": "x:" * (SIZE // 2),
}


def _fields(client: APIClient, project, user) -> dict:
    """field name -> function(value) -> response, one real request through the API each."""
    env = f"/api/environments/{project.pk}"
    interview = make_interview(client, project, "bench")
    view = make_saved_query(client, project, "bench")
    browser = APIClient()
    browser.force_login(user)

    def upload(name: str, emails: list[str]):
        file = SimpleUploadedFile(name, INTERVIEW_VTT.read_bytes(), content_type="text/vtt")
        body = {"audio": file, "interviewee_emails": emails}
        return client.post(f"{env}/user_interviews/", body, format="multipart")

    def table(name: str, file_name: str = "data.csv"):
        file = SimpleUploadedFile(file_name, TABLE_CSV, content_type="text/csv")
        body = {"name": name, "format": "CSVWithNames", "file": file}
        return client.post(f"{env}/warehouse_tables/", body, format="multipart")

    def hogql(sql: str) -> dict:
        return {"kind": "HogQLQuery", "query": sql}

    return {
        "interview create: interviewee_emails": lambda v: upload("i.vtt", [v]),
        "interview create: file name": lambda v: upload(v[:50_000] + ".vtt", ["a@example.com"]),
        "interview update: interviewee_emails": lambda v: client.patch(
            f"{env}/user_interviews/{interview}/", {"interviewee_emails": [v]}, format="json"
        ),
        "interview update: summary": lambda v: client.patch(
            f"{env}/user_interviews/{interview}/", {"summary": v}, format="json"
        ),
        "interview list: search": lambda v: client.get(f"{env}/user_interviews/", {"search": v}),
        "saved query create: name": lambda v: client.post(
            f"{env}/warehouse_saved_queries/", {"name": v, "query": hogql("select 1 as x")}, format="json"
        ),
        "saved query create: query": lambda v: client.post(
            f"{env}/warehouse_saved_queries/", {"name": "q", "query": hogql(v)}, format="json"
        ),
        "saved query update: edited_history_id": lambda v: client.patch(
            f"{env}/warehouse_saved_queries/{view}/",
            {"query": hogql("select 2 as x"), "edited_history_id": v},
            format="json",
        ),
        "saved query list: search": lambda v: client.get(f"{env}/warehouse_saved_queries/", {"search": v}),
        "query: query": lambda v: client.post(f"{env}/query/", {"query": hogql(v)}, format="json"),
        "table create: name": lambda v: table(v),
        "table create: file name": lambda v: table("t", v[:50_000] + ".csv"),
        "table create: url_pattern": lambda v: client.post(
            f"{env}/warehouse_tables/",
            {"name": "t", "format": "CSVWithNames", "url_pattern": v},
            format="json",
        ),
        "key create: label": lambda v: browser.post("/api/personal_api_keys/", {"label": v, "scopes": ["*"]}),
        "key create: scopes": lambda v: browser.post(
            "/api/personal_api_keys/", {"label": "l", "scopes": [v]}
        ),
        "key auth: bearer value": lambda v: APIClient().get(
            "/api/projects/", HTTP_AUTHORIZATION=f"Bearer {v}"
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_cpu_time_per_request_for_adversarial_strings(api, project, user, settings):
    settings.THROTTLE_ENABLED = False
    rows = []
    for field, send in _fields(api, project, user).items():
        worst, statuses = 0.0, set()
        for value in SHAPES.values():
            started = time.process_time()
            response = send(value)
            worst = max(worst, time.process_time() - started)
            statuses.add(response.status_code)
            assert response.status_code < 500, (field, response.content[:300])
        rows.append((field, worst, sorted(statuses)))
    print(f"\nWorst CPU seconds per request over {len(SHAPES)} shapes of {SIZE // 1000} KB:")
    for field, worst, statuses in rows:
        print(f"  {field:42s} {worst:8.3f} s   statuses {statuses}")
    print(json.dumps({field: round(worst, 3) for field, worst, _ in rows}))
