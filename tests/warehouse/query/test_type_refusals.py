"""Operands of a type their construct cannot take (PostHog's own test queries, which it refuses) are the compiler's
400 naming the construct, the operand and its type, the same on every engine, instead of each engine's own error
(issue 16); the same constructs on operands of the right type, or of a type not known before running, still run."""

import pytest

from tests.warehouse.engine_support import run_query

pytestmark = pytest.mark.django_db


def bool_hint(field: str) -> str:
    return f" (property values are strings: compare it, {field} = 'true', or convert it, toBool({field}))"


REFUSED = [
    ("select 1 like 'a%sd' from events", "LIKE needs strings, but 1 is an Integer"),
    ("select 1 not like 'a%sd' from events", "NOT LIKE needs strings, but 1 is an Integer"),
    ("select 1 ilike 'a%sd' from events", "ILIKE needs strings, but 1 is an Integer"),
    ("select 1 not ilike 'a%sd' from events", "NOT ILIKE needs strings, but 1 is an Integer"),
    ("select timestamp like '2024%' from events", "LIKE needs strings, but timestamp is a DateTime"),
    ("select interval event year from events", "INTERVAL needs a number, but event is a String"),
    ("select properties.0 from events", "properties.0 needs a tuple, but properties is JSON"),
    ("select ['properties']['value'] from events", "an array index needs an integer, but 'value' is a String"),
    ("select ['properties']['value']['bla'] from events",
     "an array index needs an integer, but 'value' is a String"),
    ("select event or timestamp from events", "OR needs booleans or numbers, but event is a String"),
    ("select event or timestamp or true or count() from events",
     "OR needs booleans or numbers, but event is a String"),
    ("select event or not timestamp from events", "OR needs booleans or numbers, but event is a String"),
    ("select true or not timestamp from events", "NOT needs a boolean or a number, but timestamp is a DateTime"),
    ("select properties.bla and properties.bla2 from events",
     "AND needs booleans or numbers, but properties.bla is a String" + bool_hint("properties.bla")),
    ("select 1 from events where not person.properties.email",
     "NOT needs a boolean or a number, but person.properties.email is a String" + bool_hint("person.properties.email")),
    ("SELECT quantiles(0.0, 0.25, 0.5, 0.75, 1.0)(distinct distinct_id) over () as values FROM events",
     "quantiles() needs numbers or dates, but distinct_id is a String"),
    ("select median(event) from events", "median() needs numbers or dates, but event is a String"),
    ("select sum(properties.x) from events",
     "sum() needs numbers, but properties.x is a String (property values are strings: convert it, "
     "toFloat(properties.x))"),
    ("select e.event from (select event from events where event or 1) as e",
     "OR needs booleans or numbers, but event is a String"),
    # arithmetic on a string: ClickHouse's "Illegal types String and UInt8 of arguments of function plus"
    ("select '1' + 1", "plus (+) needs numbers, dates or intervals, but '1' is a String"),
    ("select event * 2 from events", "multiply (*) needs numbers, dates or intervals, but event is a String"),
    ("select timestamp - '1' from events", "minus (-) needs numbers, dates or intervals, but '1' is a String"),
    ("select 10 / distinct_id from events", "divide (/) needs numbers, dates or intervals, but distinct_id is a String"),
    ("select -'1'", "negate (-) needs a number, but '1' is a String"),
    # the function forms: ClickHouse's "Illegal types String and UInt8 of arguments of function plus" too
    ("select plus('1', 1)", "plus() needs numbers, dates or intervals, but '1' is a String"),
    ("select minus(timestamp, '1') from events", "minus() needs numbers, dates or intervals, but '1' is a String"),
    ("select multiply(event, 2) from events", "multiply() needs numbers, dates or intervals, but event is a String"),
    ("select divide(10, distinct_id) from events",
     "divide() needs numbers, dates or intervals, but distinct_id is a String"),
    ("select modulo('7', 2)", "modulo() needs numbers, dates or intervals, but '7' is a String"),
    ("select negate('1')", "negate() needs a number, but '1' is a String"),
]  # fmt: skip

# The same constructs where the types fit, or are not known before running: the engine runs them.
RUNS = [
    ("select 'abc' like 'a%' as v", [[True]]),
    ("select [10, 20][1] as v", [[10]]),
    ("select (1, 'a').2 as v", [["a"]]),
    ("select 1 and 0.5 as v", [[True]]),
    ("select event = 'x' or length(event) > 0 as v from events limit 1", [[True]]),
    ("select toBool('true') and not toBool('false') as v", [[True]]),
    ("select properties.bla = 'true' and properties.bla2 = 'true' as v from events limit 1", [[False]]),
    ("select count() from events where properties like '%' or event like '%'", [[20]]),
    ("select toDate('2024-01-01') + interval '2' day as v", [["2024-01-03"]]),
    ("select quantile(0.5)(x) as v from (select arrayJoin([1, 2, 3]) as x)", [[2.0]]),
    ("select toDate('2024-01-01') + 1 as v", [["2024-01-02"]]),
    ("select toFloat(toString(2)) + 1 as v", [[3.0]]),
    (
        "select plus(1, 2) as v, minus(5, 2) as w, multiply(2, 3) as x, modulo(7, 4) as y, negate(2) as z",
        [[3, 3, 6, 3, -2]],
    ),
    ("select divide(1, 4) as v", [[0.25]]),
    ("select plus(toDateTime('2024-01-01 00:00:00'), interval 1 hour) as v", [["2024-01-01T01:00:00"]]),
]


@pytest.mark.parametrize(("sql", "detail"), REFUSED)
def test_an_operand_of_the_wrong_type_is_refused_naming_it(api, project, engine_name, sql, detail):
    response = run_query(api, project, sql)
    assert response.status_code == 400, response.json()
    assert response.json() == {
        "type": "validation_error",
        "code": "invalid_input",
        "detail": f"Invalid query: {detail}",
        "attr": "query",
    }


@pytest.mark.parametrize(("sql", "rows"), RUNS)
def test_operands_of_fitting_or_unknown_types_still_run(api, project, seed, engine_name, sql, rows):
    seed(project, events=20)
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == rows


@pytest.mark.parametrize(
    "sql", ["select '2024-01-02' - interval 1 day", "select minus('2024-01-02', interval 1 day)"]
)
def test_a_string_beside_an_interval_is_left_to_the_engine(api, project, engine_name, sql):
    """ClickHouse reads the string as a date-time, and so does DuckDB (test_text_with_interval.py)."""
    response = run_query(api, project, sql)
    assert response.status_code == 200, response.json()
    assert response.json()["results"][0][0].startswith("2024-01-01T00:00:00")
