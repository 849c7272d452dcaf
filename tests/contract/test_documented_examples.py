"""Replays each documented example request (the curl lines of PostHog's reference) against a live server.

The request goes over real HTTP to `live_server`, with our host, a real key and real objects; the response must
have the documented status and the documented example's shape (same keys, compatible JSON types). Some documented
curl lines cannot work as written; for those, CORRECTIONS builds the request a client really sends (and says why),
and the literal line must still get a clear 4xx in the error shape, never a 5xx or HTML.
"""

import shlex
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.api.factories import INTERVIEW_VTT, isolated_storage  # noqa: F401 (fixture)
from tests.contract.seed import DocumentedEndpoint, documented_endpoints
from tests.contract.test_openapi_conformance import KNOWN_DOC_ARTIFACTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_storage")]
ENDPOINTS = documented_endpoints()
INTERVIEWS = "/api/environments/{project_id}/user_interviews/"
VIEWS = "/api/environments/{project_id}/warehouse_saved_queries/"
ERROR_KEYS = {"type", "code", "detail", "attr"}

# Fields we return beyond the documented example, on purpose (each is documented in our schema).
EXTRA_FIELDS = {
    "status": "interviews: processing state (pending/processing/completed/failed), polled by clients",
    "processing_error": "interviews: why processing failed",
}
# Fields that are null in our response although the documented example shows a value: they are nullable in
# PostHog's schema too (a view never materialized has no run, error or status; edited_history_id and soft_update are write-only;
# a user without a hedgehog has no hedgehog_config).
NULLABLE = {
    "status",
    "last_run_at",
    "latest_error",
    "edited_history_id",
    "soft_update",
    "sync_frequency",
    "query",
    "hedgehog_config",
}
# Free-form objects: the documented keys (property1, property2) are placeholders, only the type matters.
FREE_FORM = {"hedgehog_config"}


@dataclass
class HTTPRequest:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    json: object = None
    files: dict | None = None
    data: dict | None = None

    def send(self, client: httpx.Client) -> httpx.Response:
        return client.request(
            self.method,
            self.path,
            headers=self.headers,
            content=self.content,
            json=self.json,
            files=self.files,
            data=self.data,
        )


def literal_request(endpoint: DocumentedEndpoint, *, key: str, ids: dict[str, str]) -> HTTPRequest:
    """The curl line as curl would send it: `-d` is a form-encoded body unless a Content-Type header says else."""
    lines = [
        line.strip().rstrip("\\") for line in endpoint.curl.splitlines() if not line.startswith("export")
    ]
    tokens = shlex.split(" ".join(lines).replace("$POSTHOG_PERSONAL_API_KEY", key))
    method, headers, data, url = None, {}, [], None
    tokens = iter(tokens[1:])  # after `curl`
    for token in tokens:
        if token == "-X":
            method = next(tokens)
        elif token == "-H":
            name, _, value = next(tokens).partition(":")
            headers[name.strip()] = value.strip()
        elif token == "-d":
            data.append(next(tokens))
        else:
            url = token
    path = url.removeprefix("<ph_app_host>")
    for name, value in ids.items():
        path = path.replace(f":{name}", value)
    request = HTTPRequest(method or ("POST" if data else "GET"), path, headers)
    if data:
        request.headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request.content = "&".join(data).encode()
    return request


def _multipart_interview() -> dict:
    return {"files": {"audio": ("interview.vtt", INTERVIEW_VTT.read_bytes(), "text/vtt")}}


# (method, path) -> (why the literal line cannot work, the literal's expected 4xx, the correct request's fields)
CORRECTIONS = {
    ("POST", INTERVIEWS): (
        '`-d audio="string"` under a JSON Content-Type is not JSON, and a recording is a file: the endpoint '
        "takes multipart/form-data with the recording in `audio` (here the small WebVTT transcript)",
        (400, "parse_error"),
        _multipart_interview,
    ),
    ("PATCH", INTERVIEWS + "{id}/"): (
        "curl's `-d` sends application/x-www-form-urlencoded, which the endpoint does not parse (JSON or "
        "multipart); `created_by` is read-only, so the JSON equivalent changes nothing and answers the interview",
        (415, "unsupported_media_type"),
        lambda: {"json": {"created_by": "undefined"}},
    ),
    ("POST", VIEWS): (
        '`-d name="string"` under a JSON Content-Type is not JSON, and a view needs its HogQL `query`',
        (400, "parse_error"),
        lambda: {
            "json": {"name": "string", "query": {"kind": "HogQLQuery", "query": "select event from events"}}
        },
    ),
    ("PATCH", VIEWS + "{id}/"): (
        'curl\'s `-d` sends application/x-www-form-urlencoded (not parsed: JSON or multipart) and "boolean" is a '
        "placeholder; the JSON equivalent soft-deletes the view, as PostHog's app does",
        (415, "unsupported_media_type"),
        lambda: {"json": {"deleted": True}},
    ),
}


