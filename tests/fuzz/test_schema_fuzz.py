"""Schemathesis over every operation of our own /api/schema/, with a real `*` key, on real objects.

Checks (tests/fuzz/support.py): no 5xx, responses valid against the schema for the statuses it documents,
content types as documented, every 4xx body in the error shape. Deterministic (derandomized, no example
database). Per operation: Schemathesis' examples and coverage phases (deterministic boundary and invalid
values, up to ~200 cases for the richest bodies) plus FUZZ_MAX_EXAMPLES random cases (10 by default, for CI;
the whole file takes about 90 s on SQLite on 2 cores). A bigger run by hand:

    FUZZ_MAX_EXAMPLES=200 .venv/bin/pytest tests/fuzz -p no:cacheprovider

Nothing is excluded: the interview upload is fuzzed too (its binary bodies are small and rejected quickly).
"""

import hashlib
import os
import uuid

import pytest
from hypothesis import HealthCheck, settings

from api.throttling import limiter
from tests.api.factories import factory_for, isolated_storage  # noqa: F401 (fixture)
from tests.fuzz.support import call_and_validate, schema

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
# 1 in KEEP_GENERATED_ID cases keeps the fuzzer's own `{id}` (odd lookups); the others use a real object.
KEEP_GENERATED_ID = 5


@pytest.fixture
def object_ids(project, api):
    """object_ids(case) -> a real id for the operation's `{id}`: one object of the resource per test, a new one
    per example for DELETE (so each deletes a real object)."""
    made: dict[str, str] = {}

    def object_id(case) -> str:
        path = case.operation.path
        if path.startswith("/api/users/"):
            return "@me"
        if path.startswith("/api/personal_api_keys/"):
            return "@current"
        if path.startswith("/api/projects/{id}"):
            return str(project.pk)
        if path.startswith("/api/organizations/{id}"):
            return str(project.organization_id)
        resource = path.split("/")[4]
        if case.method == "DELETE" or resource not in made:
            made[resource] = factory_for(resource)(api, project, f"fuzzed_{uuid.uuid4().hex[:8]}")
        return made[resource]

    return object_id


@pytest.mark.django_db
@pytest.mark.usefixtures("isolated_storage")
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_fuzz(case, project, object_ids, make_key):
    parameters = dict(case.path_parameters or {})
    if "project_id" in parameters:
        parameters["project_id"] = str(project.pk)  # another id is a 404 before anything is parsed
    if "organization_id" in parameters:
        parameters["organization_id"] = str(project.organization_id)
    if "id" in parameters:
        digest = hashlib.sha256(str(parameters["id"]).encode()).digest()[0]
        if digest % KEEP_GENERATED_ID:
            parameters["id"] = object_ids(case)
    case.path_parameters = parameters
    limiter().storage.reset()  # the rate limits are tested elsewhere, not what is fuzzed here
    call_and_validate(case, make_key("*"))
