"""Two clients editing the same version at the same moment: exactly one wins, the other is told, one entry logged.

Real parallel requests (threads, each with its own database connection) against a transactional database; the
update service holds a row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) across the check, the
write and the history entry.
"""

import pytest
from django.db import connection

from tests.child_processes import in_parallel
from tests.warehouse.conftest import hogql, views_url
from warehouse.models import ActivityLog, SavedQuery

ROUNDS = 5
# SQLite's test database is in memory with a shared cache, where a second writer gets "database table is locked"
# at once instead of waiting (busy timeouts do not apply to shared-cache locks). A real SQLite file (WAL,
# BEGIN IMMEDIATE, 20 s timeout) waits; run these with a file test database to check it there.


@pytest.fixture(autouse=True)
def _needs_a_database_that_waits_for_locks():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory shared-cache SQLite fails concurrent writers instead of serializing them")


@pytest.mark.django_db(transaction=True)
def test_parallel_patches_from_the_same_version(client_with, project, create_view):
    view = create_view("contested", "select event from events")
    url = views_url(project, view["id"])
    version = view["latest_history_id"]
    for round_ in range(ROUNDS):
        clients = [client_with("warehouse_view:write") for _ in range(2)]
        bodies = [
            # Fresh SQL every round: an edit that changes nothing logs nothing (as PostHog), so it is no version.
            {"query": hogql(f"select {column} from events limit {round_ + 1}"), "edited_history_id": version}
            for column in ("distinct_id", "timestamp")
        ]
        before = ActivityLog.objects.filter(item_id=view["id"], activity="updated").count()
        responses = in_parallel(
            *(lambda c=c, b=b: c.patch(url, b) for c, b in zip(clients, bodies, strict=True))
        )
        statuses = sorted(response.status_code for response in responses)
        assert statuses == [200, 400], [r.json() for r in responses]
        loser = next(r for r in responses if r.status_code == 400)
        winner = next(r for r in responses if r.status_code == 200)
        assert loser.json()["detail"] == "The query was modified by someone else."
        assert ActivityLog.objects.filter(item_id=view["id"], activity="updated").count() == before + 1, (
            round_
        )
        saved = SavedQuery.objects.get(pk=view["id"])
        assert saved.query == winner.json()["query"]
        version = winner.json()["latest_history_id"]


@pytest.mark.django_db(transaction=True)
def test_parallel_upserts_of_a_new_name_create_it_once_and_update_it_once(client_with, project):
    """PostHog's POST is create-or-update: of two racing POSTs of a new name, one creates it (201) and the other,
    finding the name taken by the winner, is the update of the winner's row (200), as it would be a moment later."""
    for round_ in range(ROUNDS):
        name = f"twin_{round_}"
        clients = [client_with("warehouse_view:write") for _ in range(2)]
        bodies = [
            {"name": name, "query": hogql(f"select {column} from events"), "soft_update": True}
            for column in ("event", "distinct_id")
        ]
        responses = in_parallel(
            *(lambda c=c, b=b: c.post(views_url(project), b) for c, b in zip(clients, bodies, strict=True))
        )
        assert sorted(r.status_code for r in responses) == [200, 201], [r.json() for r in responses]
        created = next(r.json() for r in responses if r.status_code == 201)
        updated = next(r.json() for r in responses if r.status_code == 200)
        assert created["id"] == updated["id"]
        saved = SavedQuery.objects.get(project=project, name=name, deleted=False)
        assert str(saved.pk) == created["id"]
        assert saved.query == updated["query"] in [body["query"] for body in bodies]  # the later write holds
        activities = ActivityLog.objects.filter(item_id=saved.pk).values_list("activity", flat=True)
        assert sorted(activities) == ["created", "updated"]


@pytest.mark.django_db(transaction=True)
def test_parallel_creates_with_the_same_name_answer_as_in_sequence(client_with, project):
    """Without soft_update the loser is an update that carries a query but no edited_history_id: PostHog's answer
    to that POST made after the create, the history check's 400, never "name taken"."""
    clients = [client_with("warehouse_view:write") for _ in range(2)]
    body = {"name": "twin", "query": hogql("select event from events")}
    responses = in_parallel(*(lambda c=c: c.post(views_url(project), body) for c in clients))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 400], [r.json() for r in responses]
    loser = next(r.json() for r in responses if r.status_code == 400)
    later = clients[0].post(views_url(project), body).json()
    assert (
        loser
        == later
        == {
            "type": "validation_error",
            "code": "invalid_input",
            "detail": "The query was modified by someone else.",
            "attr": "edited_history_id",
        }
    )
    assert SavedQuery.objects.filter(project=project, name="twin").count() == 1
