"""Resolution against the catalog: tables, columns, views (inlined), cycles, HogQL field chains, isolation."""

import re

import pytest

from tests.warehouse.hogql_support import analyze
from warehouse.catalog import build_catalog
from warehouse.hogql import CycleError, HogQLError


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select * from nope", 'Invalid query: Unknown table "nope".'),
        (
            "select event from events e join nope n on e.event = n.event",
            'Invalid query: Unknown table "nope".',
        ),
        ("select nope from events", "Invalid query: Unable to resolve field: nope"),
        ("select e.nope from events e", "Invalid query: Unable to resolve field: nope"),
        ("select event from persons", "Invalid query: Unable to resolve field: event"),
        ("select event from events where nope = 1", "Invalid query: Unable to resolve field: nope"),
        ("select person.nope from events", "Invalid query: Unable to resolve field: person.nope"),
        (
            "select person.properties.email from persons",
            "Invalid query: Unable to resolve field: person.properties.email",
        ),
    ],
)
def test_unknown_tables_and_columns_are_named(catalog, sql, message):
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "sql",
    [
        "select event from events union all select distinct_id from events",
        "with recent as (select event from events) select event from recent",
        "select event from events where distinct_id in (select distinct_id from events where event = 'x')",
        "select e.event, p.properties from events e left join persons p on e.person_id = p.id",
        "select e.event, s.duration from events e join sessions s on e.$session_id = s.session_id",
        "select g.key, g.index from groups g",
        "select id, amount from `stripe.charges`",
        "select event, count() as c from events group by event having c > 1 order by c desc limit 10",
        "select (select count() from persons) as people, event from events",
        "select a.event from (select event from events) as a",
    ],
)
def test_selects_with_unions_ctes_subqueries_and_joins_are_accepted(catalog, sql):
    assert analyze(sql, catalog).engine_sql.startswith(("SELECT", "WITH"))


def test_dependencies_are_direct_names_in_order(catalog):
    analyzed = analyze(
        "select p.distinct_id from pageviews_by_user p join persons on 1 = 1 join events on 1 = 1", catalog
    )
    assert analyzed.dependencies == ["pageviews_by_user", "persons", "events"]
    assert analyzed.tables == ["events", "persons"]


@pytest.mark.engines("duckdb", reason="asserts the DuckDB SQL it prints")
def test_view_on_view_is_inlined(catalog):
    analyzed = analyze("select distinct_id, views from pageviews_by_user", catalog)
    assert analyzed.dependencies == ["pageviews_by_user"]
    assert "pageviews" not in re.findall(r'"main"\."([^"]+)"', analyzed.engine_sql)
    assert re.findall(r'"main"\."([^"]+)"', analyzed.engine_sql) == ["events"]


@pytest.mark.parametrize(
    ("sql", "view_name"),
    [
        ("select * from loop_a", None),  # a -> b -> a
        ("select * from self_loop", None),
        ("select * from pageviews_by_user", "pageviews"),  # editing pageviews to read what reads it
    ],
)
def test_cycles_are_refused(catalog, sql, view_name):
    if view_name:
        catalog.views[view_name] = sql
    with pytest.raises(CycleError) as caught:
        analyze(sql, catalog, view_name=view_name)
    assert str(caught.value) == "Model contains a cycle"


def test_a_new_view_naming_itself_is_an_unknown_table(catalog):
    with pytest.raises(HogQLError) as caught:
        analyze("select * from brand_new", catalog, view_name="brand_new")
    assert str(caught.value) == 'Invalid query: Unknown table "brand_new".'


def test_cte_named_like_a_real_table_does_not_leak(catalog):
    analyzed = analyze("with events as (select 1 as a) select a from events", catalog)
    assert analyzed.dependencies == []
    assert '"main"' not in analyzed.engine_sql
    with pytest.raises(HogQLError, match="Unable to resolve field: event"):
        analyze("with events as (select 1 as a) select event from events", catalog)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from project_8.events",
        'select * from "project_8"."main"."events"',
        "select * from project_8.main.events",
        "select * from main.events",
        "select * from system.tables",
        "select * from information_schema.tables",
        "select * from duckdb_tables",
        "select * from other_projects_view",
    ],
)
def test_other_projects_and_engine_objects_are_unknown_tables(catalog, sql):
    with pytest.raises(HogQLError) as caught:
        analyze(sql, catalog)
    assert str(caught.value).startswith("Invalid query: Unknown table")


def test_another_projects_view_is_invalid_here():
    other = build_catalog(8, views={"secret_view": "select event from events"})
    mine = build_catalog(7)
    assert analyze("select * from secret_view", other).dependencies == ["secret_view"]
    with pytest.raises(HogQLError, match=r'^Invalid query: Unknown table "secret_view"\.$'):
        analyze("select * from secret_view", mine)


@pytest.mark.engines("duckdb", reason="asserts the DuckDB SQL it prints")
def test_engine_sql_only_names_this_projects_database(catalog):
    analyzed = analyze(
        "select e.event, person.properties.email from events e join pageviews p on p.distinct_id = e.distinct_id",
        catalog,
    )
    databases = set(re.findall(r'"(project_\d+)"\."main"', analyzed.engine_sql))
    assert databases == {"project_7"}


