"""POST /query/ keeps analysed queries (warehouse/analysis_cache.py): a kept analysis is never served after a view or
table it read changed, nor in another project, nor after a setting changed; the cache stays within its bounds."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command

from tests.warehouse.conftest import hogql, views_url
from tests.warehouse.engine_support import run_query
from users.models import Project
from warehouse.analysis_cache import ANALYSES, AnalysisCache, CachedAnalysis

pytestmark = pytest.mark.django_db


def _update_view(api, project, view: dict, sql: str) -> dict:
    latest = api.get(views_url(project, view["id"])).json()["latest_history_id"]
    response = api.patch(
        views_url(project, view["id"]), {"query": hogql(sql), "edited_history_id": latest}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _ok(api, project, sql: str) -> dict:
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_repeated_query_is_answered_from_one_kept_analysis(api, project, seed):
    seed(project, events=50)
    ANALYSES.clear()
    first = _ok(api, project, "select count() from events")
    second = _ok(api, project, "select count() from events")
    assert first["results"] == second["results"] == [[50]]
    assert first["engine_sql"] == second["engine_sql"]
    assert ANALYSES.stats()[0] == 1


def test_a_changed_view_is_analysed_again(api, project, seed, create_view):
    seed(project, events=300)
    view = create_view("v", "select event from events where event = '$pageview'")
    pageviews = _ok(api, project, "select count() from v")["results"][0][0]
    assert 0 < pageviews < 300
    assert _ok(api, project, "select * from v limit 1")["columns"] == ["event"]

    _update_view(api, project, view, "select event, distinct_id from events")
    assert _ok(api, project, "select count() from v")["results"] == [[300]]
    assert _ok(api, project, "select * from v limit 1")["columns"] == ["event", "distinct_id"]

    _update_view(api, project, view, "select distinct_id from events")
    response = run_query(api, project, "select count() from v where event = '$pageview'")
    assert response.status_code == 400 and "Unable to resolve field" in response.json()["detail"]

    assert api.delete(views_url(project, view["id"])).status_code == 204
    response = run_query(api, project, "select count() from v")
    assert response.status_code == 400, response.json()
    assert response.json()["attr"] == "query" and 'Unknown table "v"' in response.json()["detail"]


def test_a_view_read_through_another_view_is_checked_too(api, project, seed, create_view):
    seed(project, events=300)
    inner = create_view("inner_view", "select event from events where event = '$pageview'")
    create_view("outer_view", "select event from inner_view")
    pageviews = _ok(api, project, "select count() from outer_view")["results"][0][0]
    assert pageviews < 300
    _update_view(api, project, inner, "select event from events")
    assert _ok(api, project, "select count() from outer_view")["results"] == [[300]]


def test_a_renamed_view_is_found_by_its_new_name_only(api, project, seed, create_view):
    seed(project, events=20)
    view = create_view("before_name", "select event from events")
    assert _ok(api, project, "select count() from before_name")["results"] == [[20]]
    response = api.patch(views_url(project, view["id"]), {"name": "after_name"}, format="json")
    assert response.status_code == 200, response.json()
    assert run_query(api, project, "select count() from before_name").status_code == 400
    assert _ok(api, project, "select count() from after_name")["results"] == [[20]]


def test_a_name_that_was_unknown_resolves_once_the_view_exists(api, project, seed, create_view):
    seed(project, events=20)
    assert run_query(api, project, "select count() from later").status_code == 400
    create_view("later", "select event from events")
    assert _ok(api, project, "select count() from later")["results"] == [[20]]


@pytest.mark.django_db(transaction=True)
def test_a_replaced_table_is_analysed_again(api, project, tmp_path):
    def load(text: str, *extra: str) -> None:
        path = tmp_path / "plans.csv"
        path.write_text(text)
        call_command(
            "load_warehouse_table", str(path), "--project", str(project.pk), "--name", "plans", *extra,
            stdout=StringIO(),
        )  # fmt: skip

    load("plan,price\nfree,0\npro,20\n")
    assert _ok(api, project, "select * from plans order by price")["columns"] == ["plan", "price"]
    load("plan,price,currency\nfree,0,eur\npro,20,eur\nteam,50,eur\n", "--replace")
    body = _ok(api, project, "select * from plans order by price")
    assert body["columns"] == ["plan", "price", "currency"] and len(body["results"]) == 3


def test_the_same_sql_in_two_projects_reads_each_projects_own(api, organization, project, seed, create_view):
    other = Project.objects.create(organization=organization, name="B")
    seed(project, events=10)
    seed(other, events=20)
    create_view("t", "select event as mine from events", on=project)
    create_view("t", "select distinct_id as theirs from events", on=other)
    for _ in range(2):
        for owner, events, column in ((project, 10, "mine"), (other, 20, "theirs")):
            assert _ok(api, owner, "select count() from events")["results"] == [[events]]
            body = _ok(api, owner, "select * from t limit 1")
            assert body["columns"] == [column]
            assert f'project_{owner.pk}"' in body["engine_sql"]  # its database (prefixed on ClickHouse)


def test_a_changed_setting_is_not_answered_from_a_kept_analysis(api, project, seed, settings):
    seed(project, events=10)
    sql = "select event, count() from events where event in ('a', 'b', 'c', 'd') group by event"
    _ok(api, project, sql)
    settings.WAREHOUSE_HOGQL_MAX_NODES = 10
    response = run_query(api, project, sql)
    assert response.status_code == 400 and "WAREHOUSE_HOGQL_MAX_NODES" in response.json()["detail"]


def test_the_cache_keeps_at_most_its_entries_and_bytes(api, project, seed, settings):
    seed(project, events=10)
    settings.WAREHOUSE_QUERY_CACHE_ENTRIES = 2
    for n in range(4):
        _ok(api, project, f"select {n} as n from events limit 1")
    assert ANALYSES.stats()[0] == 2
    settings.WAREHOUSE_QUERY_CACHE_BYTES = 100  # smaller than any analysis: none is kept
    _ok(api, project, "select 9 as n from events limit 1")
    assert ANALYSES.stats() == (0, 0)


def _entry(size: int) -> CachedAnalysis:
    return CachedAnalysis(analyzed=None, names=frozenset(), fingerprint=b"", size=size)  # type: ignore[arg-type]


def test_the_least_recently_used_entry_goes_first():
    cache = AnalysisCache()
    for key in "abc":
        cache.put((key,), _entry(10), max_entries=3, max_bytes=1000)
    assert cache.get(("a",)) is not None  # now the most recent
    cache.put(("d",), _entry(10), max_entries=3, max_bytes=1000)
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None
    cache.put(("e",), _entry(995), max_entries=3, max_bytes=1000)  # past the bytes: all but it go
    assert cache.stats() == (1, 995)


def test_threads_share_the_cache_within_its_bounds():
    cache = AnalysisCache()

    def work(offset: int) -> None:
        for n in range(500):
            key = ((offset + n) % 40,)
            cache.get(key)
            cache.put(key, _entry(7), max_entries=16, max_bytes=100)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries, size = cache.stats()
    assert entries == 14 and size == 98  # 100 bytes hold 14 entries of 7