def assert_shape(ours, documented, where: str) -> None:
    """`ours` has the documented keys and compatible JSON types, recursively (first list item)."""
    name = where.rsplit(".", 1)[-1]
    if documented is None or (ours is None and name in NULLABLE | {"next", "previous"}):
        return
    if isinstance(ours, list) and isinstance(documented, str) and (name, "string") in KNOWN_DOC_ARTIFACTS:
        return
    if isinstance(documented, dict):
        assert isinstance(ours, dict), f"{where}: {ours!r} is not an object"
        if name in FREE_FORM:
            return
        missing = set(documented) - set(ours)
        extra = set(ours) - set(documented) - set(EXTRA_FIELDS)
        assert not missing, f"{where}: documented fields missing: {sorted(missing)}"
        assert not extra, f"{where}: undocumented fields: {sorted(extra)}"
        for key, value in documented.items():
            assert_shape(ours[key], value, f"{where}.{key}")
    elif isinstance(documented, list):
        assert isinstance(ours, list), f"{where}: {ours!r} is not an array"
        if ours and documented:
            assert_shape(ours[0], documented[0], f"{where}[0]")
    elif isinstance(documented, bool) or isinstance(ours, bool):
        assert type(ours) is type(documented), f"{where}: {ours!r} is not {type(documented).__name__}"
    elif isinstance(documented, int | float):
        assert isinstance(ours, int | float), f"{where}: {ours!r} is not a number"
    else:
        assert type(ours) is type(documented), f"{where}: {ours!r} is not {type(documented).__name__}"


def assert_error_shape(response: httpx.Response, expected: tuple[int, str], why: str) -> None:
    assert response.status_code == expected[0], (why, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), response.text[:300]
    body = response.json()
    assert set(body) == ERROR_KEYS and body["code"] == expected[1], body


@pytest.fixture
def http(live_server, project, make_key) -> httpx.Client:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


@pytest.fixture
def objects(http, project, make_key) -> dict[str, str]:
    """A real interview and a real saved query in the project, created over HTTP."""
    headers = {"Authorization": f"Bearer {make_key('*')}"}
    base = {"project_id": project.pk}
    interview = http.post(INTERVIEWS.format(**base), headers=headers, **_multipart_interview())
    view = http.post(
        VIEWS.format(**base),
        headers=headers,
        json={"name": "signups", "query": {"kind": "HogQLQuery", "query": "select event from events"}},
    )
    assert (interview.status_code, view.status_code) == (201, 201), (interview.text, view.text)
    return {INTERVIEWS: interview.json()["id"], VIEWS: view.json()["id"]}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_documented_example_replayed(endpoint, http, project, objects, make_key):
    key = make_key(*endpoint.scopes)  # exactly the documented scopes
    resource = next(prefix for prefix in objects if endpoint.path.startswith(prefix))
    ids = {"project_id": str(project.pk), "id": objects[resource]}
    request = literal_request(endpoint, key=key, ids=ids)
    assert request.method == endpoint.method and request.path == endpoint.path.format(**ids), request
    correction = CORRECTIONS.get((endpoint.method, endpoint.path))
    if correction is not None:
        why, expected_error, correct = correction
        assert_error_shape(request.send(http), expected_error, why)
        request = HTTPRequest(endpoint.method, request.path, {"Authorization": f"Bearer {key}"}, **correct())
    response = request.send(http)
    assert response.status_code == endpoint.status, (endpoint, response.status_code, response.text[:500])
    if endpoint.example is None:
        assert response.content == b"", endpoint
        return
    body = response.json()
    assert_shape(body, endpoint.example, str(endpoint))
    if "results" in body:
        assert body["results"], f"{endpoint}: the list is empty, so its items were not checked"


def test_list_links_are_absolute_on_our_host(http, live_server, project, objects, make_key):
    """The documented `next`/`previous` are absolute URLs; ours point at our own host (the interview list)."""
    headers = {"Authorization": f"Bearer {make_key('*')}"}
    url = INTERVIEWS.format(project_id=project.pk)
    assert http.post(url, headers=headers, **_multipart_interview()).status_code == 201
    body = http.get(url, headers=headers, params={"limit": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1
    assert body["next"] == f"{live_server.url}{url}?limit=1&offset=1"
    assert http.get(body["next"], headers=headers).json()["previous"] == f"{live_server.url}{url}?limit=1"


def test_curl_lines_were_parsed():
    methods = {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS}
    assert len(methods) == len(ENDPOINTS) >= 9
    assert all(endpoint.curl.count("<ph_app_host>") == 1 for endpoint in ENDPOINTS)
    assert set(CORRECTIONS) <= methods
    assert Path(INTERVIEW_VTT).exists()