@pytest.mark.engines("duckdb", reason="asserts the DuckDB SQL it prints")
@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "select properties.$browser from events",
            'JSON_EXTRACT_STRING("events"."properties", \'$."$browser"\') AS "$browser"',
        ),
        (
            "select e.properties.$browser from events e",
            'JSON_EXTRACT_STRING("e"."properties", \'$."$browser"\') AS "$browser"',
        ),
        ("select properties.$set.email from events", '\'$."$set"."email"\') AS "email"'),
        ("select properties.`my key` from events", '\'$."my key"\') AS "my key"'),
        (
            "select $session_id, `$window_id` from events",
            '"events"."$session_id" AS "$session_id", "events"."$window_id"',
        ),
        ("select person.properties.email from events", 'FROM "project_7"."main"."persons" AS "__person"'),
        ("select e.person.id from events e", '"__person"."id" = "e"."person_id"'),
        (
            "select event from events where properties.plan = 'pro'",
            'WHERE JSON_EXTRACT_STRING("events"."properties", \'$."plan"\') = \'pro\'',
        ),
        ("select properties.$browser from pageviews", 'JSON_EXTRACT_STRING("pageviews"."properties"'),
    ],
)
def test_hogql_field_chains(catalog, sql, expected):
    assert expected in analyze(sql, catalog).engine_sql


def test_property_of_a_non_json_column_is_refused(catalog):
    with pytest.raises(HogQLError, match="event is not a JSON field"):
        analyze("select event.foo from events", catalog)


@pytest.mark.engines("duckdb", reason="asserts the DuckDB SQL it prints")
@pytest.mark.parametrize(
    ("sql", "path"),
    [
        ("select properties.arr[1].id from events", '$."arr"[0]."id"'),
        ("select properties.arr[-1].id from events", '$."arr"[#-1]."id"'),
        ("select properties.a.b[2] from events", '$."a"."b"[1]'),
    ],
)
def test_indexes_inside_a_json_chain_extend_its_path(catalog, sql, path):
    """properties.arr[1] read the first character of the JSON text; now it is the array's first element."""
    assert f'JSON_EXTRACT_STRING("events"."properties", \'{path}\')' in analyze(sql, catalog).engine_sql


@pytest.mark.parametrize(
    ("through_views", "written_out"),
    [
        (
            "select X.distinct_id, X.views from pageviews_by_user X",
            "select X.distinct_id, X.views from (select distinct_id, count() as views from (select event, properties,"
            " distinct_id, timestamp from events where event = '$pageview') AS pageviews group by distinct_id) X",
        ),
        (
            "select a.event, b.event from pageviews a join pageviews b on a.distinct_id = b.distinct_id",
            "select a.event, b.event from (select event, properties, distinct_id, timestamp from events"
            " where event = '$pageview') a join (select event, properties, distinct_id, timestamp from events"
            " where event = '$pageview') b on a.distinct_id = b.distinct_id",
        ),
    ],
)
def test_a_view_qualifies_as_its_sql_written_out(catalog, through_views, written_out):
    """Views are qualified once, then stand in as tables of their columns (analyze._views_as_tables): the
    result is the query with the views' SQL written out by hand."""
    assert analyze(through_views, catalog).engine_sql == analyze(written_out, catalog).engine_sql


def test_a_long_chain_of_views_resolves(catalog):
    views = {"level_0": "select event, distinct_id from events"}
    for level in range(1, 31):
        views[f"level_{level}"] = f"select event, distinct_id from level_{level - 1}"
    chained = build_catalog(7, views=views)
    analyzed = analyze("select event, count() from level_30 group by event", chained)
    assert analyzed.tables == ["events"]
    assert analyzed.engine_sql.count('AS "level_') == 31


def test_a_view_read_twice_below_is_inlined_whole_each_time():
    """The first reader of a view takes its analysed tree, any other a copy (analyze.expand_view): a view read
    through two others, and through one that selects its star (qualified again above), is written out each time."""
    shared = "select event, distinct_id from events where event = '$pageview'"
    views = {
        "shared": shared,
        "by_event": "select event, count() as n from shared group by event",
        "by_user": "select distinct_id, count() as m from shared group by distinct_id",
        "everything": "select * from shared",
    }
    catalog = build_catalog(7, views=views)
    through_views = (
        "select e.event, e.n, u.m, a.distinct_id from by_event e join everything a on a.event = e.event"
        " join by_user u on u.distinct_id = a.distinct_id join shared s on s.event = e.event"
    )
    written_out = (
        f"select e.event, e.n, u.m, a.distinct_id from (select event, count() as n from ({shared}) AS shared"
        f" group by event) e join (select * from ({shared}) AS shared) a on a.event = e.event"
        f" join (select distinct_id, count() as m from ({shared}) AS shared group by distinct_id) u"
        f" on u.distinct_id = a.distinct_id join ({shared}) s on s.event = e.event"
    )
    analyzed = analyze(through_views, catalog)
    assert analyzed.engine_sql == analyze(written_out, catalog).engine_sql
    assert analyzed.engine_sql.count("'$pageview'") == 4
