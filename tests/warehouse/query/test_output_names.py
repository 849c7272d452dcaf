"""Output names through /query/: two columns of one name (`e1.event, e2.event`) answer on every engine, the later
ones named `event_1`, `event_2`, ... as DuckDB names them (ClickHouse refuses repeated aliases)."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "columns", "row"),
    [
        (
            "select e1.event, e2.event from events e1 join events e2 on e1.uuid = e2.uuid",
            ["event", "event_1"],
            None,
        ),
        (
            "select * from (select 1 as a, 2 as b) x left join (select 1 as a, 3 as b) y on x.a = y.a",
            ["a", "b", "a_1", "b_1"],
            [1, 2, 1, 3],
        ),
        ("select 1 as a, 2 as a_1, 3 as a, 4 as a", ["a", "a_1", "a_2", "a_3"], [1, 2, 3, 4]),
        # Inside a subquery, a CTE or a UNION's first branch too (ClickHouse refused these: "Multiple expressions").
        ("select count() from (select a.event, b.event from events a, events b)", ["count()"], [25]),
        ("select a from (select 1 as a, 2 as a)", ["a"], [1]),
        ("select * from (select 1 as a, 2 as a)", ["a", "a_1"], [1, 2]),
        ("with t as (select 1 as a, 2 as a) select * from t", ["a", "a_1"], [1, 2]),
        ("select a from (select 1 as a, 2 as a union all select 3, 4) order by a", ["a"], [1]),
    ],
)
def test_repeated_output_names_are_numbered(api, project, seed, sql, columns, row):
    seed(project, events=5)
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["columns"] == columns
    first = response.json()["results"][0]
    assert first == row if row is not None else first[0] == first[1]
